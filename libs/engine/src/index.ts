export * from './execution-arns';
export * from './tasks/task-invoker';
export * from './local/execution-start.error';
export * from './local/local-runner';
export * from './local/local-runner.types';
export * from './tasks/handler-task-invoker';
export * from './tasks/mock-config';
export * from './testing/deterministic-ports';
