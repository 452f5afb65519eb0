import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.JsonToString(value)`: compact JSON text, keys in their order (corpus: json_manipulation.json_to_string__*). */
export const statesJsonToString: IntrinsicFunctionDefinition = {
  name: 'States.JsonToString',
  parameters: [{ name: 'value', type: 'any' }],
  evaluate: ([value]) => JSON.stringify(value),
};
