import { isJsonObject, type JsonValue } from '../../json';
import { intrinsicError, type IntrinsicFunctionDefinition } from '../intrinsic-function';

/**
 * `States.Format(template, value…)`: "The Value of the first argument must be a string, and may include zero or
 * more instances of the character sequence `{}`. There must be as many remaining arguments in the Invocation as there
 * are occurrences of `{}`." (ASL spec, Intrinsic Functions)
 */
export const statesFormat: IntrinsicFunctionDefinition = {
  name: 'States.Format',
  parameters: [{ name: 'template', type: 'string' }],
  rest: { name: 'value', type: 'any' },
  checkLiterals: (_literals, placeholderCounts) => {
    const count = placeholderCounts[0];
    const values = placeholderCounts.length - 1;
    if (count !== undefined && count !== values) {
      return `the template has ${count} placeholder(s) '{}' but ${values} value(s) follow it`;
    }
    return undefined;
  },
  evaluate: ([template, ...values], { templatePlaceholders }) => {
    const text = template as string;
    const offsets = templatePlaceholders ?? placeholderOffsets(text);
    if (offsets.length !== values.length) {
      throw intrinsicError(
        'States.Format',
        `the template has ${offsets.length} placeholder(s) '{}' but ${values.length} value(s) were given`,
      );
    }
    let out = '';
    let from = 0;
    offsets.forEach((offset, i) => {
      out += text.slice(from, offset) + formatValue(values[i] as JsonValue);
      from = offset + 2;
    });
    return out + text.slice(from);
  },
};

/** Where `{}` occurs in a template read at run time, where every `{}` is a placeholder. */
export function placeholderOffsets(template: string): number[] {
  const offsets: number[] = [];
  for (let i = template.indexOf('{}'); i >= 0; i = template.indexOf('{}', i + 2)) offsets.push(i);
  return offsets;
}

/**
 * How Format prints a value: strings as they are, other scalars as JSON, and containers the way Java prints its
 * lists and maps — `{Arg1=1, Arg2=[]}` for `{"Arg1": 1, "Arg2": []}` (corpus: generic.format_2__7 and
 * generic.context_json_path, where `$$.StateMachine` prints as `{Id=arn:…, Name=…}`).
 */
export function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .map((key) => `${key}=${formatValue(value[key] as JsonValue)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
