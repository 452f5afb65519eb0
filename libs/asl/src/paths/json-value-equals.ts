import { isJsonObject, type JsonValue } from '../json';

/**
 * Structural equality of two JSON values: same type, same scalars, arrays equal element by element in order, objects
 * with the same keys (in any order) and equal values. `1` and `1.0` are one number in JSON and here.
 */
export function jsonValueEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonValueEquals(a[i] as JsonValue, b[i] as JsonValue)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !jsonValueEquals(a[key] as JsonValue, b[key] as JsonValue)) return false;
    }
    return true;
  }
  return false;
}

/**
 * A string that is equal for two values exactly when {@link jsonValueEquals} holds: JSON text with object keys
 * sorted. It lets a set of values be deduplicated in linear time.
 */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
