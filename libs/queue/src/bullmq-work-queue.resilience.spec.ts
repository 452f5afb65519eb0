import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type JobData, JobName } from '@lib/engine';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullMqWorkQueue } from './bullmq-work-queue';
import { type JobHandlers } from './job-handlers';
import {
  keysMatching,
  obliterateTestQueue,
  requireRedis,
  startPrivateRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from './testing/redis-test-support';
import { WorkQueueErrorCode } from './work-queue.error';

beforeAll(() => requireRedis());

const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await obliterateTestQueue(TEST_REDIS_URL, prefix);
  for (const prefix of prefixes) expect(await keysMatching(TEST_REDIS_URL, `${prefix}:*`)).toEqual([]);
});
const testPrefix = (label: string): string => {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  return prefix;
};

const advance = (executionArn: string): JobData[JobName.AdvanceExecution] => ({ executionArn });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
/** Handlers that record the execution ARN of every run. */
function recordingHandlers(runs: string[]): JobHandlers {
  const record = async (data: { readonly executionArn: string }): Promise<void> => {
    runs.push(data.executionArn);
  };
  return { [JobName.AdvanceExecution]: record, [JobName.InvokeTask]: record, [JobName.FireTimer]: record };
}
const quiet = { backendError: () => undefined, jobFailed: () => undefined };

describe(BullMqWorkQueue.name, () => {
  it('takes engine ids BullMQ refuses as custom job ids: execution ARNs full of ":", integer-like, very long', async () => {
    const queue = new BullMqWorkQueue({ url: TEST_REDIS_URL, prefix: testPrefix('ids') });
    const runs: string[] = [];
    try {
      const ids = [
        'advance|arn:aws:states:us-east-1:123456789012:execution:Banking:run-1',
        '42',
        `task|${'x'.repeat(2_000)}`,
      ];
      // Added twice while waiting (no worker yet): each id is taken once.
      for (const id of ids) await queue.add(JobName.AdvanceExecution, advance(id), { jobId: id });
      for (const id of ids) await queue.add(JobName.AdvanceExecution, advance(id), { jobId: id });
      await queue.process(recordingHandlers(runs), { concurrency: 4 });
      await waitFor('three runs', () => runs.length === 3, 5_000);
      await sleep(100);
      expect(runs.sort()).toEqual([...ids].sort());
    } finally {
      await queue.close();
    }
  });

  it('re-delivers the job of a worker killed with SIGKILL once its lock expires (at least once)', async () => {
    const prefix = testPrefix('stalled');
    const fixture = join(__dirname, 'testing', 'stalled-worker.fixture.ts');
    const repositoryRoot = join(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repositoryRoot,
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));

    const queue = new BullMqWorkQueue({
      url: TEST_REDIS_URL,
      prefix,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      observer: quiet,
    });
    const runs: string[] = [];
    try {
      await queue.add(JobName.AdvanceExecution, advance('crashing'), { jobId: 'crashing' });
      await waitFor(
        `the child worker to take the job (its output: ${JSON.stringify(output)})`,
        () => output.includes('started crashing'),
        15_000,
      );
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();

      await queue.process(recordingHandlers(runs), { concurrency: 1 });
      await waitFor('the stalled job to be re-delivered', () => runs.includes('crashing'), 10_000);
      // Not before the dead worker's lock expired: the job was not taken from a live worker.
      expect(Date.now() - killedAt).toBeGreaterThan(300);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await queue.close();
    }
  });

  it('keeps working across a Redis restart, and ping reports the outage meanwhile', async () => {
    const redis = await startPrivateRedis();
    const queue = new BullMqWorkQueue({ url: redis.url, prefix: 'restart', pingTimeoutMs: 300, observer: quiet });
    const runs: string[] = [];
    try {
      await queue.process(recordingHandlers(runs), { concurrency: 2 });
      await queue.add(JobName.AdvanceExecution, advance('before'), { jobId: 'before' });
      await waitFor('the job before the restart', () => runs.includes('before'), 5_000);

      await redis.kill();
      await expect(queue.ping()).rejects.toMatchObject({ code: WorkQueueErrorCode.BackendUnreachable });
      // An add during the outage waits for Redis instead of failing.
      const addedDuringOutage = queue.add(JobName.AdvanceExecution, advance('during'), { jobId: 'during' });
      await redis.restart();

      await addedDuringOutage;
      await queue.add(JobName.AdvanceExecution, advance('after'), { jobId: 'after' });
      await waitFor(
        'the jobs added during and after the outage',
        () => runs.includes('during') && runs.includes('after'),
        15_000,
      );
      await expect(queue.ping()).resolves.toBeUndefined();
    } finally {
      await queue.close();
      await redis.kill();
    }
  });

  it('closes while Redis is away: waits for the running handler, then gives up recording its outcome', async () => {
    const redis = await startPrivateRedis();
    const queue = new BullMqWorkQueue({ url: redis.url, prefix: 'away', closeGraceMs: 300, observer: quiet });
    let finishedAt: number | undefined;
    try {
      await queue.process(
        {
          ...recordingHandlers([]),
          [JobName.AdvanceExecution]: async () => {
            await sleep(400);
            finishedAt = Date.now();
          },
        },
        { concurrency: 1 },
      );
      await queue.add(JobName.AdvanceExecution, advance('held'), { jobId: 'held' });
      await sleep(100);
      await redis.kill();

      const closeStartedAt = Date.now();
      await queue.close();
      expect(finishedAt).toBeDefined();
      expect(Date.now() - closeStartedAt).toBeLessThan(4_000);
    } finally {
      await queue.close();
      await redis.kill();
    }
  });

  it('closes a queue that never reached Redis', async () => {
    const queue = new BullMqWorkQueue({ url: 'redis://127.0.0.1:1', closeGraceMs: 200, observer: quiet });
    await queue.process(recordingHandlers([]), { concurrency: 1 });
    const closeStartedAt = Date.now();
    await queue.close();
    expect(Date.now() - closeStartedAt).toBeLessThan(3_000);
  });

  it('ping and add fail with the URL when Redis does not answer, without the password', async () => {
    const queue = new BullMqWorkQueue({
      url: 'redis://:secret@127.0.0.1:1',
      pingTimeoutMs: 200,
      addTimeoutMs: 200,
      observer: quiet,
    });
    try {
      const ping = queue.ping();
      await expect(ping).rejects.toMatchObject({ code: WorkQueueErrorCode.BackendUnreachable });
      await expect(ping).rejects.toThrow(/127\.0\.0\.1:1.*did not answer PING within 200 ms/);
      await expect(ping).rejects.not.toThrow(/secret/);
      const add = queue.add(JobName.AdvanceExecution, advance('lost'), { jobId: 'lost' });
      await expect(add).rejects.toMatchObject({ code: WorkQueueErrorCode.BackendUnreachable });
      await expect(add).rejects.toThrow(/did not take job advance-execution 'lost' within 200 ms/);
    } finally {
      await queue.close();
    }
  });

  it('says in one line that Redis is missing, instead of skipping', async () => {
    await expect(requireRedis('redis://127.0.0.1:1', 500)).rejects.toThrow(
      /^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(.+\): the BullMQ work-queue specs need it\. Start Redis or set REDIS_URL\.$/,
    );
  });
});

