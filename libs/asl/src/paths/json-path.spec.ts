import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../errors/states-error';
import type { JsonValue } from '../json';
import { evaluationContextFixture } from './evaluation-context.fixture';
import { applyResultPath, checkJsonPathSyntax, evaluateJsonPath, PathNotFoundError } from './json-path';

const context = evaluationContextFixture({
  contextObject: { Execution: { Id: 'arn:exec', Input: { 'input-value': 0 } }, StateMachine: { Name: 'sm' } },
  variables: { answer: 42, list: [1, 2, 3], obj: { in_obj: [true] } },
});

function pathError(path: string, input: JsonValue): PathNotFoundError {
  try {
    evaluateJsonPath(path, input, context);
  } catch (e) {
    if (e instanceof PathNotFoundError) return e;
    throw e;
  }
  throw new Error(`${path} selected something`);
}

describe(evaluateJsonPath.name, () => {
  describe('definite paths', () => {
    const input = { a: { b: [{ 'c d': 'deep' }, 'second'] }, 'delivery-partner': 'ups', n: null, z: 0 };

    it.each<[string, JsonValue]>([
      ['$', input],
      ["$.a.b[0]['c d']", 'deep'],
      ['$.a.b[0]["c d"]', 'deep'],
      ["$['a']['b'][1]", 'second'],
      ['$.a.b[-1]', 'second'],
      ['$.delivery-partner', 'ups'],
      ['$.n', null],
      ['$.z', 0],
      ['  $.z  ', 0],
    ])('%s selects the node itself', (path, expected) => {
      expect(evaluateJsonPath(path, input, context)).toEqual(expected);
    });

    it('reads $$ from the context object and $name from the variables', () => {
      expect(evaluateJsonPath('$$.Execution.Input.input-value', {}, context)).toBe(0);
      expect(evaluateJsonPath('$$', {}, context)).toBe(context.contextObject);
      expect(evaluateJsonPath('$answer', {}, context)).toBe(42);
      expect(evaluateJsonPath('$obj.in_obj[0]', {}, context)).toBe(true);
    });

    it('resolves a bracketed name with backslash-quote literally, as AWS does (escape_sequence_parsing)', () => {
      // Definition text: "value.$": "$['Test\\\"\"Name\"']"; input key: "Test\\\"\"Name\"".
      const key = 'Test\\""Name"';
      expect(evaluateJsonPath(`$['${key}']`, { [key]: 'Value"\\' }, context)).toBe('Value"\\');
    });

    it('lets a backslash keep the quote character in a quoted name', () => {
      expect(evaluateJsonPath("$['it\\'s']", { "it's": 1 }, context)).toBe(1);
    });

    it("fails with Jayway's 'No results for path' when the last step is missing (corpus: INVALID_JSONPATH_IN_INPUTPATH)", () => {
      const error = pathError('$.NoSuchInputPath', { 'int-literal': 0 });
      expect(error.message).toBe("No results for path: $['NoSuchInputPath']");
      expect(error.path).toBe('$.NoSuchInputPath');
    });

    it("fails with Jayway's 'Missing property' when an earlier step is missing (corpus: catch_states_runtime)", () => {
      expect(pathError('$.no.such.result.path', {}).message).toBe("Missing property in path $['no']");
    });

    it('fails on an index out of range, an index into a non-array and a name into a non-object', () => {
      expect(pathError('$.a[5]', { a: [1] }).message).toBe("No results for path: $['a'][5]");
      expect(pathError('$.a[0]', { a: {} }).message).toContain('can only be applied to arrays');
      expect(pathError('$.a.b', { a: 'text' }).message).toContain(
        "Expected to find an object with property ['b'] in path $['a']",
      );
    });

    it('treats an unknown variable as a path that selects nothing', () => {
      expect(pathError('$noSuchVar.member', {}).message).toBe("Variable '$noSuchVar' is not defined");
    });

    it('raises States.Runtime for text that is not a path', () => {
      expect(() => evaluateJsonPath('$.a[', {}, context)).toThrow(StatesError);
    });
  });

  describe('indefinite paths', () => {
    it.each([
      '$.items[*]',
      '$.items[*].itemValue',
      '$.items[1:]',
      '$.items[:1]',
      '$.items[:1].itemValue',
      '$.item.items[1:5]',
      '$.item.items[1:5].itemValue',
      '$.item.items[*]',
      '$[*]',
    ])('%s on {} gives [] (corpus: json_path_array_wildcard_or_slice_with_no_input)', (path) => {
      expect(evaluateJsonPath(path, {}, context)).toEqual([]);
    });

    it('filters with a comparison without evaluating code (corpus: state_pass_regex_json_path_base)', () => {
      const input = {
        users: [
          { year: 1997, status: 0 },
          { year: 1998, status: 1 },
        ],
      };
      expect(evaluateJsonPath('$.users[?(@.status == 0)]', input, context)).toEqual([{ year: 1997, status: 0 }]);
    });

    const store: JsonValue = {
      book: [
        { category: 'reference', author: 'Rees', title: 'Sayings', price: 8.95 },
        { category: 'fiction', author: 'Waugh', title: 'Sword', price: 12.99, isbn: '0-553' },
        { category: 'fiction', author: 'Tolkien', title: 'Rings', price: 22.99, isbn: '0-395' },
      ],
      bicycle: { color: 'red', price: 19.95 },
      limit: 10,
    };

    it.each<[string, JsonValue]>([
      ['$.book[?(@.isbn)].title', ['Sword', 'Rings']],
      ['$.book[?(!@.isbn)].title', ['Sayings']],
      ["$.book[?(@.category == 'fiction' && @.price < 20)].title", ['Sword']],
      ['$.book[?(@.price > 20 || @.price<9)].title', ['Sayings', 'Rings']],
      ['$.book[?(@.price < $.limit)].author', ['Rees']],
      ["$.book[?(@.isbn != '0-553')].title", ['Sayings', 'Rings']],
      ['$.book[?((@.price >= 12.99) && !(@.author == "Waugh"))].title', ['Rings']],
      ['$.bicycle[?(@.color)].price', [19.95]],
      ['$..price', [8.95, 12.99, 22.99, 19.95]],
      ['$..book[?(@.price > 20)].title', ['Rings']],
      ['$..[?(@.color)].price', [19.95]],
      ['$.book[*].author', ['Rees', 'Waugh', 'Tolkien']],
      ['$.book.*.title', ['Sayings', 'Sword', 'Rings']],
      ['$.book[0,2].title', ['Sayings', 'Rings']],
      ["$.bicycle['color','price']", ['red', 19.95]],
      ['$.book[-2:].title', ['Sword', 'Rings']],
      ['$.book[::2].title', ['Sayings', 'Rings']],
      ['$.book[5:].title', []],
      ['$.*.color', ['red']],
    ])('%s', (path, expected) => {
      expect(evaluateJsonPath(path, store, context)).toEqual(expected);
    });

    it('agrees with jsonpath-plus (eval: false) wherever both define the result', () => {
      const paths = ['$.book[*].price', '$..author', '$.book[1:3]', '$.*', '$..*', '$.book[:2].title', '$..book[0]'];
      for (const path of paths) {
        const reference = JSONPath({ path, json: store, eval: false, wrap: true, resultType: 'value' }) as unknown;
        expect(evaluateJsonPath(path, store, context), path).toEqual(reference);
      }
    });

    it('does not index into strings or read their length, unlike jsonpath-plus', () => {
      const input = { names: ['ab', 'cd'] };
      expect(evaluateJsonPath('$.names[*][0]', input, context)).toEqual([]);
      expect(evaluateJsonPath('$.names[*].length', input, context)).toEqual([]);
    });
  });
});

