/**
 * Execution history events, shaped as GetExecutionHistory returns them: `id`, `previousEventId`, `timestamp`,
 * `type`, and one `…EventDetails` object named after the type. Payloads (`input`, `output`, `parameters`) are JSON
 * text, as AWS records them.
 */
export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'PassStateEntered'
  | 'PassStateExited'
  | 'TaskStateEntered'
  | 'TaskStateExited'
  | 'TaskStateAborted'
  | 'ChoiceStateEntered'
  | 'ChoiceStateExited'
  | 'WaitStateEntered'
  | 'WaitStateExited'
  | 'WaitStateAborted'
  | 'SucceedStateEntered'
  | 'SucceedStateExited'
  | 'FailStateEntered'
  | 'ParallelStateEntered'
  | 'ParallelStateExited'
  | 'ParallelStateStarted'
  | 'ParallelStateSucceeded'
  | 'ParallelStateFailed'
  | 'ParallelStateAborted'
  | 'MapStateEntered'
  | 'MapStateExited'
  | 'MapStateStarted'
  | 'MapStateSucceeded'
  | 'MapStateFailed'
  | 'MapStateAborted'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'MapIterationAborted'
  | 'MapRunStarted'
  | 'MapRunSucceeded'
  | 'MapRunFailed'
  | 'MapRunAborted'
  | 'EvaluationFailed'
  | 'TaskScheduled'
  | 'TaskStarted'
  | 'TaskSubmitted'
  | 'TaskSucceeded'
  | 'TaskFailed'
  | 'TaskTimedOut'
  | 'LambdaFunctionScheduled'
  | 'LambdaFunctionStarted'
  | 'LambdaFunctionSucceeded'
  | 'LambdaFunctionFailed'
  | 'LambdaFunctionTimedOut'
  | 'LambdaFunctionScheduleFailed'
  | 'LambdaFunctionStartFailed'
  | 'ActivityScheduled'
  | 'ActivityStarted'
  | 'ActivitySucceeded'
  | 'ActivityFailed'
  | 'ActivityTimedOut';

/** One event of an execution's history. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** ISO-8601 with milliseconds, UTC. */
  timestamp: string;
  type: HistoryEventType;
  [details: `${string}EventDetails`]: Record<string, unknown> | undefined;
}
