import { createExecutionStore } from './create-execution-store';
import { describeExecutionStoreContract } from './testing/execution-store.contract';
import { createTestDatabase } from './testing/postgres-test-database';

describeExecutionStoreContract(
  'Postgres',
  async (clock) => {
    const database = await createTestDatabase();
    const opened = await createExecutionStore({ kind: 'postgres', url: database.url }, { clock });
    const { dataSource } = opened;
    return {
      store: opened.store,
      sql: (statement, params) => database.query(statement, params),
      // As a superuser can: replica mode skips the append-only trigger for this one transaction.
      tamperWithEvent: (executionArn, eventId, details) =>
        database.query(
          `DO $$ BEGIN
             SET LOCAL session_replication_role = replica;
             UPDATE history_events SET details = '${JSON.stringify(details).replace(/'/g, "''")}'
               WHERE execution_arn = '${executionArn}' AND id = ${eventId};
           END $$`,
        ),
      pendingSchemaChanges: async () =>
        ((await dataSource?.driver.createSchemaBuilder().log())?.upQueries ?? []).map((q) => q.query),
      close: async () => {
        await opened.store.close();
        await database.drop();
      },
    };
  },
  { database: true },
);
