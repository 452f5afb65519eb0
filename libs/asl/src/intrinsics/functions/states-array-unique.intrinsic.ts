import type { JsonValue } from '../../json';
import { canonicalJson } from '../../paths/json-value-equals';
import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/** `States.ArrayUnique(array)`: the items without repeats, each kept where it first appears; equality is structural. */
export const statesArrayUnique: IntrinsicFunctionDefinition = {
  name: 'States.ArrayUnique',
  parameters: [{ name: 'array', type: 'array' }],
  evaluate: ([array]) => {
    const seen = new Set<string>();
    return (array as JsonValue[]).filter((item) => {
      const key = canonicalJson(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};
