import type { JsonValue } from '@lib/asl';

/** What a Task state asks the outside world to do. */
export interface TaskRequest {
  /** The state's `Resource`, e.g. `arn:aws:lambda:us-east-1:123456789012:function:CheckIdentity`. */
  readonly resource: string;
  /** The effective input of the task: the state input after InputPath and Parameters (or `Arguments`). */
  readonly input: JsonValue;
  readonly stateName: string;
  /** Present for `.waitForTaskToken` resources: the token `SendTaskSuccess`/`SendTaskFailure` will quote. */
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /** The context object (`$$`) at the time the task was scheduled. */
  readonly context: JsonValue;
  /** For `.waitForTaskToken` tasks: SendTaskSuccess/Failure/Heartbeat for this task's token. */
  readonly callbacks?: TaskCallbacks;
  /** Aborted when the task is no longer wanted (timed out, execution stopped, a sibling branch failed). */
  readonly signal: AbortSignal;
}

/** Completes a `.waitForTaskToken` task, as SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat do. */
export interface TaskCallbacks {
  success(output: JsonValue): void;
  failure(error: string, cause?: string): void;
  heartbeat(): void;
}

/**
 * Runs a task and resolves with its result. A rejection becomes the ASL error the state's Retry and Catch see:
 * a {@link TaskFailure} keeps its `error` and `cause`; any other Error gives `error` = its name and `cause` = its
 * message, as Lambda reports an unhandled exception.
 */
export type TaskInvoker = (request: TaskRequest) => Promise<JsonValue>;

/** Thrown by a task to fail with an explicit ASL error name and cause. */
export class TaskFailure extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string = '',
  ) {
    super(cause ? `${error}: ${cause}` : error);
    this.name = 'TaskFailure';
  }
}

/**
 * The ASL error a failed task reports. A {@link TaskFailure} keeps its error and cause; an Error gives its name
 * and message, as Lambda reports `errorType` and `errorMessage`; anything else thrown is described as text.
 */
export function describeTaskError(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof TaskFailure) return { error: thrown.error, cause: thrown.cause };
  if (thrown instanceof Error) return { error: thrown.name || 'Error', cause: thrown.message };
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    text = String(thrown);
  }
  return { error: 'Error', cause: `The task threw a non-Error value: ${text}` };
}
