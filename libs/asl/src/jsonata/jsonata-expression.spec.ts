import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../definition/definition.types';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';
import { JsonataEvaluationError } from './jsonata-errors';
import {
  checkJsonataSyntax,
  evaluateJsonata,
  evaluateJsonataField,
  evaluateJsonataTemplate,
  isJsonataExpression,
} from './jsonata-expression';
import { seededRandom } from './jsonata-functions';

function contextWith(
  variables: Record<string, JsonValue> = {},
  options: { contextObject?: JsonValue; uuids?: string[]; randoms?: number[] } = {},
): EvaluationContext {
  const uuids = [...(options.uuids ?? ['11111111-1111-4111-8111-111111111111'])];
  const randoms = [...(options.randoms ?? [0.25])];
  return {
    contextObject: options.contextObject ?? { State: { Name: 'S', EnteredTime: '2024-05-06T07:08:09.010Z' } },
    variables: { get: (name) => variables[name] },
    ports: {
      uuid: () => uuids.shift() ?? 'exhausted',
      random: () => randoms.shift() ?? -1,
    },
  };
}

describe(isJsonataExpression.name, () => {
  it('accepts only a whole {% … %} string', () => {
    expect(isJsonataExpression('{% 1 %}')).toBe(true);
    expect(isJsonataExpression(' {% 1 %}')).toBe(false);
    expect(isJsonataExpression('{% 1 %} ')).toBe(false);
    expect(isJsonataExpression(1)).toBe(false);
  });
});

