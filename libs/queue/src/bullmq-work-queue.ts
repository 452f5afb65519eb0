import { type AddJobOptions, type JobData, type JobName, type WorkQueue } from '@lib/engine';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { encodeJobId } from './bullmq-job-id';
import { checkedDelay } from './job-delay';
import {
  assertConcurrency,
  assertEveryJobNameHandled,
  isJobName,
  type JobHandlers,
  runJobHandler,
} from './job-handlers';
import { resolveRetryPolicy, retryDelayMs, type RetryPolicy } from './retry-policy';
import { WorkQueueError, WorkQueueErrorCode } from './work-queue.error';
import { resolveObserver, type WorkQueueObserver } from './work-queue.observer';

/** The one BullMQ queue the durable driver uses; its jobs are told apart by JobName. */
export enum QueueName {
  Work = 'work',
}

/** Tuning of the BullMQ queue. Only `url` is needed; the defaults suit production. */
export interface BullMqWorkQueueOptions {
  /** A redis:// or rediss:// URL (REDIS_URL). */
  readonly url: string;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. Default `asl`. */
  readonly prefix?: string;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * How long a worker's hold on a running job lasts without renewal (renewed every half of it). A worker that dies
   * (kill -9, OOM, a lost host) stops renewing; after this much time its job counts as stalled. Default 10 s.
   */
  readonly lockDurationMs?: number;
  /** How often each worker looks for stalled jobs and puts them back in the waiting list. Default 5 s. */
  readonly stalledIntervalMs?: number;
  /**
   * How many times a job may be found stalled before it is failed without a further run: a job that kills its
   * worker every time must not take down every worker in turn. Default 2.
   */
  readonly maxStalledCount?: number;
  /** How long close() lets BullMQ record the outcome of the last jobs before it drops the connections. Default 5 s. */
  readonly closeGraceMs?: number;
  /** ping() rejects when Redis does not answer within this time. Default 2 s. */
  readonly pingTimeoutMs?: number;
  /** add() rejects when Redis has not taken the job within this time (it is away). Default 10 s. */
  readonly addTimeoutMs?: number;
  readonly observer?: Partial<WorkQueueObserver>;
}

/** What a BullMQ job carries: the id the engine chose (BullMQ keys it by a digest) and the job's data. */
interface BullMqPayload {
  readonly jobId: string;
  readonly data: unknown;
}

/** Names the capped exponential back-off of our RetryPolicy among BullMQ's strategies. */
const BACKOFF_TYPE = 'asl-capped-exponential';

/**
 * The work queue on BullMQ and Redis: one Queue (to add) and at most one Worker (to process) per process, on one
 * queue whose job names are the JobName values.
 *
 * - **Job ids.** A job's id is BullMQ's *deduplication id* (a digest of the engine's id, see encodeJobId), not its
 *   custom job id. BullMQ 6.7 silently ignores an add whose custom id names an existing job hash, completed and
 *   failed jobs included unless removeOnComplete/removeOnFail removed them; and it has no way to queue a run of an
 *   id behind the running one. A deduplication key is set when the job is added and deleted when the job finishes
 *   (completed, or failed its last attempt), so the id is free again exactly then; and `keepLastIfActive` gives
 *   rerunIfRunning: an add while the id runs is stored and becomes one new job when the running one finishes.
 *   Finished jobs are removed all the same (the execution history is the record, not Redis).
 * - **At least once.** A job whose worker died is found by another worker's stalled check within about
 *   lockDuration + 2 × stalledInterval and run again, so a handler can run twice for one add, and a handler that
 *   blocks the event loop longer than lockDuration can have a second run start beside it. Handlers are idempotent
 *   (the store's conditional commits make them so).
 * - **Redis restarts.** Connections use `maxRetriesPerRequest: null` (BullMQ requires it for workers): commands
 *   issued while Redis is away wait and are sent on reconnection, the worker resumes fetching by itself, ping()
 *   reports the outage meanwhile, and add() tells its caller after addTimeoutMs. A Redis that keeps nothing on
 *   disk comes back empty: the engine's recovery sweep must re-add the work of running executions
 *   (deduplication makes re-adding safe).
 */
