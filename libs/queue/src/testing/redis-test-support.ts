import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueName } from '../bullmq-work-queue';

/** The Redis the BullMQ specs run against. */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Fails with one line naming what is missing when Redis does not answer: a BullMQ spec must never pass by
 * skipping. Speaks RESP over a bare socket so that no client retries hide the cause.
 */
export async function requireRedis(url: string = TEST_REDIS_URL, timeoutMs = 2_000): Promise<void> {
  const { hostname, port } = new URL(url);
  const problem = await new Promise<string | undefined>((resolve) => {
    const socket = new Socket();
    const done = (outcome: string | undefined): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => done(error.message));
    socket.once('data', (reply) =>
      done(
        reply.toString().startsWith('+PONG') || reply.toString().startsWith('-NOAUTH')
          ? undefined
          : `unexpected reply ${JSON.stringify(reply.toString().trim())}`,
      ),
    );
    socket.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''), () => socket.write('PING\r\n'));
  });
  if (problem !== undefined) {
    throw new Error(
      `Redis is not reachable at ${url} (${problem}): the BullMQ work-queue specs need it. Start Redis or set REDIS_URL.`,
    );
  }
}

/** A key prefix no other test run uses, so runs can share one Redis and clean up only their own keys. */
export function uniquePrefix(label: string): string {
  return `asl-test-${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Removes a test queue: BullMQ's obliterate first (it knows its key layout), then whatever it leaves (deduplication
 * keys of removed jobs) under the prefix, which is unique to the test run.
 */
export async function obliterateTestQueue(url: string, prefix: string): Promise<void> {
  const queue = new Queue(QueueName.Work, { connection: { url }, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
  await deleteKeys(url, `${prefix}:*`);
}

/** Keys under a pattern, for asserting a test left nothing behind. */
export async function keysMatching(url: string, pattern: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: pattern, count: 500 })) keys.push(...(batch as string[]));
    return keys;
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const keys = await keysMatching(url, pattern);
  if (keys.length === 0) return;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A redis-server of the spec's own, so that restarting it disturbs no other test sharing the usual Redis. */
export interface PrivateRedis {
  readonly url: string;
  /** Kills it as a crash would (SIGKILL); it keeps nothing on disk, so it comes back empty. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Starts a throw-away redis-server on a free port; fails with one line when the binary is missing. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const failedToSpawn = new Promise<never>((_, reject) =>
      spawned.once('error', (error) =>
        reject(new Error(`Cannot start redis-server for the Redis restart spec (${error.message}): install Redis`)),
      ),
    );
    child = spawned;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await Promise.race([requireRedis(url, 200), failedToSpawn]);
        return;
      } catch (error) {
        if (Date.now() > deadline || (error as Error).message.startsWith('Cannot start')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, kill, restart: start };
}

/** A port nobody listens on right now (for private servers in tests and benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
