import type { JsonObject, JsonValue } from '@lib/asl';

/**
 * True for a plain JSON object. Kept local (not imported from `@lib/asl` at run time) so the normalizer and comparator
 * and their specs load even while the engine under test does not build.
 */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
