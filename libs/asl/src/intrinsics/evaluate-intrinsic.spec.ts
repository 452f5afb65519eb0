import { describe, expect, it } from 'vitest';
import { StatesError } from '../errors/states-error';
import type { JsonValue } from '../json';
import { evaluationContextFixture } from '../paths/evaluation-context.fixture';
import { PathNotFoundError } from '../paths/json-path';
import { CORPUS_INTRINSIC_CASES } from './corpus-intrinsic-cases.fixture';
import { evaluateIntrinsic } from './evaluate-intrinsic';
import { parseIntrinsicCall } from './intrinsic-parser';

const context = evaluationContextFixture();

function statesError(call: string, input: JsonValue = {}): StatesError {
  try {
    evaluateIntrinsic(call, input, context);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error(`${call} succeeded`);
}

describe(evaluateIntrinsic.name, () => {
  it.each(CORPUS_INTRINSIC_CASES)('%s: %s gives what AWS gave', (_id, call, input, expected) => {
    expect(evaluateIntrinsic(call, input, context)).toEqual(expected);
  });

  describe('on the context object', () => {
    const contextObject = {
      Execution: {
        Name: 'exec0001',
        Input: {
          FunctionInput: "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n",
        },
      },
      StateMachine: { Id: 'arn:aws:states:us-east-1:111111111111:stateMachine:sm-name', Name: 'sm-name' },
    };
    const withContext = evaluationContextFixture({ contextObject });

    it('prints an object the way Java prints a map (corpus: generic.context_json_path)', () => {
      expect(
        evaluateIntrinsic(
          "States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)",
          {},
          withContext,
        ),
      ).toBe(
        'Formatting arguments fst=exec0001 and snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:sm-name, Name=sm-name}.',
      );
    });

    it('evaluates nested calls inside out (corpus: generic.nested_calls_1 and _2)', () => {
      expect(
        evaluateIntrinsic("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)", {}, withContext),
      ).toBe('sm');
      const last =
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))";
      expect(evaluateIntrinsic(last, {}, withContext)).toBe('name');
    });

    it('splits the execution input (corpus: string_split_context_object)', () => {
      expect(evaluateIntrinsic("States.StringSplit($$.Execution.Input.FunctionInput, ',')", {}, withContext)).toEqual([
        'Value1',
        'Value2',
        'Value3\nValue4',
        'Value5',
        'Value6\n',
        '\ntrue',
        '1',
        "'HelloWorld'\nNull",
        'None',
        '\n   \n',
      ]);
    });

    it('merges a parsed literal with the execution input (corpus: json_merge_escaped_argument)', () => {
      const merge = evaluationContextFixture({
        contextObject: { Execution: { Input: { input_field: { constant_input_field: 'constant_value' } } } },
      });
      const call =
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $$.Execution.Input.input_field, false)';
      expect(evaluateIntrinsic(call, {}, merge)).toEqual({
        constant_in_literal: 'false',
        constant_input_field: 'constant_value',
      });
    });
  });

  it('reads variables (corpus: reference_assign__BASE_REFERENCE_IN_INTRINSIC_FUNCTION)', () => {
    const withVariables = evaluationContextFixture({
      variables: { inputString: 'Hash this string', name: 'John', place: 'LocalStack' },
    });
    expect(evaluateIntrinsic("States.Hash($inputString, 'SHA-256')", {}, withVariables)).toBe(
      '1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e',
    );
    expect(evaluateIntrinsic("States.Format('Hello {}, welcome to {}!', $name, $place)", {}, withVariables)).toBe(
      'Hello John, welcome to LocalStack!',
    );
  });

  it('accepts an already parsed call', () => {
    expect(evaluateIntrinsic(parseIntrinsicCall('States.MathAdd($.a, 2)'), { a: 40 }, context)).toBe(42);
  });

  describe('States.Format', () => {
    it('prints arrays and nested values like Java collections, scalars as JSON', () => {
      const value = { a: [1, 'x', null, true, { b: 1.5 }], c: {} };
      expect(evaluateIntrinsic("States.Format('{}', $.v)", { v: value }, context)).toBe(
        '{a=[1, x, null, true, {b=1.5}], c={}}',
      );
    });

    it('treats escaped braces as text and only unescaped {} as placeholders', () => {
      expect(evaluateIntrinsic("States.Format('\\{}={}', $.v)", { v: 1 }, context)).toBe('{}=1');
    });

    it('fills every {} of a template read from the input', () => {
      expect(evaluateIntrinsic('States.Format($.t, $.a, $.b)', { t: "It's {} and {}!", a: 'x', b: 2 }, context)).toBe(
        "It's x and 2!",
      );
    });

    it('fails when a template from the input has another number of placeholders', () => {
      const error = statesError('States.Format($.t, $.a)', { t: 'none', a: 1 });
      expect(error.error).toBe('States.IntrinsicFailure');
      expect(error.cause).toContain("the template has 0 placeholder(s) '{}' but 1 value(s) were given");
    });
  });

  describe('States.MathRandom', () => {
    it('draws from the random port when unseeded, start inclusive and end exclusive', () => {
      const low = evaluationContextFixture({ randoms: [0] });
      const high = evaluationContextFixture({ randoms: [0.999999] });
      expect(evaluateIntrinsic('States.MathRandom(1, 999)', {}, low)).toBe(1);
      expect(evaluateIntrinsic('States.MathRandom(1, 999)', {}, high)).toBe(998);
      expect(evaluateIntrinsic('States.MathRandom(-99999, -9999)', {}, low)).toBe(-99999);
    });

    it('rounds non-integer bounds (corpus: math_random__0 uses 12.5 and 44.51)', () => {
      const low = evaluationContextFixture({ randoms: [0] });
      expect(evaluateIntrinsic('States.MathRandom(12.5, 44.51)', {}, low)).toBe(13);
    });

    it('gives the same number for the same seed, whatever the port says', () => {
      const a = evaluateIntrinsic('States.MathRandom(0, 999, 3)', {}, evaluationContextFixture({ randoms: [0.1] }));
      const b = evaluateIntrinsic('States.MathRandom(0, 999, 3)', {}, evaluationContextFixture({ randoms: [0.9] }));
      expect(a).toBe(b);
      expect(a).toBe(239); // Java: new Random(3).nextInt(999)
    });

    it('fails when end is not above start', () => {
      expect(statesError('States.MathRandom(5, 5)').cause).toContain('must be greater than the start');
    });
  });

  it('takes UUIDs from the port', () => {
    const uuids = evaluationContextFixture();
    expect(evaluateIntrinsic('States.UUID()', {}, uuids)).toBe('00000000-0000-4000-8000-000000000001');
    expect(evaluateIntrinsic('States.UUID()', {}, uuids)).toBe('00000000-0000-4000-8000-000000000002');
  });

  it.each<[string, JsonValue, string]>([
    [
      'States.ArrayLength($.v)',
      { v: 'abc' },
      'States.ArrayLength: argument 1 (array) must be of type array, but got string: "abc"',
    ],
    ['States.MathAdd($.v, 1)', { v: '1' }, 'argument 1 (value1) must be of type number, but got string'],
    ['States.ArrayGetItem($.v, 3)', { v: [1, 2, 3] }, 'index 3 is out of bounds for an array of length 3'],
    ['States.ArrayGetItem($.v, 0.5)', { v: [1] }, 'non-negative integer'],
    ['States.ArrayPartition($.v, 0)', { v: [1] }, 'chunk size must be a positive integer'],
    ['States.ArrayRange(0, 1000, 1)', {}, 'the range has 1001 items; at most 1000 are allowed'],
    ['States.ArrayRange(0, 10, 0)', {}, 'the step must not be 0'],
    ['States.StringToJson($.v)', { v: '{oops' }, 'not valid JSON text'],
    ['States.Base64Decode($.v)', { v: 'not base64!' }, 'not valid Base64'],
    ['States.Base64Encode($.v)', { v: 'x'.repeat(10_001) }, 'at most 10000'],
    ['States.Hash($.v, $.alg)', { v: 'x', alg: 'SHA-3' }, "unknown hash algorithm 'SHA-3'"],
    ['States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }, 'only the shallow merge is supported'],
    ['States.JsonMerge($.a, $.b, false)', { a: {}, b: [] }, 'argument 2 (json2) must be of type object'],
  ])('%s on %j raises States.IntrinsicFailure', (call, input, cause) => {
    const error = statesError(call, input);
    expect(error.error).toBe('States.IntrinsicFailure');
    expect(error.cause).toContain(cause);
  });

  it('counts ArrayRange downwards with a negative step, and gives [] when the step points away from the end', () => {
    expect(evaluateIntrinsic('States.ArrayRange(10, 0, -4)', {}, context)).toEqual([10, 6, 2]);
    expect(evaluateIntrinsic('States.ArrayRange(1, 0, 1)', {}, context)).toEqual([]);
  });

  it('keeps the first of each repeated value, comparing structurally', () => {
    expect(
      evaluateIntrinsic(
        'States.ArrayUnique($.v)',
        { v: [1, { a: 1, b: 2 }, 1, { b: 2, a: 1 }, [1], [1], '1'] },
        context,
      ),
    ).toEqual([1, { a: 1, b: 2 }, [1], '1']);
  });

  it('lets the PathNotFoundError of an argument through, for the caller to word', () => {
    expect(() => evaluateIntrinsic("States.Format('{}', $.missing)", {}, context)).toThrow(PathNotFoundError);
  });

  it('raises States.Runtime for text that is not a call', () => {
    expect(statesError('States.MathAdd(1').error).toBe('States.Runtime');
  });
});