export class BullMqWorkQueue implements WorkQueue {
  private readonly retry: RetryPolicy;
  private readonly observer: WorkQueueObserver;
  private readonly prefix: string;
  /** Shared by the Queue; the Worker makes its own two connections from it (BullMQ never blocks a shared one). */
  private readonly connection: Redis;
  private readonly queue: Queue<BullMqPayload, void, string>;
  private worker: Worker<BullMqPayload, void, string> | undefined;
  /** Handlers now running in this process: close() waits for these whatever state Redis is in. */
  private readonly running = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: BullMqWorkQueueOptions) {
    this.retry = resolveRetryPolicy(options.retry);
    this.observer = resolveObserver(options.observer);
    this.prefix = options.prefix ?? 'asl';
    this.connection = new Redis(options.url, {
      maxRetriesPerRequest: null,
      connectionName: `${this.prefix}:work-queue`,
    });
    this.connection.on('error', (error: Error) => this.observer.backendError(error));
    this.queue = new Queue<BullMqPayload, void, string>(QueueName.Work, {
      connection: this.connection,
      prefix: this.prefix,
      defaultJobOptions: {
        attempts: this.retry.attempts,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (error: Error) => this.observer.backendError(error));
  }

  async add<N extends JobName>(name: N, data: JobData[N], options: AddJobOptions): Promise<void> {
    // Not refused while closing: handlers still running may add their follow-up work until close() is done.
    if (this.closed) throw closedError('add');
    const delay = checkedDelay(options.delayMs);
    const payload: BullMqPayload = { jobId: options.jobId, data };
    const timeoutMs = this.options.addTimeoutMs ?? 10_000;
    // While Redis is away the add waits in ioredis' offline queue and goes out on reconnection. The caller hears
    // of it after addTimeoutMs; the add may still land later, which deduplication makes harmless.
    await withTimeout(
      this.queue.add(name, payload, {
        deduplication: {
          id: encodeJobId(options.jobId),
          ...(options.rerunIfRunning === true ? { keepLastIfActive: true } : {}),
        },
        ...(delay > 0 ? { delay } : {}),
      }),
      timeoutMs,
      () =>
        `Redis at ${redactedUrl(this.options.url)} did not take job ${name} '${options.jobId}' within ${timeoutMs} ms`,
    );
  }

  async process(handlers: JobHandlers, options: { readonly concurrency: number }): Promise<void> {
    if (this.closing) throw closedError('process');
    if (this.worker)
      throw new WorkQueueError(WorkQueueErrorCode.AlreadyProcessing, 'process() was already called on this work queue');
    assertEveryJobNameHandled(handlers);
    assertConcurrency(options.concurrency);
    const worker = new Worker<BullMqPayload, void, string>(
      QueueName.Work,
      async (job) => {
        // A job added by a newer or older release: retrying cannot help, fail it now (and report it).
        if (!isJobName(job.name)) throw new UnrecoverableError(`No handler for job name '${job.name}' in this release`);
        const run = runJobHandler(handlers, job.name, job.data.data as JobData[JobName]);
        const settled = run.then(
          () => undefined,
          () => undefined,
        );
        this.running.add(settled);
        try {
          await run;
        } finally {
          this.running.delete(settled);
        }
      },
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: options.concurrency,
        lockDuration: this.options.lockDurationMs ?? 10_000,
        stalledInterval: this.options.stalledIntervalMs ?? 5_000,
        maxStalledCount: this.options.maxStalledCount ?? 2,
        // BullMQ waits this long before retrying a Redis call that failed for want of a connection (15 s by
        // default); after a Redis restart that delays every job that was finishing when Redis went away.
        runRetryDelay: 1_000,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(this.retry, attemptsMade) ?? 0 },
      },
    );
    worker.on('failed', (job: Job<BullMqPayload, void, string> | undefined, error: Error) => {
      if (!job) return;
      this.observer.jobFailed({
        name: job.name,
        jobId: job.data.jobId,
        attemptsMade: job.attemptsMade,
        error,
        // BullMQ stamps finishedOn only on the last failure; a run to be retried goes back to the delayed set.
        willRetry: job.finishedOn === undefined,
      });
    });
    worker.on('error', (error: Error) => this.observer.backendError(error));
    this.worker = worker;
  }

  async ping(): Promise<void> {
    if (this.closing) throw closedError('ping');
    const timeoutMs = this.options.pingTimeoutMs ?? 2_000;
    // While Redis is away the PING waits in ioredis' offline queue; the timeout is what reports the outage.
    await withTimeout(
      this.connection.ping(),
      timeoutMs,
      () => `Redis at ${redactedUrl(this.options.url)} did not answer PING within ${timeoutMs} ms`,
    );
  }

  /**
   * A marker key written beside the queue's own keys: when Redis comes back without it, everything queued is gone
   * too (this deployment keeps no data on disk), and the first process to notice writes a new one.
   */
  async epoch(): Promise<string> {
    if (this.closing) throw closedError('epoch');
    const key = `${this.prefix}:asl-epoch`;
    await this.connection.set(key, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, 'NX');
    return (await this.connection.get(key)) ?? '';
  }

  /**
   * Stops fetching, waits for running handlers to finish and for BullMQ to record their outcome, and disconnects.
   *
   * BullMQ's graceful close() ends with a QUIT that waits forever while Redis is away, and its pause() waits as
   * long for the outcomes to be recorded. So: pause (stop fetching, let outcomes be recorded), but for no longer
   * than closeGraceMs after the last handler finished; then close by force, which only drops the connections.
   * Jobs whose outcome could not be recorded stay active in Redis and are re-delivered by the stalled check.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        const worker = this.worker;
        if (worker) {
          const graceOver = (async () => {
            await this.handlersFinished();
            await new Promise((resolve) => setTimeout(resolve, this.options.closeGraceMs ?? 5_000).unref());
          })();
          await Promise.race([worker.pause(), graceOver]);
          await worker.close(true);
          await this.handlersFinished();
        }
        await this.queue.close();
      } finally {
        this.connection.disconnect();
        this.closed = true;
      }
    })();
    return this.closing;
  }

  private async handlersFinished(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}

/** Rejects with BackendUnreachable when `promise` has not settled within `timeoutMs`. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkQueueError(WorkQueueErrorCode.BackendUnreachable, message())), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function closedError(call: string): WorkQueueError {
  return new WorkQueueError(WorkQueueErrorCode.Closed, `The work queue is closed: ${call}() refused`);
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable REDIS_URL)';
  }
}
