import type { JsonValue } from '../../json';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.ArrayGetItem(array, index)`: the item at a zero-based index. */
export const statesArrayGetItem: IntrinsicFunctionDefinition = {
  name: 'States.ArrayGetItem',
  parameters: [
    { name: 'array', type: 'array' },
    { name: 'index', type: 'number' },
  ],
  evaluate: ([array, index]) => {
    const items = array as JsonValue[];
    const i = index as number;
    if (!Number.isInteger(i) || i < 0)
      throw intrinsicError('States.ArrayGetItem', `the index must be a non-negative integer, got ${i}`);
    if (i >= items.length)
      throw intrinsicError('States.ArrayGetItem', `index ${i} is out of bounds for an array of length ${items.length}`);
    return items[i] as JsonValue;
  },
};
