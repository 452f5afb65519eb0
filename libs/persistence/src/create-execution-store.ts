import { resolve } from 'node:path';
import type { ExecutionStore } from '@lib/engine';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { SqlDialectName } from './entities/column-types';
import { persistenceEntities } from './entities/persistence-entities';
import { InMemoryExecutionStore } from './memory/in-memory-execution-store';
import { PERSISTENCE_MIGRATIONS } from './migrations/persistence-migrations';
import { PostgresDatabase } from './sql/postgres-database';
import type { SqlDatabase } from './sql/sql-database';
import { SqlExecutionStore } from './sql/sql-execution-store';
import { SqliteDatabase } from './sql/sqlite-database';

/** Where the execution store lives. */
export type ExecutionStoreConfig =
  /** Production: a Postgres database, e.g. from `DATABASE_URL`. */
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number }
  /** The embedded default: one SQLite file (its directory is created if need be). */
  | { readonly kind: 'sqlite'; readonly file: string }
  /** Nothing persisted: fast tests of the driver. */
  | { readonly kind: 'memory' };

/** Options shared by every kind of store. */
export interface ExecutionStoreOptions {
  /** The clock for dates the store assigns itself (creation dates, inbox and outbox times). */
  readonly clock?: () => Date;
  /** Receives one line saying which store opened and which migrations ran. */
  readonly log?: (line: string) => void;
}

/** An opened store, and what opening it did. */
export interface OpenedExecutionStore {
  readonly store: ExecutionStore;
  /** Where the store lives, for the start-up log (a Postgres URL without its password). */
  readonly location: string;
  /** The migrations this start applied, oldest first; empty when the schema was up to date. */
  readonly migrationsRun: readonly string[];
  /** The TypeORM DataSource of a SQL store, for tools (schema checks, read-only reports). The store closes it. */
  readonly dataSource?: DataSource;
}

/** The migrations table TypeORM keeps in each database. */
export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Postgres advisory lock key under which migrations run: processes starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_306_411_620;

/**
 * Opens the execution store and brings its schema up to date with the migrations (never `synchronize`).
 * Fails with one line naming what is wrong when the database cannot be reached.
 */
export async function createExecutionStore(
  config: ExecutionStoreConfig,
  options: ExecutionStoreOptions = {},
): Promise<OpenedExecutionStore> {
  let opened: OpenedExecutionStore;
  switch (config.kind) {
    case 'memory':
      opened = { store: new InMemoryExecutionStore(options.clock), location: 'memory', migrationsRun: [] };
      break;
    case 'postgres':
      opened = await openPostgres(config.url, config.poolSize, options);
      break;
    case 'sqlite':
      opened = await openSqlite(config.file, options);
      break;
  }
  options.log?.(
    `Execution store: ${config.kind} at ${opened.location}; ${
      opened.migrationsRun.length === 0 ? 'schema up to date' : `migrations run: ${opened.migrationsRun.join(', ')}`
    }`,
  );
  return opened;
}

async function openPostgres(
  url: string,
  poolSize: number | undefined,
  options: ExecutionStoreOptions,
): Promise<OpenedExecutionStore> {
  const location = redactUrl(url);
  const dataSource = new DataSource({
    ...dataSourceBasics('postgres'),
    type: 'postgres',
    url,
    // One connection holds the migration lock while another migrates.
    poolSize: Math.max(2, poolSize ?? 10),
    applicationName: 'asl-engine',
  });
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new Error(
      `Cannot open the execution store: Postgres at ${location} is not reachable (${(e as Error).message})`,
      { cause: e },
    );
  }
  try {
    const lock = dataSource.createQueryRunner();
    let migrationsRun: string[];
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      migrationsRun = (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lock.release();
    }
    return {
      store: new SqlExecutionStore(new PostgresDatabase(dataSource), options.clock),
      location,
      migrationsRun,
      dataSource,
    };
  } catch (e) {
    await dataSource.destroy();
    throw e;
  }
}

/**
 * SQLite files this process has open, shared by every store on the same file. better-sqlite3 is synchronous: a
 * second connection of the same process waiting for the write lock would block the event loop, and with it the
 * first connection's transaction that holds the lock. One connection per file per process, taken in turn, avoids
 * that; other processes on the file wait on SQLite's busy timeout as usual.
 */
const openSqliteFiles = new Map<string, { readonly opening: Promise<SqliteFile>; users: number }>();

interface SqliteFile {
  readonly dataSource: DataSource;
  readonly database: SqliteDatabase;
  readonly migrationsRun: string[];
}

async function openSqlite(file: string, options: ExecutionStoreOptions): Promise<OpenedExecutionStore> {
  const key = file === ':memory:' ? undefined : resolve(file);
  let shared = key === undefined ? undefined : openSqliteFiles.get(key);
  const first = shared === undefined;
  if (!shared) {
    shared = { opening: openSqliteFile(file), users: 0 };
    if (key !== undefined) openSqliteFiles.set(key, shared);
  }
  shared.users++;
  const entry = shared;
  let opened: SqliteFile;
  try {
    opened = await entry.opening;
  } catch (e) {
    if (key !== undefined) openSqliteFiles.delete(key);
    throw e;
  }
  const database: SqlDatabase = {
    dialect: opened.database.dialect,
    rows: (sql, params) => opened.database.rows(sql, params),
    run: (sql, params) => opened.database.run(sql, params),
    transaction: (mode, work) => opened.database.transaction(mode, work),
    close: async () => {
      if (--entry.users > 0) return;
      if (key !== undefined) openSqliteFiles.delete(key);
      await opened.database.close();
    },
  };
  return {
    store: new SqlExecutionStore(database, options.clock),
    location: file,
    migrationsRun: first ? opened.migrationsRun : [],
    dataSource: opened.dataSource,
  };
}

async function openSqliteFile(file: string): Promise<SqliteFile> {
  const dataSource = new DataSource({
    ...dataSourceBasics('sqlite'),
    type: 'better-sqlite3',
    database: file,
    // WAL: readers do not block the writer, and a second process (an API next to a worker) can share the file.
    enableWAL: true,
    timeout: 10_000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      // With WAL, NORMAL loses nothing when a process dies; only a power cut can drop the last commits.
      db.pragma('synchronous = NORMAL');
    },
  });
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new Error(`Cannot open the execution store: SQLite file ${file} (${(e as Error).message})`, { cause: e });
  }
  try {
    const migrationsRun = (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    return { dataSource, database: new SqliteDatabase(dataSource), migrationsRun };
  } catch (e) {
    await dataSource.destroy();
    throw e;
  }
}

function dataSourceBasics(
  dialect: SqlDialectName,
): Pick<
  DataSourceOptions,
  'entities' | 'migrations' | 'migrationsTableName' | 'migrationsRun' | 'synchronize' | 'logging'
> {
  return {
    entities: persistenceEntities(dialect),
    migrations: [...PERSISTENCE_MIGRATIONS[dialect]],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  };
}

/** The URL with its password replaced, fit for a log line. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}
