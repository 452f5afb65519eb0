import type { QueryLanguage } from '../definition/definition.types';
import { isJsonObject } from '../json';
import type { JsonObject } from '../json';
import { STATE_TYPES } from './asl.schema';
import { checkChoiceRules } from './choice-rule.validator';
import type { TransitionSink } from './choice-rule.validator';
import { checkErrorHandling } from './error-handling.validator';
import { checkMap } from './map-state.validator';
import { DiagnosticCode, toJsonPointer } from './diagnostic';
import {
  capitalize,
  checkAssign,
  checkJsonataString,
  checkJsonataTemplate,
  checkPathField,
  checkPayloadTemplate,
  isExpressionString,
  PathKind,
} from './expression.validator';
import { checkTaskResource } from './resource.validator';
import { isRfc3339Timestamp } from './rfc3339-timestamp';
import type { PathSegments, ValidationContext } from './validation-context';

/** AWS: "State names must be unique within the scope of the whole state machine" and at most 80 characters long. */
const MAX_STATE_NAME_LENGTH = 80;
const TRANSITION_STATE_TYPES = new Set(['Task', 'Pass', 'Wait', 'Parallel', 'Map']);
const STATE_TYPE_NAMES = new Set<string>(STATE_TYPES);

/**
 * Fields only one query language understands. For the other, a hint says what to write instead — users converting
 * a state from JSONPath to JSONata meet these first.
 */
const JSONPATH_ONLY_FIELDS: Readonly<Record<string, string>> = {
  InputPath: "read the input with $states.input inside 'Arguments' or 'Output'",
  OutputPath: "shape the state output with 'Output'",
  Parameters: "use 'Arguments'",
  ResultSelector: "shape the result with 'Output' ($states.result)",
  ResultPath: "combine input and result in 'Output', or keep values with 'Assign'",
  Result: "use 'Output'",
  ItemsPath: "use 'Items'",
  TimeoutSecondsPath: "give 'TimeoutSeconds' a JSONata expression",
  HeartbeatSecondsPath: "give 'HeartbeatSeconds' a JSONata expression",
  SecondsPath: "give 'Seconds' a JSONata expression",
  TimestampPath: "give 'Timestamp' a JSONata expression",
  ErrorPath: "give 'Error' a JSONata expression",
  CausePath: "give 'Cause' a JSONata expression",
  MaxConcurrencyPath: "give 'MaxConcurrency' a JSONata expression",
  ToleratedFailurePercentagePath: "give 'ToleratedFailurePercentage' a JSONata expression",
  ToleratedFailureCountPath: "give 'ToleratedFailureCount' a JSONata expression",
};
const JSONATA_ONLY_FIELDS: Readonly<Record<string, string>> = {
  Arguments: "use 'Parameters'",
  Output: "use 'OutputPath' or 'ResultSelector'",
  Items: "use 'ItemsPath'",
};

/** Fields holding numbers in JSONPath states that JSONata states may instead compute with `{% … %}`. */
const NUMERIC_FIELDS = [
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'Seconds',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
] as const;

/** Pairs of a literal field and its `…Path` twin: a state may have one or the other. */
const EXCLUSIVE_PAIRS: readonly (readonly [string, string])[] = [
  ['TimeoutSeconds', 'TimeoutSecondsPath'],
  ['HeartbeatSeconds', 'HeartbeatSecondsPath'],
  ['Error', 'ErrorPath'],
  ['Cause', 'CausePath'],
  ['MaxConcurrency', 'MaxConcurrencyPath'],
  ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
  ['ToleratedFailureCount', 'ToleratedFailureCountPath'],
  ['ItemProcessor', 'Iterator'],
  ['ItemSelector', 'Parameters'],
];

const REFERENCE_PATH_FIELDS = [
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ItemsPath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
] as const;

interface Transition {
  readonly target: string;
  readonly segments: PathSegments;
  readonly from: string;
  readonly field: string;
}

/** One state machine, Parallel branch or Map item processor: its states may only transition among themselves. */
interface Scope {
  readonly segments: PathSegments;
  readonly states: JsonObject;
  readonly description: string;
}

/**
 * The checks a JSON Schema cannot express, over a definition the schema may also have refused: every read is
 * guarded, and a problem the schema already reports (wrong type, missing field) is not reported again here.
 */