describe(checkJsonataSyntax.name, () => {
  it('accepts a valid expression', () => {
    expect(checkJsonataSyntax('{% $states.input.a + $x %}')).toBeUndefined();
  });

  it('reports the JSONata error code, message and position', () => {
    expect(checkJsonataSyntax('{% $foo( %}')).toBe('S0203: Expected ")" before end of expression (at position 7)');
  });

  it('refuses empty and unwrapped expressions', () => {
    expect(checkJsonataSyntax('{%  %}')).toMatch(/empty/);
    expect(checkJsonataSyntax('$states.input')).toMatch(/must start with \{%/);
  });
});

describe(evaluateJsonata.name, () => {
  it('binds $states: input, result, errorOutput and the context object', async () => {
    const context = contextWith({}, { contextObject: { Execution: { Name: 'e1' } } });
    const states = { input: { a: 1 }, result: { r: 2 }, errorOutput: { Error: 'E' } };
    await expect(
      evaluateJsonata(
        '{% [$states.input.a, $states.result.r, $states.errorOutput.Error, $states.context.Execution.Name] %}',
        states,
        context,
      ),
    ).resolves.toEqual([1, 2, 'E', 'e1']);
  });

  it('leaves $states.result undefined when there is no result', async () => {
    await expect(evaluateJsonata('{% $states.result %}', { input: {} }, contextWith())).resolves.toBeUndefined();
  });

  it('binds the workflow variables the expression reads, and keeps none across evaluations', async () => {
    const text = '{% $price * $quantity %}';
    await expect(evaluateJsonata(text, { input: {} }, contextWith({ price: 2, quantity: 3 }))).resolves.toBe(6);
    await expect(evaluateJsonata(text, { input: {} }, contextWith({ price: 5, quantity: 3 }))).resolves.toBe(15);
    await expect(evaluateJsonata('{% $price %}', { input: {} }, contextWith())).resolves.toBeUndefined();
  });

  it('finds variables inside lambdas, predicates and blocks', async () => {
    const text = '{% ($double := function($v) { $v * $factor }; $map($states.input.items[$ > $min], $double)) %}';
    await expect(
      evaluateJsonata(text, { input: { items: [1, 5, 10] } }, contextWith({ factor: 2, min: 2 })),
    ).resolves.toEqual([10, 20]);
  });

  it('keeps AWS functions callable when a workflow variable has the same name', async () => {
    await expect(evaluateJsonata('{% $uuid() %}', { input: {} }, contextWith({ uuid: 'shadow' }))).resolves.toBe(
      '11111111-1111-4111-8111-111111111111',
    );
  });

  it('draws $uuid() and unseeded $random() from the ports', async () => {
    const context = contextWith({}, { uuids: ['a-uuid'], randoms: [0.75] });
    await expect(evaluateJsonata('{% [$uuid(), $random()] %}', { input: {} }, context)).resolves.toEqual([
      'a-uuid',
      0.75,
    ]);
  });

  it('gives the same number for the same $random seed', async () => {
    const first = await evaluateJsonata('{% $random(42) %}', { input: {} }, contextWith());
    const second = await evaluateJsonata('{% $random(42) %}', { input: {} }, contextWith());
    const other = await evaluateJsonata('{% $random(43) %}', { input: {} }, contextWith());
    expect(first).toBe(second);
    expect(first).not.toBe(other);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
  });

  it('computes $hash digests', async () => {
    await expect(evaluateJsonata("{% $hash('abc', 'SHA-256') %}", { input: {} }, contextWith())).resolves.toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    await expect(evaluateJsonata("{% $hash('abc', 'MD5') %}", { input: {} }, contextWith())).resolves.toBe(
      '900150983cd24fb0d6963f7d28e17f72',
    );
    await expect(evaluateJsonata("{% $hash('abc', 'SHA-3') %}", { input: {} }, contextWith())).rejects.toMatchObject({
      cause: expect.stringContaining("Unsupported hash algorithm 'SHA-3'") as unknown,
    });
  });

  it('ranges downwards with a negative step and refuses a zero step', async () => {
    await expect(evaluateJsonata('{% $range(10, 4, -3) %}', { input: {} }, contextWith())).resolves.toEqual([10, 7, 4]);
    await expect(evaluateJsonata('{% $range(1, 2, 0) %}', { input: {} }, contextWith())).rejects.toBeInstanceOf(
      JsonataEvaluationError,
    );
  });

  it('reports $now() and $millis() from the state entered time, not the wall clock', async () => {
    await expect(evaluateJsonata('{% [$now(), $millis()] %}', { input: {} }, contextWith())).resolves.toEqual([
      '2024-05-06T07:08:09.010Z',
      Date.parse('2024-05-06T07:08:09.010Z'),
    ]);
  });

  it('does not offer $eval', async () => {
    await expect(evaluateJsonata("{% $eval('1 + 1') %}", { input: {} }, contextWith())).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause:
        "The JSONata expression '$eval('1 + 1')' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    });
  });

  it('stops endless recursion deterministically', async () => {
    const text = '{% ($loop := function($n) { $loop($n + 1) }; $loop(0)) %}';
    await expect(evaluateJsonata(text, { input: {} }, contextWith())).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: expect.stringContaining('exceeded') as unknown,
    });
  }, 60_000);

  it('refuses a function result', async () => {
    await expect(evaluateJsonata('{% function($x) { $x } %}', { input: {} }, contextWith())).rejects.toMatchObject({
      cause: "The JSONata expression 'function($x) { $x }' returned an unsupported result type.",
    });
  });
});

describe(evaluateJsonataField.name, () => {
  it('fails when the expression returns nothing, naming the field', async () => {
    const failure = evaluateJsonataField('{% $nothing %}', { input: {} }, contextWith(), 'TimeoutSeconds');
    await expect(failure).rejects.toBeInstanceOf(JsonataEvaluationError);
    await expect(failure).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: "The JSONata expression '$nothing' specified for the field 'TimeoutSeconds' returned nothing (undefined).",
      location: 'TimeoutSeconds',
      expression: '$nothing',
    });
  });
});

