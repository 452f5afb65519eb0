import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { beforeAll } from 'vitest';
import { createTestDatabase } from '../../../../libs/persistence/src/testing/postgres-test-database';
import {
  obliterateTestQueue,
  requireRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../../../../libs/queue/src/testing/redis-test-support';
import { describeSfnClientSuite } from './sfn-client.suite';

beforeAll(async () => requireRedis());

// The real parts: a fresh Postgres database and a fresh BullMQ prefix for each app, removed afterwards.
describeSfnClientSuite({
  name: 'Postgres and BullMQ',
  async open() {
    const database = await createTestDatabase();
    const { store } = await createExecutionStore({ kind: 'postgres', url: database.url });
    const prefix = uniquePrefix('sfn-client');
    const queue = createWorkQueue({ kind: 'bullmq', url: TEST_REDIS_URL, prefix });
    return {
      store,
      queue,
      // The app has closed the store and the queue by now.
      async dispose() {
        await obliterateTestQueue(TEST_REDIS_URL, prefix);
        await database.drop();
      },
    };
  },
});
