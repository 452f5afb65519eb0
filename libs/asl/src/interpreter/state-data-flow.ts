/**
 * The ASL data flow of every state, in one place.
 *
 * JSONPath states:  raw input ─InputPath─► ─Parameters─► effective input ─(action)─► result
 *                   result ─ResultSelector─► ─ResultPath (onto the raw input)─► ─OutputPath─► output
 *                   Assign reads the selected result as `$`; a catcher's ResultPath places {Error, Cause}.
 * JSONata states:   Arguments reads `$states.input`; Output and Assign read `$states.input` and `$states.result`
 *                   (a catcher's read `$states.errorOutput`); Output defaults to the result.
 *
 * "Assign ... evaluated before the state's Output, and all variable values are those from before the state ran"
 * (AWS, Step Functions variables): every expression of one Assign sees the variables as they were on entry.
 */
import { resolvePayloadTemplate } from '../data-flow/payload-template';
import type { Catcher, QueryLanguage, StateDefinition } from '../definition/definition.types';
import { runtimeError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import { evaluateJsonataTemplate, type StatesBinding } from '../jsonata/jsonata-expression';
import type { JsonObject, JsonValue } from '../json';
import { applyResultPath, evaluateJsonPath, PathNotFoundError } from '../paths/json-path';

/** How a state's fields are evaluated: its query language and what paths and expressions may read. */
export interface StateEvaluation {
  readonly queryLanguage: QueryLanguage;
  readonly context: EvaluationContext;
}

/** A state's output and the variables its Assign sets (undefined when it has no Assign). */
export interface StateOutcome {
  readonly output: JsonValue;
  readonly assigned?: JsonObject;
}

/**
 * InputPath (`null` gives `{}`): "If the value of InputPath is null, the state's input is an empty JSON object".
 * A path that selects nothing is a `States.Runtime` error.
 */
export function applyInputPath(rawInput: JsonValue, inputPath: string | null | undefined, context: EvaluationContext): JsonValue {
  if (inputPath === undefined || inputPath === '$') return rawInput;
  if (inputPath === null) return {};
  return evaluatePathOrRuntimeError(inputPath, rawInput, context);
}

/**
 * A value now, or later when a JSONata expression had to be awaited. JSONPath states never wait, so their
 * whole data flow runs synchronously: no promise per state on the interpreter's hot path.
 */
export type MaybePromise<T> = T | Promise<T>;

/** The effective input of a state's action: InputPath then Parameters (JSONPath), or Arguments (JSONata). */
export function effectiveInput(state: StateDefinition, rawInput: JsonValue, evaluation: StateEvaluation): MaybePromise<JsonValue> {
  const { context } = evaluation;
  if (evaluation.queryLanguage === 'JSONata') {
    if (state.Arguments === undefined) return rawInput;
    return evaluateJsonataTemplate(state.Arguments, { input: rawInput }, context, 'Arguments');
  }
  const afterInputPath = applyInputPath(rawInput, state.InputPath, context);
  // A Map's Parameters is its legacy ItemSelector: it shapes each item, not the state's input.
  if (state.Parameters === undefined || state.Type === 'Map') return afterInputPath;
  return resolvePayloadTemplate(state.Parameters, afterInputPath, context, 'Parameters');
}

/** Turns a state's result into its output and assigned variables. */
export function stateOutcome(
  state: StateDefinition,
  rawInput: JsonValue,
  result: JsonValue,
  evaluation: StateEvaluation,
): MaybePromise<StateOutcome> {
  const { context } = evaluation;
  if (evaluation.queryLanguage === 'JSONata') return jsonataStateOutcome(state, { input: rawInput, result }, result, context);
  const selected =
    state.ResultSelector === undefined
      ? result
      : resolvePayloadTemplate(state.ResultSelector, result, context, 'ResultSelector');
  const assigned =
    state.Assign === undefined ? undefined : (resolvePayloadTemplate(state.Assign, selected, context, 'Assign') as JsonObject);
  const combined = applyResultPath(rawInput, state.ResultPath, selected);
  return withAssigned(applyOutputPath(combined, state.OutputPath, context), assigned);
}

async function jsonataStateOutcome(
  fields: { Assign?: JsonObject; Output?: JsonValue },
  states: StatesBinding,
  defaultOutput: JsonValue,
  context: EvaluationContext,
): Promise<StateOutcome> {
  const assigned = fields.Assign === undefined ? undefined : await assignJsonata(fields.Assign, states, context);
  const output =
    fields.Output === undefined ? defaultOutput : await evaluateJsonataTemplate(fields.Output, states, context, 'Output');
  return withAssigned(output, assigned);
}

/**
 * A Choice state's outcome: no result, so `$` of Assign and the JSONPath output are the (InputPath-filtered) input.
 * The matched rule's Assign/Output (JSONata) apply together with the state's own.
 */
export function choiceOutcome(
  state: StateDefinition,
  rawInput: JsonValue,
  rule: { Assign?: JsonObject; Output?: JsonValue } | undefined,
  evaluation: StateEvaluation,
): MaybePromise<StateOutcome> {
  const { context } = evaluation;
  const assignField = rule?.Assign ?? state.Assign;
  if (evaluation.queryLanguage === 'JSONata') {
    const outputField = rule?.Output ?? state.Output;
    return jsonataStateOutcome(
      { ...(assignField === undefined ? {} : { Assign: assignField }), ...(outputField === undefined ? {} : { Output: outputField }) },
      { input: rawInput },
      rawInput,
      context,
    );
  }
  const input = applyInputPath(rawInput, state.InputPath, context);
  const assigned =
    assignField === undefined ? undefined : (resolvePayloadTemplate(assignField, input, context, 'Assign') as JsonObject);
  return withAssigned(applyOutputPath(input, state.OutputPath, context), assigned);
}

/** A catcher's outcome: the error output `{Error, Cause}` placed by ResultPath (JSONPath) or shaped by Output. */
export function caughtOutcome(
  catcher: Catcher,
  rawInput: JsonValue,
  errorOutput: JsonObject,
  evaluation: StateEvaluation,
): MaybePromise<StateOutcome> {
  const { context } = evaluation;
  if (evaluation.queryLanguage === 'JSONata') return jsonataStateOutcome(catcher, { input: rawInput, errorOutput }, errorOutput, context);
  const assigned =
    catcher.Assign === undefined
      ? undefined
      : (resolvePayloadTemplate(catcher.Assign, errorOutput, context, 'Assign') as JsonObject);
  return withAssigned(applyResultPath(rawInput, catcher.ResultPath, errorOutput), assigned);
}

/** OutputPath: `null` gives `{}`, a path that selects nothing is a `States.Runtime` error. */
export function applyOutputPath(value: JsonValue, outputPath: string | null | undefined, context: EvaluationContext): JsonValue {
  if (outputPath === undefined || outputPath === '$') return value;
  if (outputPath === null) return {};
  return evaluatePathOrRuntimeError(outputPath, value, context);
}

/** Evaluates a path, reporting a miss as AWS does: `Invalid path '<path>' : <what is missing>`. */
export function evaluatePathOrRuntimeError(path: string, input: JsonValue, context: EvaluationContext): JsonValue {
  try {
    return evaluateJsonPath(path, input, context);
  } catch (e) {
    if (e instanceof PathNotFoundError) throw runtimeError(`Invalid path '${path}' : ${e.message}`);
    throw e;
  }
}

async function assignJsonata(assign: JsonObject, states: StatesBinding, context: EvaluationContext): Promise<JsonObject> {
  return (await evaluateJsonataTemplate(assign, states, context, 'Assign')) as JsonObject;
}

function withAssigned(output: JsonValue, assigned: JsonObject | undefined): StateOutcome {
  return assigned === undefined ? { output } : { output, assigned };
}
