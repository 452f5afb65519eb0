/**
 * The two limits every figure is printed beside, measured in the same run on the same Redis and Postgres:
 *
 * - the queue: raw BullMQ jobs/s through one queue into one worker process with the service's concurrency and
 *   job options, processors doing nothing; and one job's hop from add() to completed, one at a time;
 * - the database: history-like rows/s inserted in multi-row INSERTs of 1,000 rows, two per transaction, on one
 *   connection — the shape of the commit of W1's 2,002 events.
 */
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { percentileOfSorted } from '../statistics';
import { NOOP_JOB_OPTIONS, NOOP_QUEUE, type NoopWorkerMessage } from './noop-queue.protocol';

export interface QueueLimit {
  readonly jobs: number;
  readonly concurrency: number;
  readonly jobsPerSecond: number;
  /** add() → completed, one job at a time. */
  readonly hopMs: { readonly p50: number; readonly p99: number };
}

/** Adds this many jobs at once at most, as the service's API and workers together do under load. */
const ADDS_IN_FLIGHT = 100;
const HOPS = 200;
/** A payload of the size of a W2 InvokeTask job (command, input and context). */
const PAYLOAD = { jobId: 'x'.repeat(120), data: { filler: 'y'.repeat(400) } };

export async function measureQueueLimit(
  redisUrl: string,
  noopWorker: string,
  concurrency: number,
  jobs: number,
): Promise<QueueLimit> {
  const child = fork(noopWorker, [], {
    env: {
      PATH: process.env['PATH'] ?? '',
      REDIS_URL: redisUrl,
      BENCH_NOOP_JOBS: String(jobs),
      WORKER_CONCURRENCY: String(concurrency),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: NoopWorkerMessage['type']): Promise<NoopWorkerMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: NoopWorkerMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error(`the no-op BullMQ worker exited before '${type}'`)));
    });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(NOOP_QUEUE, { connection, defaultJobOptions: NOOP_JOB_OPTIONS });
  try {
    await next('ready');
    const drained = next('drained');
    const start = performance.now();
    let added = 0;
    await Promise.all(
      Array.from({ length: ADDS_IN_FLIGHT }, async () => {
        // Deduplication ids, as the service adds every job with one.
        for (let i = added++; i < jobs; i = added++)
          await queue.add('noop', PAYLOAD, { deduplication: { id: `noop.${i}` } });
      }),
    );
    await drained;
    const elapsedMs = performance.now() - start;
    const hopsReply = next('hop-times');
    child.send({ type: 'hops', count: HOPS } satisfies NoopWorkerMessage);
    const hops = await hopsReply;
    const sorted = Float64Array.from(hops.type === 'hop-times' ? hops.ms : []).sort();
    return {
      jobs,
      concurrency,
      jobsPerSecond: jobs / (elapsedMs / 1000),
      hopMs: { p50: percentileOfSorted(sorted, 0.5), p99: percentileOfSorted(sorted, 0.99) },
    };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    child.kill('SIGTERM');
    await exited;
  }
}

export interface InsertLimit {
  readonly rows: number;
  readonly rowsPerSecond: number;
}

const ROWS_PER_STATEMENT = 1_000;
const STATEMENTS_PER_TRANSACTION = 2;
const COLUMNS = 8;

/** In a scratch table shaped as history_events (columns, types, primary key; no foreign key, no trigger). */
export async function measureInsertLimit(databaseUrl: string, rows: number): Promise<InsertLimit> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_insert_limit (LIKE history_events INCLUDING ALL)');
    const text = `INSERT INTO bench_insert_limit (execution_arn, id, previous_event_id, type, "timestamp", details, previous_hash, hash) VALUES ${Array.from(
      { length: ROWS_PER_STATEMENT },
      (_, r) => `(${Array.from({ length: COLUMNS }, (_, c) => `$${r * COLUMNS + c + 1}`).join(', ')})`,
    ).join(', ')}`;
    const perTransaction = ROWS_PER_STATEMENT * STATEMENTS_PER_TRANSACTION;
    const statements = STATEMENTS_PER_TRANSACTION * Math.max(1, Math.round(rows / perTransaction));
    // Built before the clock starts: the limit is the database's, not this process's.
    const batches = Array.from({ length: statements }, (_, s) => historyLikeRows(s));
    const start = performance.now();
    for (let s = 0; s < statements; s += STATEMENTS_PER_TRANSACTION) {
      await client.query('BEGIN');
      for (const values of batches.slice(s, s + STATEMENTS_PER_TRANSACTION))
        await client.query({ name: 'bench_insert_limit', text, values });
      await client.query('COMMIT');
    }
    const elapsedMs = performance.now() - start;
    const inserted = statements * ROWS_PER_STATEMENT;
    return { rows: inserted, rowsPerSecond: inserted / (elapsedMs / 1000) };
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_insert_limit').catch(() => undefined);
    await client.end();
  }
}

/** One statement's parameters: 1,000 Pass events of one execution, with W1's details and real-sized hashes. */
function historyLikeRows(statement: number): unknown[] {
  const arn = `arn:aws:states:us-east-1:123456789012:execution:limit:${randomUUID()}`;
  const values: unknown[] = [];
  const timestamp = new Date();
  for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
    const id = r + 1;
    const entered = r % 2 === 0;
    const name = `Pass${statement}_${r >> 1}`;
    const io = {
      name,
      [entered ? 'input' : 'output']: '{"order":42,"items":["a","b"]}',
      [entered ? 'inputDetails' : 'outputDetails']: { truncated: false },
    };
    values.push(
      arn,
      id,
      id - 1,
      entered ? 'PassStateEntered' : 'PassStateExited',
      timestamp,
      JSON.stringify({ [entered ? 'stateEnteredEventDetails' : 'stateExitedEventDetails']: io }),
      randomBytes(32).toString('hex'),
      randomBytes(32).toString('hex'),
    );
  }
  return values;
}
