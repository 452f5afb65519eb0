import { PredefinedErrorName, runtimeError, StatesError } from '../errors/states-error';
import type { EvaluationContext } from '../evaluation/evaluation-context';
import { isJsonObject, type JsonValue } from '../json';
import {
  type FilterExpression,
  type FilterOperand,
  type FilterOperator,
  type JsonPathSegment,
  JsonPathSyntaxError,
  normalizedPath,
  type ParsedJsonPath,
  parseJsonPath,
} from './json-path.parser';
import { jsonValueEquals } from './json-value-equals';

/*
 * Why paths are evaluated here rather than by jsonpath-plus. Step Functions runs Jayway JsonPath, and jsonpath-plus
 * (even with `eval: false`, the only way it may run here) disagrees with it on inputs workflows really see:
 * - it cannot run any filter with `eval: false`, and AWS supports filters (`$.users[?(@.status == 0)]`);
 * - it indexes strings and reads `.length` of strings and arrays (`$.names[*][0]` gives letters);
 * - it returns nothing at all for a falsy document (`0`, `""`, `false`, `null`);
 * - its regex tokenizer splits names containing `;`, `'` or `]`, and treats names like `#0` as placeholders.
 * The parsed tree below is small, has no code execution path at all, and is tested against jsonpath-plus
 * (`eval: false`) wherever the two libraries define the same answer (json-path.spec.ts).
 */

/**
 * Thrown when a path selects nothing in its input. Callers turn it into the field-specific ASL error.
 *
 * `message` is Jayway's own wording, which Step Functions quotes after `Invalid path '<path>' : ` for InputPath
 * and OutputPath: `No results for path: $['a']` (the last step is missing) or `Missing property in path $['a']`
 * (a step before the last is missing).
 */
export class PathNotFoundError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PathNotFoundError';
  }
}

/** Which kind of path a field takes (the spec's "Path" vs "Reference Path"), and what it may start with. */
export interface PathSyntaxOptions {
  /** Reference Paths (ResultPath, Choice Variable, *Path fields that must select one node) forbid `..`, `*`, filters, slices. */
  readonly referencePath?: boolean;
  /** `$$…` (the context object) allowed. */
  readonly allowContextObject?: boolean;
  /** `$name…` (a workflow variable) allowed. */
  readonly allowVariables?: boolean;
}

/** A message describing why `path` is not a valid path of that kind, or undefined when it is valid. */
export function checkJsonPathSyntax(path: string, options: PathSyntaxOptions = {}): string | undefined {
  let parsed: ParsedJsonPath;
  try {
    parsed = parsedPath(path);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) return e.message;
    throw e;
  }
  if (parsed.root.kind === 'context' && options.allowContextObject !== true) {
    return `The context object ('$$') cannot be used here: '${path}'`;
  }
  if (parsed.root.kind === 'variable' && options.allowVariables !== true) {
    return `Variables ('$${parsed.root.name}') cannot be used here: '${path}'`;
  }
  // "A Reference Path is a Path with syntax limited in such a way that it can only identify a single node in a
  // JSON structure: The operators "@", ",", ":", and "?" are not supported" (ASL spec, Reference Paths).
  if (options.referencePath === true && !parsed.definite) {
    return `'${path}' must be a reference path: it may not use '..', '*', slices, unions or filters`;
  }
  return undefined;
}

/**
 * Evaluates a JSONPath (`$…` on the input, `$$…` on the context object, `$var…` on a variable) without script
 * evaluation. Throws {@link PathNotFoundError} when a definite path selects nothing.
 *
 * A definite path (names and single indexes only) returns the node it selects. Any other path returns the list of
 * the nodes it matches, in document order, and an empty list when it matches nothing: AWS answers `[]` for
 * `$.items[*]`, `$.items[1:]` or `$[*]` on `{}` (corpus: base.json_path_array_wildcard_or_slice_with_no_input__*).
 * Results share structure with the input: treat them as immutable.
 */