describe(evaluateJsonataTemplate.name, () => {
  it('evaluates whole-string expressions at any depth and keeps everything else', async () => {
    const template: JsonValue = {
      id: '{% $uuid() %}',
      literal: ' {% not an expression %} ',
      path: '$.not.a.path',
      'key.$': '$',
      list: [1, '{% $states.input.n + 1 %}', { deep: '{% $v %}' }],
    };
    await expect(
      evaluateJsonataTemplate(template, { input: { n: 1 } }, contextWith({ v: 'x' }), 'Output'),
    ).resolves.toEqual({
      id: '11111111-1111-4111-8111-111111111111',
      literal: ' {% not an expression %} ',
      path: '$.not.a.path',
      'key.$': '$',
      list: [1, 2, { deep: 'x' }],
    });
  });

  it('names nested fields with slashes, as AWS does', async () => {
    await expect(
      evaluateJsonataTemplate({ FunctionName: '{% $doesNotExist %}' }, { input: {} }, contextWith(), 'Arguments'),
    ).rejects.toMatchObject({
      cause:
        "The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined).",
      location: 'Arguments/FunctionName',
    });
  });

  it('evaluates expressions in order, so port draws are reproducible', async () => {
    const context = contextWith({}, { uuids: ['first', 'second', 'third'] });
    await expect(
      evaluateJsonataTemplate(
        { b: '{% $uuid() %}', a: ['{% $uuid() %}', '{% $uuid() %}'] },
        { input: {} },
        context,
        'Output',
      ),
    ).resolves.toEqual({ b: 'first', a: ['second', 'third'] });
  });
});

describe(seededRandom.name, () => {
  it('matches java.util.Random(seed).nextDouble()', () => {
    // Known values of `new java.util.Random(0).nextDouble()` and `new java.util.Random(42).nextDouble()`.
    expect(seededRandom(0)).toBeCloseTo(0.730967787376657, 15);
    expect(seededRandom(42)).toBeCloseTo(0.7275636800328681, 15);
  });
});

/** The conformance corpus sits beside the repository: <repo>/../shared/conformance. */
const LOCALSTACK_DIR = resolve(__dirname, '../../../../../shared/conformance/localstack');

interface PassCase {
  readonly id: string;
  readonly field: 'Output' | 'Assign';
  readonly template: JsonValue;
  readonly input: JsonValue;
  readonly expected: { status: string; output: JsonValue; error: string | null; cause: string | null };
}

/** Corpus cases whose machine is one JSONata Pass state: its Output (or Assign) is exactly one template evaluation. */
function loadSingleJsonataPassCases(): PassCase[] {
  const cases: PassCase[] = [];
  for (const folder of ['assign', 'evaluate_jsonata', 'intrinsic_functions', 'outputdecl', 'query_language']) {
    for (const file of readdirSync(join(LOCALSTACK_DIR, folder)).sort()) {
      const data = JSON.parse(readFileSync(join(LOCALSTACK_DIR, folder, file), 'utf8')) as {
        id: string;
        definition: StateMachineDefinition;
        input: JsonValue;
        expected: PassCase['expected'];
      };
      const states = Object.values(data.definition.States);
      const state = states[0];
      if (states.length !== 1 || state?.Type !== 'Pass') continue;
      if ((state.QueryLanguage ?? data.definition.QueryLanguage) !== 'JSONata') continue;
      const field = state.Assign !== undefined ? 'Assign' : 'Output';
      const template = field === 'Assign' ? state.Assign : state.Output;
      if (template === undefined) continue;
      cases.push({ id: data.id, field, template, input: data.input, expected: data.expected });
    }
  }
  return cases;
}

/** LocalStack's snapshot form: strings that hold a JSON object are compared as the object. */
function normalize(value: JsonValue): JsonValue {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, normalize(member)]));
  }
  return value;
}

describe('single JSONata Pass states AWS recorded', () => {
  const cases = loadSingleJsonataPassCases();

  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, { field, template, input, expected }) => {
    const evaluation = evaluateJsonataTemplate(template, { input }, contextWith(), field);
    if (expected.status === 'SUCCEEDED') {
      const value = await evaluation;
      if (field === 'Output') expect(normalize(value)).toEqual(expected.output);
    } else {
      // The interpreter prefixes "An error occurred while executing the state 'X' (entered at the event id #N). ".
      const cause = (expected.cause ?? '').replace(
        /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /,
        '',
      );
      await expect(evaluation).rejects.toMatchObject({ error: expected.error, cause });
    }
  });
});