export function checkStateMachine(context: ValidationContext, definition: JsonObject): void {
  const firstDeclaration = new Map<string, PathSegments>();
  collectStateNames(context, definition, [], firstDeclaration);
  checkScope(context, definition, [], 'the state machine', firstDeclaration);
}

/** Records where each state name is first declared and reports names used twice anywhere in the definition. */
function collectStateNames(
  context: ValidationContext,
  scope: JsonObject,
  segments: PathSegments,
  firstDeclaration: Map<string, PathSegments>,
): void {
  if (!isJsonObject(scope.States)) return;
  for (const [name, state] of Object.entries(scope.States)) {
    const stateSegments = [...segments, 'States', name];
    const earlier = firstDeclaration.get(name);
    if (earlier) {
      context.report(
        DiagnosticCode.DuplicateStateName,
        `State name '${name}' is already used at ${toJsonPointer(earlier)}; state names must be unique across the whole state machine, including Parallel branches and Map processors.`,
        stateSegments,
      );
    } else {
      firstDeclaration.set(name, stateSegments);
    }
    if (name.trim() === '') {
      context.report(DiagnosticCode.InvalidStateName, 'A state name cannot be empty or blank.', stateSegments);
    } else if ([...name].length > MAX_STATE_NAME_LENGTH) {
      context.report(
        DiagnosticCode.InvalidStateName,
        `State name '${name}' is ${[...name].length} characters long; state names are limited to ${MAX_STATE_NAME_LENGTH}.`,
        stateSegments,
      );
    }
    if (!isJsonObject(state)) continue;
    for (const child of nestedScopes(state, stateSegments))
      collectStateNames(context, child.scope, child.segments, firstDeclaration);
  }
}

function nestedScopes(
  state: JsonObject,
  stateSegments: PathSegments,
): { scope: JsonObject; segments: PathSegments; description: string }[] {
  const scopes: { scope: JsonObject; segments: PathSegments; description: string }[] = [];
  const name = String(stateSegments.at(-1));
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
    state.Branches.forEach((branch, index) => {
      if (isJsonObject(branch)) {
        scopes.push({
          scope: branch,
          segments: [...stateSegments, 'Branches', index],
          description: `branch ${index + 1} of Parallel state '${name}'`,
        });
      }
    });
  }
  if (state.Type === 'Map') {
    for (const field of ['ItemProcessor', 'Iterator'] as const) {
      const processor = state[field];
      if (isJsonObject(processor)) {
        scopes.push({
          scope: processor,
          segments: [...stateSegments, field],
          description: `the ${field} of Map state '${name}'`,
        });
      }
    }
  }
  return scopes;
}

function checkScope(
  context: ValidationContext,
  scopeObject: JsonObject,
  segments: PathSegments,
  description: string,
  firstDeclaration: ReadonlyMap<string, PathSegments>,
): void {
  if (!isJsonObject(scopeObject.States)) return;
  const scope: Scope = { segments, states: scopeObject.States, description };
  const transitions: Transition[] = [];

  for (const [name, state] of Object.entries(scope.states)) {
    if (!isJsonObject(state)) continue;
    const stateSegments = [...segments, 'States', name];
    checkState(context, name, state, stateSegments, (target, targetSegments) => {
      if (typeof target === 'string') {
        transitions.push({ target, segments: targetSegments, from: name, field: String(targetSegments.at(-1)) });
      }
    });
    for (const child of nestedScopes(state, stateSegments)) {
      checkScope(context, child.scope, child.segments, child.description, firstDeclaration);
    }
  }

  let missingTargets = 0;
  for (const transition of transitions) {
    if (Object.hasOwn(scope.states, transition.target)) continue;
    missingTargets++;
    context.report(
      DiagnosticCode.MissingTransitionTarget,
      `State '${transition.from}' has ${describeTransitionField(transition)} '${transition.target}', but no state named '${transition.target}' exists in ${scope.description}.${elsewhereHint(transition.target, scope, firstDeclaration)}`,
      transition.segments,
    );
  }

  const startAt = scopeObject.StartAt;
  const startExists = typeof startAt === 'string' && Object.hasOwn(scope.states, startAt);
  if (typeof startAt === 'string' && !startExists) {
    context.report(
      DiagnosticCode.MissingTransitionTarget,
      `StartAt of ${scope.description} is '${startAt}', but no state named '${startAt}' exists there.${elsewhereHint(startAt, scope, firstDeclaration)}`,
      [...segments, 'StartAt'],
    );
  }
  if (startExists) reportUnreachableStates(context, scope, startAt, transitions);

  const hasTerminal = Object.values(scope.states).some(
    (state) => isJsonObject(state) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail'),
  );
  // A state the schema refused (not an object, unknown Type), or a missing transition target, may well be the
  // terminal state the author meant: the problem is already reported, say nothing more.
  const allWellFormed = Object.values(scope.states).every(
    (state) => isJsonObject(state) && typeof state.Type === 'string' && STATE_TYPE_NAMES.has(state.Type),
  );
  if (!hasTerminal && allWellFormed && missingTargets === 0 && Object.keys(scope.states).length > 0) {
    context.report(
      DiagnosticCode.NoTerminalState,
      `${capitalize(scope.description)} has no terminal state: at least one state must have "End": true or be a Succeed or Fail state, or executions could never finish.`,
      [...segments, 'States'],
    );
  }
}

