import type { JsonObject, JsonValue } from '../json';

/** Where a JSON syntax error is, 1-based like an editor shows it. */
export interface JsonTextPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The outcome of {@link parseJsonText}. */
export type JsonTextParseResult =
  | {
      readonly ok: true;
      readonly value: JsonValue;
      /** Path segments (from the root) of every key that repeats an earlier key of the same object. */
      readonly duplicateKeys: readonly (readonly (string | number)[])[];
    }
  | { readonly ok: false; readonly message: string; readonly position: JsonTextPosition };

class JsonTextSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// One JSON string token: the regex only finds its extent, JSON.parse then decodes the escapes.
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings; the class excludes them
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Parses JSON text like JSON.parse, but reports the line and column of a syntax error (JSON.parse messages differ
 * between Node versions and do not always carry a position) and lists duplicate keys, which JSON.parse silently
 * resolves by keeping the last one — a definition with two states of the same name would lose one without a word.
 */
export function parseJsonText(text: string): JsonTextParseResult {
  const duplicateKeys: (string | number)[][] = [];
  const path: (string | number)[] = [];
  let index = 0;

  const skipWhitespace = (): void => {
    while (index < text.length) {
      const char = text.charCodeAt(index);
      if (char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d) index++;
      else break;
    }
  };

  const describeHere = (): string => {
    if (index >= text.length) return 'unexpected end of input';
    const char = text.codePointAt(index) ?? 0;
    return `unexpected character ${JSON.stringify(String.fromCodePoint(char))}`;
  };

  const parseString = (): string => {
    STRING.lastIndex = index;
    const match = STRING.exec(text);
    if (!match) {
      // Find the precise culprit so the position points at it rather than at the opening quote.
      let cursor = index + 1;
      while (cursor < text.length) {
        const char = text.charCodeAt(cursor);
        if (char === 0x22) break;
        if (char < 0x20) throw new JsonTextSyntaxError('control character in string (escape it)', cursor);
        if (char === 0x5c) {
          const next = text[cursor + 1];
          if (next === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(cursor + 2, cursor + 6))) {
              throw new JsonTextSyntaxError('invalid \\u escape in string', cursor);
            }
            cursor += 6;
            continue;
          }
          if (next === undefined || !'"\\/bfnrt'.includes(next)) {
            throw new JsonTextSyntaxError('invalid escape sequence in string', cursor);
          }
          cursor += 2;
          continue;
        }
        cursor++;
      }
      throw new JsonTextSyntaxError('unterminated string', index);
    }
    index += match[0].length;
    return JSON.parse(match[0]) as string;
  };

  const parseValue = (): JsonValue => {
    skipWhitespace();
    const char = text[index];
    switch (char) {
      case undefined:
        throw new JsonTextSyntaxError(describeHere(), index);
      case '{':
        return parseObject();
      case '[':
        return parseArray();
      case '"':
        return parseString();
      case 't':
      case 'f':
      case 'n': {
        for (const [word, value] of [
          ['true', true],
          ['false', false],
          ['null', null],
        ] as const) {
          if (text.startsWith(word, index)) {
            index += word.length;
            return value;
          }
        }
        throw new JsonTextSyntaxError(describeHere(), index);
      }
      default: {
        NUMBER.lastIndex = index;
        const match = NUMBER.exec(text);
        if (!match) throw new JsonTextSyntaxError(describeHere(), index);
        index += match[0].length;
        return Number(match[0]);
      }
    }
  };

  const parseObject = (): JsonObject => {
    const result: JsonObject = {};
    const seen = new Set<string>();
    index++;
    skipWhitespace();
    if (text[index] === '}') {
      index++;
      return result;
    }
    for (;;) {
      skipWhitespace();
      if (text[index] !== '"') throw new JsonTextSyntaxError(`${describeHere()}, expected a quoted key`, index);
      const key = parseString();
      skipWhitespace();
      if (text[index] !== ':') throw new JsonTextSyntaxError(`${describeHere()}, expected ':'`, index);
      index++;
      path.push(key);
      if (seen.has(key)) duplicateKeys.push([...path]);
      seen.add(key);
      const value = parseValue();
      path.pop();
      // defineProperty keeps "__proto__" an ordinary key, as JSON.parse does.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      skipWhitespace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === '}') {
        index++;
        return result;
      }
      throw new JsonTextSyntaxError(`${describeHere()}, expected ',' or '}'`, index);
    }
  };

  const parseArray = (): JsonValue[] => {
    const result: JsonValue[] = [];
    index++;
    skipWhitespace();
    if (text[index] === ']') {
      index++;
      return result;
    }
    for (;;) {
      path.push(result.length);
      result.push(parseValue());
      path.pop();
      skipWhitespace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === ']') {
        index++;
        return result;
      }
      throw new JsonTextSyntaxError(`${describeHere()}, expected ',' or ']'`, index);
    }
  };

  try {
    // A byte-order mark is not JSON, but editors add it and it carries no meaning.
    if (text.charCodeAt(0) === 0xfeff) index = 1;
    skipWhitespace();
    if (index >= text.length) throw new JsonTextSyntaxError('the text is empty', index);
    const value = parseValue();
    skipWhitespace();
    if (index < text.length) throw new JsonTextSyntaxError(`${describeHere()} after the end of the JSON value`, index);
    return { ok: true, value, duplicateKeys };
  } catch (error) {
    if (!(error instanceof JsonTextSyntaxError)) throw error;
    return { ok: false, message: error.message, position: positionOf(text, error.offset) };
  }
}

function positionOf(text: string, offset: number): JsonTextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
