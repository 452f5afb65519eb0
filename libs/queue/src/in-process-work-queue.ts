import { type AddJobOptions, type JobData, type JobName, type WorkQueue } from '@lib/engine';
import { checkedDelay } from './job-delay';
import { assertConcurrency, assertEveryJobNameHandled, type JobHandlers, runJobHandler } from './job-handlers';
import { resolveRetryPolicy, retryDelayMs, type RetryPolicy } from './retry-policy';
import { WorkQueueError, WorkQueueErrorCode } from './work-queue.error';
import { resolveObserver, type WorkQueueObserver } from './work-queue.observer';

/** Tuning of the in-process queue. */
export interface InProcessWorkQueueOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly observer?: Partial<WorkQueueObserver>;
}

/** One pending job: waiting for a slot, delayed (timer or retry back-off), or running. */
interface PendingJob {
  readonly name: JobName;
  readonly jobId: string;
  data: unknown;
  state: 'waiting' | 'delayed' | 'running';
  attemptsMade: number;
  timer: NodeJS.Timeout | undefined;
  /** Set by an add with rerunIfRunning while the job ran: the run to start once this one is finished. */
  rerun: { readonly data: unknown; readonly delayMs: number } | undefined;
}

/** setTimeout fires at once (with a warning) past 2^31 - 1 ms, about 24.8 days; a Wait state may be longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The work queue in memory, for `npm start` without REDIS_URL, the CLI and fast tests: the same semantics as the
 * BullMQ queue (deduplication by job id while pending or running, delays, retries with capped exponential
 * back-off, a concurrency limit, graceful close), held to the same contract suite. Nothing survives the process:
 * a crash loses queued work, which the engine's recovery sweep re-derives from the store on the next start.
 */
export class InProcessWorkQueue implements WorkQueue {
  private readonly retry: RetryPolicy;
  private readonly observer: WorkQueueObserver;
  /** Every pending job by id: an add for one of these is a duplicate. */
  private readonly pending = new Map<string, PendingJob>();
  /** Waiting jobs, oldest first. */
  private readonly ready: PendingJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private handlers: JobHandlers | undefined;
  private concurrency = 1;
  private pumpScheduled = false;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(options: InProcessWorkQueueOptions = {}) {
    this.retry = resolveRetryPolicy(options.retry);
    this.observer = resolveObserver(options.observer);
  }

  async add<N extends JobName>(name: N, data: JobData[N], options: AddJobOptions): Promise<void> {
    if (this.closed) throw this.closedError('add');
    // A handler still running during close() may add its follow-up work: accepted, and dropped with everything
    // else this queue holds in memory, rather than failing the handler.
    if (this.closing) return;
    const delayMs = checkedDelay(options.delayMs);
    // BullMQ stores jobs as JSON: copying the same way keeps a caller's later mutations out of the job and makes
    // data that does not survive JSON fail here too, not only in production.
    const copy: unknown = JSON.parse(JSON.stringify(data));
    const existing = this.pending.get(options.jobId);
    if (existing) {
      if (existing.state === 'running' && options.rerunIfRunning === true) existing.rerun = { data: copy, delayMs };
      return;
    }
    this.enqueue(
      { name, jobId: options.jobId, data: copy, state: 'waiting', attemptsMade: 0, timer: undefined, rerun: undefined },
      delayMs,
    );
  }

  async process(handlers: JobHandlers, options: { readonly concurrency: number }): Promise<void> {
    if (this.closing) throw this.closedError('process');
    if (this.handlers)
      throw new WorkQueueError(WorkQueueErrorCode.AlreadyProcessing, 'process() was already called on this work queue');
    assertEveryJobNameHandled(handlers);
    assertConcurrency(options.concurrency);
    this.handlers = handlers;
    this.concurrency = options.concurrency;
    this.schedulePump();
  }

  async ping(): Promise<void> {
    if (this.closing) throw this.closedError('ping');
  }

  /** Every in-process queue starts empty: its epoch is its own. */
  async epoch(): Promise<string> {
    if (this.closing) throw this.closedError('epoch');
    return this.instanceEpoch;
  }

  private readonly instanceEpoch = `in-process-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

  /** Takes no more jobs, drops waiting and delayed ones (they live in memory only), waits for running ones. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const job of this.pending.values()) clearTimeout(job.timer);
      this.ready.length = 0;
      while (this.running.size > 0) await Promise.all(this.running);
      this.pending.clear();
      this.closed = true;
    })();
    return this.closing;
  }

  private enqueue(job: PendingJob, delayMs: number): void {
    this.pending.set(job.jobId, job);
    if (delayMs > 0) {
      job.state = 'delayed';
      this.startTimer(job, Date.now() + delayMs);
    } else {
      this.makeReady(job);
    }
  }

  private startTimer(job: PendingJob, dueAt: number): void {
    const wait = dueAt - Date.now();
    job.timer = setTimeout(
      () => {
        job.timer = undefined;
        if (dueAt - Date.now() > 0) this.startTimer(job, dueAt);
        else this.makeReady(job);
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }

  private makeReady(job: PendingJob): void {
    job.state = 'waiting';
    this.ready.push(job);
    this.schedulePump();
  }

  /** Starts jobs on a later turn, never inside add(): a handler must not run before its producer's await returns. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const handlers = this.handlers;
    if (!handlers || this.closing) return;
    while (this.running.size < this.concurrency) {
      const job = this.ready.shift();
      if (!job) return;
      job.state = 'running';
      const run = runJobHandler(handlers, job.name, job.data as JobData[JobName]).then(
        () => undefined,
        (thrown: unknown) => (thrown instanceof Error ? thrown : new Error(String(thrown))),
      );
      const tracked: Promise<void> = run.then((error) => {
        this.running.delete(tracked);
        this.settle(job, error);
      });
      this.running.add(tracked);
    }
  }

  private settle(job: PendingJob, error: Error | undefined): void {
    const delay = error && !this.closing ? retryDelayMs(this.retry, job.attemptsMade + 1) : undefined;
    if (error) job.attemptsMade += 1;
    if (delay !== undefined) {
      // A rerun asked for meanwhile stays until the job is finished: the retry re-reads its input anyway.
      job.state = 'delayed';
      this.startTimer(job, Date.now() + delay);
    } else {
      // Freed before the failure is reported, as in BullMQ, so that an observer may add the id again.
      this.pending.delete(job.jobId);
      const rerun = job.rerun;
      if (rerun && !this.closing) {
        this.enqueue(
          {
            name: job.name,
            jobId: job.jobId,
            data: rerun.data,
            state: 'waiting',
            attemptsMade: 0,
            timer: undefined,
            rerun: undefined,
          },
          rerun.delayMs,
        );
      }
    }
    if (error)
      this.observer.jobFailed({
        name: job.name,
        jobId: job.jobId,
        attemptsMade: job.attemptsMade,
        error,
        willRetry: delay !== undefined,
      });
    this.schedulePump();
  }

  private closedError(call: string): WorkQueueError {
    return new WorkQueueError(WorkQueueErrorCode.Closed, `The work queue is closed: ${call}() refused`);
  }
}
