import type { JsonValue } from '../json';

/** The status of an execution, as DescribeExecution reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Who the execution is: the fields of `$$.Execution` and `$$.StateMachine`, fixed at start. */
export interface ExecutionIdentity {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  /** ISO-8601 start time. */
  readonly startTime: string;
  readonly input: JsonValue;
  /** Standard executions count redrives; Express executions have no such field in `$$.Execution`. */
  readonly redriveCount?: number;
  /** The region tasks run in when their resource ARN does not say (TaskScheduled's `region`). */
  readonly region: string;
}

/** Where a run is inside its current state. */
export type RunPhase =
  /** Waiting for an InvokeTask command's outcome. */
  | 'task'
  /** A Wait state's timer. */
  | 'wait'
  /** A retrier's back-off timer; the state's action starts again when it fires. */
  | 'retry'
  /** A Parallel or Map state waiting for its branches or iterations. */
  | 'children'
  /** The run has reached an end: see `outcome`. */
  | 'done';

/** What a Parallel or Map state knows of its children while they run. */
export interface ChildrenProgress {
  readonly kind: 'branches' | 'iterations';
  /** The Map's items (after ItemSelector they become each iteration's input), or one input per branch. */
  readonly inputs: JsonValue[];
  /** Index of the next child to start. */
  nextIndex: number;
  /** How many may run at once (0 = no limit). */
  readonly maxConcurrency: number;
  /** Child runs still running, by run id (an object, not an array: removing one must not cost O(n)). */
  running: Record<string, number>;
  runningCount: number;
  /** Results by index; `null` until the child succeeds. */
  results: JsonValue[];
  failures: number;
  /** Map tolerated failures: a count and a percentage (undefined = none tolerated). */
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
  /** Distributed Map: its iterations run as child executions whose events stay out of this history. */
  readonly distributed: boolean;
}

/**
 * One thread of control: the root of the execution, a Parallel branch, or a Map iteration. Each has its own current
 * state, its own variable scope, and its own chain of `previousEventId`s.
 */
export interface RunSnapshot {
  readonly id: string;
  /** Key of the state-machine scope (top level, a branch, an item processor) this run walks through. */
  readonly scope: string;
  readonly parent?: { readonly runId: string; readonly index: number };
  /** This scope's workflow variables. Outer scopes are read through `parent`. */
  variables: Record<string, JsonValue>;
  stateName: string;
  /** The state's raw input. */
  stateInput: JsonValue;
  enteredTime: string;
  phase: RunPhase | 'running';
  /** Attempts used per retrier of the current state. */
  retryCounts: number[];
  lastEventId: number;
  /** Id of the current state's Entered event, quoted by AWS's runtime error messages. */
  enteredEventId: number;
  /** A distributed Map's iterations run as child executions: their events stay out of this history. */
  readonly silent?: boolean;
  /** The state's effective input (after InputPath + Parameters / Arguments), kept while a Task or child runs. */
  effectiveInput?: JsonValue;
  /** The outstanding task or timer this run waits for. */
  taskId?: string;
  timerId?: string;
  children?: ChildrenProgress;
  /** When the run has finished. */
  outcome?: { readonly status: 'SUCCEEDED'; readonly output: JsonValue } | RunFailure;
}

/** How a run failed: the ASL error that left it. */
export interface RunFailure {
  readonly status: 'FAILED';
  readonly error: string;
  readonly cause?: string;
}

/** A task the interpreter is waiting on. */
export interface PendingTask {
  readonly runId: string;
  readonly resource: string;
  /** Present for `.waitForTaskToken`: only SendTaskSuccess/Failure with this token completes the task. */
  readonly taskToken?: string;
  readonly timeoutTimerId?: string;
  heartbeatTimerId?: string;
  readonly heartbeatSeconds?: number;
  /** The command that asked for this task, so a driver that lost its queued work can ask again. */
  invocation?: Extract<Command, { type: 'InvokeTask' }>;
  /** A callback task whose request was accepted (TaskSubmitted): asking again would only repeat it. */
  submitted?: boolean;
}

/** What a timer is for. */
export type TimerPurpose = 'wait' | 'retry' | 'task-timeout' | 'heartbeat-timeout' | 'execution-timeout';

/** A timer the interpreter asked for. Timers that fire after they stopped mattering are ignored. */
export interface PendingTimer {
  readonly purpose: TimerPurpose;
  readonly runId?: string;
  readonly taskId?: string;
  /** Epoch milliseconds. */
  readonly fireAt: number;
}

/**
 * Everything needed to resume an execution: plain JSON, so a durable driver can store it between steps.
 * `step()` takes ownership of the snapshot it is given and returns it advanced.
 */
export interface ExecutionSnapshot {
  readonly formatVersion: 1;
  readonly identity: ExecutionIdentity;
  status: ExecutionStatus;
  /** Id of the last event appended to the history. */
  lastEventId: number;
  /** Source of deterministic ids for runs, tasks and timers. */
  sequence: number;
  runs: Record<string, RunSnapshot>;
  tasks: Record<string, PendingTask>;
  timers: Record<string, PendingTimer>;
  /** Set when the execution ended. */
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** ISO-8601, set when the execution ended. */
  stopDate?: string;
}

/** An outcome fed back to the interpreter. */
export type InboxMessage =
  | { readonly type: 'TaskSucceeded'; readonly taskId: string; readonly output: JsonValue }
  | { readonly type: 'TaskFailed'; readonly taskId: string; readonly error: string; readonly cause?: string }
  | { readonly type: 'TaskHeartbeat'; readonly taskId: string }
  /** A worker took an activity task with GetActivityTask. */
  | { readonly type: 'ActivityStarted'; readonly taskId: string; readonly workerName: string }
  /** A `.waitForTaskToken` or `.sync` task's request was accepted; its outcome comes later. */
  | { readonly type: 'TaskSubmitted'; readonly taskId: string; readonly output: JsonValue }
  | { readonly type: 'TimerFired'; readonly timerId: string }
  | { readonly type: 'StopExecution'; readonly error?: string; readonly cause?: string };

/** Work the interpreter asks its driver to do. */
export type Command =
  | {
      readonly type: 'InvokeTask';
      readonly taskId: string;
      readonly resource: string;
      readonly input: JsonValue;
      readonly stateName: string;
      /** `callback`: the invocation's own response is ignored; SendTaskSuccess/Failure completes the task. */
      readonly completion: 'response' | 'callback';
      readonly taskToken?: string;
      readonly timeoutSeconds?: number;
      readonly heartbeatSeconds?: number;
      readonly context: JsonValue;
    }
  | { readonly type: 'CancelTask'; readonly taskId: string }
  | { readonly type: 'StartTimer'; readonly timerId: string; readonly fireAt: number };
