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
}

/**
 * Runs a task and resolves with its result. A rejection becomes the ASL error the state's Retry and Catch see:
 * a {@link TaskFailure} keeps its `error` and `cause`; any other Error gives `error` = its name and `cause` = its
 * message, as Lambda reports an unhandled exception.
 */
export type TaskInvoker = (request: TaskRequest, signal: AbortSignal) => Promise<JsonValue>;

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