describe(checkJsonPathSyntax.name, () => {
  it.each(['$', '$.a', "$['a b'].c[0]", '$.a[*]', '$..a', '$.a[1:2]', '$.a[?(@.x == 1)]', '$.a[0,1]'])(
    'accepts %s',
    (path) => {
      expect(checkJsonPathSyntax(path)).toBeUndefined();
    },
  );

  it.each([
    ['', "must start with '$'"],
    ['a.b', "must start with '$'"],
    ['$.', "must not end with '.'"],
    ['$..', "must not end with '.'"],
    ['$.a[', "Expected ']'"],
    ["$['a", 'Unterminated'],
    ['$.a b', 'Unexpected character'],
    ['$.a.length()', 'functions are not supported'],
    ['$.a[?(@.x =~ /x/)]', 'not supported'],
    ["$.a[?(@.constructor.constructor('alert(1)')())]", 'functions are not supported'],
    ['$.a[0:1:0]', 'positive'],
    ['$.a[x]', 'Invalid array index'],
  ])('refuses %j (%s)', (path, reason) => {
    expect(checkJsonPathSyntax(path)).toContain(reason);
  });

  it('refuses $$ and $var unless the field allows them', () => {
    expect(checkJsonPathSyntax('$$.Execution.Id')).toContain('context object');
    expect(checkJsonPathSyntax('$$.Execution.Id', { allowContextObject: true })).toBeUndefined();
    expect(checkJsonPathSyntax('$x.y')).toContain('Variables');
    expect(checkJsonPathSyntax('$x.y', { allowVariables: true })).toBeUndefined();
  });

  it('refuses indefinite operators in a reference path', () => {
    for (const path of ['$.a[*]', '$..a', '$.a[0:1]', '$.a[?(@.b)]', "$['a','b']", '$.a[0,1]']) {
      expect(checkJsonPathSyntax(path, { referencePath: true }), path).toContain('reference path');
    }
    expect(checkJsonPathSyntax("$.a['b'][0]", { referencePath: true })).toBeUndefined();
  });
});

