import { runtimeError, type StatesError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import { evaluateIntrinsic, parsedIntrinsic } from '../intrinsics/evaluate-intrinsic';
import { IntrinsicSyntaxError, isIntrinsicCall } from '../intrinsics/intrinsic-parser';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import { evaluateJsonPath, PathNotFoundError } from '../paths/json-path';
import { JsonPathSyntaxError, parseJsonPath } from '../paths/json-path.parser';

/**
 * Resolves a JSONPath-mode payload template: Parameters, ResultSelector, ItemSelector (or a Map's legacy
 * Parameters) and Assign. `fieldName` is the field the template comes from, for error messages.
 *
 * "If any field within the Payload Template (however deeply nested) has a name ending with the characters ".$", its
 * value is transformed according to rules below and the field is renamed to strip the ".$" suffix. If the field
 * value begins with only one "$", the value MUST be a Path. … If the field value begins with "$$", the first dollar
 * sign is stripped and the remainder MUST be a Path. In this case, the Path is applied to the Context Object. … If
 * the field value begins with "States.", it is an Intrinsic Function." (ASL spec, Payload Template). Step Functions
 * adds `$name…`, a path into the workflow variable `name`.
 *
 * Arrays are walked too: objects inside them are templates as well. A path that selects nothing fails the state with
 * `States.Runtime` and AWS's wording, e.g. "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$'
 * could not be found in the input '{"int-literal":0}'" (corpus: base_scenarios.invalid_jsonpath__*); an indefinite
 * path that matches nothing gives `[]` and is not an error. Resolved values share structure with the input.
 */
export function resolvePayloadTemplate(
  template: JsonValue,
  input: JsonValue,
  context: EvaluationContext,
  fieldName: string,
): JsonValue {
  return resolveNode(template, input, context, fieldName);
}

function resolveNode(node: JsonValue, input: JsonValue, context: EvaluationContext, fieldName: string): JsonValue {
  if (Array.isArray(node)) return node.map((item) => resolveNode(item, input, context, fieldName));
  if (!isJsonObject(node)) return node;
  const out: JsonObject = {};
  for (const key of Object.keys(node)) {
    const value = node[key] as JsonValue;
    if (key.endsWith('.$')) {
      setOwn(out, key.slice(0, -2), resolveDynamicField(key, value, input, context, fieldName));
    } else {
      setOwn(out, key, resolveNode(value, input, context, fieldName));
    }
  }
  return out;
}

/** The value of a `key.$` field: a path (`$…`, `$$…`, `$name…`) or an intrinsic call. */
function resolveDynamicField(
  key: string,
  value: JsonValue,
  input: JsonValue,
  context: EvaluationContext,
  fieldName: string,
): JsonValue {
  if (typeof value !== 'string') throw invalidDynamicValue(key, fieldName);
  try {
    if (isIntrinsicCall(value)) return evaluateIntrinsic(parsedIntrinsic(value), input, context);
    if (!value.trimStart().startsWith('$')) throw invalidDynamicValue(key, fieldName);
    return evaluateJsonPath(value, input, context);
  } catch (e) {
    if (e instanceof PathNotFoundError) {
      throw runtimeError(
        `The JSONPath '${e.path}' specified for the field '${key}' could not be found in the input '${JSON.stringify(
          searchedDocument(e.path, input, context),
        )}'`,
      );
    }
    if (e instanceof IntrinsicSyntaxError) throw invalidDynamicValue(key, fieldName, e.message);
    throw e;
  }
}

/** The document a failed path was looking in: the context object for `$$…`, a variable for `$name…`, else the input. */
function searchedDocument(path: string, input: JsonValue, context: EvaluationContext): JsonValue {
  try {
    const { root } = parseJsonPath(path);
    if (root.kind === 'context') return context.contextObject;
    if (root.kind === 'variable') return context.variables.get(root.name) ?? input;
  } catch (e) {
    if (!(e instanceof JsonPathSyntaxError)) throw e;
  }
  return input;
}

/** AWS's validation wording for a `.$` value that is neither; a validated definition never gets here. */
function invalidDynamicValue(key: string, fieldName: string, detail?: string): StatesError {
  const reason = `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call (in ${fieldName})`;
  return runtimeError(detail === undefined ? reason : `${reason}: ${detail}`);
}

/** Defines `key` as an own data property, even when it is "__proto__" (where `object[key] = …` sets the prototype). */
function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
