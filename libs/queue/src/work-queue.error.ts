/** Why the work queue refused a call. */
export const WorkQueueErrorCode = {
  /** process() was given no handler for a job name: the process would start half-wired. */
  MissingJobHandler: 'MissingJobHandler',
  /** process() was called a second time; one queue consumes with one set of handlers. */
  AlreadyProcessing: 'AlreadyProcessing',
  /** A concurrency that is not a positive integer. */
  InvalidConcurrency: 'InvalidConcurrency',
  /** The queue was closed; it takes no jobs and runs none. */
  Closed: 'Closed',
  /** ping() got no answer from the backend in time. */
  BackendUnreachable: 'BackendUnreachable',
} as const;

/** One of the work queue's refusal reasons. */
export type WorkQueueErrorCode = (typeof WorkQueueErrorCode)[keyof typeof WorkQueueErrorCode];

/** A refused work-queue call: a wiring or availability problem of the service, never an ASL error. */
export class WorkQueueError extends Error {
  constructor(
    readonly code: WorkQueueErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkQueueError';
  }
}
