import type { JsonValue } from '@lib/asl';
import { isJsonObject } from './json.guards';

/**
 * JSON text the way Python's `json.dumps` writes it by default: `", "` and `": "` separators and every non-ASCII
 * character escaped (`ensure_ascii`). The corpus was recorded by Python tests: their inputs, Lambda error payloads and
 * the snapshot text the substitutions ran on all had this shape, so reproducing it keeps regexes and byte counts
 * faithful.
 */
export function pythonJsonText(value: JsonValue, options: { readonly sortKeys?: boolean } = {}): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonText(item, options)).join(', ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (options.sortKeys) keys.sort(compareCodePoints);
    return `{${keys.map((key) => `${pythonJsonString(key)}: ${pythonJsonText(value[key] as JsonValue, options)}`).join(', ')}}`;
  }
  return 'null';
}

/** A JSON string literal with Python's escapes: lowercase `\u00e9` for anything outside printable ASCII. */
export function pythonJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i] as string;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\b') out += '\\b';
    else if (char === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Python orders strings by code point; for the Basic Multilingual Plane that is UTF-16 code-unit order. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
