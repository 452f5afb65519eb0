import type { Command } from '@lib/asl';

/** The kinds of work the durable driver hands to its workers. Queue job names are these values, never literals. */
export enum JobName {
  /** Drain an execution's inbox and step it. */
  AdvanceExecution = 'advance-execution',
  /** Run one Task invocation and put its outcome in the execution's inbox. */
  InvokeTask = 'invoke-task',
  /** A Wait, retry back-off or timeout is due: put TimerFired in the execution's inbox. */
  FireTimer = 'fire-timer',
}

/** The data each job carries. */
export interface JobData {
  [JobName.AdvanceExecution]: { readonly executionArn: string };
  /** The whole InvokeTask command: the task's input and context travel with the job (at most 256 KiB). */
  [JobName.InvokeTask]: { readonly executionArn: string; readonly command: InvokeTaskCommand };
  [JobName.FireTimer]: { readonly executionArn: string; readonly timerId: string };
}

/** The interpreter's request to run a task. */
export type InvokeTaskCommand = Extract<Command, { type: 'InvokeTask' }>;

/** How a job is added. */
export interface AddJobOptions {
  /**
   * A deterministic id: adding a job whose id is still waiting, delayed or running does nothing, so follow-up work
   * derived twice from the same committed state is queued once. Once the job has finished (completed, or failed
   * its last attempt) the id is free again.
   */
  readonly jobId: string;
  /** Run no earlier than this many milliseconds from now (timers; waiting holds no worker). */
  readonly delayMs?: number;
  /**
   * For wake-ups such as AdvanceExecution: when the id is running, do not drop the add but run the job once more
   * after the running one finishes (with the latest data; further adds meanwhile collapse into that one run). A
   * handler that already read its input cannot miss what arrived after, and two runs of one id never overlap.
   * Without it, an add that lands while the id runs is dropped.
   */
  readonly rerunIfRunning?: boolean;
}

/** Processes one job; a rejection makes the queue retry it with back-off. */
export type JobHandler<N extends JobName> = (data: JobData[N]) => Promise<void>;

/**
 * The work queue between the API and the workers: BullMQ on Redis in production, an in-process queue when no
 * REDIS_URL is set. Delivery is at least once; handlers must be idempotent (the store's conditional commits make
 * them so). Both implementations are held to one contract suite.
 */
export interface WorkQueue {
  add<N extends JobName>(name: N, data: JobData[N], options: AddJobOptions): Promise<void>;
  /** Starts consuming: every job name must have a handler (refuse to start half-wired). */
  process(handlers: { readonly [N in JobName]: JobHandler<N> }, options: { readonly concurrency: number }): Promise<void>;
  /** Answers when the queue's backend can be reached. */
  ping(): Promise<void>;
  /**
   * An id of the backend's current life: it changes when the backend lost its queued work (Redis restarted empty,
   * a new in-process queue). A worker that sees it change asks again for the work of every running execution.
   */
  epoch(): Promise<string>;
  /** Stops taking jobs, waits for running ones, and disconnects. */
  close(): Promise<void>;
}