/**
 * What BullMQ 6.7 does that made this queue key jobs by deduplication id rather than custom job id. If an upgrade
 * changes any of it, these fail and the reasoning in BullMqWorkQueue's doc comment needs a second look.
 */
describe('BullMQ 6.7 behaviour the work queue relies on', () => {
  it('refuses custom job ids with ":" (unless of the legacy a:b:c shape) and integer-like ones', async () => {
    const queue = new Queue('semantics', { connection: { url: TEST_REDIS_URL }, prefix: testPrefix('semantics') });
    try {
      await expect(queue.add('n', {}, { jobId: 'arn:aws:states:us-east-1:1:execution:M:x' })).rejects.toThrow(
        /cannot contain :/,
      );
      await expect(queue.add('n', {}, { jobId: '42' })).rejects.toThrow(/cannot be integers/);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('ignores an add whose custom id belongs to a kept completed job; a deduplication id is free once its job finished', async () => {
    const prefix = testPrefix('semantics');
    const connection = { url: TEST_REDIS_URL };
    const queue = new Queue('semantics', { connection, prefix });
    const runs: string[] = [];
    const worker = new Worker(
      'semantics',
      async (job) => {
        runs.push(`${job.name}:${(job.data as { n: number }).n}`);
      },
      { connection, prefix },
    );
    try {
      await queue.add('custom', { n: 1 }, { jobId: 'kept' });
      await waitFor('the first custom-id run', () => runs.length === 1, 5_000);
      await sleep(100);
      await queue.add('custom', { n: 2 }, { jobId: 'kept' });
      await queue.add('dedup', { n: 1 }, { deduplication: { id: 'free' } });
      await waitFor('the first deduplicated run', () => runs.length === 2, 5_000);
      await sleep(100);
      await queue.add('dedup', { n: 2 }, { deduplication: { id: 'free' } });
      await waitFor('the second deduplicated run', () => runs.length === 3, 5_000);
      expect(runs).toEqual(['custom:1', 'dedup:1', 'dedup:2']);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