function describeTransitionField(transition: Transition): string {
  const path = transition.segments;
  const catchIndex = path.lastIndexOf('Catch');
  if (catchIndex >= 0 && path.length === catchIndex + 3) return `Catch[${String(path[catchIndex + 1])}].Next`;
  const choicesIndex = path.lastIndexOf('Choices');
  if (choicesIndex >= 0 && path.length === choicesIndex + 3) return `Choices[${String(path[choicesIndex + 1])}].Next`;
  return transition.field;
}

function elsewhereHint(target: string, scope: Scope, firstDeclaration: ReadonlyMap<string, PathSegments>): string {
  const declared = firstDeclaration.get(target);
  if (!declared) return '';
  return ` A state '${target}' exists at ${toJsonPointer(declared)}, in another scope: Parallel branches and Map processors cannot transition across their boundary.`;
}

function reportUnreachableStates(
  context: ValidationContext,
  scope: Scope,
  startAt: string,
  transitions: readonly Transition[],
): void {
  const successors = new Map<string, string[]>();
  for (const transition of transitions) {
    const list = successors.get(transition.from) ?? [];
    list.push(transition.target);
    successors.set(transition.from, list);
  }
  const reached = new Set<string>([startAt]);
  const pending = [startAt];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const next of successors.get(name) ?? []) {
      if (reached.has(next) || !Object.hasOwn(scope.states, next)) continue;
      reached.add(next);
      pending.push(next);
    }
  }
  for (const name of Object.keys(scope.states)) {
    if (reached.has(name)) continue;
    context.report(
      DiagnosticCode.UnreachableState,
      `State '${name}' is never reached: no transition leads to it from StartAt '${startAt}' in ${scope.description}. Remove it or point a Next, Default or Catch at it.`,
      [...scope.segments, 'States', name],
    );
  }
}

function effectiveQueryLanguage(context: ValidationContext, state: JsonObject): QueryLanguage {
  return state.QueryLanguage === 'JSONata' || state.QueryLanguage === 'JSONPath'
    ? state.QueryLanguage
    : context.topLevelQueryLanguage;
}

function checkState(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  addTransition: TransitionSink,
): void {
  const type = state.Type;
  const language = effectiveQueryLanguage(context, state);
  const where = `state '${name}'`;

  if (state.QueryLanguage === 'JSONPath' && context.topLevelQueryLanguage === 'JSONata') {
    context.report(
      DiagnosticCode.QueryLanguageDowngrade,
      `State '${name}' sets "QueryLanguage": "JSONPath", but the state machine uses JSONata: a state can opt into JSONata in a JSONPath state machine, not the reverse.`,
      [...segments, 'QueryLanguage'],
    );
  }

  if (typeof type === 'string' && TRANSITION_STATE_TYPES.has(type))
    checkNextOrEnd(context, name, state, segments, addTransition);
  checkQueryLanguageFields(context, name, state, segments, language);
  checkExclusiveFields(context, name, state, segments);
  checkFieldValues(context, state, segments, language);

  if (type === 'Task') {
    checkTaskResource(context, state.Resource, [...segments, 'Resource'], name);
    checkTaskTimeouts(context, name, state, segments);
    checkCredentials(context, where, state.Credentials, [...segments, 'Credentials'], language);
  } else if (type === 'Map') {
    checkMap(context, name, state, segments, language);
  } else if (type === 'Choice') {
    checkChoiceRules(context, state, name, segments, language, addTransition);
  } else if (type === 'Wait') {
    checkWait(context, name, state, segments, language);
  }
  if (type === 'Task' || type === 'Parallel' || type === 'Map') {
    checkErrorHandling(context, name, state, segments, language, addTransition);
  }
}

