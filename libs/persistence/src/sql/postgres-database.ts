import type { DataSource, QueryRunner } from 'typeorm';
import type { SqlDatabase, SqlRow, SqlSession, TransactionMode } from './sql-database';
import { POSTGRES_DIALECT } from './sql-dialect';

/**
 * Postgres through a TypeORM DataSource (its pg pool). Statements outside a transaction take any pooled
 * connection; a transaction holds one connection from BEGIN to COMMIT.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = POSTGRES_DIALECT;
  /** `?` → `$n`, once per distinct statement. */
  private readonly numbered = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async rows(sql: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
    return this.withRunner((runner) => this.session(runner).rows(sql, params));
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.withRunner((runner) => this.session(runner).run(sql, params));
  }

  async transaction<T>(mode: TransactionMode, work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.withRunner(async (runner) => {
      // A read transaction sees one snapshot across its statements (an execution and its inbox agree).
      await runner.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      let result: T;
      try {
        result = await work(this.session(runner));
      } catch (e) {
        await runner.query('ROLLBACK');
        throw e;
      }
      await runner.query('COMMIT');
      return result;
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(runner);
    } finally {
      await runner.release();
    }
  }

  private session(runner: QueryRunner): SqlSession {
    return {
      rows: async (sql, params = []) => (await runner.query(this.number(sql), [...params], true)).records as SqlRow[],
      run: async (sql, params = []) => (await runner.query(this.number(sql), [...params], true)).affected ?? 0,
    };
  }

  private number(sql: string): string {
    let numbered = this.numbered.get(sql);
    if (numbered === undefined) {
      let n = 0;
      numbered = sql.replace(/\?/g, () => `$${++n}`);
      this.numbered.set(sql, numbered);
    }
    return numbered;
  }
}