describe(applyResultPath.name, () => {
  it('returns the result when ResultPath is absent or $, and the input when it is null', () => {
    expect(applyResultPath({ a: 1 }, undefined, 'r')).toBe('r');
    expect(applyResultPath({ a: 1 }, '$', 'r')).toBe('r');
    const input = { a: 1 };
    expect(applyResultPath(input, null, 'r')).toBe(input);
  });

  it('adds the result at the path, building missing objects, without touching the input (corpus: task_dataflow_to_state)', () => {
    const input = { keep: { deep: [1] }, functionName: 'f' };
    const snapshot = structuredClone(input);
    const output = applyResultPath(input, '$.enigma.mystery', { riddle: '?' });
    expect(output).toEqual({ keep: { deep: [1] }, functionName: 'f', enigma: { mystery: { riddle: '?' } } });
    expect(input).toEqual(snapshot);
    expect((output as { keep: unknown }).keep).toBe(input.keep);
  });

  it('overwrites an existing field in place and copies arrays it writes into', () => {
    const input = { a: [{ x: 1 }, { x: 2 }], b: 0 };
    expect(applyResultPath(input, '$.a[1].x', 9)).toEqual({ a: [{ x: 1 }, { x: 9 }], b: 0 });
    expect(input.a[1]).toEqual({ x: 2 });
  });

  it('writes "__proto__" as a plain key', () => {
    const output = applyResultPath({}, "$['__proto__']", { polluted: true }) as Record<string, unknown>;
    expect(Object.hasOwn(output, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each<[JsonValue, string]>([
    ['text', '$.result'],
    [[1, 2], '$.result'],
    [{ a: 'text' }, '$.a.b'],
    [{ a: null }, '$.a.b'],
    [{ a: [1] }, '$.a[3]'],
  ])('raises States.ResultPathMatchFailure when %j cannot take %s', (input, path) => {
    try {
      applyResultPath(input, path, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatesError);
      expect((e as StatesError).error).toBe('States.ResultPathMatchFailure');
      expect((e as StatesError).cause).toMatch(/^Unable to apply step "[^"]+" to input /);
      expect((e as StatesError).cause).toContain(JSON.stringify(input));
    }
  });
});
