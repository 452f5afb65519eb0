import type { ChoiceRule } from '../definition/definition.types';
import { queryEvaluationError, runtimeError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';
import { jsonataResultTypeError } from '../jsonata/jsonata-errors';
import { evaluateJsonataField, isJsonataExpression, type StatesBinding } from '../jsonata/jsonata-expression';
import { evaluateJsonPath, PathNotFoundError } from '../paths/json-path';
import {
  findChoiceComparisonOperator,
  listChoiceComparisonOperators,
  type ChoiceComparisonOperator,
  type ChoiceOperandType,
} from './choice-operators';
import { compareTimestampInstants, isStatesTimestamp, parseTimestampInstant } from './iso-timestamp';

/** A path's value, or `undefined` when the path selects nothing (JSON has no undefined, so it is unambiguous). */
function sample(path: string, input: JsonValue, context: EvaluationContext): JsonValue | undefined {
  try {
    return evaluateJsonPath(path, input, context);
  } catch (error) {
    if (error instanceof PathNotFoundError) return undefined;
    throw error;
  }
}

/**
 * AWS documents that a comparison on a field the input lacks fails the execution ("If the state input doesn't
 * contain the $.type field, the execution fails"), with this States.Runtime cause.
 */
function invalidPathError(path: string): Error {
  return runtimeError(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

function sampleOrFail(path: string, input: JsonValue, context: EvaluationContext): JsonValue {
  const value = sample(path, input, context);
  if (value === undefined) throw invalidPathError(path);
  return value;
}

function hasOperandType(value: JsonValue, type: ChoiceOperandType | 'null'): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return isStatesTimestamp(value);
  }
}

/** Negative, zero or positive; both values already have the operand type. */
function compareOperands(a: JsonValue, b: JsonValue, type: ChoiceOperandType): number {
  switch (type) {
    case 'string':
      // UTF-16 code unit order, as the JVM's String.compareTo that AWS runs on.
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 'number':
      return (a as number) - (b as number);
    case 'boolean':
      return a === b ? 0 : 1;
    case 'timestamp': {
      const left = parseTimestampInstant(a as string);
      const right = parseTimestampInstant(b as string);
      return left !== undefined && right !== undefined ? compareTimestampInstants(left, right) : Number.NaN;
    }
  }
}

const STAR = Symbol('*');

/**
 * `StringMatches`: "The value MUST be a string which MAY contain one or more "*" characters. The expression yields
 * true if the data value selected by the Variable Path matches the value, where "*" in the value matches zero or more
 * characters. … literal "*" … escaped as "\\*"; … literal backslash … "\\\\"". A backslash before anything else is
 * itself. Matched with the greedy two-pointer algorithm: linear per attempt, no regex backtracking blow-up.
 */
export function matchesStringPattern(value: string, pattern: string): boolean {
  const tokens: (string | typeof STAR)[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    const next = pattern.charAt(index + 1);
    if (char === '\\' && (next === '*' || next === '\\')) {
      tokens.push(next);
      index++;
    } else {
      tokens.push(char === '*' ? STAR : char);
    }
  }
  let valueIndex = 0;
  let tokenIndex = 0;
  let starTokenIndex = -1;
  let starValueIndex = 0;
  while (valueIndex < value.length) {
    const token = tokens[tokenIndex];
    if (token === STAR) {
      starTokenIndex = tokenIndex++;
      starValueIndex = valueIndex;
    } else if (token !== undefined && token === value.charAt(valueIndex)) {
      tokenIndex++;
      valueIndex++;
    } else if (starTokenIndex >= 0) {
      tokenIndex = starTokenIndex + 1;
      valueIndex = ++starValueIndex;
    } else {
      return false;
    }
  }
  while (tokens[tokenIndex] === STAR) tokenIndex++;
  return tokenIndex === tokens.length;
}

/** The single comparison operator a rule carries. */
function operatorOf(rule: ChoiceRule): ChoiceComparisonOperator {
  for (const key of Object.keys(rule)) {
    const operator = findChoiceComparisonOperator(key);
    if (operator !== undefined) return operator;
  }
  throw runtimeError(
    `The choice rule has no comparison operator; expected one of ${listChoiceComparisonOperators()
      .map((operator) => operator.name)
      .join(', ')}`,
  );
}

function evaluateComparison(rule: ChoiceRule, input: JsonValue, context: EvaluationContext): boolean {
  const operator = operatorOf(rule);
  const variablePath = rule.Variable;
  if (typeof variablePath !== 'string') throw runtimeError(`The choice rule with ${operator.name} has no Variable`);
  const operatorValue = rule[operator.name] as JsonValue;

  if (operator.test === 'IsPresent') {
    return (sample(variablePath, input, context) !== undefined) === (operatorValue === true);
  }
  const variable = sampleOrFail(variablePath, input, context);
  if (operator.test === 'IsType') {
    return hasOperandType(variable, operator.operandType) === (operatorValue === true);
  }
  const expected =
    operator.valueType === 'path' ? sampleOrFail(operatorValue as string, input, context) : operatorValue;
  if (operator.test === 'Matches') {
    return typeof variable === 'string' && typeof expected === 'string' && matchesStringPattern(variable, expected);
  }
  // AWS: a Variable (or a …Path value) of another type makes the comparison false, not an error.
  if (!hasOperandType(variable, operator.operandType) || !hasOperandType(expected, operator.operandType)) {
    return false;
  }
  const order = compareOperands(variable, expected, operator.operandType);
  switch (operator.test) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
  }
}

/**
 * Evaluates a JSONPath-mode Choice rule: `And`/`Or`/`Not` over nested rules, or one comparison of the value at
 * `Variable` (a path on the input `$`, the context object `$$`, or a workflow variable `$name`).
 *
 * - A Variable of another type than the operator's makes the comparison false.
 * - A Variable path that selects nothing is `States.Runtime` ("Invalid path '$.x': The choice state's condition path
 *   references an invalid value."), except for `IsPresent`, which is then false (so `IsPresent: false` is true).
 * - `And` and `Or` stop at the first rule that settles them, so `IsPresent` can guard a later comparison.
 */
export function evaluateChoiceRule(rule: ChoiceRule, input: JsonValue, context: EvaluationContext): boolean {
  if (rule.And !== undefined) return rule.And.every((inner) => evaluateChoiceRule(inner, input, context));
  if (rule.Or !== undefined) return rule.Or.some((inner) => evaluateChoiceRule(inner, input, context));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not, input, context);
  return evaluateComparison(rule, input, context);
}

/**
 * Evaluates a JSONata-mode Choice rule's `Condition`: a literal boolean, or a `{% … %}` expression that must
 * produce a boolean. Anything else is `States.QueryEvaluationError`, worded as AWS words a result of the wrong type
 * for a field ("… specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but
 * was 'string' for value: "yes"") — AWS's text for Map `Items`, carried over to `Condition` by analogy.
 */
export async function evaluateChoiceCondition(
  condition: JsonValue,
  states: StatesBinding,
  context: EvaluationContext,
): Promise<boolean> {
  if (typeof condition === 'boolean') return condition;
  if (!isJsonataExpression(condition)) {
    throw queryEvaluationError(
      `The Condition field must be a boolean or a JSONata expression, but was: ${JSON.stringify(condition)}`,
    );
  }
  const value = await evaluateJsonataField(condition, states, context, 'Condition');
  if (typeof value !== 'boolean') throw jsonataResultTypeError(condition, 'Condition', 'boolean', value);
  return value;
}
