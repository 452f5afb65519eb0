import type { JsonObject, JsonValue } from '@lib/asl';
import { isJsonObject } from './json.guards';
import { JSONPath } from 'jsonpath-plus';
import type { CaseNormalization, Substitution } from './conformance-case.types';
import { pythonJsonText } from './python-json.serializer';

/**
 * Puts an engine's result into the form the corpus's expected values are in (LocalStack snapshot form), following
 * the steps of `shared/conformance/README.md` ("Normalization"):
 *
 * 1. strings that start with `{` and parse as JSON become the parsed object;
 * 2. the case's substitutions, in order;
 * 3. the defaults: region, partition, UUID ids, ISO-8601 timestamps, non-ISO timestamp keys.
 *
 * Step 5 of the README (Parallel events sorted) is {@link sortParallelEvents}; comparing with `<…>` tokens as
 * variables is the comparator's job.
 */
export class SnapshotNormalizer {
  private readonly substitutions: readonly Substitution[];

  constructor(
    normalization: Pick<CaseNormalization, 'substitutions'>,
    private readonly names: { readonly region: string; readonly partition: string } = {
      region: 'us-east-1',
      partition: 'aws',
    },
  ) {
    this.substitutions = normalization.substitutions;
  }

  /** Runs steps 1 to 3 on a copy of `value`. */
  normalize(value: JsonValue): JsonValue {
    const doc = new SnapshotDocument(parseEmbeddedJson(value));
    for (const substitution of this.substitutions) applySubstitution(doc, substitution);
    this.applyDefaults(doc);
    return doc.tree;
  }

  /**
   * Normalizes a payload the way the corpus stored recorded task inputs and outputs: its JSON text goes through the
   * steps as one string field (so only a top-level `{` object is parsed), then non-object text is read back as JSON.
   */
  normalizePayload(value: JsonValue): JsonValue {
    const normalized = this.normalize({ payload: JSON.stringify(value) });
    const payload = isJsonObject(normalized) ? normalized['payload'] : undefined;
    if (typeof payload !== 'string') return payload ?? null;
    try {
      return JSON.parse(payload) as JsonValue;
    } catch {
      return payload;
    }
  }

  /**
   * The inverse of the substitutions that replaced a literal name with a token (`lambda_func_uid00001` →
   * `<lambda_function_name>`), plus the region and partition defaults. Recorded Lambda results go through it so the
   * engine sees the names it would have seen on AWS; tokens that stand for unknown values (`<uuid:1>`) stay.
   */
  denormalizeText(text: string): string {
    const literalByToken = new Map<string, string | null>();
    for (const substitution of this.substitutions) {
      if (substitution.kind !== 'regex') continue;
      const literal = literalOfRegex(substitution.regex);
      if (literal === undefined || substitution.replacement === '' || /["\\]/.test(substitution.replacement)) continue;
      const known = literalByToken.get(substitution.replacement);
      // A token two different literals turned into cannot be mapped back.
      literalByToken.set(substitution.replacement, known === undefined || known === literal ? literal : null);
    }
    literalByToken.set('<region>', this.names.region);
    literalByToken.set('arn:<partition>:', `arn:${this.names.partition}:`);
    const pairs = [...literalByToken].filter((pair): pair is [string, string] => pair[1] !== null);
    // Longer tokens first, so `arn:<partition>:` is not split by a shorter token inside it.
    pairs.sort((a, b) => b[0].length - a[0].length);
    let out = text;
    for (const [token, literal] of pairs) out = out.split(token).join(literal);
    return out;
  }

  private applyDefaults(doc: SnapshotDocument): void {
    doc.replaceInText((text) => {
      let out = text.split('us-east-1').join('<region>');
      if (this.names.region !== 'us-east-1') out = out.split(this.names.region).join('<region>');
      out = out.split('arn:aws:').join('arn:<partition>:');
      if (this.names.partition !== 'aws') out = out.split(`arn:${this.names.partition}:`).join('arn:<partition>:');
      return out;
    });
    replaceUuidIds(doc);
    doc.replaceInText((text) => text.replace(ISO_8601_PATTERN, (match) => (isCalendarValid(match) ? 'date' : match)));
    replaceNonIsoTimestampKeys(doc.tree);
  }
}

/**
 * Step 1. Only string values held directly by an object are parsed, and what was parsed is not searched again: a
 * `Cause` string inside a parsed `output` stays text, as the corpus shows.
 */
export function parseEmbeddedJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : parseEmbeddedJson(item)));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item.startsWith('{') ? (tryParseJson(item) ?? item) : item;
    else out[key] = parseEmbeddedJson(item);
  }
  return out;
}

function tryParseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * A snapshot under normalization. Regex substitutions work on its serialized text (Python's `json.dumps` form, as
 * the originals did) and the others on the tree; this keeps whichever form is current and converts lazily.
 */
class SnapshotDocument {
  private currentTree: JsonValue | undefined;
  private currentText: string | undefined;

  constructor(tree: JsonValue) {
    this.currentTree = tree;
  }

  get tree(): JsonValue {
    if (this.currentTree === undefined) {
      const text = this.currentText as string;
      const parsed = tryParseJson(text);
      if (parsed === undefined)
        throw new Error(`a substitution left the snapshot as invalid JSON: ${text.slice(0, 200)}`);
      this.currentTree = parsed;
      this.currentText = undefined;
    }
    return this.currentTree;
  }

  set tree(tree: JsonValue) {
    this.currentTree = tree;
    this.currentText = undefined;
  }

  get text(): string {
    if (this.currentText === undefined) {
      this.currentText = pythonJsonText(this.currentTree as JsonValue);
      this.currentTree = undefined;
    }
    return this.currentText;
  }

  replaceInText(edit: (text: string) => string): void {
    const before = this.text;
    const after = edit(before);
    if (after !== before) this.currentText = after;
  }
}

function applySubstitution(doc: SnapshotDocument, substitution: Substitution): void {
  switch (substitution.kind) {
    case 'regex': {
      const pattern = compilePythonRegex(substitution.regex);
      if (!pattern) return;
      doc.replaceInText((text) =>
        text.replace(pattern, (...match) => expandPythonReplacement(substitution.replacement, match)),
      );
      return;
    }
    case 'jsonpath': {
      const tree = doc.tree;
      const found = JSONPath<{ parent: unknown; parentProperty: string | number; value: JsonValue }[]>({
        path: substitution.jsonpath,
        json: tree,
        resultType: 'all',
        eval: false,
      });
      const originals: JsonValue[] = [];
      for (const hit of found) {
        if (hit.parent === null || typeof hit.parent !== 'object') continue;
        (hit.parent as Record<string | number, JsonValue>)[hit.parentProperty] = substitution.replacement;
        originals.push(hit.value);
      }
      doc.tree = tree;
      if (substitution.replaceReference) replaceReferences(doc, originals, substitution.replacement);
      return;
    }
    case 'key_value': {
      const originals: JsonValue[] = [];
      const tree = doc.tree;
      visitObjects(tree, (object) => {
        if (!(substitution.key in object)) return;
        originals.push(object[substitution.key] as JsonValue);
        object[substitution.key] = substitution.replacement;
      });
      doc.tree = tree;
      if (substitution.replaceReference) replaceReferences(doc, originals, substitution.replacement);
      return;
    }
  }
}

/** `replaceReference`: every other occurrence of a replaced string, anywhere in the text, gets the same token. */
function replaceReferences(doc: SnapshotDocument, originals: readonly JsonValue[], replacement: string): void {
  const strings = [...new Set(originals.filter((value): value is string => typeof value === 'string' && value !== ''))];
  if (strings.length === 0) return;
  doc.replaceInText((text) => {
    let out = text;
    for (const original of strings) out = out.split(escapedContent(original)).join(escapedContent(replacement));
    return out;
  });
}

/** How a string appears inside the serialized document: its JSON literal without the quotes. */
function escapedContent(value: string): string {
  return pythonJsonText(value).slice(1, -1);
}

