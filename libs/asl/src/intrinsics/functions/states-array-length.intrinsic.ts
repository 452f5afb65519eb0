import type { JsonValue } from '../../json';
import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.ArrayLength(array)`: the number of items. */
export const statesArrayLength: IntrinsicFunctionDefinition = {
  name: 'States.ArrayLength',
  parameters: [{ name: 'array', type: 'array' }],
  evaluate: ([array]) => (array as JsonValue[]).length,
};
