import { hexDigest, isDigestAlgorithm, listDigestAlgorithms } from '../../digest/message-digest';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/** "The data … can contain up to 10,000 characters" (AWS, States.Hash). */
export const HASH_MAX_INPUT_CHARS = 10_000;

const algorithmNames = listDigestAlgorithms().join(', ');

/** `States.Hash(data, algorithm)`: the lower-case hex digest of the UTF-8 bytes of `data`. */
export const statesHash: IntrinsicFunctionDefinition = {
  name: 'States.Hash',
  parameters: [
    { name: 'data', type: 'string' },
    { name: 'hashAlgorithm', type: 'string' },
  ],
  checkLiterals: ([, algorithm]) =>
    typeof algorithm === 'string' && !isDigestAlgorithm(algorithm)
      ? `unknown hash algorithm '${algorithm}'; use one of ${algorithmNames}`
      : undefined,
  evaluate: ([data, algorithm]) => {
    const text = data as string;
    const name = algorithm as string;
    if (!isDigestAlgorithm(name)) {
      throw intrinsicError('States.Hash', `unknown hash algorithm '${name}'; use one of ${algorithmNames}`);
    }
    if (text.length > HASH_MAX_INPUT_CHARS) {
      throw intrinsicError(
        'States.Hash',
        `the data has ${text.length} characters; at most ${HASH_MAX_INPUT_CHARS} are allowed`,
      );
    }
    return hexDigest(name, text);
  },
};
