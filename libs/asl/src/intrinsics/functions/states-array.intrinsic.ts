import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.Array(value…)`: "a JSON array containing the Values of the arguments, in the order provided" (ASL spec). */
export const statesArray: IntrinsicFunctionDefinition = {
  name: 'States.Array',
  parameters: [],
  rest: { name: 'value', type: 'any' },
  evaluate: (values) => [...values],
};
