import type { QueryLanguage } from '../definition/definition.types';
import { isJsonObject } from '../json';
import type { JsonObject } from '../json';
import { DiagnosticCode } from './diagnostic';
import {
  checkAssign,
  checkJsonataString,
  checkJsonataTemplate,
  checkPathField,
  isExpressionString,
  PathKind,
} from './expression.validator';
import { suggestName } from './location';
import { isRfc3339Timestamp } from './rfc3339-timestamp';
import type { PathSegments, ValidationContext } from './validation-context';

/** What the literal operand of a comparison operator must be. */
type OperandKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'path';

const COMPARISON_OPERATORS: ReadonlyMap<string, OperandKind> = (() => {
  const operators = new Map<string, OperandKind>();
  const families: readonly [string, OperandKind][] = [
    ['String', 'string'],
    ['Numeric', 'number'],
    ['Timestamp', 'timestamp'],
  ];
  for (const [prefix, kind] of families) {
    for (const suffix of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
      operators.set(`${prefix}${suffix}`, kind);
      operators.set(`${prefix}${suffix}Path`, 'path');
    }
  }
  // StringMatches has no Path variant: its operand is a pattern, not data.
  operators.set('StringMatches', 'string');
  operators.set('BooleanEquals', 'boolean');
  operators.set('BooleanEqualsPath', 'path');
  for (const test of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
    operators.set(test, 'boolean');
  }
  return operators;
})();

const BOOLEAN_OPERATORS = ['And', 'Or', 'Not'] as const;
const TOP_LEVEL_ONLY_FIELDS = ['Next', 'Assign', 'Output'] as const;
const JSONPATH_RULE_FIELDS = ['Variable', ...BOOLEAN_OPERATORS, ...COMPARISON_OPERATORS.keys()];
const KNOWN_RULE_FIELDS = new Set<string>([...JSONPATH_RULE_FIELDS, ...TOP_LEVEL_ONLY_FIELDS, 'Condition', 'Comment']);

const OPERAND_WORDS: Readonly<Record<OperandKind, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  timestamp: 'an RFC 3339 timestamp string such as "2016-03-14T01:59:00Z"',
  path: 'a reference path string',
};

/** Reports a transition (rule `Next`, `Default`) so that the scope can check its target and reachability. */
export type TransitionSink = (target: unknown, segments: PathSegments) => void;

/**
 * Checks a Choice state's rules. "A Choice Rule MUST have a Next field only at the top level"; in JSONPath it holds
 * exactly one comparison or one of And/Or/Not, in JSONata exactly one `Condition`.
 */
export function checkChoiceRules(
  context: ValidationContext,
  state: JsonObject,
  stateName: string,
  segments: PathSegments,
  language: QueryLanguage,
  addTransition: TransitionSink,
): void {
  if (!Array.isArray(state.Choices)) return;
  state.Choices.forEach((rule, index) => {
    const ruleSegments = [...segments, 'Choices', index];
    // Non-object entries are reported by the schema.
    if (!isJsonObject(rule)) return;
    checkRule(context, rule, stateName, ruleSegments, language, true, addTransition);
  });
  if (state.Default !== undefined) addTransition(state.Default, [...segments, 'Default']);
}

function ruleName(segments: PathSegments): string {
  // Choices[0].And[1].Not → "Choices[0].And[1].Not"
  const start = segments.lastIndexOf('Choices');
  let label = '';
  for (const segment of segments.slice(start))
    label += typeof segment === 'number' ? `[${segment}]` : label ? `.${segment}` : segment;
  return label;
}

