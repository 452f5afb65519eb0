import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../../libs/persistence/src/testing/postgres-test-database';
import { freePort, type PrivateRedis, startPrivateRedis } from '../../../libs/queue/src/testing/redis-test-support';
import { ServiceApi } from './service-api.client';

/**
 * Real service processes for the end-to-end suites: the bundled API and worker (`dist/api/main.js`,
 * `dist/worker/main.js`) on a fresh Postgres database and a Redis of the suite's own. The configuration has no way to
 * set BullMQ's key prefix, so every suite gets a private redis-server: suites running side by side, and the Redis
 * restart suite, never touch each other's queue or the shared Redis.
 */

export const REPO_ROOT = resolve(__dirname, '../../..');
const API_ENTRY = join(REPO_ROOT, 'dist/api/main.js');
const WORKER_ENTRY = join(REPO_ROOT, 'dist/worker/main.js');
/** The last output of a process is kept for error messages; a whole run's log is not needed to see why it died. */
const OUTPUT_TAIL_CHARS = 20_000;

/**
 * Bundles the API and the worker with the project's own build scripts. They write to a temporary name and rename,
 * so suites building at the same time never start a half-written bundle.
 */
export async function buildServiceBundles(): Promise<void> {
  await Promise.all(
    ['apps/api/build.mjs', 'apps/worker/build.mjs'].map((script) =>
      promisify(execFile)(process.execPath, [script], { cwd: REPO_ROOT }),
    ),
  );
}

/** Waits for `condition` to hold, polling; fails naming `what` (and the last answer seen) at the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (condition(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${preview(value)}`);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}

/** One API or worker process of the service. */
export class ServiceProcess {
  private output = '';
  private readonly listeners = new Set<() => void>();
  /** Settles when the process has exited, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    const collect = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
      for (const listener of this.listeners) listener();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((done) => {
      child.once('exit', (code, signal) => {
        for (const listener of this.listeners) listener();
        done({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The end of what the process printed, for error messages. */
  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** Resolves once the process printed a line matching `pattern`; fails if it exits first or the deadline passes. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((done, fail) => {
      const check = (): void => {
        if (pattern.test(this.output)) finish();
        else if (!this.running) finish(new Error(`${this.label} exited before printing ${pattern}:\n${this.tail()}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`${this.label} did not print ${pattern} within ${timeoutMs} ms:\n${this.tail()}`)),
        timeoutMs,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) fail(error);
        else done();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Kills the process as a crash would (SIGKILL): no shutdown hook runs, nothing is flushed or released. */
  async crash(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the process to shut down gracefully; kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** What a suite's processes are started with. */
export interface ServiceEnvironment {
  /** HANDLERS_MODULE of the workers. */
  readonly handlersModule: string;
  /** Extra variables for every process (WORKER_CONCURRENCY, fixture settings…). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A suite's service: its database, its Redis, an API process and any number of worker processes, and a scratch
 * directory for the fixtures' marker files. `dispose()` ends and removes all of it, whatever state it is in.
 */
export class ServiceHarness {
  private readonly processes: ServiceProcess[] = [];
  private workerCount = 0;
  api!: ServiceApi;
  apiProcess!: ServiceProcess;

  private constructor(
    readonly database: TestDatabase,
    readonly redis: PrivateRedis,
    readonly scratchDir: string,
    private readonly environment: ServiceEnvironment,
  ) {}

  /**
   * Builds nothing: call {@link buildServiceBundles} first. Fails with one line when Postgres is unreachable or
   * redis-server cannot be started, so a missing service fails the suite rather than skipping it.
   */
  static async start(environment: ServiceEnvironment): Promise<ServiceHarness> {
    const database = await createTestDatabase();
    let redis: PrivateRedis;
    try {
      redis = await startPrivateRedis();
    } catch (e) {
      await database.drop();
      throw new Error(`Redis is not available to the service suites: ${(e as Error).message}`, { cause: e });
    }
    const harness = new ServiceHarness(database, redis, mkdtempSync(join(tmpdir(), 'asl-service-')), environment);
    try {
      await harness.startApi();
    } catch (e) {
      await harness.dispose();
      throw e;
    }
    return harness;
  }

  /** The environment of a service process: the suite's database and Redis, and nothing inherited that could differ. */
  private env(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      NO_COLOR: '1',
      LOG_LEVEL: 'log',
      DATABASE_URL: this.database.url,
      REDIS_URL: this.redis.url,
      HANDLERS_MODULE: this.environment.handlersModule,
      ASL_TEST_SCRATCH_DIR: this.scratchDir,
      ...this.environment.env,
      ...extra,
    };
  }

  private spawn(label: string, entry: string, extra: Readonly<Record<string, string>>): ServiceProcess {
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: REPO_ROOT,
      env: this.env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new ServiceProcess(label, child);
    // ASL_TEST_LOG_DIR keeps every process's whole log, to read after a run (the error messages show only a tail).
    const logDir = process.env['ASL_TEST_LOG_DIR'];
    if (logDir !== undefined) {
      const log = createWriteStream(join(logDir, `${label.replace(/\s+/g, '-')}-${child.pid ?? 'unknown'}.log`));
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    this.processes.push(started);
    return started;
  }

  /**
   * Starts the API process and waits until GET /health answers 200 (the store and the queue both up). A free port
   * can be taken by someone else before the API binds it: then the API says so and exits, and another port is tried.
   */
  private async startApi(attempts = 3): Promise<void> {
    const port = await freePort();
    const api = this.spawn('api', API_ENTRY, { PORT: String(port) });
    this.apiProcess = api;
    this.api = new ServiceApi(`http://127.0.0.1:${port}`);
    try {
      await eventually(
        'the API to answer GET /health with 200',
        async () => {
          if (!api.running) throw new Error(`The API process exited while starting:\n${api.tail()}`);
          return this.api.request('GET', '/health').catch((e: unknown) => ({ status: 0, error: String(e) }));
        },
        (response) => response.status === 200,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    } catch (e) {
      if (attempts > 1 && /PORT \d+ is already in use/.test(api.tail())) return this.startApi(attempts - 1);
      throw e;
    }
  }

  /** Starts a worker process and waits until it takes jobs. */
  async startWorker(extra: Readonly<Record<string, string>> = {}): Promise<ServiceProcess> {
    const worker = this.spawn(`worker ${++this.workerCount}`, WORKER_ENTRY, extra);
    await worker.waitForOutput(/\[Worker\] Processing jobs/, 20_000);
    return worker;
  }

  /** Kills every process, drops the database, kills Redis and removes the scratch directory; never throws. */
  async dispose(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.crash().catch(() => undefined)));
    await this.database.drop().catch((e: unknown) => console.error(`dropping the test database: ${String(e)}`));
    await this.redis.kill().catch(() => undefined);
    rmSync(this.scratchDir, { recursive: true, force: true });
  }
}
