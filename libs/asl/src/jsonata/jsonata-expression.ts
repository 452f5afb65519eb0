import jsonata from 'jsonata';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonObject, JsonValue } from '../json';
import { jsonataThrewError, jsonataUndefinedResultError, jsonataUnsupportedResultError } from './jsonata-errors';
import {
  EVALUATION_SCOPE_BINDING,
  installStepFunctionsFunctions,
  type JsonataEvaluationScope,
} from './jsonata-functions';

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

/** An expression parsed once, with the workflow variables it reads. */
interface CompiledExpression {
  readonly expression: jsonata.Expression | undefined;
  /** Set when the text does not parse: `S0203: Expected ")" before end of expression (at position 5)`. */
  readonly syntaxError: string | undefined;
  /** Names read as `$name` outside call position; `$states` among them when used. */
  readonly variableNames: readonly string[];
}

/**
 * Parsed expressions by their `{% … %}` text. A definition has a bounded set of expressions and executions evaluate
 * them again and again, so each is parsed once; the cap only guards a service that sees endless distinct definitions.
 */
const compiledExpressions = new Map<string, CompiledExpression>();
const MAX_COMPILED_EXPRESSIONS = 10_000;

interface JsonataError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly position?: unknown;
}

function describeJsonataError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as JsonataError;
    const text = typeof message === 'string' ? message : String(error);
    return typeof code === 'string' ? `${code}: ${text}` : text;
  }
  return String(error);
}

/**
 * The workflow variables an expression reads. VariableLookup can only answer for one name, so the names come from
 * the syntax tree: every `variable` node except a called function's name (`$uuid()` must stay the function even
 * when a workflow variable is called `uuid`; a JSON variable could never be called anyway). Names bound inside the
 * expression (`$x := …`, lambda parameters) are collected too; binding them from outside is harmless since the
 * inner binding shadows it.
 */
function referencedVariableNames(ast: jsonata.ExprNode): string[] {
  const names = new Set<string>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const record = node as Record<string, unknown>;
    if (record['type'] === 'variable' && typeof record['value'] === 'string' && record['value'] !== '') {
      names.add(record['value']);
    }
    const callsNamedFunction =
      (record['type'] === 'function' || record['type'] === 'partial') &&
      (record['procedure'] as { type?: unknown } | undefined)?.type === 'variable';
    for (const [key, child] of Object.entries(record)) {
      if (callsNamedFunction && key === 'procedure') continue;
      visit(child);
    }
  };
  visit(ast);
  return [...names];
}

function compile(expressionText: string): CompiledExpression {
  const cached = compiledExpressions.get(expressionText);
  if (cached !== undefined) return cached;
  let compiled: CompiledExpression;
  try {
    const expression = jsonata(expressionText.slice(2, -2));
    installStepFunctionsFunctions(expression);
    compiled = { expression, syntaxError: undefined, variableNames: referencedVariableNames(expression.ast()) };
  } catch (error) {
    const position = (error as JsonataError).position;
    const where = typeof position === 'number' ? ` (at position ${position})` : '';
    compiled = { expression: undefined, syntaxError: `${describeJsonataError(error)}${where}`, variableNames: [] };
  }
  if (compiledExpressions.size >= MAX_COMPILED_EXPRESSIONS) {
    const oldest = compiledExpressions.keys().next();
    if (oldest.done !== true) compiledExpressions.delete(oldest.value);
  }
  compiledExpressions.set(expressionText, compiled);
  return compiled;
}

/** A message describing why the `{% … %}` text does not parse, or undefined when it does. */
export function checkJsonataSyntax(expressionText: string): string | undefined {
  if (!isJsonataExpression(expressionText)) {
    return 'A JSONata expression must start with {% and end with %}';
  }
  if (expressionText.slice(2, -2).trim() === '') return 'The JSONata expression is empty';
  return compile(expressionText).syntaxError;
}

/** Why a result cannot become JSON: it holds a function, a regex matcher or a non-finite number. */
class UnsupportedResult extends Error {}

function isJsonataFunction(value: object): boolean {
  const record = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return record._jsonata_lambda === true || record._jsonata_function === true;
}

/**
 * A JSONata result as plain JSON: sequences become ordinary arrays, object members that are undefined are dropped
 * (JSONata never produces them, JSON cannot hold them), `-0` becomes `0` (what AWS serialises for `$parse('-0')`).
 */
