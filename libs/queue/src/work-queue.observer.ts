/** A run of a job whose handler rejected (or whose worker died too often). */
export interface JobFailure {
  /** The job's name; a name no handler knows is reported as it was found in the queue. */
  readonly name: string;
  /** The id the job was added with. */
  readonly jobId: string;
  /** Failed runs so far, this one included. */
  readonly attemptsMade: number;
  readonly error: Error;
  /** False when the queue gave up: the job is dropped and its id is free again. */
  readonly willRetry: boolean;
}

/**
 * What the queue reports that no caller is waiting for. A job that is given up must be seen by someone: the
 * execution it belongs to will not move until the engine's recovery sweep re-derives its work.
 */
export interface WorkQueueObserver {
  jobFailed(failure: JobFailure): void;
  /** The backend misbehaved outside any call (Redis unreachable, a connection dropped); the queue keeps trying. */
  backendError(error: Error): void;
}

/**
 * Reports to the console: retries as warnings, given-up jobs as errors. While Redis is away the client fails every
 * reconnection attempt with the same error; a message already printed in the last minute is not printed again.
 */
export function consoleWorkQueueObserver(logger: Pick<Console, 'warn' | 'error'> = console): WorkQueueObserver {
  const printedAt = new Map<string, number>();
  return {
    jobFailed(failure) {
      const what = `job ${failure.name} '${failure.jobId}' failed (run ${failure.attemptsMade}): ${failure.error.message}`;
      if (failure.willRetry) logger.warn(`[work-queue] ${what}; retrying`);
      else logger.error(`[work-queue] ${what}; giving up, the job is dropped`);
    },
    backendError(error) {
      const now = Date.now();
      const last = printedAt.get(error.message);
      if (last !== undefined && now - last < 60_000) return;
      if (printedAt.size > 100) printedAt.clear();
      printedAt.set(error.message, now);
      logger.error(`[work-queue] backend error: ${error.message}`);
    },
  };
}

/** Fills the callbacks a caller left out from the console observer. */
export function resolveObserver(partial: Partial<WorkQueueObserver> = {}): WorkQueueObserver {
  const fallback = consoleWorkQueueObserver();
  return {
    jobFailed: partial.jobFailed ?? fallback.jobFailed,
    backendError: partial.backendError ?? fallback.backendError,
  };
}
