import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChoiceRule, ChoiceState, StateMachineDefinition } from '../definition/definition.types';
import { StatesError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonObject, JsonValue } from '../json';
import { JsonataEvaluationError } from '../jsonata/jsonata-errors';
import { evaluateChoiceCondition, evaluateChoiceRule, matchesStringPattern } from './choice-rule';

function contextWith(variables: Record<string, JsonValue> = {}, contextObject: JsonValue = {}): EvaluationContext {
  return {
    contextObject,
    variables: { get: (name) => variables[name] },
    ports: { uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0.5 },
  };
}

/** The conformance corpus sits beside the repository: <repo>/../shared/conformance. */
const CHOICE_OPERATORS_DIR = resolve(__dirname, '../../../../../shared/conformance/localstack/choice_operators');

interface ChoiceOperatorCase {
  readonly id: string;
  readonly rule: ChoiceRule;
  readonly input: JsonValue;
  readonly expectedMatch: boolean;
}

/**
 * Each case is a Choice state with one rule whose `Next` is "ConditionTrue" and a `Default` of "ConditionFalse";
 * both are Pass states whose Result names them, and the recorded output says which one AWS took.
 */
function loadChoiceOperatorCases(): ChoiceOperatorCase[] {
  return readdirSync(CHOICE_OPERATORS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(CHOICE_OPERATORS_DIR, file), 'utf8')) as {
        id: string;
        definition: StateMachineDefinition;
        input: JsonValue;
        expected: { output: JsonObject };
      };
      const choice = Object.values(data.definition.States).find(
        (state): state is ChoiceState => state.Type === 'Choice',
      );
      const rule = choice?.Choices[0];
      if (choice === undefined || rule === undefined || choice.Choices.length !== 1) {
        throw new Error(`${file}: expected one Choice state with one rule`);
      }
      const target = data.expected.output['TestResult.$'];
      if (rule.Next !== 'ConditionTrue' || choice.Default !== 'ConditionFalse') {
        throw new Error(`${file}: unexpected branch names`);
      }
      return { id: data.id, rule, input: data.input, expectedMatch: target === 'ConditionTrue' };
    });
}

