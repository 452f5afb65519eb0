/**
 * The service under test: a fresh Postgres database, a private redis-server, and the built API and worker
 * processes (dist/api/main.js, dist/worker/main.js) started against them with the probe preloaded. The service reads
 * no queue prefix from its environment, so a redis-server of its own on a free port is what keeps this run's jobs
 * apart from anyone else's (and lets INFO commandstats and MONITOR see this run's commands only).
 *
 * Everything started here is stopped by close(), which also drops the database; a stack that fails half-way
 * through starting closes what it had started before it rethrows.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import pg from 'pg';
import { freePort, type PrivateRedis, startPrivateRedis } from '../../libs/queue/src/testing/redis-test-support';
import { PROJECT_ROOT } from '../child-bundles';
import { ApiClient } from './api-client';
import { redisPid } from './process-cpu';
import { SERVICE_CACHE_DIR, type ServiceBundles } from './service-bundles';
import { type ProbeReply, type ProbeRequest } from './service-probe.preload';

/** Where the admin connection goes to create and drop the benchmark's database (BENCH_POSTGRES_URL). */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Which built app a process runs. */
export type ServiceRole = 'api' | 'worker';

/** The built entry point each role runs. */
export type ServiceApps = Readonly<Record<ServiceRole, string>>;

/**
 * Builds the two apps exactly as `npm run build` does (dist/api/main.js, dist/worker/main.js), so the run measures
 * the current source, and runs a copy of each bundle with its source map: a build started meanwhile by someone
 * else in this working tree must not swap the code under the processes, or the map their profiles are read with.
 */
export function buildServiceApps(): ServiceApps {
  const apps = {} as Record<ServiceRole, string>;
  for (const role of ['api', 'worker'] as const) {
    const built = spawnSync(process.execPath, [join(PROJECT_ROOT, 'apps', role, 'build.mjs')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`Building apps/${role} failed:\n${built.stderr.trim()}`);
    const from = join(PROJECT_ROOT, 'dist', role);
    const dir = join(SERVICE_CACHE_DIR, 'dist', role);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(from, 'main.js'), join(dir, 'main.js'));
    // The map names its sources relative to dist/<role>; the copy names them by absolute path instead.
    const map = JSON.parse(readFileSync(join(from, 'main.js.map'), 'utf8')) as { sources: string[] };
    map.sources = map.sources.map((source) => resolvePath(from, source));
    writeFileSync(join(dir, 'main.js.map'), JSON.stringify(map));
    apps[role] = join(dir, 'main.js');
  }
  return apps;
}

/** One API or worker process, with the probe's IPC channel. */
export class ServiceProcess {
  readonly exited: Promise<void>;
  private nextRequestId = 1;
  private readonly pending = new Map<number, (reply: ProbeReply) => void>();

  constructor(
    readonly name: string,
    readonly role: ServiceRole,
    /** The bundle it runs (its source map is beside it). */
    readonly bundle: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (reply: ProbeReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    // A probe request to a process that died must fail rather than wait forever.
    void this.exited.then(() => {
      for (const resolve of this.pending.values()) resolve({ id: 0, error: `${this.name} exited` });
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a request to the probe preloaded in the process and waits for its reply. */
  async probe(request: DistributiveOmit<ProbeRequest, 'id'>): Promise<ProbeReply> {
    if (!this.running) throw new Error(`${this.name} is not running`);
    const id = this.nextRequestId++;
    const reply = await new Promise<ProbeReply>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...request, id });
    });
    if (reply.error !== undefined) throw new Error(`${this.name} probe ${request.type}: ${reply.error}`);
    return reply;
  }

  /** The last lines the process logged, to say why it failed. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGKILL, at once: for an exit that cannot wait. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL if it is still there after STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
    });
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late' && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ServiceStackOptions {
  readonly apps: ServiceApps;
  readonly bundles: ServiceBundles;
  readonly adminUrl: string;
  readonly workerConcurrency: number;
  readonly log: (line: string) => void;
}

/** A running service: one API process, any number of worker processes, their database and their Redis. */
export class ServiceStack {
  readonly workers: ServiceProcess[] = [];
  readonly client: ApiClient;
  private workerCount = 0;
  private closed = false;

  private constructor(
    private readonly options: ServiceStackOptions,
    readonly databaseName: string,
    readonly databaseUrl: string,
    readonly redis: PrivateRedis,
    readonly apiUrl: string,
    readonly api: ServiceProcess,
  ) {
    this.client = new ApiClient(apiUrl);
  }

