import type { JsonValue } from '../../json';
import { intrinsicError, type IntrinsicFunctionDefinition, roundHalfUp } from '../intrinsic-function';

/** `States.ArrayPartition(array, chunkSize)`: consecutive chunks of `chunkSize` items, the last one shorter. */
export const statesArrayPartition: IntrinsicFunctionDefinition = {
  name: 'States.ArrayPartition',
  parameters: [
    { name: 'array', type: 'array' },
    { name: 'chunkSize', type: 'number' },
  ],
  evaluate: ([array, chunkSize]) => {
    const items = array as JsonValue[];
    const size = roundHalfUp(chunkSize as number);
    if (size <= 0)
      throw intrinsicError('States.ArrayPartition', `the chunk size must be a positive integer, got ${chunkSize}`);
    const chunks: JsonValue[] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  },
};
