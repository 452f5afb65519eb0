export * from './config/app-config';
export * from './driver/service-backends';
export * from './handlers/task-handlers.loader';
export * from './logging/app-logger';
export * from './service.module';
export * from './service.tokens';
export * from './worker/execution-worker.module';
export * from './worker/execution-worker.service';
