import { describe, expect, it } from 'vitest';
import { INTRINSIC_FUNCTIONS } from './intrinsic-functions';
import { type IntrinsicCall, IntrinsicSyntaxError, isIntrinsicCall, parseIntrinsicCall } from './intrinsic-parser';

function syntaxError(text: string): string {
  try {
    parseIntrinsicCall(text);
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) return e.message;
    throw e;
  }
  throw new Error(`${text} parsed`);
}

describe(parseIntrinsicCall.name, () => {
  it('parses literals, paths and nested calls into a tree', () => {
    const call = parseIntrinsicCall(
      "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength($list), -1))",
    );
    expect(call).toEqual<IntrinsicCall>({
      kind: 'call',
      name: 'States.ArrayGetItem',
      args: [
        {
          kind: 'call',
          name: 'States.StringSplit',
          args: [
            { kind: 'path', path: '$$.StateMachine.Name' },
            { kind: 'string', value: '-' },
          ],
        },
        {
          kind: 'call',
          name: 'States.MathAdd',
          args: [
            { kind: 'call', name: 'States.ArrayLength', args: [{ kind: 'path', path: '$list' }] },
            { kind: 'number', value: -1 },
          ],
        },
      ],
    });
  });

  it('reads every literal kind and ignores blanks between tokens', () => {
    expect(parseIntrinsicCall(" States.Array( 'a' ,1.5e2, true,false , null, $.x )").args).toEqual([
      { kind: 'string', value: 'a' },
      { kind: 'number', value: 150 },
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
      { kind: 'null' },
      { kind: 'path', path: '$.x' },
    ]);
  });

  it('keeps commas, parentheses and blanks that sit inside a path', () => {
    expect(parseIntrinsicCall("States.Array($['a, b)'], $.l[?(@.v == ')')], $)").args).toEqual([
      { kind: 'path', path: "$['a, b)']" },
      { kind: 'path', path: "$.l[?(@.v == ')')]" },
      { kind: 'path', path: '$' },
    ]);
  });

  it("decodes \\', \\{, \\} and \\\\ in strings and keeps unescaped braces (corpus: json_merge_escaped_argument)", () => {
    expect(parseIntrinsicCall("States.Array('it\\'s \\\\ here')").args[0]).toEqual({
      kind: 'string',
      value: "it's \\ here",
    });
    expect(parseIntrinsicCall('States.StringToJson(\'{"constant_in_literal": "false"}\')').args[0]).toEqual({
      kind: 'string',
      value: '{"constant_in_literal": "false"}',
    });
  });

  it('records where the real placeholders are when a template escapes braces', () => {
    const [template] = parseIntrinsicCall("States.Format('\\{}: {} \\{\\}', $.v)").args;
    expect(template).toEqual({ kind: 'string', value: '{}: {} {}', placeholderOffsets: [4] });
  });

  it('keeps real newlines inside a string (corpus: generic.escape_sequence)', () => {
    expect(parseIntrinsicCall("States.StringSplit('Hello\nWorld', '\n')").args).toEqual([
      { kind: 'string', value: 'Hello\nWorld' },
      { kind: 'string', value: '\n' },
    ]);
  });

  it('knows all 18 functions', () => {
    expect([...INTRINSIC_FUNCTIONS.keys()].sort()).toEqual(
      [
        'States.Array',
        'States.ArrayContains',
        'States.ArrayGetItem',
        'States.ArrayLength',
        'States.ArrayPartition',
        'States.ArrayRange',
        'States.ArrayUnique',
        'States.Base64Decode',
        'States.Base64Encode',
        'States.Format',
        'States.Hash',
        'States.JsonMerge',
        'States.JsonToString',
        'States.MathAdd',
        'States.MathRandom',
        'States.StringSplit',
        'States.StringToJson',
        'States.UUID',
      ].sort(),
    );
  });

  it.each([
    // corpus: validation/base_scenarios.illegal_escapes__ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION(_2), rejected by AWS
    ['States.StringToJson(\'{"text":"An \\"escaped double quote\\" here"}\')', "Invalid escape sequence '\\\"'"],
    ['States.Format(\'He said, \\"Hello, {}!\\"\', \'Test \\"Name\\" Here\')', 'Invalid escape sequence'],
    ["States.Format('a\\nb')", "Invalid escape sequence '\\n'"],
    ["States.Format('open", 'Unterminated string'],
    ['States.Nope(1)', "Unknown intrinsic function 'States.Nope'"],
    ['$.a', 'must start with a function name'],
    ['Format(1)', 'must start with a function name'],
    ['States.MathAdd(1)', 'States.MathAdd takes 2 arguments, but 1 was given'],
    ['States.MathAdd(1, 2, 3)', 'but 3 were given'],
    ['States.MathRandom(1)', 'takes 2 to 3 arguments'],
    ['States.Format()', 'takes at least 1 argument'],
    ['States.UUID(1)', 'takes 0 arguments'],
    ["States.MathAdd('1', 2)", 'argument 1 (value1) must be of type number, but the literal "1" is of type string'],
    ['States.ArrayLength(null)', 'must be of type array'],
    ['States.JsonMerge($.a, $.b, 0)', 'must be of type boolean'],
    ["States.Format('{} and {}', $.a)", "the template has 2 placeholder(s) '{}' but 1 value(s) follow it"],
    ["States.Format('\\{}', $.a)", "has 0 placeholder(s) '{}' but 1 value(s)"],
    ["States.Hash('x', 'SHA-3')", "unknown hash algorithm 'SHA-3'"],
    ['States.Array(1 2)', "Expected ')' but found '2)'"],
    ['States.Array(1,)', 'Unexpected'],
    ['States.Array(1) x', 'Unexpected'],
    ['States.Array($.a[)', 'Invalid path argument'],
    ['States.Array(01)', 'Unexpected'],
    [`${'States.Array('.repeat(70)}${')'.repeat(70)}`, 'nested more than 64 deep'],
  ])('refuses %s', (text, reason) => {
    expect(syntaxError(text)).toContain(reason);
  });
});

describe(isIntrinsicCall.name, () => {
  it('tells a call from a path', () => {
    expect(isIntrinsicCall("States.Format('{}', $.a)")).toBe(true);
    expect(isIntrinsicCall('  States.UUID()')).toBe(true);
    expect(isIntrinsicCall('$.States')).toBe(false);
  });
});
