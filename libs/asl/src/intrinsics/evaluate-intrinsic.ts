import { runtimeError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';
import { evaluateJsonPath } from '../paths/json-path';
import { hasIntrinsicType, intrinsicError, jsonTypeOf } from './intrinsic-function';
import { findIntrinsicFunction } from './intrinsic-functions';
import {
  checkArity,
  type IntrinsicArgument,
  type IntrinsicCall,
  IntrinsicSyntaxError,
  parseIntrinsicCall,
} from './intrinsic-parser';

/**
 * Evaluates an intrinsic call (parsed, or its text) against the state's input and context.
 *
 * Arguments are evaluated left to right: literals as written, paths with {@link evaluateJsonPath} (so a path that
 * selects nothing throws its `PathNotFoundError`, which the caller words for its field), nested calls recursively.
 * An argument of the wrong type, or a value the function cannot work with, raises `States.IntrinsicFailure`; text
 * that is not a valid call raises `States.Runtime` (a validated definition never has one).
 */
export function evaluateIntrinsic(
  call: IntrinsicCall | string,
  input: JsonValue,
  context: EvaluationContext,
): JsonValue {
  if (typeof call !== 'string') return evaluateCall(call, input, context);
  let parsed: IntrinsicCall;
  try {
    parsed = parsedIntrinsic(call);
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) throw runtimeError(`Invalid intrinsic function call: ${e.message}`);
    throw e;
  }
  return evaluateCall(parsed, input, context);
}

// Calls come from definitions and are evaluated over and over: parse each text once.
const CALL_CACHE_LIMIT = 10_000;
const callCache = new Map<string, IntrinsicCall>();

/** {@link parseIntrinsicCall} with a cache: the parsed form of `text`. Throws {@link IntrinsicSyntaxError}. */
export function parsedIntrinsic(text: string): IntrinsicCall {
  let call = callCache.get(text);
  if (call === undefined) {
    call = parseIntrinsicCall(text);
    if (callCache.size >= CALL_CACHE_LIMIT) {
      const oldest = callCache.keys().next();
      if (oldest.done !== true) callCache.delete(oldest.value);
    }
    callCache.set(text, call);
  }
  return call;
}

function evaluateCall(call: IntrinsicCall, input: JsonValue, context: EvaluationContext): JsonValue {
  const definition = findIntrinsicFunction(call.name);
  if (definition === undefined) throw runtimeError(`Unknown intrinsic function '${call.name}'`);
  // A hand-built IntrinsicCall has not been through the parser's checks.
  checkArity(definition, call.args.length, (message) => runtimeError(message));
  const args = call.args.map((argument) => evaluateArgument(argument, input, context));
  args.forEach((value, i) => {
    const parameter = definition.parameters[i] ?? definition.rest;
    if (parameter !== undefined && !hasIntrinsicType(value, parameter.type)) {
      throw intrinsicError(
        definition.name,
        `argument ${i + 1} (${parameter.name}) must be of type ${parameter.type}, but got ${jsonTypeOf(value)}: ${truncatedJson(value)}`,
      );
    }
  });
  const template = call.args[0];
  return definition.evaluate(args, {
    ports: context.ports,
    templatePlaceholders: template?.kind === 'string' ? template.placeholderOffsets : undefined,
  });
}

function evaluateArgument(argument: IntrinsicArgument, input: JsonValue, context: EvaluationContext): JsonValue {
  switch (argument.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return argument.value;
    case 'null':
      return null;
    case 'path':
      return evaluateJsonPath(argument.path, input, context);
    case 'call':
      return evaluateCall(argument, input, context);
  }
}

/** Values go into error causes; a whole large input there would drown the message. */
function truncatedJson(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
