export * from './bullmq-job-id';
export * from './bullmq-work-queue';
export * from './in-process-work-queue';
export * from './job-handlers';
export * from './retry-policy';
export * from './work-queue.error';
export * from './work-queue.factory';
export * from './work-queue.observer';
