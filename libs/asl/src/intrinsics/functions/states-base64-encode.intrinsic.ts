import { base64EncodeUtf8 } from '../base64';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/** "You can use … up to 10,000 characters" (AWS, States.Base64Encode and States.Base64Decode). */
export const BASE64_MAX_INPUT_CHARS = 10_000;

/** `States.Base64Encode(text)`: Base64 of the UTF-8 bytes of `text`. */
export const statesBase64Encode: IntrinsicFunctionDefinition = {
  name: 'States.Base64Encode',
  parameters: [{ name: 'data', type: 'string' }],
  evaluate: ([data]) => {
    const text = data as string;
    if (text.length > BASE64_MAX_INPUT_CHARS) {
      throw intrinsicError(
        'States.Base64Encode',
        `the input has ${text.length} characters; at most ${BASE64_MAX_INPUT_CHARS} are allowed`,
      );
    }
    return base64EncodeUtf8(text);
  },
};
