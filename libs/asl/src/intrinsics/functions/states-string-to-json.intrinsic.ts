import type { JsonValue } from '../../json';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/**
 * `States.StringToJson(text)`: the JSON value `text` holds. AWS answers `null` for an empty or blank string
 * rather than failing (corpus: json_manipulation.string_to_json__0 and __1), and `0` for `"-0"` (__3).
 */
export const statesStringToJson: IntrinsicFunctionDefinition = {
  name: 'States.StringToJson',
  parameters: [{ name: 'jsonString', type: 'string' }],
  evaluate: ([text]) => {
    const source = text as string;
    if (source.trim() === '') return null;
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(source) as JsonValue;
    } catch {
      throw intrinsicError('States.StringToJson', `the argument is not valid JSON text: ${JSON.stringify(source)}`);
    }
    return Object.is(parsed, -0) ? 0 : parsed;
  },
};
