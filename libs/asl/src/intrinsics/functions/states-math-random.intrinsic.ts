import { JavaRandom } from '../java-random';
import { intrinsicError, type IntrinsicFunctionDefinition, roundHalfUp } from '../intrinsic-function';

/**
 * `States.MathRandom(start, end[, seed])`: a random integer from `start` (inclusive) to `end` (exclusive).
 * "If you specify a non-integer value for the start number or end number argument, Step Functions will round it
 * off to the nearest integer" (AWS). With a seed the draw is that of Java's `new Random(seed).nextInt(end - start)`:
 * the same seed always gives the same number. Without one the number comes from the injected random port.
 */
export const statesMathRandom: IntrinsicFunctionDefinition = {
  name: 'States.MathRandom',
  parameters: [
    { name: 'start', type: 'number' },
    { name: 'end', type: 'number' },
    { name: 'seed', type: 'number' },
  ],
  optional: 1,
  evaluate: ([start, end, seed], { ports }) => {
    const low = roundHalfUp(start as number);
    const high = roundHalfUp(end as number);
    const span = high - low;
    if (span <= 0 || span > 0x7fffffff) {
      throw intrinsicError(
        'States.MathRandom',
        `the end (${high}) must be greater than the start (${low}), by at most 2147483647`,
      );
    }
    if (seed !== undefined) return low + new JavaRandom(seed as number).nextInt(span);
    return low + Math.min(span - 1, Math.floor(ports.random() * span));
  },
};
