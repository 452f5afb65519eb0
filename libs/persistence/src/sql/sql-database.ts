import type { SqlDialect } from './sql-dialect';

/** A row as the driver returns it: column name to value. */
export type SqlRow = Record<string, unknown>;

/** Runs statements, inside or outside a transaction. */
export interface SqlSession {
  /** The rows of a SELECT, or of an INSERT/UPDATE/DELETE … RETURNING. */
  rows(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** The number of rows an INSERT, UPDATE or DELETE changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** `write`: serialised with other writers. `read`: a consistent snapshot for several SELECTs. */
export type TransactionMode = 'write' | 'read';

/** A SQL database the execution store runs on: statements outside a transaction, and transactions. */
export interface SqlDatabase extends SqlSession {
  readonly dialect: SqlDialect;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(mode: TransactionMode, work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?, ?, ?` for `count` parameters. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** Splits rows into batches that fit a statement's parameter limit (and stay a reasonable size). */
export function batches<T>(items: readonly T[], paramsPerItem: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.min(1000, Math.floor(maxParams / paramsPerItem)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
