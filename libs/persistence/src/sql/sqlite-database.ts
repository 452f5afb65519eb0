import type { DataSource, QueryRunner } from 'typeorm';
import type { SqlDatabase, SqlRow, SqlSession, TransactionMode } from './sql-database';
import { SQLITE_DIALECT } from './sql-dialect';

/**
 * SQLite through a TypeORM DataSource on better-sqlite3: one connection. Every statement and every transaction
 * takes the connection in turn, so no caller ever sees another's uncommitted transaction or interleaves a
 * statement into it. Write transactions begin IMMEDIATE: they take SQLite's write lock at once, so two processes
 * sharing the file wait for each other (busy timeout) instead of failing half-way.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = SQLITE_DIALECT;
  private readonly runner: QueryRunner;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {
    this.runner = dataSource.createQueryRunner();
  }

  async rows(sql: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
    return this.exclusive(() => this.session.rows(sql, params));
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.exclusive(() => this.session.run(sql, params));
  }

  async transaction<T>(mode: TransactionMode, work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.runner.query(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        const result = await work(this.session);
        await this.runner.query('COMMIT');
        return result;
      } catch (e) {
        // Also after a failed COMMIT (SQLITE_BUSY), which leaves the transaction open on this one connection.
        // "No transaction is active" from a ROLLBACK that had nothing left to undo is fine.
        await this.runner.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }

  private readonly session: SqlSession = {
    rows: async (sql, params = []) => ((await this.runner.query(sql, [...params], true)).records ?? []) as SqlRow[],
    run: async (sql, params = []) => {
      const result = await this.runner.query(sql, [...params], true);
      // better-sqlite3 runs a statement with RETURNING as a reader: count its rows instead.
      return result.affected ?? result.records?.length ?? 0;
    },
  };

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}
