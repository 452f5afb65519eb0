import { type JobData, type JobHandler, JobName } from '@lib/engine';
import { WorkQueueError, WorkQueueErrorCode } from './work-queue.error';

/** What process() is given: one handler per job name. */
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

const JOB_NAMES: readonly JobName[] = Object.values(JobName);

/** True for the names the durable driver uses; anything else in a queue came from elsewhere. */
export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/**
 * Refuses a handler set with a hole in it, naming every missing job name, before a single job is taken: a worker
 * that would take jobs it cannot run must not start (the type system already asks for all of them, but handlers
 * are often assembled at run time).
 */
export function assertEveryJobNameHandled(handlers: JobHandlers): void {
  const missing = JOB_NAMES.filter(
    (name) => typeof (handlers as Partial<Record<JobName, unknown>>)[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new WorkQueueError(
      WorkQueueErrorCode.MissingJobHandler,
      `The work queue cannot start: no handler for job name${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}`,
    );
  }
}

/** Refuses a concurrency that would stall the queue or overrun it. */
export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new WorkQueueError(
      WorkQueueErrorCode.InvalidConcurrency,
      `concurrency must be a positive integer, not ${concurrency}`,
    );
  }
}

/** Runs the handler of a job's name; a synchronous throw becomes a rejection like any other failure. */
export async function runJobHandler<N extends JobName>(
  handlers: JobHandlers,
  name: N,
  data: JobData[N],
): Promise<void> {
  const handler: JobHandler<N> = handlers[name];
  await handler(data);
}