export function evaluateJsonPath(path: string, input: JsonValue, context: EvaluationContext): JsonValue {
  const parsed = parsedPathOrRuntimeError(path);
  const document = rootDocument(parsed, input, context);
  if (parsed.definite) return selectDefinite(parsed, document);
  let nodes: JsonValue[] = [document];
  for (const segment of parsed.segments) nodes = applySegment(segment, nodes, document);
  return nodes;
}

/**
 * ResultPath: places `result` into `input` at `resultPath` and returns the new state output. `undefined` means
 * the field is absent (`$`, result replaces input); `null` discards the result (output = input).
 * Throws `States.ResultPathMatchFailure` when the path cannot be set in the input.
 *
 * "The ResultPath field's value is a Reference Path that specifies where to place the result, relative to the raw
 * input. If the raw input has a field at the location addressed by the ResultPath value then in the output that
 * field is discarded and overwritten by the state's result. Otherwise, a new field is created in the state output,
 * with intervening fields constructed as necessary." (ASL spec, ResultPath). The input is not modified: only the
 * objects and arrays along the path are copied, everything else is shared.
 */
export function applyResultPath(input: JsonValue, resultPath: string | null | undefined, result: JsonValue): JsonValue {
  if (resultPath === undefined) return result;
  if (resultPath === null) return input;
  const parsed = parsedPathOrRuntimeError(resultPath);
  if (parsed.root.kind !== 'input' || !parsed.definite) {
    throw runtimeError(`The ResultPath '${resultPath}' must be a reference path into the state input`);
  }
  return setAt(input, parsed.segments, 0, result, input);
}

// ---- parsing, cached ---------------------------------------------------------------------------------------

// Paths come from definitions, so the same few strings are evaluated again and again: parse each once. The bound
// only guards against a process that keeps seeing new definitions; dropping the oldest entry costs one re-parse.
const PATH_CACHE_LIMIT = 10_000;
const pathCache = new Map<string, ParsedJsonPath>();

function parsedPath(path: string): ParsedJsonPath {
  let parsed = pathCache.get(path);
  if (parsed === undefined) {
    parsed = parseJsonPath(path);
    if (pathCache.size >= PATH_CACHE_LIMIT) {
      const oldest = pathCache.keys().next();
      if (oldest.done !== true) pathCache.delete(oldest.value);
    }
    pathCache.set(path, parsed);
  }
  return parsed;
}

/** A validated definition never gets here with a bad path; if one does, the execution fails rather than the engine. */
function parsedPathOrRuntimeError(path: string): ParsedJsonPath {
  try {
    return parsedPath(path);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw runtimeError(`Invalid path '${path}' : ${e.message}`);
    throw e;
  }
}

function rootDocument(parsed: ParsedJsonPath, input: JsonValue, context: EvaluationContext): JsonValue {
  switch (parsed.root.kind) {
    case 'input':
      return input;
    case 'context':
      return context.contextObject;
    case 'variable': {
      const value = context.variables.get(parsed.root.name);
      if (value === undefined)
        throw new PathNotFoundError(parsed.text, `Variable '$${parsed.root.name}' is not defined`);
      return value;
    }
  }
}

// ---- definite paths: the hot path --------------------------------------------------------------------------

