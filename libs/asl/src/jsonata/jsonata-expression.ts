// CONTRACT STUB — to be implemented (helper C). Signatures are the contract; keep them.
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';

/** The `$states` reserved variable's data fields, besides `context` which comes from the evaluation context. */
export interface StatesBinding {
  readonly input: JsonValue;
  readonly result?: JsonValue;
  readonly errorOutput?: JsonValue;
}

/** True when a string is a whole JSONata expression: `{% … %}`. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

/** A message describing why the `{% … %}` text does not parse, or undefined when it does. */
export function checkJsonataSyntax(expressionText: string): string | undefined {
  void expressionText;
  throw new Error('not implemented');
}

/** Evaluates one `{% … %}` expression. Failures are `States.QueryEvaluationError` StatesErrors. */
export async function evaluateJsonata(
  expressionText: string,
  states: StatesBinding,
  context: EvaluationContext,
): Promise<JsonValue | undefined> {
  void expressionText;
  void states;
  void context;
  throw new Error('not implemented');
}

/**
 * Evaluates a JSONata-mode field value (Arguments, Output, Assign, Items…): every string that is a whole
 * `{% … %}` expression, at any depth, is replaced by its value; other values are kept as they are.
 */
export async function evaluateJsonataTemplate(
  template: JsonValue,
  states: StatesBinding,
  context: EvaluationContext,
  fieldName: string,
): Promise<JsonValue> {
  void template;
  void states;
  void context;
  void fieldName;
  throw new Error('not implemented');
}
