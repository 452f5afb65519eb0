// CONTRACT STUB — to be implemented (helper B). Signatures are the contract; keep them.
import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';

/** Thrown when a path selects nothing in its input. Callers turn it into the field-specific ASL error. */
export class PathNotFoundError extends Error {
  constructor(readonly path: string, message: string) {
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
export function checkJsonPathSyntax(path: string, options?: PathSyntaxOptions): string | undefined {
  void path;
  void options;
  throw new Error('not implemented');
}

/**
 * Evaluates a JSONPath (`$…` on the input, `$$…` on the context object, `$var…` on a variable) without script
 * evaluation. Throws {@link PathNotFoundError} when a definite path selects nothing.
 */
export function evaluateJsonPath(path: string, input: JsonValue, context: EvaluationContext): JsonValue {
  void path;
  void input;
  void context;
  throw new Error('not implemented');
}

/**
 * ResultPath: places `result` into `input` at `resultPath` and returns the new state output. `undefined` means
 * the field is absent (`$`, result replaces input); `null` discards the result (output = input).
 * Throws `States.ResultPathMatchFailure` when the path cannot be set in the input.
 */
export function applyResultPath(input: JsonValue, resultPath: string | null | undefined, result: JsonValue): JsonValue {
  void input;
  void resultPath;
  void result;
  throw new Error('not implemented');
}
