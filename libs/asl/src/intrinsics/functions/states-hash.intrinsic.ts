import { md5Hex } from '../hash/md5';
import { sha1Hex } from '../hash/sha1';
import { sha256Hex } from '../hash/sha256';
import { sha384Hex, sha512Hex } from '../hash/sha512';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/** The algorithms AWS accepts, by the names it accepts. */
export const HASH_ALGORITHMS: Readonly<Record<string, (message: Uint8Array) => string>> = {
  MD5: md5Hex,
  'SHA-1': sha1Hex,
  'SHA-256': sha256Hex,
  'SHA-384': sha384Hex,
  'SHA-512': sha512Hex,
};

/** "The data … can contain up to 10,000 characters" (AWS, States.Hash). */
export const HASH_MAX_INPUT_CHARS = 10_000;

const algorithmNames = Object.keys(HASH_ALGORITHMS).join(', ');

/** `States.Hash(data, algorithm)`: the lower-case hex digest of the UTF-8 bytes of `data`. */
export const statesHash: IntrinsicFunctionDefinition = {
  name: 'States.Hash',
  parameters: [
    { name: 'data', type: 'string' },
    { name: 'hashAlgorithm', type: 'string' },
  ],
  checkLiterals: ([, algorithm]) =>
    typeof algorithm === 'string' && !Object.hasOwn(HASH_ALGORITHMS, algorithm)
      ? `unknown hash algorithm '${algorithm}'; use one of ${algorithmNames}`
      : undefined,
  evaluate: ([data, algorithm]) => {
    const text = data as string;
    const name = algorithm as string;
    const digest = Object.hasOwn(HASH_ALGORITHMS, name) ? HASH_ALGORITHMS[name] : undefined;
    if (digest === undefined)
      throw intrinsicError('States.Hash', `unknown hash algorithm '${name}'; use one of ${algorithmNames}`);
    if (text.length > HASH_MAX_INPUT_CHARS) {
      throw intrinsicError(
        'States.Hash',
        `the data has ${text.length} characters; at most ${HASH_MAX_INPUT_CHARS} are allowed`,
      );
    }
    return digest(new TextEncoder().encode(text));
  },
};