/** Follows names and indexes; fails with Jayway's messages (see {@link PathNotFoundError}). */
function selectDefinite(parsed: ParsedJsonPath, document: JsonValue): JsonValue {
  const { segments } = parsed;
  let node = document;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as JsonPathSegment;
    const leaf = i === segments.length - 1;
    if (segment.kind === 'property') {
      if (!isJsonObject(node)) {
        throw new PathNotFoundError(
          parsed.text,
          `Expected to find an object with property ['${segment.name}'] in path ${normalizedPath(segments, i)} ` +
            `but found '${jsonTypeName(node)}'. This is not a json object.`,
        );
      }
      if (!Object.hasOwn(node, segment.name)) {
        throw new PathNotFoundError(
          parsed.text,
          leaf
            ? `No results for path: ${normalizedPath(segments)}`
            : `Missing property in path ${normalizedPath(segments, i + 1)}`,
        );
      }
      node = node[segment.name] as JsonValue;
    } else if (segment.kind === 'index') {
      if (!Array.isArray(node)) {
        throw new PathNotFoundError(
          parsed.text,
          node === null
            ? `The path ${normalizedPath(segments, i)} is null`
            : `Filter: [${segment.index}] can only be applied to arrays. Current context is: ${JSON.stringify(node)}`,
        );
      }
      const index = segment.index < 0 ? node.length + segment.index : segment.index;
      if (index < 0 || index >= node.length)
        throw new PathNotFoundError(parsed.text, `No results for path: ${normalizedPath(segments)}`);
      node = node[index] as JsonValue;
    }
  }
  return node;
}

function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// ---- indefinite paths --------------------------------------------------------------------------------------

/** Applies one segment to every node of the current match list, keeping document order. */
function applySegment(segment: JsonPathSegment, nodes: readonly JsonValue[], document: JsonValue): JsonValue[] {
  const out: JsonValue[] = [];
  for (const node of nodes) {
    if (segment.kind === 'descendant') {
      if (segment.selector.kind === 'filter') {
        // Every node below `node` is tested once; testing containers' children (rather than each container
        // itself) keeps an object that sits in an array from being tested twice.
        const predicate = segment.selector.predicate;
        forEachDescendant(node, (container) => {
          forEachChild(container, (child) => {
            if (testFilter(predicate, child, document)) out.push(child);
          });
        });
      } else {
        const selector = segment.selector;
        forEachDescendant(node, (container) => selectChildren(selector, container, document, out));
      }
    } else {
      selectChildren(segment, node, document, out);
    }
  }
  return out;
}

/** Calls `visit` on `node` and on every container below it, parents before children (Jayway's scan order). */
function forEachDescendant(node: JsonValue, visit: (container: JsonValue) => void): void {
  if (node === null || typeof node !== 'object') return;
  visit(node);
  forEachChild(node, (child) => forEachDescendant(child, visit));
}

function forEachChild(node: JsonValue, visit: (child: JsonValue) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child);
  } else if (isJsonObject(node)) {
    for (const key of Object.keys(node)) visit(node[key] as JsonValue);
  }
}

function selectChildren(segment: JsonPathSegment, node: JsonValue, document: JsonValue, out: JsonValue[]): void {
  switch (segment.kind) {
    case 'property':
      if (isJsonObject(node) && Object.hasOwn(node, segment.name)) out.push(node[segment.name] as JsonValue);
      return;
    case 'properties':
      if (isJsonObject(node))
        for (const name of segment.names) if (Object.hasOwn(node, name)) out.push(node[name] as JsonValue);
      return;
    case 'index':
      if (Array.isArray(node)) pushIndex(node, segment.index, out);
      return;
    case 'indexes':
      if (Array.isArray(node)) for (const index of segment.indexes) pushIndex(node, index, out);
      return;
    case 'wildcard':
      forEachChild(node, (child) => out.push(child));
      return;
    case 'slice':
      if (Array.isArray(node)) {
        const len = node.length;
        const clamp = (i: number): number => (i < 0 ? Math.max(0, len + i) : Math.min(len, i));
        const end = segment.end === undefined ? len : clamp(segment.end);
        for (let i = segment.start === undefined ? 0 : clamp(segment.start); i < end; i += segment.step)
          out.push(node[i] as JsonValue);
      }
      return;
    case 'filter':
      // Jayway tests each element of an array, but an object as a whole: `$.o[?(@.x)]` keeps `o` when it has `x`.
      if (Array.isArray(node)) {
        for (const element of node) if (testFilter(segment.predicate, element, document)) out.push(element);
      } else if (isJsonObject(node) && testFilter(segment.predicate, node, document)) {
        out.push(node);
      }
      return;
    case 'descendant':
      // The parser only puts selectors after '..'.
      return;
  }
}