function checkNextOrEnd(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  addTransition: TransitionSink,
): void {
  const hasNext = state.Next !== undefined;
  if (hasNext) addTransition(state.Next, [...segments, 'Next']);
  if (hasNext && state.End === true) {
    context.report(
      DiagnosticCode.NextAndEnd,
      `State '${name}' has both "Next" and "End": true; a state either moves on to Next or ends its execution path — remove one.`,
      segments,
    );
  } else if (!hasNext && state.End !== true) {
    context.report(
      DiagnosticCode.MissingNextOrEnd,
      `State '${name}' (${String(state.Type)}) has neither "Next" nor "End": true; say which state comes next, or end the execution path here.`,
      segments,
    );
  }
}

function checkQueryLanguageFields(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  const [forbidden, other] =
    language === 'JSONata' ? [JSONPATH_ONLY_FIELDS, 'JSONPath'] : [JSONATA_ONLY_FIELDS, 'JSONata'];
  const origin = state.QueryLanguage === undefined ? ' (inherited from the state machine)' : '';
  for (const [field, hint] of Object.entries(forbidden)) {
    if (state[field] === undefined) continue;
    context.report(
      DiagnosticCode.FieldNotAllowedInQueryLanguage,
      `'${field}' is a ${other} field, but state '${name}' uses ${language}${origin}: ${hint}` +
        (language === 'JSONPath' ? `, or set "QueryLanguage": "JSONata" on the state.` : '.'),
      [...segments, field],
    );
  }
}

function checkExclusiveFields(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
): void {
  for (const [first, second] of EXCLUSIVE_PAIRS) {
    if (state[first] === undefined || state[second] === undefined) continue;
    context.report(
      DiagnosticCode.MutuallyExclusiveFields,
      `State '${name}' has both '${first}' and '${second}'; use only one of them.`,
      [...segments, second],
    );
  }
}

/** Path syntax, payload templates, JSONata strings and numeric/timestamp literals of the state's own fields. */
function checkFieldValues(
  context: ValidationContext,
  state: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  const at = (field: string): PathSegments => [...segments, field];
  if (language === 'JSONPath') {
    checkPathField(context, state.InputPath, at('InputPath'), PathKind.Path);
    checkPathField(context, state.OutputPath, at('OutputPath'), PathKind.Path);
    checkPathField(context, state.ResultPath, at('ResultPath'), PathKind.ResultPath);
    for (const field of REFERENCE_PATH_FIELDS) checkPathField(context, state[field], at(field), PathKind.ReferencePath);
    if (state.Type === 'Fail') {
      checkPathField(context, state.ErrorPath, at('ErrorPath'), PathKind.ReferencePathOrIntrinsic);
      checkPathField(context, state.CausePath, at('CausePath'), PathKind.ReferencePathOrIntrinsic);
    }
    for (const field of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) {
      if (state[field] !== undefined) checkPayloadTemplate(context, state[field], at(field));
    }
    for (const field of NUMERIC_FIELDS) {
      const value = state[field];
      if (typeof value !== 'string') continue;
      context.report(
        DiagnosticCode.InvalidType,
        `'${field}' of state '${String(segments.at(-1))}' must be a number; ${JSON.stringify(value)} is a string${
          isExpressionString(value) ? ', and JSONata expressions are only evaluated in JSONata states' : ''
        }. Use '${field}Path' to read the value from the input.`,
        at(field),
      );
    }
  } else {
    for (const field of ['Arguments', 'Output', 'ItemSelector', 'Items'] as const) {
      if (state[field] !== undefined) checkJsonataTemplate(context, state[field], at(field));
    }
    if (typeof state.Items === 'string' && !isExpressionString(state.Items)) {
      context.report(
        DiagnosticCode.InvalidType,
        `'Items' of state '${String(segments.at(-1))}' must be an array or a JSONata expression "{% … %}".`,
        at('Items'),
      );
    }
    for (const field of NUMERIC_FIELDS) {
      const value = state[field];
      // Expressions, and broken ones, are checked with the JSONata strings below.
      if (typeof value !== 'string' || /^\{%|%\}$/.test(value)) continue;
      context.report(
        DiagnosticCode.InvalidType,
        `'${field}' of state '${String(segments.at(-1))}' must be a number or a JSONata expression "{% … %}"; ${JSON.stringify(value)} is neither.`,
        at(field),
      );
    }
    for (const field of [...NUMERIC_FIELDS, 'Error', 'Cause'] as const) {
      const value = state[field];
      if (typeof value === 'string' && /^\{%|%\}$/.test(value)) checkJsonataString(context, value, at(field));
    }
  }
  if (state.Assign !== undefined) checkAssign(context, state.Assign, at('Assign'), language);
}

