import { describe, expect, it } from 'vitest';
import { BullMqWorkQueue } from './bullmq-work-queue';
import { InProcessWorkQueue } from './in-process-work-queue';
import { TEST_REDIS_URL } from './testing/redis-test-support';
import { createWorkQueue } from './work-queue.factory';

describe(createWorkQueue.name, () => {
  it('builds the queue the configuration names', async () => {
    const inProcess = createWorkQueue({ kind: 'in-process' });
    const bullmq = createWorkQueue({ kind: 'bullmq', url: TEST_REDIS_URL, prefix: 'asl-test-factory' });
    try {
      expect(inProcess).toBeInstanceOf(InProcessWorkQueue);
      expect(bullmq).toBeInstanceOf(BullMqWorkQueue);
    } finally {
      await Promise.all([inProcess.close(), bullmq.close()]);
    }
  });
});
