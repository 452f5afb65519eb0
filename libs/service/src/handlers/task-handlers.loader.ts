import { pathToFileURL } from 'node:url';
import type { TaskHandlers } from '@lib/engine';
import { ConfigError } from '../config/app-config';

/**
 * Loads HANDLERS_MODULE: the CLI's `--handlers` contract, so one module serves `asl run` and the service alike.
 * `export default {...}`, `module.exports = {...}` and named exports all work; every exported function is a handler.
 * A module that cannot be loaded or exports no function is a configuration error: a worker without the handlers it
 * was told to use would fail every Task.
 */
export async function loadTaskHandlersOrFail(modulePath: string): Promise<TaskHandlers> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(
      `HANDLERS_MODULE ${JSON.stringify(modulePath)} cannot be loaded: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const exported = loaded['default'];
  const candidate = (exported !== null && typeof exported === 'object' ? exported : loaded) as Record<string, unknown>;
  const handlers: Record<string, TaskHandlers[string]> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (typeof value === 'function') handlers[key] = value as TaskHandlers[string];
  }
  if (Object.keys(handlers).length === 0)
    throw new ConfigError(`HANDLERS_MODULE ${JSON.stringify(modulePath)} exports no functions`);
  return handlers;
}
