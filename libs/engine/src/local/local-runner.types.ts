import type { ExecutionStatus, HistoryEvent, StateMachineDefinition } from '@lib/asl';

/** The names that make up an execution's ARNs and its context object. Defaults suit local runs. */
export interface ExecutionNames {
  readonly stateMachineName?: string;
  readonly executionName?: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly partition?: string;
  readonly roleArn?: string;
  readonly stateMachineType?: 'STANDARD' | 'EXPRESS';
}

/** StartExecution, offline. */
export interface StartExecutionRequest extends ExecutionNames {
  /** A definition object, or its JSON text. */
  readonly definition: StateMachineDefinition | string;
  /** The execution input as JSON text; `{}` when absent, as in Step Functions. */
  readonly input?: string;
}

/** A finished execution. */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  /** JSON text, present when the execution succeeded. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly history: HistoryEvent[];
}

/** A running execution started by the local runner. */
export interface LocalExecution {
  readonly executionArn: string;
  /** Settles when the execution reaches a terminal status; never rejects for an ASL failure. */
  readonly result: Promise<ExecutionResult>;
  /** StopExecution: ends the execution as ABORTED. */
  stop(error?: string, cause?: string): void;
  /** SendTaskSuccess for a `.waitForTaskToken` task. `output` is JSON text. */
  sendTaskSuccess(taskToken: string, output: string): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}
