/**
 * The worker process of the queue limit: a bare BullMQ Worker whose processor does nothing, with the options the
 * service's BullMqWorkQueue gives its own worker (concurrency, lock duration, stalled checks, one shared
 * connection). Started by the benchmark with an IPC channel:
 *
 * - it sends `ready` once it fetches, then `drained` when `BENCH_NOOP_JOBS` jobs have completed;
 * - asked `{type: 'hops', count}`, it adds one job at a time from this process and sends back each job's time from
 *   add() to its completion: the least a queue hop can cost, which a service step waits at least once for.
 */
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { NOOP_JOB_OPTIONS, NOOP_QUEUE, type NoopWorkerMessage } from './noop-queue.protocol';

async function main(): Promise<void> {
  const url = requiredEnv('REDIS_URL');
  const expected = Number(requiredEnv('BENCH_NOOP_JOBS'));
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  let completed = 0;
  const waiting = new Map<string, () => void>();
  const worker = new Worker(NOOP_QUEUE, async () => undefined, {
    connection,
    concurrency: Number(requiredEnv('WORKER_CONCURRENCY')),
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 2,
  });
  worker.on('completed', (job) => {
    if (++completed === expected) process.send?.({ type: 'drained', completed } satisfies NoopWorkerMessage);
    if (job.id !== undefined) waiting.get(job.id)?.();
  });
  await worker.waitUntilReady();

  const queue = new Queue(NOOP_QUEUE, { connection, defaultJobOptions: NOOP_JOB_OPTIONS });
  process.on('message', (message: NoopWorkerMessage) => {
    if (message.type !== 'hops') return;
    void (async () => {
      const ms: number[] = [];
      for (let i = 0; i < message.count; i++) {
        const begun = performance.now();
        const done = new Promise<void>((resolve) => waiting.set(`hop-${i}`, resolve));
        await queue.add('noop', { hop: i }, { jobId: `hop-${i}` });
        await done;
        ms.push(performance.now() - begun);
      }
      process.send?.({ type: 'hop-times', ms } satisfies NoopWorkerMessage);
    })();
  });
  process.once('SIGTERM', () => {
    void Promise.all([worker.close(true), queue.close()]).finally(() => {
      connection.disconnect();
      process.exit(0);
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' } satisfies NoopWorkerMessage);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
