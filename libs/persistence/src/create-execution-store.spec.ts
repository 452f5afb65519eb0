import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutionStore, type OpenedExecutionStore } from './create-execution-store';
import { InMemoryExecutionStore } from './memory/in-memory-execution-store';
import { createTestDatabase } from './testing/postgres-test-database';

describe(createExecutionStore.name, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const opened = (store: OpenedExecutionStore) => {
    cleanups.push(() => store.store.close());
    return store;
  };

  it('opens an in-memory store with nothing to migrate', async () => {
    const lines: string[] = [];
    const sut = opened(await createExecutionStore({ kind: 'memory' }, { log: (line) => lines.push(line) }));
    expect(sut.store).toBeInstanceOf(InMemoryExecutionStore);
    expect(lines).toEqual(['Execution store: memory at memory; schema up to date']);
  });

  it('migrates a new SQLite file once, creating its directory, and says which migrations ran', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'asl-factory-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const file = join(directory, 'nested', 'store.sqlite');
    const lines: string[] = [];

    const first = await createExecutionStore({ kind: 'sqlite', file }, { log: (line) => lines.push(line) });
    await first.store.close();
    const second = opened(await createExecutionStore({ kind: 'sqlite', file }, { log: (line) => lines.push(line) }));

    expect(first.migrationsRun).toEqual(['InitialSchemaSqlite1764201600000', 'TaskTimeoutsAndTagsSqlite1795734600000']);
    expect(second.migrationsRun).toEqual([]);
    expect(lines).toEqual([
      `Execution store: sqlite at ${file}; migrations run: InitialSchemaSqlite1764201600000, TaskTimeoutsAndTagsSqlite1795734600000`,
      `Execution store: sqlite at ${file}; schema up to date`,
    ]);
    await expect(second.store.ping()).resolves.toBeUndefined();
  });

  it('shares one connection between stores of one process on one SQLite file, closing it with the last', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'asl-factory-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const file = join(directory, 'shared.sqlite');
    const [api, worker] = await Promise.all([
      createExecutionStore({ kind: 'sqlite', file }),
      createExecutionStore({ kind: 'sqlite', file }),
    ]);

    expect(api?.dataSource).toBe(worker?.dataSource);
    expect([api?.migrationsRun, worker?.migrationsRun]).toContainEqual([]);
    const machine = await api?.store.createStateMachine({
      stateMachineArn: 'arn:sm',
      name: 'm',
      type: 'STANDARD',
      roleArn: 'r',
      definition: '{}',
    });
    await api?.store.close();
    expect(await worker?.store.findStateMachine('arn:sm')).toEqual(machine);
    await worker?.store.close();
    expect(worker?.dataSource?.isInitialized).toBe(false);
  });

  it('lets processes starting together on one Postgres database migrate it exactly once', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());

    const stores = await Promise.all(
      [1, 2, 3].map(() => createExecutionStore({ kind: 'postgres', url: database.url, poolSize: 2 })),
    );
    for (const store of stores) opened(store);

    expect(stores.map((store) => store.migrationsRun).sort()).toEqual([
      [],
      [],
      ['InitialSchemaPostgres1764201600000', 'TaskTimeoutsAndTagsPostgres1795734600000'],
    ]);
    expect(stores[0]?.location).toBe(database.url);
  });

  it('names the Postgres it cannot reach, without the password', async () => {
    await expect(
      createExecutionStore({ kind: 'postgres', url: 'postgres://asl:s3cret@127.0.0.1:1/asl' }),
    ).rejects.toThrow(
      /^Cannot open the execution store: Postgres at postgres:\/\/asl:\*\*\*@127\.0\.0\.1:1\/asl is not reachable \(.*ECONNREFUSED/,
    );
  });
});