function toJson(value: unknown): JsonValue | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new UnsupportedResult();
      return value === 0 ? 0 : value;
    case 'object': {
      if (value === null) return null;
      if (isJsonataFunction(value)) throw new UnsupportedResult();
      if (Array.isArray(value)) {
        const items: JsonValue[] = [];
        for (const item of value as unknown[]) {
          const json = toJson(item);
          if (json !== undefined) items.push(json);
        }
        return items;
      }
      const object: JsonObject = {};
      for (const [key, member] of Object.entries(value)) {
        const json = toJson(member);
        if (json !== undefined) object[key] = json;
      }
      return object;
    }
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new UnsupportedResult();
  }
}

/**
 * Evaluates an expression and returns its JSON value, or undefined when it returned nothing. Every failure is a
 * {@link JsonataEvaluationError} naming `location` when given.
 */
async function evaluateAt(
  expressionText: string,
  states: StatesBinding,
  context: EvaluationContext,
  location: string | undefined,
): Promise<JsonValue | undefined> {
  const compiled = compile(expressionText);
  if (compiled.expression === undefined) {
    throw jsonataThrewError(expressionText, location, compiled.syntaxError ?? 'Syntax error');
  }
  const scope: JsonataEvaluationScope = { ports: context.ports, contextObject: context.contextObject, frames: 0 };
  const bindings: Record<string, unknown> = { [EVALUATION_SCOPE_BINDING]: scope };
  for (const name of compiled.variableNames) {
    if (name === 'states') {
      bindings['states'] = { ...states, context: context.contextObject };
    } else {
      const value = context.variables.get(name);
      if (value !== undefined) bindings[name] = value;
    }
  }
  let raw: unknown;
  try {
    // No input document: AWS gives expressions no `$` context; everything is reached through `$states` and variables.
    raw = await compiled.expression.evaluate(undefined, bindings);
  } catch (error) {
    throw jsonataThrewError(expressionText, location, describeJsonataError(error));
  }
  try {
    return toJson(raw);
  } catch (error) {
    if (error instanceof UnsupportedResult) throw jsonataUnsupportedResultError(expressionText, location);
    throw error;
  }
}

/**
 * Evaluates one `{% … %}` expression. Failures are `States.QueryEvaluationError` StatesErrors
 * (`JsonataEvaluationError`); `undefined` means the expression returned nothing, which the caller judges.
 * Prefer {@link evaluateJsonataField} where the field is known: AWS names it in the cause.
 */
export async function evaluateJsonata(
  expressionText: string,
  states: StatesBinding,
  context: EvaluationContext,
): Promise<JsonValue | undefined> {
  return evaluateAt(expressionText, states, context, undefined);
}

/**
 * Evaluates the expression written in field `fieldName` (e.g. `TimeoutSeconds`, `Items`, `Output/result`), which
 * must produce a value: AWS fails with "The JSONata expression '…' specified for the field '…' returned nothing
 * (undefined)." otherwise.
 */
export async function evaluateJsonataField(
  expressionText: string,
  states: StatesBinding,
  context: EvaluationContext,
  fieldName: string,
): Promise<JsonValue> {
  const value = await evaluateAt(expressionText, states, context, fieldName);
  if (value === undefined) throw jsonataUndefinedResultError(expressionText, fieldName);
  return value;
}

async function evaluateTemplateAt(
  template: JsonValue,
  states: StatesBinding,
  context: EvaluationContext,
  location: string,
): Promise<JsonValue> {
  if (isJsonataExpression(template)) return evaluateJsonataField(template, states, context, location);
  if (Array.isArray(template)) {
    const items: JsonValue[] = [];
    // One after the other, never in parallel: `$uuid()`/`$random()` must draw from the ports in a fixed order.
    for (const [index, item] of template.entries()) {
      items.push(await evaluateTemplateAt(item, states, context, `${location}/${index}`));
    }
    return items;
  }
  if (typeof template === 'object' && template !== null) {
    const object: JsonObject = {};
    for (const [key, member] of Object.entries(template)) {
      object[key] = await evaluateTemplateAt(member, states, context, `${location}/${key}`);
    }
    return object;
  }
  return template;
}

/**
 * Evaluates a JSONata-mode field value (Arguments, Output, Assign, Items…): every string that is a whole
 * `{% … %}` expression, at any depth, is replaced by its value; other values are kept as they are.
 * An expression that returns nothing fails, naming its place the way AWS does: `Output/result`, `Assign/name`
 * (array items by index, `Items/1`, which AWS's recorded errors do not show).
 */
export async function evaluateJsonataTemplate(
  template: JsonValue,
  states: StatesBinding,
  context: EvaluationContext,
  fieldName: string,
): Promise<JsonValue> {
  return evaluateTemplateAt(template, states, context, fieldName);
}
