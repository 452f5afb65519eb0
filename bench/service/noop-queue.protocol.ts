/** What the benchmark and its no-op BullMQ worker process (bullmq-noop.worker.ts) share. */

/** Messages between the benchmark and the worker process, over its IPC channel. */
export type NoopWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'drained'; readonly completed: number }
  | { readonly type: 'hops'; readonly count: number }
  | { readonly type: 'hop-times'; readonly ms: readonly number[] };

/** The queue both sides use, and the options of its jobs (those of BullMqWorkQueue's queue). */
export const NOOP_QUEUE = 'noop';
export const NOOP_JOB_OPTIONS = { attempts: 20, removeOnComplete: true, removeOnFail: true } as const;