  /**
   * Creates the database, starts Redis and the API (which migrates the schema), then `workers` worker processes.
   * On any failure, stops and drops whatever was started, then rethrows.
   */
  static async start(options: ServiceStackOptions, workers: number): Promise<ServiceStack> {
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const databaseName = `asl_bench_${process.pid}_${Date.now().toString(36)}`;
      await adminQuery(options.adminUrl, `CREATE DATABASE "${databaseName}"`).catch((e: unknown) => {
        const where = new URL(options.adminUrl).host;
        throw new Error(
          `Cannot create a database on Postgres at ${where} (BENCH_POSTGRES_URL): ${(e as Error).message}`,
        );
      });
      cleanups.push(() => dropDatabase(options.adminUrl, databaseName));
      const databaseUrl = withDatabase(options.adminUrl, databaseName);

      const redis = await startPrivateRedis();
      cleanups.push(() => redis.kill());

      const port = await freePort();
      const apiUrl = `http://127.0.0.1:${port}`;
      const api = spawnService(options, 'api', 'api', {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        PORT: String(port),
      });
      cleanups.push(() => api.stop());
      const client = new ApiClient(apiUrl);
      try {
        await waitUntil(api, () => client.health(), 'answers /health');
      } finally {
        client.close();
      }

      const stack = new ServiceStack(options, databaseName, databaseUrl, redis, apiUrl, api);
      cleanups.push(() => stack.stopWorkers());
      for (let i = 0; i < workers; i++) await stack.addWorker();
      return stack;
    } catch (e) {
      await runCleanups(cleanups, options.log);
      throw e;
    }
  }

  /** Starts one more worker process and waits until it takes jobs. */
  async addWorker(): Promise<ServiceProcess> {
    const name = `worker-${++this.workerCount}`;
    const worker = spawnService(this.options, 'worker', name, {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redis.url,
      HANDLERS_MODULE: this.options.bundles.handlers,
      WORKER_CONCURRENCY: String(this.options.workerConcurrency),
    });
    this.workers.push(worker);
    await waitUntil(worker, async () => readLog(worker.logFile).includes('Processing jobs'), 'takes jobs');
    return worker;
  }

  /** Stops the last worker started. */
  async removeWorker(): Promise<void> {
    await this.workers.pop()?.stop();
  }

  /** The API and every worker. */
  get processes(): readonly ServiceProcess[] {
    return [this.api, ...this.workers];
  }

  async stopWorkers(): Promise<void> {
    while (this.workers.length > 0) await this.removeWorker();
  }

  /** Stops every process, Redis, and drops the database; goes on past a step that fails. */
  async close(): Promise<void> {
    this.closed = true;
    this.client.close();
    await runCleanups(
      [
        () => dropDatabase(this.options.adminUrl, this.databaseName),
        () => this.redis.kill(),
        () => this.api.stop(),
        () => this.stopWorkers(),
      ],
      this.options.log,
    );
  }

  /**
   * The last resort when the benchmark's process is exiting without close() having run (an uncaught exception, a
   * bug): only synchronous work is possible then, so the processes and Redis are killed and the database dropped
   * by a short-lived child process that the exit waits for.
   */
  closeAtExit(): void {
    if (this.closed) return;
    this.closed = true;
    for (const service of this.processes) service.kill();
    for (const pid of redisPid(Number(new URL(this.redis.url).port))) process.kill(pid, 'SIGKILL');
    const drop = `DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`;
    spawnSync(
      process.execPath,
      [
        '-e',
        `const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
         c.connect().then(() => c.query(process.argv[2])).finally(() => c.end());`,
        this.options.adminUrl,
        drop,
      ],
      { cwd: PROJECT_ROOT, stdio: 'ignore', timeout: 10_000 },
    );
  }
}

/** Runs cleanups last-registered first, logging (not throwing) the ones that fail. */
async function runCleanups(cleanups: (() => Promise<void>)[], log: (line: string) => void): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (e) {
      log(`  cleanup: ${(e as Error).message}`);
    }
  }
}

function spawnService(
  options: ServiceStackOptions,
  role: ServiceRole,
  name: string,
  env: Record<string, string>,
): ServiceProcess {
  const logDir = join(SERVICE_CACHE_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  try {
    const bundle = options.apps[role];
    const child = spawn(process.execPath, ['--require', options.bundles.probe, bundle], {
      cwd: PROJECT_ROOT,
      // Only what the service reads: a DATABASE_URL or API_TOKEN of the caller's shell must not leak in.
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'log', ...env },
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    return new ServiceProcess(name, role, bundle, child, logFile);
  } finally {
    closeSync(fd);
  }
}

/** Polls `ready` until it holds; fails early, with the process's last log lines, if the process exits. */
async function waitUntil(service: ServiceProcess, ready: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!service.running) throw new Error(`${service.name} exited before it ${what}:\n${service.logTail()}`);
    if (await ready()) return;
    if (Date.now() > deadline)
      throw new Error(`${service.name} did not reach "${what}" within ${START_TIMEOUT_MS} ms:\n${service.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The admin URL pointing at another database. */
export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** FORCE: a backend the stopped processes left behind must not keep the database alive. */
function dropDatabase(adminUrl: string, database: string): Promise<void> {
  return adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}
