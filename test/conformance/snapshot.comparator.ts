import type { JsonValue } from '@lib/asl';
import { isJsonObject } from './json.guards';

/** One difference between an expected and an actual (normalized) value. */
export interface Mismatch {
  /** JSONPath-like location, e.g. `$.output.items[2]`. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly reason: string;
}

/**
 * Placeholders the corpus could not rebuild (README step 4): any `<…>` token, and the literal
 * `RandomNumberGenerated`. Each is a variable: it matches any actual value, but the same token must always stand for
 * the same value.
 */
const TOKEN_SOURCE = '<[^<>\\s"]+>';
const WILDCARD_LITERALS = new Set(['RandomNumberGenerated']);

/** The values the tokens of one comparison stood for; share one across fields that must agree. */
export class TokenBindings {
  private readonly values = new Map<string, JsonValue>();

  get(token: string): JsonValue | undefined {
    return this.values.get(token);
  }

  set(token: string, value: JsonValue): void {
    this.values.set(token, value);
  }

  /** A copy, so a failed tentative match (e.g. trying one recorded invocation) leaves no bindings behind. */
  fork(): TokenBindings {
    const copy = new TokenBindings();
    for (const [token, value] of this.values) copy.set(token, value);
    return copy;
  }

  /** Takes over the bindings of a fork that matched. */
  adopt(other: TokenBindings): void {
    for (const [token, value] of other.values) this.values.set(token, value);
  }
}

/**
 * Compares an expected snapshot value with an actual one that went through the same normalization. Objects are
 * compared without regard to key order (the snapshot tool sorted keys); arrays in order. Returns the mismatches
 * found, at most `limit` of them (empty means equal).
 */
export function compareSnapshots(
  expected: unknown,
  actual: unknown,
  bindings: TokenBindings = new TokenBindings(),
  options: CompareOptions = {},
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  compareAt(expected, actual, options.path ?? '$', bindings, mismatches, {
    limit: options.limit ?? 20,
    jsonTextByValue: options.jsonTextByValue ?? false,
  });
  return mismatches;
}

/** How {@link compareSnapshots} compares. */
export interface CompareOptions {
  /** Where `expected` sits, for the mismatch paths (default `$`). */
  readonly path?: string;
  /** Stop after this many mismatches (default 20). */
  readonly limit?: number;
  /**
   * Compare JSON text by the value it encodes: `"[1, 2]"` equals `"[1,2]"` and `[1, 2]`. For history details, where
   * AWS keeps the caller's formatting and some tests parsed payloads the corpus does not record; never for the result.
   */
  readonly jsonTextByValue?: boolean;
}

interface Walk {
  readonly limit: number;
  readonly jsonTextByValue: boolean;
}

function compareAt(
  expected: unknown,
  actual: unknown,
  path: string,
  bindings: TokenBindings,
  out: Mismatch[],
  walk: Walk,
): void {
  const limit = walk.limit;
  if (out.length >= limit) return;
  const fail = (reason: string): void =>
    void out.push({ path, expected: preview(expected), actual: preview(actual), reason });

  if (walk.jsonTextByValue && (typeof expected === 'string' || typeof actual === 'string') && expected !== actual) {
    const wanted = typeof expected === 'string' ? parseJsonText(expected) : { value: expected };
    const got = typeof actual === 'string' ? parseJsonText(actual) : { value: actual };
    if (wanted && got && (typeof wanted.value !== 'string' || typeof got.value !== 'string')) {
      return compareAt(wanted.value, got.value, path, bindings, out, walk);
    }
  }
  if (typeof expected === 'string' && (WILDCARD_LITERALS.has(expected) || isWholeToken(expected))) {
    if (actual === undefined) return fail('missing');
    const bound = bindings.get(expected);
    if (bound === undefined) bindings.set(expected, actual as JsonValue);
    else if (canonical(bound) !== canonical(actual)) fail(`${expected} already stood for ${preview(bound)}`);
    return;
  }
  if (typeof expected === 'string' && hasToken(expected)) {
    if (typeof actual !== 'string') return fail('expected a string with placeholders');
    if (!matchTemplate(expected, actual, bindings)) fail('string does not fit the placeholder pattern');
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (expected !== actual) fail(actual === undefined ? 'missing' : 'different value');
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return fail('expected an array');
    if (expected.length !== actual.length) fail(`expected ${expected.length} items, got ${actual.length}`);
    const common = Math.min(expected.length, actual.length);
    for (let i = 0; i < common; i++) compareAt(expected[i], actual[i], `${path}[${i}]`, bindings, out, walk);
    return;
  }
  if (!isJsonObject(actual as JsonValue)) return fail('expected an object');
  const actualObject = actual as Record<string, unknown>;
  const expectedObject = expected as Record<string, unknown>;
  // Expected keys in sorted order, so diffs read the same from run to run whatever order the engine emits.
  for (const key of Object.keys(expectedObject).sort()) {
    const childPath = `${path}.${key}`;
    if (!(key in actualObject)) {
      if (out.length < limit)
        out.push({ path: childPath, expected: preview(expectedObject[key]), actual: undefined, reason: 'missing key' });
      continue;
    }
    compareAt(expectedObject[key], actualObject[key], childPath, bindings, out, walk);
  }
  for (const key of Object.keys(actualObject).sort()) {
    if (key in expectedObject || out.length >= limit) continue;
    out.push({
      path: `${path}.${key}`,
      expected: undefined,
      actual: preview(actualObject[key]),
      reason: 'unexpected key',
    });
  }
}

/** The value of JSON text, or undefined when it is not JSON. */
function parseJsonText(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

// Fresh RegExp objects each time: a shared global one carries `lastIndex` from call to call (and into matchAll).
function isWholeToken(text: string): boolean {
  return new RegExp(`^${TOKEN_SOURCE}$`).test(text);
}

function hasToken(text: string): boolean {
  return new RegExp(TOKEN_SOURCE).test(text);
}

/**
 * Matches a string with embedded tokens (`arn:<partition>:states:<region>:…:<ArnPart_0idx>`): literal parts must be
 * equal, tokens already bound must be their value, new tokens capture what is there (the same token twice in one
 * string must capture the same text).
 */
function matchTemplate(template: string, actual: string, bindings: TokenBindings): boolean {
  const fresh: string[] = [];
  let source = '^';
  let last = 0;
  for (const match of template.matchAll(new RegExp(TOKEN_SOURCE, 'g'))) {
    const token = match[0];
    source += escapeRegex(template.slice(last, match.index));
    last = match.index + token.length;
    const bound = bindings.get(token);
    if (bound !== undefined) {
      if (typeof bound !== 'string') return false;
      source += escapeRegex(bound);
    } else if (fresh.includes(token)) {
      source += `\\${fresh.indexOf(token) + 1}`;
    } else {
      fresh.push(token);
      source += '([\\s\\S]*?)';
    }
  }
  source += `${escapeRegex(template.slice(last))}$`;
  const match = new RegExp(source).exec(actual);
  if (!match) return false;
  fresh.forEach((token, index) => bindings.set(token, match[index + 1] ?? ''));
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Key-order-independent text of a value, for comparing what a token is bound to. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Mismatch values are cut short so a report with a thousand failures stays readable. */
function preview(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= 300) return value;
  return `${text.slice(0, 300)}… (${text.length} chars)`;
}