function pushIndex(array: readonly JsonValue[], index: number, out: JsonValue[]): void {
  const i = index < 0 ? array.length + index : index;
  if (i >= 0 && i < array.length) out.push(array[i] as JsonValue);
}

// ---- filters -----------------------------------------------------------------------------------------------

function testFilter(expression: FilterExpression, current: JsonValue, document: JsonValue): boolean {
  switch (expression.kind) {
    case 'or':
      return testFilter(expression.left, current, document) || testFilter(expression.right, current, document);
    case 'and':
      return testFilter(expression.left, current, document) && testFilter(expression.right, current, document);
    case 'not':
      return !testFilter(expression.operand, current, document);
    case 'exists':
      return operandValue(expression.path, current, document) !== undefined;
    case 'compare': {
      const left = operandValue(expression.left, current, document);
      const right = operandValue(expression.right, current, document);
      return compare(expression.operator, left, right);
    }
  }
}

/** The value an operand stands for, or undefined when its path selects nothing. */
function operandValue(operand: FilterOperand, current: JsonValue, document: JsonValue): JsonValue | undefined {
  if (operand.kind === 'literal') return operand.value;
  let node: JsonValue | undefined = operand.from === '@' ? current : document;
  for (const segment of operand.segments) {
    if (node === undefined) return undefined;
    const matches: JsonValue[] = [];
    selectChildren(segment, node, document, matches);
    if (segment.kind === 'property' || segment.kind === 'index') {
      node = matches[0];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * `==`/`!=` compare any two values structurally; an absent value equals nothing, so `@.x != 1` holds when `x` is
 * absent, as in Jayway. Ordering compares two numbers or two strings; any other pair is not ordered.
 */
function compare(operator: FilterOperator, left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (operator === '==' || operator === '!=') {
    const equal = left !== undefined && right !== undefined && jsonValueEquals(left, right);
    return operator === '==' ? equal : !equal;
  }
  const ordered =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!ordered) return false;
  switch (operator) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

// ---- ResultPath --------------------------------------------------------------------------------------------

/** Copies `node` along `segments[i…]` with `value` at the end. `input` is the whole input, for the error message. */
function setAt(
  node: JsonValue,
  segments: readonly JsonPathSegment[],
  i: number,
  value: JsonValue,
  input: JsonValue,
): JsonValue {
  const segment = segments[i];
  if (segment === undefined) return value;
  if (segment.kind === 'property') {
    if (!isJsonObject(node)) throw resultPathMatchFailure(segment.name, input);
    const child = Object.hasOwn(node, segment.name) ? (node[segment.name] as JsonValue) : undefined;
    // "intervening fields constructed as necessary": a missing step becomes an empty object.
    const next =
      i === segments.length - 1 ? value : setAt(child === undefined ? {} : child, segments, i + 1, value, input);
    // A computed key in a literal defines an own property even for "__proto__", where `copy[name] = …` would not.
    return { ...node, [segment.name]: next };
  }
  if (segment.kind === 'index' && Array.isArray(node)) {
    const index = segment.index < 0 ? node.length + segment.index : segment.index;
    if (index >= 0 && index < node.length) {
      const copy = node.slice();
      copy[index] = setAt(node[index] as JsonValue, segments, i + 1, value, input);
      return copy;
    }
  }
  throw resultPathMatchFailure(
    segment.kind === 'index' ? String(segment.index) : normalizedPath([segment]).slice(1),
    input,
  );
}

/** Step Functions' wording when a step of a reference path cannot be applied: `Unable to apply step "x" to input {…}`. */
function resultPathMatchFailure(step: string, input: JsonValue): StatesError {
  return new StatesError(
    PredefinedErrorName.ResultPathMatchFailure,
    `Unable to apply step "${step}" to input ${JSON.stringify(input)}`,
  );
}
