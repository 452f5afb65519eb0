import { intrinsicError, type IntrinsicFunctionDefinition, roundHalfUp } from '../intrinsic-function';

/** "The array can contain up to 1000 items" (AWS, States.ArrayRange). */
export const ARRAY_RANGE_MAX_ITEMS = 1000;

/**
 * `States.ArrayRange(first, last, step)`: `first`, `first + step`, … up to and including `last` when the steps
 * land on it: (0, 10, 3) gives [0, 3, 6, 9] (corpus: array.array_range__*). Non-integers are rounded as MathAdd
 * rounds them.
 */
export const statesArrayRange: IntrinsicFunctionDefinition = {
  name: 'States.ArrayRange',
  parameters: [
    { name: 'first', type: 'number' },
    { name: 'last', type: 'number' },
    { name: 'step', type: 'number' },
  ],
  evaluate: (args) => {
    const [first, last, step] = args.map((n) => roundHalfUp(n as number)) as [number, number, number];
    if (step === 0) throw intrinsicError('States.ArrayRange', 'the step must not be 0');
    const count = Math.max(0, Math.floor((last - first) / step) + 1);
    if (count > ARRAY_RANGE_MAX_ITEMS) {
      throw intrinsicError(
        'States.ArrayRange',
        `the range has ${count} items; at most ${ARRAY_RANGE_MAX_ITEMS} are allowed`,
      );
    }
    return Array.from({ length: count }, (_, i) => first + i * step);
  },
};
