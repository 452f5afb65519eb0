import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe(`${BullMqWorkQueue.name} epoch`, () => {
  const prefix = uniquePrefix('epoch');
  const queue = new BullMqWorkQueue({ url: TEST_REDIS_URL, prefix });
  afterAll(async () => {
    await queue.close();
    await obliterateTestQueue(TEST_REDIS_URL, prefix);
  });

  it('changes when Redis lost the marker, as after a restart with nothing on disk', async () => {
    const before = await queue.epoch();
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.del(`${prefix}:asl-epoch`);
    } finally {
      redis.disconnect();
    }
    const after = await queue.epoch();
    expect(after).not.toBe(before);
    expect(await queue.epoch()).toBe(after);
  });
});
