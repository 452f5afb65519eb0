import { base64DecodeUtf8 } from '../base64';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';
import { BASE64_MAX_INPUT_CHARS } from './states-base64-encode.intrinsic';

/** `States.Base64Decode(encoded)`: the UTF-8 text that Base64 `encoded` holds. */
export const statesBase64Decode: IntrinsicFunctionDefinition = {
  name: 'States.Base64Decode',
  parameters: [{ name: 'base64', type: 'string' }],
  evaluate: ([data]) => {
    const encoded = data as string;
    if (encoded.length > BASE64_MAX_INPUT_CHARS) {
      throw intrinsicError(
        'States.Base64Decode',
        `the input has ${encoded.length} characters; at most ${BASE64_MAX_INPUT_CHARS} are allowed`,
      );
    }
    const text = base64DecodeUtf8(encoded);
    if (text === undefined)
      throw intrinsicError('States.Base64Decode', `the input is not valid Base64: ${JSON.stringify(encoded)}`);
    return text;
  },
};
