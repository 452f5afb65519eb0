import 'reflect-metadata';
import { ConfigError, describeQueue, describeStore, exitWith, loadAppConfigOrExit } from '@lib/service';
import { Logger } from '@nestjs/common';
import { createApiApp, OPENAPI_PATH } from './api-app.factory';
import { listenOrFail } from './api-listen';
import { describeDashboard } from './dashboard/dashboard-static';

/** `npm run start:api`: one API process; workers run separately (`npm run start:worker`), on the same Redis. */
async function main(): Promise<void> {
  const config = loadAppConfigOrExit();
  if (config.queue.kind === 'in-process') {
    // Jobs this process queued could only run here, and an API-only process runs none: executions would hang.
    throw new ConfigError(
      'REDIS_URL is required for a separate API process (without it, `npm start` runs the API and a worker in one process)',
    );
  }
  const app = await createApiApp({ config, runsTasks: false });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const url = await listenOrFail(app, config.port);
  new Logger('Api').log(`Store: ${describeStore(config.store)}; queue: ${describeQueue(config.queue)}`);
  new Logger('Api').log(`API at ${url}, OpenAPI document at ${url}/${OPENAPI_PATH}`);
  new Logger('Api').log(describeDashboard(config.dashboardDir, url));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) exitWith(e);
  process.stderr.write(`asl-api: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