function checkRule(
  context: ValidationContext,
  rule: JsonObject,
  stateName: string,
  segments: PathSegments,
  language: QueryLanguage,
  topLevel: boolean,
  addTransition: TransitionSink,
): void {
  const where = `Choice rule ${ruleName(segments)} of state '${stateName}'`;

  for (const key of Object.keys(rule)) {
    if (KNOWN_RULE_FIELDS.has(key)) continue;
    if (key === 'End') {
      context.report(
        DiagnosticCode.UnknownField,
        `${where} has 'End', but a Choice state cannot end an execution path: point the rule's Next at a Succeed (or Fail) state instead.`,
        [...segments, key],
      );
      continue;
    }
    const suggestion = suggestName(key, [...KNOWN_RULE_FIELDS]);
    context.report(
      DiagnosticCode.UnknownField,
      `Field '${key}' is not allowed in ${where}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
      [...segments, key],
    );
  }

  if (topLevel) {
    if (rule.Next === undefined) {
      context.report(
        DiagnosticCode.MissingField,
        `${where} has no 'Next': every top-level Choice rule names the state to go to when it matches.`,
        segments,
      );
    } else if (typeof rule.Next !== 'string') {
      context.report(DiagnosticCode.InvalidType, `'Next' of ${where} must be a state name (a string).`, [
        ...segments,
        'Next',
      ]);
    } else {
      addTransition(rule.Next, [...segments, 'Next']);
    }
    if (rule.Assign !== undefined) checkAssign(context, rule.Assign, [...segments, 'Assign'], language);
  } else {
    for (const field of TOP_LEVEL_ONLY_FIELDS) {
      if (rule[field] === undefined) continue;
      context.report(
        DiagnosticCode.InvalidChoiceRule,
        `${where} is nested inside And/Or/Not and cannot have '${field}': only top-level rules ${
          field === 'Next' ? 'choose the next state' : `carry '${field}'`
        }.`,
        [...segments, field],
      );
    }
  }

  if (language === 'JSONata') {
    checkJsonataRule(context, rule, where, segments, topLevel);
    return;
  }
  checkJsonPathRule(context, rule, stateName, where, segments, topLevel, addTransition);
}

function checkJsonataRule(
  context: ValidationContext,
  rule: JsonObject,
  where: string,
  segments: PathSegments,
  topLevel: boolean,
): void {
  for (const field of JSONPATH_RULE_FIELDS) {
    if (rule[field] === undefined) continue;
    context.report(
      DiagnosticCode.FieldNotAllowedInQueryLanguage,
      `'${field}' is a JSONPath Choice field and cannot be used in ${where}, which uses JSONata: write the test as a 'Condition' such as "{% $states.input.x > 1 %}".`,
      [...segments, field],
    );
  }
  if (!topLevel) return;
  const condition = rule.Condition;
  if (condition === undefined) {
    context.report(
      DiagnosticCode.MissingField,
      `${where} has no 'Condition': JSONata Choice rules test a Condition.`,
      segments,
    );
  } else if (typeof condition === 'boolean') {
    // A constant condition is legal, if unusual.
  } else if (isExpressionString(condition) || (typeof condition === 'string' && /^\{%|%\}$/.test(condition))) {
    checkJsonataString(context, condition, [...segments, 'Condition']);
  } else {
    context.report(
      DiagnosticCode.InvalidType,
      `'Condition' of ${where} must be a JSONata expression "{% … %}" (or true/false).`,
      [...segments, 'Condition'],
    );
  }
  if (rule.Output !== undefined) checkJsonataTemplate(context, rule.Output, [...segments, 'Output']);
}

function checkJsonPathRule(
  context: ValidationContext,
  rule: JsonObject,
  stateName: string,
  where: string,
  segments: PathSegments,
  topLevel: boolean,
  addTransition: TransitionSink,
): void {
  for (const field of ['Condition', 'Output'] as const) {
    // A nested rule's Output was already refused for being nested.
    if (rule[field] === undefined || (field === 'Output' && !topLevel)) continue;
    context.report(
      DiagnosticCode.FieldNotAllowedInQueryLanguage,
      `'${field}' is a JSONata Choice field and cannot be used in ${where}, which uses JSONPath${
        field === 'Condition' ? ': use Variable with a comparison operator, or set "QueryLanguage": "JSONata"' : ''
      }.`,
      [...segments, field],
    );
  }

  const operators = Object.keys(rule).filter(
    (key) => COMPARISON_OPERATORS.has(key) || (BOOLEAN_OPERATORS as readonly string[]).includes(key),
  );
  if (operators.length === 0) {
    if (rule.Condition === undefined) {
      context.report(
        DiagnosticCode.InvalidChoiceRule,
        `${where} has no comparison: give it a Variable and one operator (StringEquals, NumericGreaterThan, IsPresent…), or combine rules with And, Or or Not.`,
        segments,
      );
    }
    return;
  }
  if (operators.length > 1) {
    context.report(
      DiagnosticCode.InvalidChoiceRule,
      `${where} has several operators (${operators.join(', ')}); a rule holds exactly one — combine several tests with And or Or.`,
      segments,
    );
    return;
  }
  const operator = operators[0] as string;
  const operand = rule[operator];
  const operandSegments = [...segments, operator];

  if (operator === 'And' || operator === 'Or') {
    if (rule.Variable !== undefined) reportVariableWithBooleanOperator(context, where, operator, segments);
    if (!Array.isArray(operand) || operand.length === 0) {
      context.report(
        DiagnosticCode.InvalidChoiceRule,
        `'${operator}' of ${where} must be a non-empty array of Choice rules.`,
        operandSegments,
      );
      return;
    }
    operand.forEach((nested, index) =>
      checkNestedRule(context, nested, stateName, [...operandSegments, index], addTransition),
    );
    return;
  }
  if (operator === 'Not') {
    if (rule.Variable !== undefined) reportVariableWithBooleanOperator(context, where, operator, segments);
    checkNestedRule(context, operand, stateName, operandSegments, addTransition);
    return;
  }

  if (rule.Variable === undefined) {
    context.report(
      DiagnosticCode.MissingField,
      `${where} uses '${operator}' but has no 'Variable' naming the value to compare.`,
      segments,
    );
  } else if (typeof rule.Variable !== 'string') {
    context.report(DiagnosticCode.InvalidType, `'Variable' of ${where} must be a reference path string.`, [
      ...segments,
      'Variable',
    ]);
  } else {
    checkPathField(context, rule.Variable, [...segments, 'Variable'], PathKind.ReferencePath);
  }
  checkOperand(context, operator, operand, where, operandSegments);
}

function checkNestedRule(
  context: ValidationContext,
  nested: unknown,
  stateName: string,
  segments: PathSegments,
  addTransition: TransitionSink,
): void {
  if (!isJsonObject(nested)) {
    context.report(
      DiagnosticCode.InvalidChoiceRule,
      `Choice rule ${ruleName(segments)} of state '${stateName}' must be an object.`,
      segments,
    );
    return;
  }
  checkRule(context, nested, stateName, segments, 'JSONPath', false, addTransition);
}

function reportVariableWithBooleanOperator(
  context: ValidationContext,
  where: string,
  operator: string,
  segments: PathSegments,
): void {
  context.report(
    DiagnosticCode.InvalidChoiceRule,
    `${where} combines rules with '${operator}' and cannot also have a 'Variable': put the Variable in the nested rules.`,
    [...segments, 'Variable'],
  );
}

function checkOperand(
  context: ValidationContext,
  operator: string,
  operand: unknown,
  where: string,
  segments: PathSegments,
): void {
  const kind = COMPARISON_OPERATORS.get(operator);
  if (kind === undefined) return;
  const valid =
    kind === 'number'
      ? typeof operand === 'number'
      : kind === 'boolean'
        ? typeof operand === 'boolean'
        : typeof operand === 'string';
  if (!valid) {
    context.report(
      DiagnosticCode.InvalidType,
      `'${operator}' of ${where} must be ${OPERAND_WORDS[kind]}, but it is ${JSON.stringify(operand)}.`,
      segments,
    );
    return;
  }
  if (kind === 'path') checkPathField(context, operand, segments, PathKind.ReferencePath);
  if (kind === 'timestamp' && typeof operand === 'string' && !isRfc3339Timestamp(operand)) {
    context.report(
      DiagnosticCode.InvalidTimestamp,
      `'${operator}' of ${where} is ${JSON.stringify(operand)}, which is not an RFC 3339 timestamp (e.g. "2016-03-14T01:59:00Z").`,
      segments,
    );
  }
}
