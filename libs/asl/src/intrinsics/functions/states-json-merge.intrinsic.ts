import type { JsonObject } from '../../json';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/**
 * `States.JsonMerge(json1, json2, false)`: "Currently, Step Functions only supports the shallow merging mode;
 * therefore, you must specify the boolean value as false. In the shallow mode, if the same key exists in both JSON
 * objects, the latter object's key overrides the same key in the first object." (AWS, States.JsonMerge)
 */
export const statesJsonMerge: IntrinsicFunctionDefinition = {
  name: 'States.JsonMerge',
  parameters: [
    { name: 'json1', type: 'object' },
    { name: 'json2', type: 'object' },
    { name: 'deepMerge', type: 'boolean' },
  ],
  evaluate: ([first, second, deep]) => {
    if (deep === true)
      throw intrinsicError('States.JsonMerge', 'only the shallow merge is supported: the third argument must be false');
    // Spreading defines own properties, so a "__proto__" key is copied as data, never as a prototype.
    return { ...(first as JsonObject), ...(second as JsonObject) };
  },
};
