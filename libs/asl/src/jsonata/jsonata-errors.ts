import { PredefinedErrorName, StatesError } from '../errors/states-error';
import type { JsonValue } from '../json';

/**
 * `States.QueryEvaluationError` raised by a JSONata expression, with what the `EvaluationFailed` history event needs:
 * AWS records the field (`location`, e.g. `Output/result`) beside the error and cause.
 *
 * The cause is AWS's text without the prefix "An error occurred while executing the state 'X' (entered at the event
 * id #N). ", which only the interpreter knows and adds.
 */
export class JsonataEvaluationError extends StatesError {
  constructor(
    cause: string,
    /** The expression as AWS quotes it: the text between `{%` and `%}`, trimmed. */
    readonly expression: string,
    /** The field the expression was written in, `/`-separated below the top-level field (`Arguments/FunctionName`). */
    readonly location: string | undefined,
  ) {
    super(PredefinedErrorName.QueryEvaluationError, cause);
    this.name = 'JsonataEvaluationError';
  }
}

/** The text between `{%` and `%}`, trimmed: how AWS quotes an expression in its error causes. */
export function jsonataExpressionBody(expressionText: string): string {
  const inner =
    expressionText.startsWith('{%') && expressionText.endsWith('%}') ? expressionText.slice(2, -2) : expressionText;
  return inner.trim();
}

/** The JSON type name AWS uses in "Expected 'array', but was 'string'". */
export function jsonValueTypeName(value: JsonValue): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return 'boolean';
}

function subject(expression: string, location: string | undefined): string {
  return location === undefined
    ? `The JSONata expression '${expression}'`
    : `The JSONata expression '${expression}' specified for the field '${location}'`;
}

/** AWS: "The JSONata expression '$x' specified for the field 'Output/result' returned nothing (undefined)." */
export function jsonataUndefinedResultError(
  expressionText: string,
  location: string | undefined,
): JsonataEvaluationError {
  const expression = jsonataExpressionBody(expressionText);
  return new JsonataEvaluationError(
    `${subject(expression, location)} returned nothing (undefined).`,
    expression,
    location,
  );
}

/** AWS, for a function (or anything else JSON cannot hold): "… specified for the field 'Items' returned an unsupported result type." */
export function jsonataUnsupportedResultError(
  expressionText: string,
  location: string | undefined,
): JsonataEvaluationError {
  const expression = jsonataExpressionBody(expressionText);
  return new JsonataEvaluationError(
    `${subject(expression, location)} returned an unsupported result type.`,
    expression,
    location,
  );
}

/**
 * AWS, when a field needs a given JSON type (Map `Items` an array, Choice `Condition` a boolean…):
 * "… specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: "s"".
 * The value is compact JSON.
 */
export function jsonataResultTypeError(
  expressionText: string,
  location: string,
  expectedType: string,
  value: JsonValue,
): JsonataEvaluationError {
  const expression = jsonataExpressionBody(expressionText);
  return new JsonataEvaluationError(
    `${subject(expression, location)} returned an unexpected result type. Expected '${expectedType}', but was ` +
      `'${jsonValueTypeName(value)}' for value: ${JSON.stringify(value)}`,
    expression,
    location,
  );
}

/** AWS: "… specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function". */
export function jsonataThrewError(
  expressionText: string,
  location: string | undefined,
  detail: string,
): JsonataEvaluationError {
  const expression = jsonataExpressionBody(expressionText);
  return new JsonataEvaluationError(
    `${subject(expression, location)} threw an error during evaluation. ${detail}`,
    expression,
    location,
  );
}
