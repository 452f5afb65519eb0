import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { beforeAll } from 'vitest';
import { createTestDatabase } from '../../libs/persistence/src/testing/postgres-test-database';
import {
  obliterateTestQueue,
  requireRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../../libs/queue/src/testing/redis-test-support';
import { describeDurableDriver } from './durable-driver.contract';

beforeAll(async () => requireRedis());

// Real parts: a fresh Postgres database and a fresh BullMQ prefix for every test, removed afterwards.
describeDurableDriver({
  name: 'Postgres and BullMQ',
  async openStore() {
    const database = await createTestDatabase();
    const { store } = await createExecutionStore({ kind: 'postgres', url: database.url });
    return {
      store,
      async dispose() {
        await store.close();
        await database.drop();
      },
    };
  },
  async openQueue() {
    const prefix = uniquePrefix('durable');
    const queue = createWorkQueue({ kind: 'bullmq', url: TEST_REDIS_URL, prefix });
    return {
      queue,
      async dispose() {
        await queue.close();
        await obliterateTestQueue(TEST_REDIS_URL, prefix);
      },
    };
  },
});
