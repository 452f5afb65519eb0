import type { SqlDialectName } from '../entities/column-types';

/**
 * What the shared SQL of the store needs to know about a dialect. Statements are written once, with `?`
 * placeholders; the Postgres database numbers them.
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** A Date as the driver should bind it. */
  dateParam(date: Date): unknown;
  /** A timestamp column as read back. */
  readDate(value: unknown): Date;
  /** A JSON column as read back, parsed. */
  readJson(value: unknown): unknown;
  /** An integer column as read back (Postgres returns `bigint` as a string). */
  readInt(value: unknown): number;
  /** Appended to the SELECT that picks the activity task to claim. */
  readonly skipLockedClause: string;
  /** Appended to a SELECT that reads a row this transaction will update. */
  readonly forUpdateClause: string;
  /** Bound parameters one statement may carry. */
  readonly maxParams: number;
  /** LIKE that ignores the case of ASCII letters (the search of execution names and ARNs). */
  readonly caseInsensitiveLike: 'ILIKE' | 'LIKE';
  /**
   * A scalar subquery giving the execution's inbox as a JSON array of `{id, message}`, oldest first (`e` is the
   * executions row): loadForStep reads an execution and its inbox in one statement, hence one snapshot.
   */
  readonly inboxJsonArray: string;
  /** Whether an error is a foreign key violation (a row that refers to no execution). */
  isForeignKeyViolation(error: unknown): boolean;
}

/** The driver's error code, on node-postgres errors or on TypeORM's QueryFailedError wrapping a driver error. */
function errorCode(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return code ?? driverError?.code;
}

/** Postgres: `timestamptz` and `json` columns, parsed by node-postgres. */
export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  dateParam: (date) => date,
  readDate: (value) => (value instanceof Date ? value : new Date(String(value))),
  // node-postgres parses `json` columns itself.
  readJson: (value) => value,
  readInt: (value) => Number(value),
  // Concurrent GetActivityTask calls each take a different task instead of queueing behind one row lock.
  skipLockedClause: ' FOR UPDATE SKIP LOCKED',
  forUpdateClause: ' FOR UPDATE',
  maxParams: 65_535,
  // Postgres' LIKE is case-sensitive.
  caseInsensitiveLike: 'ILIKE',
  inboxJsonArray: `(SELECT json_agg(json_build_object('id', i.id, 'message', i.message) ORDER BY i.id)
    FROM execution_inbox i WHERE i.execution_arn = e.execution_arn)`,
  isForeignKeyViolation: (error) => errorCode(error) === '23503',
};

/**
 * SQLite: timestamps as ISO-8601 UTC text (which sorts as the instants do) and JSON as text. One connection
 * writes at a time, so claiming an activity task needs no lock clause.
 */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  dateParam: (date) => date.toISOString(),
  readDate: (value) => new Date(String(value)),
  readJson: (value) => JSON.parse(String(value)) as unknown,
  readInt: (value) => Number(value),
  skipLockedClause: '',
  forUpdateClause: '',
  maxParams: 32_766,
  // SQLite's LIKE ignores the case of ASCII letters (and only theirs) unless PRAGMA case_sensitive_like is set.
  caseInsensitiveLike: 'LIKE',
  inboxJsonArray: `(SELECT json_group_array(json_object('id', i.id, 'message', json(i.message)) ORDER BY i.id)
    FROM execution_inbox i WHERE i.execution_arn = e.execution_arn)`,
  isForeignKeyViolation: (error) => errorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
};
