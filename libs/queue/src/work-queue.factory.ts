import { type WorkQueue } from '@lib/engine';
import { BullMqWorkQueue, type BullMqWorkQueueOptions } from './bullmq-work-queue';
import { InProcessWorkQueue, type InProcessWorkQueueOptions } from './in-process-work-queue';

/** Which work queue to run on: BullMQ when REDIS_URL is set, the in-process queue otherwise. */
export type WorkQueueConfig =
  | ({ readonly kind: 'bullmq' } & BullMqWorkQueueOptions)
  | ({ readonly kind: 'in-process' } & InProcessWorkQueueOptions);

/** Builds the work queue a configuration names. */
export function createWorkQueue(config: WorkQueueConfig): WorkQueue {
  switch (config.kind) {
    case 'bullmq':
      return new BullMqWorkQueue(config);
    case 'in-process':
      return new InProcessWorkQueue(config);
  }
}
