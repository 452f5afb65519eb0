import type { ExecutionStore, WorkQueue } from '@lib/engine';
import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue, type WorkQueueObserver } from '@lib/queue';
import type { LoggerService } from '@nestjs/common';
import type { ExecutionStoreConfig, WorkQueueConfig } from '../config/app-config';

/** Opens the execution store the configuration names and brings its schema up to date (migrations, logged). */
export async function openExecutionStore(config: ExecutionStoreConfig, logger: LoggerService): Promise<ExecutionStore> {
  const { store } = await createExecutionStore(config, { log: (line) => logger.log(line) });
  return store;
}

/** Opens the work queue the configuration names; what it reports outside any call goes to `logger`. */
export function openWorkQueue(config: WorkQueueConfig, logger: LoggerService): WorkQueue {
  return createWorkQueue({ ...config, observer: workQueueObserver(logger) });
}

/**
 * Routes the queue's unsolicited reports to the process log: retries as warnings, given-up jobs and backend trouble
 * as errors. A Redis outage repeats one error at every reconnection attempt; only the first of a run is logged.
 */
export function workQueueObserver(logger: LoggerService): WorkQueueObserver {
  let lastBackendError: string | undefined;
  return {
    jobFailed(failure) {
      const what = `Job ${failure.name} '${failure.jobId}' failed (run ${failure.attemptsMade}): ${failure.error.message}`;
      if (failure.willRetry) logger.warn(`${what}; retrying`);
      else logger.error(`${what}; giving up, the job is dropped`, failure.error.stack);
    },
    backendError(error) {
      if (error.message === lastBackendError) return;
      lastBackendError = error.message;
      logger.error(`Queue backend error: ${error.message}`);
    },
  };
}
