import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createExecutionStore } from './create-execution-store';
import { describeExecutionStoreContract } from './testing/execution-store.contract';

describeExecutionStoreContract(
  'SQLite',
  async (clock) => {
    const directory = mkdtempSync(join(tmpdir(), 'asl-sqlite-'));
    const file = join(directory, 'store.sqlite');
    const opened = await createExecutionStore({ kind: 'sqlite', file }, { clock });
    const { dataSource } = opened;
    /** A second connection to the file, as another process (or a person with the sqlite3 shell) would have. */
    const withConnection = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(file);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      store: opened.store,
      sql: async (statement, params = []) => {
        withConnection((db) => db.prepare(statement).run(...params));
      },
      // SQLite has no switch for triggers: drop the guard, change the row, put the guard back, in one transaction.
      tamperWithEvent: async (executionArn, eventId, details) => {
        withConnection((db) => {
          const guard = db
            .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'history_events_no_update'`)
            .get() as { sql: string };
          db.transaction(() => {
            db.exec('DROP TRIGGER history_events_no_update');
            db.prepare('UPDATE history_events SET details = ? WHERE execution_arn = ? AND id = ?').run(
              JSON.stringify(details),
              executionArn,
              eventId,
            );
            db.exec(guard.sql);
          })();
        });
      },
      pendingSchemaChanges: async () =>
        ((await dataSource?.driver.createSchemaBuilder().log())?.upQueries ?? []).map((q) => q.query),
      close: async () => {
        await opened.store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
  { database: true },
);
