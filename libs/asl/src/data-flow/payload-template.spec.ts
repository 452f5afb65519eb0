import { describe, expect, it } from 'vitest';
import { StatesError } from '../errors/states-error';
import type { JsonValue } from '../json';
import { evaluationContextFixture } from '../paths/evaluation-context.fixture';
import { resolvePayloadTemplate } from './payload-template';

const contextObject = {
  Execution: {
    Id: 'arn:aws:states:us-east-1:111111111111:execution:sm:exec',
    Input: { message: 'TestMessage' },
    Name: 'exec',
  },
  StateMachine: { Id: 'arn:aws:states:us-east-1:111111111111:stateMachine:sm', Name: 'sm' },
  State: { Name: 'QueryValues1', EnteredTime: '2024-01-01T00:00:00Z' },
};
const context = evaluationContextFixture({ contextObject });

function runtimeCause(template: JsonValue, input: JsonValue, field = 'Parameters'): string {
  try {
    resolvePayloadTemplate(template, input, context, field);
  } catch (e) {
    if (e instanceof StatesError && e.error === 'States.Runtime') return e.cause;
    throw e;
  }
  throw new Error('the template resolved');
}

describe(resolvePayloadTemplate.name, () => {
  it('replaces ".$" fields by what their path selects and strips the suffix (corpus: IO_PASS_STATE)', () => {
    const template = { staticValue: 'some value', 'inputValue.$': '$.fieldFromInput' };
    expect(
      resolvePayloadTemplate(
        template,
        { fieldFromInput: 'value from input', otherField: 'other' },
        context,
        'Parameters',
      ),
    ).toEqual({
      staticValue: 'some value',
      inputValue: 'value from input',
    });
  });

  it('reads the context object with $$ (corpus: base.query_context_object_values)', () => {
    const template = {
      'context_object.$': '$$',
      'execution_id.$': '$$.Execution.Id',
      'execution_input.$': '$$.Execution.Input',
      'state.$': '$$.State',
      'statemachine_name.$': '$$.StateMachine.Name',
    };
    expect(resolvePayloadTemplate(template, { message: 'TestMessage' }, context, 'Parameters')).toEqual({
      context_object: contextObject,
      execution_id: contextObject.Execution.Id,
      execution_input: { message: 'TestMessage' },
      state: contextObject.State,
      statemachine_name: 'sm',
    });
  });

  it('resolves nested objects and objects inside arrays, and leaves other values as written', () => {
    const template = {
      Payload: { 'Input.$': '$', list: [{ 'x.$': '$.a' }, '$.a', 1, null, [{ 'y.$': '$.a' }]] },
      literal$: '$.a',
      n: 0,
    };
    expect(resolvePayloadTemplate(template, { a: 7 }, context, 'Parameters')).toEqual({
      Payload: { Input: { a: 7 }, list: [{ x: 7 }, '$.a', 1, null, [{ y: 7 }]] },
      literal$: '$.a',
      n: 0,
    });
  });

  it('keeps strings that look like paths or calls when the key has no ".$" (corpus: BASE_CONSTANT_LITERALS)', () => {
    const template = {
      s: '$.no.such.path',
      c: '$$',
      v: '$noSuchVar',
      f: "States.Format('{}', $varname)",
      j: '{% $x %}',
    };
    expect(resolvePayloadTemplate(template, {}, context, 'Assign')).toEqual(template);
  });

  it('gives [] for a wildcard or slice over a missing array (corpus: json_path_array_wildcard_or_slice_with_no_input)', () => {
    expect(resolvePayloadTemplate({ 'item.$': '$.items[*].itemValue' }, {}, context, 'Parameters')).toEqual({
      item: [],
    });
    expect(resolvePayloadTemplate({ 'item.$': '$.item.items[1:5]' }, {}, context, 'Parameters')).toEqual({ item: [] });
  });

  it('selects with a filter (corpus: state_pass_regex_json_path_base)', () => {
    const input = {
      users: [
        { year: 1997, status: 0 },
        { year: 1998, status: 1 },
      ],
    };
    expect(
      resolvePayloadTemplate({ 'FromInput.$': '$.users[?(@.status == 0)]' }, input, context, 'Parameters'),
    ).toEqual({
      FromInput: [{ year: 1997, status: 0 }],
    });
  });

  it('resolves a bracketed name with escaped quotes (corpus: escape_sequence_parsing__ESCAPE_SEQUENCES_JSONPATH)', () => {
    const input = { 'Test\\""Name"': 'Value"\\' };
    expect(resolvePayloadTemplate({ 'value.$': '$[\'Test\\""Name"\']' }, input, context, 'Parameters')).toEqual({
      value: 'Value"\\',
    });
  });

  it('evaluates every intrinsic of an Assign block (corpus: assign_from_value__BASE_ASSIGN_FROM_INTRINSIC_FUNCTION)', () => {
    const result = {
      inputArray: [1, 2, 3, 4, 5, 6],
      duplicateArray: [1, 2, 2, 3, 3, 4],
      rawString: 'Hello World',
      encodedString: 'SGVsbG8gV29ybGQ=',
      inputString: 'Hash this string',
      json1: { a: 1, b: 2 },
      json2: { c: 3, d: 4 },
      jsonString: '{"key":"value"}',
      jsonObject: { test: 'object' },
      value1: 5,
      value2: 3,
      csvString: 'a,b,c,d,e',
      name: 'John',
      place: 'LocalStack',
    };
    const assign = {
      arrayOps: {
        'simpleArray.$': "States.Array('a', 'b', 'c')",
        'partitionedArray.$': 'States.ArrayPartition($.inputArray, 2)',
        'containsElement.$': 'States.ArrayContains($.inputArray, 5)',
        'numberRange.$': 'States.ArrayRange(1, 10, 2)',
        'thirdElement.$': 'States.ArrayGetItem($.inputArray, 2)',
        'arraySize.$': 'States.ArrayLength($.inputArray)',
        'uniqueValues.$': 'States.ArrayUnique($.duplicateArray)',
      },
      encodingOps: {
        'encoded.$': 'States.Base64Encode($.rawString)',
        'decoded.$': 'States.Base64Decode($.encodedString)',
      },
      hashOps: { 'hashValue.$': "States.Hash($.inputString, 'SHA-256')" },
      jsonOps: {
        'mergedJson.$': 'States.JsonMerge($.json1, $.json2, false)',
        'parsedJson.$': 'States.StringToJson($.jsonString)',
        'stringifiedJson.$': 'States.JsonToString($.jsonObject)',
      },
      mathOps: { 'sum.$': 'States.MathAdd($.value1, $.value2)' },
      stringOps: {
        'splitString.$': "States.StringSplit($.csvString, ',')",
        'formattedString.$': "States.Format('Hello {}, welcome to {}!', $.name, $.place)",
      },
      uuidOp: { 'uniqueId.$': 'States.UUID()' },
    };
    expect(resolvePayloadTemplate(assign, result, evaluationContextFixture(), 'Assign')).toEqual({
      arrayOps: {
        uniqueValues: [1, 2, 3, 4],
        simpleArray: ['a', 'b', 'c'],
        thirdElement: 3,
        partitionedArray: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        arraySize: 6,
        containsElement: true,
        numberRange: [1, 3, 5, 7, 9],
      },
      encodingOps: { decoded: 'Hello World', encoded: 'SGVsbG8gV29ybGQ=' },
      hashOps: { hashValue: '1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e' },
      jsonOps: {
        parsedJson: { key: 'value' },
        mergedJson: { a: 1, b: 2, c: 3, d: 4 },
        stringifiedJson: '{"test":"object"}',
      },
      mathOps: { sum: 8 },
      stringOps: { formattedString: 'Hello John, welcome to LocalStack!', splitString: ['a', 'b', 'c', 'd', 'e'] },
      uuidOp: { uniqueId: '00000000-0000-4000-8000-000000000001' },
    });
  });

  it('reads variables in paths and intrinsic arguments (corpus: BASE_REFERENCE_IN_INTRINSIC_FUNCTION)', () => {
    const withVariables = evaluationContextFixture({ variables: { value1: 5, value2: 3, x: { inner: [42] } } });
    const template = { 'sum.$': 'States.MathAdd($value1, $value2)', 'innerX.$': '$x', 'deep.$': '$x.inner[0]' };
    expect(resolvePayloadTemplate(template, {}, withVariables, 'Parameters')).toEqual({
      sum: 8,
      innerX: { inner: [42] },
      deep: 42,
    });
  });

  it("fails with AWS's cause when a path selects nothing (corpus: INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH)", () => {
    expect(runtimeCause({ 'value.$': '$.no_such_jsonpath' }, { 'int-literal': 0 })).toBe(
      "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'",
    );
  });

  it('quotes the context object when a $$ path selects nothing (corpus: INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH)', () => {
    expect(runtimeCause({ 'value.$': '$$.Execution.Input.no_such_jsonpath' }, { 'int-literal': 0 })).toBe(
      `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '${JSON.stringify(contextObject)}'`,
    );
  });

  it('names the argument path when an intrinsic argument selects nothing', () => {
    expect(runtimeCause({ nested: { 'msg.$': "States.Format('{}', $.missing)" } }, {})).toBe(
      "The JSONPath '$.missing' specified for the field 'msg.$' could not be found in the input '{}'",
    );
  });

  it('fails on an undefined variable', () => {
    expect(runtimeCause({ 'v.$': '$noSuchVar' }, {})).toContain(
      "The JSONPath '$noSuchVar' specified for the field 'v.$'",
    );
  });

  it.each<[JsonValue]>([[1], [null], ['no dollar'], ["States.Format('unterminated"], ['States.Nope()']])(
    'refuses %j as the value of a ".$" field',
    (value) => {
      expect(runtimeCause({ 'x.$': value }, {}, 'ResultSelector')).toContain(
        "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call (in ResultSelector)",
      );
    },
  );

  it('lets States.IntrinsicFailure through unchanged', () => {
    expect(() =>
      resolvePayloadTemplate({ 'x.$': 'States.ArrayGetItem($.a, 5)' }, { a: [] }, context, 'Parameters'),
    ).toThrow(expect.objectContaining({ error: 'States.IntrinsicFailure' }));
  });

  it('neither changes the template nor the input', () => {
    const template = { a: { 'b.$': '$.x' }, list: [{ 'c.$': '$.x' }] };
    const input = { x: { deep: true } };
    const before = JSON.stringify([template, input]);
    const output = resolvePayloadTemplate(template, input, context, 'Parameters') as { a: unknown; list: unknown };
    expect(JSON.stringify([template, input])).toBe(before);
    expect(output.a).not.toBe(template.a);
    expect(output.list).not.toBe(template.list);
  });

  it('writes a "__proto__" key as data', () => {
    const output = resolvePayloadTemplate(
      { '__proto__.$': '$.x' },
      { x: { polluted: true } },
      context,
      'Parameters',
    ) as object;
    expect(Object.hasOwn(output, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
  });

  it('returns a template that is not an object or array as it is', () => {
    expect(resolvePayloadTemplate('$.x', { x: 1 }, context, 'Parameters')).toBe('$.x');
  });
});
