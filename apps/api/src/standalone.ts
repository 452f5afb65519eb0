import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DurableDriver } from '@lib/engine';
import {
  APP_CONFIG,
  type AppConfig,
  ConfigError,
  describeQueue,
  describeStore,
  DURABLE_DRIVER,
  exitWith,
  loadAppConfigOrExit,
  loadTaskHandlersOrFail,
} from '@lib/service';
import { Logger } from '@nestjs/common';
import { createApiApp, OPENAPI_PATH } from './api-app.factory';
import { listenOrFail } from './api-listen';
import { describeDashboard } from './dashboard/dashboard-static';
import { loadExampleStateMachines } from './examples/example-state-machines.loader';

/** The examples shipped with the project, relative to where `npm start` runs (the project's root). */
const EXAMPLES_DIR = 'asl-examples';
/** Handlers used when HANDLERS_MODULE is unset, so the banking example runs out of the box. */
const DEFAULT_HANDLERS = 'asl-examples/banking-account-opening/handlers.js';

/**
 * `npm start`: the API and a worker in one process. With no configuration it runs on the embedded SQLite store and
 * the in-process queue, with the examples' state machines and the banking example's handlers; with DATABASE_URL and
 * REDIS_URL it is one more API+worker next to any others.
 */
async function main(): Promise<void> {
  const config = loadAppConfigOrExit();
  const handlersModule =
    config.handlersModule ?? (existsSync(DEFAULT_HANDLERS) ? resolve(DEFAULT_HANDLERS) : undefined);
  const taskHandlers = handlersModule === undefined ? {} : await loadTaskHandlersOrFail(handlersModule);
  const app = await createApiApp({ config, runsTasks: true, taskHandlers, withWorker: true }, 'asl');
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();

  const logger = new Logger('Standalone');
  const created = await loadExampleStateMachines(
    app.get<DurableDriver>(DURABLE_DRIVER),
    app.get<AppConfig>(APP_CONFIG).arnParts,
    resolve(EXAMPLES_DIR),
  );
  if (created.length > 0) logger.log(`Created the example state machines ${created.join(', ')} from ${EXAMPLES_DIR}/`);
  const url = await listenOrFail(app, config.port);
  logger.log(`Store: ${describeStore(config.store)}`);
  logger.log(
    `Queue: ${describeQueue(config.queue)}; a worker runs in this process, ${config.workerConcurrency} jobs at a time`,
  );
  logger.log(
    `Task handlers: ${handlersModule === undefined ? 'none' : `${Object.keys(taskHandlers).length} from ${handlersModule}`}`,
  );
  logger.log(
    `API at ${url}, OpenAPI document at ${url}/${OPENAPI_PATH}${config.apiToken === undefined ? '' : ' (Authorization: Bearer $API_TOKEN)'}`,
  );
  logger.log(describeDashboard(config.dashboardDir, url));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) exitWith(e);
  process.stderr.write(`asl: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