function visitObjects(value: JsonValue, visit: (object: JsonObject) => void): void {
  if (Array.isArray(value)) for (const item of value) visitObjects(item, visit);
  else if (isJsonObject(value)) {
    visit(value);
    for (const item of Object.values(value)) visitObjects(item, visit);
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID held by a key ending in `id` becomes `<uuid:N>`, and so does every other occurrence of it in the text. */
function replaceUuidIds(doc: SnapshotDocument): void {
  const tokens = new Map<string, string>();
  visitObjects(doc.tree, (object) => {
    for (const [key, value] of Object.entries(object)) {
      if (typeof value !== 'string' || !/id$/i.test(key) || !UUID_PATTERN.test(value)) continue;
      if (!tokens.has(value)) tokens.set(value, `<uuid:${tokens.size + 1}>`);
    }
  });
  if (tokens.size === 0) return;
  doc.replaceInText((text) => {
    let out = text;
    for (const [uuid, token] of tokens) out = out.split(uuid).join(token);
    return out;
  });
}

/**
 * ISO-8601 date-times as the snapshot library recognises them: a full date, `T`, a time with optional fraction and
 * a mandatory zone (`Z` or an offset). Dates without a zone (`2016-12-05T21:29:29`) are not timestamps here, which the
 * corpus's error messages confirm.
 */
export const ISO_8601_PATTERN =
  /[1-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)/g;

/** Rejects days a month does not have (`2023-02-30`), which the pattern alone lets through. */
function isCalendarValid(timestamp: string): boolean {
  const year = Number(timestamp.slice(0, 4));
  const month = Number(timestamp.slice(5, 7));
  const day = Number(timestamp.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The last default: a value under a `…timestamp…` key that was not an ISO timestamp (now `date`) becomes `timestamp`. */
function replaceNonIsoTimestampKeys(tree: JsonValue): void {
  visitObjects(tree, (object) => {
    for (const [key, value] of Object.entries(object)) {
      if (!/timestamp/i.test(key) || value === 'date') continue;
      if (typeof value === 'string' || typeof value === 'number') object[key] = 'timestamp';
    }
  });
}

/**
 * Python `re` syntax the corpus uses, in JavaScript form: named groups `(?P<x>…)`/`(?P=x)` and `\A`/`\Z`. Returns
 * undefined for a pattern JavaScript cannot compile (reported by the caller as a normalization problem would be
 * noise: the substitution simply does not apply).
 */
export function compilePythonRegex(pattern: string): RegExp | undefined {
  const source = pattern
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return new RegExp(source, 'g');
  } catch {
    return undefined;
  }
}

/**
 * Expands a Python `re.sub` replacement: `\1` and `\g<name>` insert groups, `\\` is a backslash, `\n`/`\t`/`\r` are
 * control characters; any other backslash stays as written (Python leaves `\"` alone, and the corpus relies on it).
 * `$` has no special meaning, unlike in JavaScript replacement strings.
 */
export function expandPythonReplacement(replacement: string, match: readonly unknown[]): string {
  // String.prototype.replace passes (match, ...groups, offset, input, namedGroups?): the offset is the first number.
  const offsetIndex = match.findIndex((item, index) => index > 0 && typeof item === 'number');
  const groups = match.slice(0, offsetIndex < 0 ? match.length : offsetIndex);
  const last = match[match.length - 1];
  const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
  const group = (reference: string): string => {
    const value = /^\d+$/.test(reference) ? groups[Number(reference)] : named[reference];
    return typeof value === 'string' ? value : '';
  };
  return replacement.replace(
    /\\(?:g<(\w+)>|(\d{1,2})|(.))/gs,
    (whole, name?: string, number?: string, char?: string) => {
      if (name !== undefined) return group(name);
      if (number !== undefined) return group(number);
      const control: Record<string, string> = { '\\': '\\', n: '\n', t: '\t', r: '\r' };
      return (char !== undefined ? control[char] : undefined) ?? whole;
    },
  );
}

/**
 * The literal text a regex substitution matched, when the pattern is a plain name (`exec0001`,
 * `state.machine_uid00001`). A `.` is taken literally: the tests built these patterns from names, not wildcards.
 */
function literalOfRegex(pattern: string): string | undefined {
  const unescaped = pattern.replace(/\\([.\-/:])/g, '$1');
  return /^[\w.\-/:@]+$/.test(unescaped) ? unescaped : undefined;
}