function checkTaskTimeouts(context: ValidationContext, name: string, state: JsonObject, segments: PathSegments): void {
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
    context.report(
      DiagnosticCode.HeartbeatNotBelowTimeout,
      `State '${name}' has HeartbeatSeconds ${heartbeat} and TimeoutSeconds ${timeout}; the heartbeat interval must be smaller than the timeout, or the task would time out before its first heartbeat is due.`,
      [...segments, 'HeartbeatSeconds'],
    );
  }
}

/**
 * Task `Credentials` name the role to assume: AWS requires `RoleArn` (or `RoleArn.$` in JSONPath) and refuses
 * anything else ("The field 'RoleArn' is required but was missing").
 */
function checkCredentials(
  context: ValidationContext,
  where: string,
  credentials: unknown,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (!isJsonObject(credentials)) return;
  const allowed = language === 'JSONPath' ? ['RoleArn', 'RoleArn.$'] : ['RoleArn'];
  for (const key of Object.keys(credentials)) {
    if (allowed.includes(key)) continue;
    context.report(
      DiagnosticCode.UnknownField,
      `Field '${key}' is not allowed in the Credentials of ${where}; Credentials holds only ${allowed.map((field) => `'${field}'`).join(' or ')}.`,
      [...segments, key],
    );
  }
  const present = allowed.filter((field) => credentials[field] !== undefined);
  if (present.length === 0) {
    context.report(
      DiagnosticCode.MissingField,
      `The Credentials of ${where} are missing the required field 'RoleArn' (the IAM role the task assumes).`,
      segments,
    );
  } else if (present.length > 1) {
    context.report(
      DiagnosticCode.MutuallyExclusiveFields,
      `The Credentials of ${where} have both 'RoleArn' and 'RoleArn.$'.`,
      segments,
    );
  }
  if (language === 'JSONPath') checkPayloadTemplate(context, credentials, segments);
  else checkJsonataTemplate(context, credentials, segments);
  if (credentials.RoleArn !== undefined && typeof credentials.RoleArn !== 'string') {
    context.report(DiagnosticCode.InvalidType, `'RoleArn' in the Credentials of ${where} must be a string.`, [
      ...segments,
      'RoleArn',
    ]);
  }
}

function checkWait(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  const durations = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter(
    (field) => state[field] !== undefined,
  );
  if (durations.length === 0) {
    context.report(
      DiagnosticCode.MissingOneOfFields,
      `Wait state '${name}' says neither how long nor until when to wait: give it exactly one of Seconds, Timestamp, SecondsPath or TimestampPath.`,
      segments,
    );
  } else if (durations.length > 1) {
    context.report(
      DiagnosticCode.MutuallyExclusiveFields,
      `Wait state '${name}' has ${durations.join(' and ')}; it must have exactly one of Seconds, Timestamp, SecondsPath or TimestampPath.`,
      [...segments, durations[1] as string],
    );
  }
  const timestamp = state.Timestamp;
  if (typeof timestamp !== 'string') return;
  if (language === 'JSONata' && isExpressionString(timestamp)) {
    checkJsonataString(context, timestamp, [...segments, 'Timestamp']);
    return;
  }
  if (!isRfc3339Timestamp(timestamp)) {
    context.report(
      DiagnosticCode.InvalidTimestamp,
      `'Timestamp' of Wait state '${name}' is ${JSON.stringify(timestamp)}, which is not an RFC 3339 timestamp such as "2016-03-14T01:59:00Z" (date, 'T', time and a 'Z' or ±hh:mm offset).` +
        (isExpressionString(timestamp) ? ' JSONata expressions are only evaluated in JSONata states.' : ''),
      [...segments, 'Timestamp'],
    );
  }
}
