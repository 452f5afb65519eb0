import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { SqlDatabase, SqlRow, SqlSession, TransactionMode } from './sql-database';
import { POSTGRES_DIALECT } from './sql-dialect';

/** Beyond this many distinct statements, new ones run unnamed: batches of every size must not fill the cache. */
const MAX_PREPARED_STATEMENTS = 200;

/**
 * Postgres on the connection pool of a TypeORM DataSource. TypeORM owns the pool, the entities and the migrations;
 * the store's statements go to node-postgres directly, as named statements, so each connection parses and plans a
 * statement once instead of at every step — the hot path is a handful of statements per step, run thousands of
 * times a second, and TypeORM's per-query runner, logging and event broadcasting cost as much as the query.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = POSTGRES_DIALECT;
  private readonly pool: Pool;
  /** Statement text with `?` → the numbered text and, for the first few hundred, a prepared-statement name. */
  private readonly statements = new Map<string, { readonly text: string; readonly name?: string }>();

  constructor(private readonly dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { readonly master: Pool }).master;
  }

  async rows(sql: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
    return (await this.pool.query<SqlRow>(this.statement(sql, params))).rows;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.pool.query(this.statement(sql, params))).rowCount ?? 0;
  }

  async transaction<T>(mode: TransactionMode, work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // A read transaction sees one snapshot across its statements.
      await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      let result: T;
      try {
        result = await work(this.session(client));
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // The connection is unusable: the pool must not hand it out again.
          broken = rollbackError as Error;
        });
        throw e;
      }
      await client.query('COMMIT');
      return result;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private session(client: PoolClient): SqlSession {
    return {
      rows: async (sql, params = []) => (await client.query<SqlRow>(this.statement(sql, params))).rows,
      run: async (sql, params = []) => (await client.query(this.statement(sql, params))).rowCount ?? 0,
    };
  }

  private statement(sql: string, params: readonly unknown[]): QueryConfig {
    let known = this.statements.get(sql);
    if (known === undefined) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      known = this.statements.size < MAX_PREPARED_STATEMENTS ? { text, name: `asl_${this.statements.size}` } : { text };
      this.statements.set(sql, known);
    }
    return { ...known, values: params.map(storableText) };
  }
}

/**
 * Postgres `text` cannot hold U+0000 (it refuses the whole statement), yet a JavaScript string may: a stop's error, a
 * task's failure, a Fail state's Cause, a looked-up ARN. Such a value is stored, and looked up, with U+FFFD in its
 * place, as UTF-8 encoding already does for a lone surrogate; refusing it would fail the request with a 500, or
 * leave an execution whose step can never commit. JSON text is unaffected: JSON escapes U+0000, and the history
 * (stored as JSON) keeps the value exactly.
 */
function storableText(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
