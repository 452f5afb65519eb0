/**
 * The error names Step Functions defines. "States." is reserved: a user's own error names may not start with it.
 * https://states-language.net/spec.html#appendix-a
 */
export const PredefinedErrorName = {
  All: 'States.ALL',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** One of the `States.*` error names. */
export type PredefinedErrorName = (typeof PredefinedErrorName)[keyof typeof PredefinedErrorName];

const PREDEFINED = new Set<string>(Object.values(PredefinedErrorName));

/** True when `name` is one of the `States.*` names the language defines. */
export function isPredefinedErrorName(name: string): name is PredefinedErrorName {
  return PREDEFINED.has(name);
}

/**
 * An ASL error raised while a state runs: what Retry and Catch match on (`error`) and what they pass on (`cause`).
 * It is data, never an HTTP error: it ends up in the history and, uncaught, in the execution's error and cause.
 */
export class StatesError extends Error {
  constructor(
    /** The ASL error name, e.g. `States.Timeout` or a task's own `Lambda.Unknown`. */
    readonly error: string,
    /** The human-readable cause, exactly as it is recorded in the history. */
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }

  /**
   * Whether a retrier or catcher may match this error at all. "A retry or catch on States.ALL or States.Runtime
   * won't catch States.Runtime errors": they always end the execution. AWS's recorded behaviour shows
   * `States.DataLimitExceeded`, though documented as terminal, is caught by `States.ALL`.
   */
  get retriable(): boolean {
    return this.error !== PredefinedErrorName.Runtime;
  }
}

/** `States.Runtime`: the execution cannot go on (a path that does not resolve, an invalid value…). */
export function runtimeError(cause: string): StatesError {
  return new StatesError(PredefinedErrorName.Runtime, cause);
}

/** `States.QueryEvaluationError`: a JSONata expression failed or produced a value the field cannot take. */
export function queryEvaluationError(cause: string): StatesError {
  return new StatesError(PredefinedErrorName.QueryEvaluationError, cause);
}

/** `States.IntrinsicFailure`: an intrinsic function was called with arguments it cannot work with. */
export function intrinsicFailure(cause: string): StatesError {
  return new StatesError(PredefinedErrorName.IntrinsicFailure, cause);
}
