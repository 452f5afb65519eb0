import type { EntitySchemaColumnOptions } from 'typeorm';

/** The SQL databases the execution store runs on. */
export type SqlDialectName = 'postgres' | 'sqlite';

/**
 * Column types that differ between the dialects. Everything else is `text` or `integer` in both.
 *
 * SQLite gets `text` for JSON and timestamps on purpose: a declared type of `json` or `datetime` would give the
 * column NUMERIC affinity, and SQLite would then turn a JSON text such as `12` into the integer 12. Timestamps are
 * ISO-8601 UTC strings with milliseconds there, which sort like the instants they name.
 *
 * Postgres stores JSON as `json`, not `jsonb`: `json` keeps the text exactly as written (key order included) and
 * accepts `\u0000`, which `jsonb` refuses — a task may return any JSON.
 */
export interface DialectColumnTypes {
  readonly timestamp: EntitySchemaColumnOptions;
  readonly json: EntitySchemaColumnOptions;
  /** A database-assigned, never reused, increasing id (inbox and outbox rows). */
  readonly generatedId: EntitySchemaColumnOptions;
}

/** The column types of each dialect. */
export const DIALECT_COLUMN_TYPES: Readonly<Record<SqlDialectName, DialectColumnTypes>> = {
  postgres: {
    timestamp: { type: 'timestamptz', precision: 3 },
    json: { type: 'json' },
    generatedId: { type: 'bigint', primary: true, generated: 'increment' },
  },
  sqlite: {
    timestamp: { type: 'text' },
    json: { type: 'text' },
    // AUTOINCREMENT: SQLite would otherwise reuse the id of a deleted last row, and a stale step could then
    // consume an inbox message that arrived after it loaded.
    generatedId: { type: 'integer', primary: true, generated: 'increment' },
  },
};