describe(evaluateChoiceRule.name, () => {
  describe('against every choice_operators case AWS recorded', () => {
    const cases = loadChoiceOperatorCases();

    it('finds the whole corpus', () => {
      expect(cases).toHaveLength(491);
    });

    it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, { rule, input, expectedMatch }) => {
      expect(evaluateChoiceRule(rule, input, contextWith())).toBe(expectedMatch);
    });
  });

  const input = { s: 'abc', n: 10, b: true, z: null, t: '2024-01-01T00:00:00Z', nested: { x: 1 } };

  it('fails with States.Runtime when the Variable path selects nothing', () => {
    const act = (): boolean => evaluateChoiceRule({ Variable: '$.missing', StringEquals: 'a' }, input, contextWith());
    expect(act).toThrow(StatesError);
    expect(act).toThrow(
      "States.Runtime: Invalid path '$.missing': The choice state's condition path references an invalid value.",
    );
  });

  it('fails the same way for the other Is* operators on a missing path', () => {
    expect(() => evaluateChoiceRule({ Variable: '$.missing', IsNull: false }, input, contextWith())).toThrow(
      /Invalid path '\$\.missing'/,
    );
  });

  it('fails when a …Path operand selects nothing', () => {
    expect(() => evaluateChoiceRule({ Variable: '$.n', NumericEqualsPath: '$.nope' }, input, contextWith())).toThrow(
      /Invalid path '\$\.nope'/,
    );
  });

  it('treats a missing path as absent for IsPresent', () => {
    expect(evaluateChoiceRule({ Variable: '$.missing', IsPresent: false }, input, contextWith())).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.missing', IsPresent: true }, input, contextWith())).toBe(false);
    expect(evaluateChoiceRule({ Variable: '$.z', IsPresent: true }, input, contextWith())).toBe(true);
  });

  it('short-circuits And so IsPresent can guard a comparison', () => {
    const rule: ChoiceRule = {
      And: [
        { Variable: '$.missing', IsPresent: true },
        { Variable: '$.missing', NumericGreaterThan: 1 },
      ],
    };
    expect(evaluateChoiceRule(rule, input, contextWith())).toBe(false);
  });

  it('combines rules with Or and Not', () => {
    const rule: ChoiceRule = {
      Or: [{ Variable: '$.s', StringEquals: 'nope' }, { Not: { Variable: '$.n', NumericLessThan: 5 } }],
    };
    expect(evaluateChoiceRule(rule, input, contextWith())).toBe(true);
    expect(evaluateChoiceRule({ Not: rule }, input, contextWith())).toBe(false);
  });

  it('reads the context object and workflow variables', () => {
    const context = contextWith({ limit: 10 }, { Execution: { Name: 'exec-1' } });
    expect(evaluateChoiceRule({ Variable: '$$.Execution.Name', StringEquals: 'exec-1' }, input, context)).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.n', NumericEqualsPath: '$limit' }, input, context)).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$limit', NumericGreaterThan: 10 }, input, context)).toBe(false);
  });

  it('compares timestamps as instants, across offsets and fractions', () => {
    const at = (t: string, rule: ChoiceRule): boolean => evaluateChoiceRule(rule, { t }, contextWith());
    expect(at('2024-01-01T01:00:00+01:00', { Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(at('2024-01-01T00:00:00.5Z', { Variable: '$.t', TimestampGreaterThan: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(at('2024-01-01T00:00:00Z', { Variable: '$.t', TimestampLessThan: '2024-01-01T00:00:00.000000001Z' })).toBe(
      true,
    );
    expect(at('2024-01-01T00:00:00', { Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' })).toBe(false);
    expect(at('2024-01-01T00:00:00', { Variable: '$.t', IsTimestamp: true })).toBe(false);
    expect(at('2024-02-29T23:59:59Z', { Variable: '$.t', IsTimestamp: true })).toBe(true);
    expect(at('2023-02-29T23:59:59Z', { Variable: '$.t', IsTimestamp: true })).toBe(false);
  });

  it('applies StringMatches patterns', () => {
    expect(evaluateChoiceRule({ Variable: '$.s', StringMatches: 'a*' }, input, contextWith())).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.n', StringMatches: '*' }, input, contextWith())).toBe(false);
  });

  it('refuses a rule without a comparison operator', () => {
    expect(() => evaluateChoiceRule({ Variable: '$.s' }, input, contextWith())).toThrow(/no comparison operator/);
  });
});

describe(matchesStringPattern.name, () => {
  it.each([
    ['log-2024.txt', 'log-*.txt', true],
    ['log-.txt', 'log-*.txt', true],
    ['log-2024.csv', 'log-*.txt', false],
    ['abc', '*', true],
    ['', '*', true],
    ['', '', true],
    ['a', '', false],
    ['aXbXc', '*X*X*', true],
    ['aXb', '*X*X*', false],
    ['a*b', 'a\\*b', true],
    ['aXb', 'a\\*b', false],
    ['a\\b', 'a\\\\b', true],
    ['a\\b', 'a\\b', true],
    ['mississippi', 'm*iss*ppi', true],
    ['mississippi', 'm*iss*ppx', false],
  ])('%j against %j is %s', (value, pattern, expected) => {
    expect(matchesStringPattern(value, pattern)).toBe(expected);
  });

  it('stays fast on patterns that make regex engines backtrack', () => {
    const value = 'a'.repeat(5000);
    expect(matchesStringPattern(value, '*a*a*a*a*a*a*a*a*b')).toBe(false);
  });
});

describe(evaluateChoiceCondition.name, () => {
  it('takes a literal boolean as it is', async () => {
    await expect(evaluateChoiceCondition(true, { input: {} }, contextWith())).resolves.toBe(true);
    await expect(evaluateChoiceCondition(false, { input: {} }, contextWith())).resolves.toBe(false);
  });

  it('evaluates a JSONata condition over $states.input and variables', async () => {
    const context = contextWith({ limit: 20 });
    const condition = '{% $states.input.value >= 20 and $states.input.value < 30 and $limit = 20 %}';
    await expect(evaluateChoiceCondition(condition, { input: { value: 22 } }, context)).resolves.toBe(true);
    await expect(evaluateChoiceCondition(condition, { input: { value: 31 } }, context)).resolves.toBe(false);
  });

  it('fails on a non-boolean result, naming the Condition field', async () => {
    const failure = evaluateChoiceCondition('{% $states.input.answer %}', { input: { answer: 'yes' } }, contextWith());
    await expect(failure).rejects.toBeInstanceOf(JsonataEvaluationError);
    await expect(failure).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause:
        "The JSONata expression '$states.input.answer' specified for the field 'Condition' returned an unexpected " +
        "result type. Expected 'boolean', but was 'string' for value: \"yes\"",
      location: 'Condition',
    });
  });

  it('fails when the condition returns nothing', async () => {
    await expect(
      evaluateChoiceCondition('{% $states.input.nope %}', { input: {} }, contextWith()),
    ).rejects.toMatchObject({
      cause:
        "The JSONata expression '$states.input.nope' specified for the field 'Condition' returned nothing (undefined).",
    });
  });

  it('refuses a condition that is neither a boolean nor an expression', async () => {
    await expect(evaluateChoiceCondition('true', { input: {} }, contextWith())).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
    });
  });
});
