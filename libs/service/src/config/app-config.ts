import { isAbsolute, resolve } from 'node:path';
import type { ArnParts } from '@lib/engine';

/** Where executions are stored: Postgres in production, an embedded SQLite file by default. */
export type ExecutionStoreConfig =
  { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'sqlite'; readonly file: string };

/** Which queue carries the work: BullMQ on Redis, or an in-process queue when no REDIS_URL is set. */
export type WorkQueueConfig = { readonly kind: 'bullmq'; readonly url: string } | { readonly kind: 'in-process' };

/** How much the service logs, from quietest to loudest (Nest's level names; `info` is accepted for `log`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type AppLogLevel = (typeof LOG_LEVELS)[number];

/** The service's configuration: read from the environment once, at start-up, and validated as a whole. */
export interface AppConfig {
  readonly port: number;
  readonly store: ExecutionStoreConfig;
  readonly queue: WorkQueueConfig;
  /**
   * When set, every route but /health, the OpenAPI document and the dashboard's files requires
   * `Authorization: Bearer <apiToken>`.
   */
  readonly apiToken?: string;
  /** Absolute path of a JS module exporting task handlers (the CLI's `--handlers` contract). */
  readonly handlersModule?: string;
  /** Jobs one worker process runs at once. */
  readonly workerConcurrency: number;
  readonly arnParts: ArnParts;
  readonly logLevel: AppLogLevel;
  /** Absolute path of the built dashboard (index.html and assets/), which the API serves at `/`. */
  readonly dashboardDir: string;
}

/** A configuration value the service cannot start with. Its message is the one line the process prints. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(`config: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The embedded store's file when neither DATABASE_URL nor SQLITE_FILE is set (relative to the working directory). */
export const DEFAULT_SQLITE_FILE = './data/asl.sqlite';

/** Where `npm run build` puts the dashboard, when DASHBOARD_DIR is not set (relative to the working directory). */
export const DEFAULT_DASHBOARD_DIR = './dist/dashboard';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment into an {@link AppConfig}, or throws a {@link ConfigError} naming the first wrong variable.
 * An empty variable counts as unset, so `FOO=` in a compose file means "use the default" rather than "empty string".
 * Relative paths are resolved against `cwd`.
 */
export function parseAppConfig(env: Env, cwd: string = process.cwd()): AppConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const databaseUrl = read('DATABASE_URL');
  const redisUrl = read('REDIS_URL');
  const apiToken = read('API_TOKEN');
  const handlersModule = read('HANDLERS_MODULE');

  if (apiToken !== undefined && /\s/.test(apiToken)) throw new ConfigError('API_TOKEN must not contain whitespace');

  return {
    port: integer('PORT', read('PORT'), 3000, 1, 65_535),
    store:
      databaseUrl === undefined
        ? { kind: 'sqlite', file: resolve(cwd, read('SQLITE_FILE') ?? DEFAULT_SQLITE_FILE) }
        : { kind: 'postgres', url: url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']) },
    queue:
      redisUrl === undefined
        ? { kind: 'in-process' }
        : { kind: 'bullmq', url: url('REDIS_URL', redisUrl, ['redis:', 'rediss:']) },
    ...(apiToken === undefined ? {} : { apiToken }),
    ...(handlersModule === undefined
      ? {}
      : { handlersModule: isAbsolute(handlersModule) ? handlersModule : resolve(cwd, handlersModule) }),
    workerConcurrency: integer('WORKER_CONCURRENCY', read('WORKER_CONCURRENCY'), 10, 1, 1_000),
    arnParts: {
      region: matching(
        'AWS_REGION',
        read('AWS_REGION'),
        'us-east-1',
        /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
        'an AWS region such as us-east-1',
      ),
      accountId: matching(
        'AWS_ACCOUNT_ID',
        read('AWS_ACCOUNT_ID'),
        '123456789012',
        /^\d{12}$/,
        'a 12-digit account id',
      ),
      partition: matching(
        'AWS_PARTITION',
        read('AWS_PARTITION'),
        'aws',
        /^aws(-[a-z]+)*$/,
        'an AWS partition such as aws or aws-cn',
      ),
    },
    logLevel: logLevel(read('LOG_LEVEL')),
    // Not checked for existence: the dashboard may be built after the API starts (`/` says when it is not).
    dashboardDir: resolve(cwd, read('DASHBOARD_DIR') ?? DEFAULT_DASHBOARD_DIR),
  };
}

/**
 * The configuration of this process, read from `process.env` exactly once. A wrong value ends the process with one
 * line on stderr and exit code 1: a stack trace would only bury the variable that needs fixing.
 */
export function loadAppConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return parseAppConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return exitWith(e);
  }
}

/** Ends the process because of a configuration error, printing its one line. */
export function exitWith(error: ConfigError): never {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function url(name: string, raw: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} must be a URL (${protocols.map((p) => `${p}//…`).join(' or ')}), got ${JSON.stringify(redact(raw))}`,
    );
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${JSON.stringify(redact(raw))}`,
    );
  }
  return raw;
}

function matching(name: string, raw: string | undefined, fallback: string, pattern: RegExp, what: string): string {
  if (raw === undefined) return fallback;
  if (!pattern.test(raw)) throw new ConfigError(`${name} must be ${what}, got ${JSON.stringify(raw)}`);
  return raw;
}

function logLevel(raw: string | undefined): AppLogLevel {
  if (raw === undefined) return 'log';
  const value = raw.toLowerCase() === 'info' ? 'log' : raw.toLowerCase();
  const found = LOG_LEVELS.find((level) => level === value);
  if (!found) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
  return found;
}

/** Connection strings carry passwords: an error line must not print them. */
function redact(raw: string): string {
  return raw.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** The same config with its secrets masked, for the start-up log. */
export function describeStore(store: ExecutionStoreConfig): string {
  return store.kind === 'postgres' ? `Postgres at ${redact(store.url)}` : `embedded SQLite file ${store.file}`;
}

/** A one-line description of the queue, for the start-up log. */
export function describeQueue(queue: WorkQueueConfig): string {
  return queue.kind === 'bullmq'
    ? `BullMQ on Redis at ${redact(queue.url)}`
    : 'the in-process queue (jobs run in this process)';
}
