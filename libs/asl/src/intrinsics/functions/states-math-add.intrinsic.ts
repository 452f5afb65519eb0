import { type IntrinsicFunctionDefinition, roundHalfUp } from '../intrinsic-function';

/**
 * `States.MathAdd(value1, value2)`: each argument is rounded to the nearest integer first, halves up, then the two
 * are added: 1.5 + 1.51 = 2 + 2 = 4, not round(3.01); -0.5 + 0.5 = 0 + 1 = 1 (corpus: math_operations.math_add__*).
 */
export const statesMathAdd: IntrinsicFunctionDefinition = {
  name: 'States.MathAdd',
  parameters: [
    { name: 'value1', type: 'number' },
    { name: 'value2', type: 'number' },
  ],
  evaluate: ([a, b]) => roundHalfUp(a as number) + roundHalfUp(b as number),
};
