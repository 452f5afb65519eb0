import { describe, expect, it } from 'vitest';
import { ConfigError, describeQueue, describeStore, parseAppConfig } from './app-config';

const cwd = '/srv/asl';
const sut = (env: Record<string, string | undefined>) => parseAppConfig(env, cwd);
const refusal = (env: Record<string, string | undefined>): string => {
  try {
    sut(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe(parseAppConfig.name, () => {
  it('runs with no configuration on the embedded store and the in-process queue', () => {
    expect(sut({})).toEqual({
      port: 3000,
      store: { kind: 'sqlite', file: '/srv/asl/data/asl.sqlite' },
      queue: { kind: 'in-process' },
      workerConcurrency: 10,
      arnParts: { region: 'us-east-1', accountId: '123456789012', partition: 'aws' },
      logLevel: 'log',
      dashboardDir: '/srv/asl/dist/dashboard',
    });
  });

  it('reads every variable', () => {
    const config = sut({
      PORT: '8080',
      DATABASE_URL: 'postgres://asl:secret@db:5432/asl',
      REDIS_URL: 'redis://cache:6379',
      API_TOKEN: 's3cret-token',
      HANDLERS_MODULE: './handlers.js',
      WORKER_CONCURRENCY: '25',
      AWS_REGION: 'eu-west-2',
      AWS_ACCOUNT_ID: '000000000000',
      AWS_PARTITION: 'aws-cn',
      LOG_LEVEL: 'debug',
      DASHBOARD_DIR: 'web/build',
    });
    expect(config).toEqual({
      port: 8080,
      store: { kind: 'postgres', url: 'postgres://asl:secret@db:5432/asl' },
      queue: { kind: 'bullmq', url: 'redis://cache:6379' },
      apiToken: 's3cret-token',
      handlersModule: '/srv/asl/handlers.js',
      workerConcurrency: 25,
      arnParts: { region: 'eu-west-2', accountId: '000000000000', partition: 'aws-cn' },
      logLevel: 'debug',
      dashboardDir: '/srv/asl/web/build',
    });
  });

  it('puts the SQLite file where SQLITE_FILE says, and treats empty variables as unset', () => {
    expect(sut({ SQLITE_FILE: '/var/lib/asl.db', DATABASE_URL: '', REDIS_URL: ' ', PORT: '' })).toMatchObject({
      port: 3000,
      store: { kind: 'sqlite', file: '/var/lib/asl.db' },
      queue: { kind: 'in-process' },
    });
  });

  it('takes an absolute DASHBOARD_DIR as it is', () => {
    expect(sut({ DASHBOARD_DIR: '/opt/asl/dashboard/' }).dashboardDir).toBe('/opt/asl/dashboard');
    expect(sut({ DASHBOARD_DIR: ' ' }).dashboardDir).toBe('/srv/asl/dist/dashboard');
  });

  it('accepts info as the log level Nest calls log', () => {
    expect(sut({ LOG_LEVEL: 'INFO' }).logLevel).toBe('log');
  });

  it.each([
    [{ PORT: 'abc' }, 'config: PORT must be an integer between 1 and 65535, got "abc"'],
    [{ PORT: '0' }, 'config: PORT must be an integer between 1 and 65535, got "0"'],
    [{ PORT: '70000' }, 'config: PORT must be an integer between 1 and 65535, got "70000"'],
    [{ PORT: '80.5' }, 'config: PORT must be an integer between 1 and 65535, got "80.5"'],
    [{ WORKER_CONCURRENCY: '-1' }, 'config: WORKER_CONCURRENCY must be an integer between 1 and 1000, got "-1"'],
    [
      { DATABASE_URL: 'mysql://db/asl' },
      'config: DATABASE_URL must start with postgres:// or postgresql://, got "mysql://db/asl"',
    ],
    [{ REDIS_URL: 'localhost:6379' }, 'config: REDIS_URL must start with redis:// or rediss://, got "localhost:6379"'],
    [{ REDIS_URL: 'not a url' }, 'config: REDIS_URL must be a URL (redis://… or rediss://…), got "not a url"'],
    [{ AWS_REGION: 'Mars' }, 'config: AWS_REGION must be an AWS region such as us-east-1, got "Mars"'],
    [{ AWS_ACCOUNT_ID: '42' }, 'config: AWS_ACCOUNT_ID must be a 12-digit account id, got "42"'],
    [{ AWS_PARTITION: 'gcp' }, 'config: AWS_PARTITION must be an AWS partition such as aws or aws-cn, got "gcp"'],
    [{ LOG_LEVEL: 'loud' }, 'config: LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose, got "loud"'],
    [{ API_TOKEN: 'two words' }, 'config: API_TOKEN must not contain whitespace'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(refusal(env)).toBe(message);
  });

  it('never prints a password from a connection string', () => {
    const message = refusal({ DATABASE_URL: 'mysql://asl:hunter2@db/asl' });
    expect(message).not.toContain('hunter2');
    expect(message).toContain('mysql://asl:***@db/asl');
  });
});

describe(describeStore.name, () => {
  it('masks the password of the database URL', () => {
    expect(describeStore({ kind: 'postgres', url: 'postgresql://asl:hunter2@db/asl' })).toBe(
      'Postgres at postgresql://asl:***@db/asl',
    );
    expect(describeQueue({ kind: 'bullmq', url: 'redis://:pw@cache:6379' })).toBe(
      'BullMQ on Redis at redis://:***@cache:6379',
    );
  });
});
