/**
 * Injection tokens of the service. Everything is injected by token: vitest and esbuild emit no decorator metadata,
 * so Nest could not infer a constructor parameter's class.
 */
export const APP_CONFIG = Symbol('AppConfig');
export const EXECUTION_STORE = Symbol('ExecutionStore');
export const WORK_QUEUE = Symbol('WorkQueue');
export const TASK_INVOKER = Symbol('TaskInvoker');
export const DURABLE_DRIVER = Symbol('DurableDriver');
