import { beforeAll } from 'vitest';
import { BullMqWorkQueue } from './bullmq-work-queue';
import { obliterateTestQueue, requireRedis, TEST_REDIS_URL, uniquePrefix } from './testing/redis-test-support';
import { describeWorkQueueContract } from './work-queue.contract';

beforeAll(() => requireRedis());

const prefixes: string[] = [];

describeWorkQueueContract(BullMqWorkQueue.name, () => ({
  create: (options) => {
    const prefix = uniquePrefix('contract');
    prefixes.push(prefix);
    return new BullMqWorkQueue({ url: TEST_REDIS_URL, prefix, ...options });
  },
  cleanup: async () => {
    for (const prefix of prefixes.splice(0)) await obliterateTestQueue(TEST_REDIS_URL, prefix);
  },
}));
