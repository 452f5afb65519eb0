/**
 * The canonical JSON text of a value: what the history hash chain hashes, so a hash does not depend on the order
 * in which a program (or Postgres, or a JSON library) happened to write an object's keys.
 *
 * Definition — the JSON Canonicalization Scheme (RFC 8785) for the values JSON.parse can produce:
 * - object members sorted by key, comparing keys as sequences of UTF-16 code units (JavaScript's default sort);
 * - no whitespace;
 * - strings and numbers written as `JSON.stringify` writes them (ECMAScript's shortest round-trip form, which is
 *   what RFC 8785 prescribes);
 * - members whose value is `undefined` left out, and `undefined` inside arrays written `null`, as JSON.stringify
 *   does, so a value and its JSON round trip have the same canonical text.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON representation');
  return text;
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify writes NaN and ±Infinity as null; so must we, for the round trip to hash the same.
      return JSON.stringify(value);
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return write(withJson.toJSON());
      if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = write(record[key]);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(',')}}`;
    }
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON representation');
    case 'undefined':
    case 'function':
    case 'symbol':
      // Left out, as JSON.stringify leaves them out.
      return undefined;
  }
}
