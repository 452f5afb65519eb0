import { InProcessWorkQueue } from './in-process-work-queue';
import { describeWorkQueueContract } from './work-queue.contract';

describeWorkQueueContract(InProcessWorkQueue.name, () => ({
  create: (options) => new InProcessWorkQueue(options),
}));
