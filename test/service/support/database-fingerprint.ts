import { Client } from 'pg';

/** Every table of the execution store: a refused request must leave each of them exactly as it was. */
const STORE_TABLES = [
  'state_machines',
  'state_machine_revisions',
  'executions',
  'history_events',
  'execution_inbox',
  'execution_outbox',
  'task_tokens',
  'activities',
  'activity_tasks',
] as const;

/**
 * The row count and a digest of every row of every store table, read in one snapshot. Two equal fingerprints mean
 * nothing was inserted, updated or deleted in between — not only that the counts happen to match.
 */
export async function databaseFingerprint(databaseUrl: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; fingerprint: string }>(
      STORE_TABLES.map(
        (table) =>
          `SELECT '${table}' AS name, count(*) || ' rows, ' || md5(coalesce(string_agg(row_text, '|' ORDER BY row_text), '')) AS fingerprint
           FROM (SELECT t::text AS row_text FROM "${table}" t) rows_of_${table}`,
      ).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.fingerprint]));
  } finally {
    await client.end();
  }
}
