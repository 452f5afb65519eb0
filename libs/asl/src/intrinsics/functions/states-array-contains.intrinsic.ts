import type { JsonValue } from '../../json';
import { jsonValueEquals } from '../../paths/json-value-equals';
import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/**
 * `States.ArrayContains(array, value)`: whether an item equals `value`, structurally: `[[1,2,3],2]` contains
 * `[1,2,3]`, `[{"1":2,"2":[]}]` contains `{"1":2,"2":[]}` (corpus: array.array_contains__4 and __6).
 */
export const statesArrayContains: IntrinsicFunctionDefinition = {
  name: 'States.ArrayContains',
  parameters: [
    { name: 'array', type: 'array' },
    { name: 'value', type: 'any' },
  ],
  evaluate: ([array, value]) => (array as JsonValue[]).some((item) => jsonValueEquals(item, value as JsonValue)),
};
