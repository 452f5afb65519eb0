import 'reflect-metadata';
import {
  ConfigError,
  createAppLogger,
  describeQueue,
  describeStore,
  exitWith,
  loadAppConfigOrExit,
  loadTaskHandlersOrFail,
} from '@lib/service';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

/** `npm run start:worker`: one worker process; run as many as the load needs, all on one Redis and one database. */
async function main(): Promise<void> {
  const config = loadAppConfigOrExit();
  if (config.queue.kind === 'in-process') {
    // Nobody else can reach an in-process queue: a worker on one would wait forever for work.
    throw new ConfigError(
      'REDIS_URL is required for a separate worker process (without it, `npm start` runs the API and a worker in one process)',
    );
  }
  // Loaded before Nest starts, so a broken module is reported in one line rather than as a failed provider.
  const taskHandlers = config.handlersModule === undefined ? {} : await loadTaskHandlersOrFail(config.handlersModule);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, taskHandlers }), {
    logger: createAppLogger(config.logLevel, 'asl-worker'),
    // Rethrow start-up failures to main() instead of aborting the process with a core dump.
    abortOnError: false,
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const handlers = Object.keys(taskHandlers).length;
  new Logger('Worker').log(
    `Store: ${describeStore(config.store)}; queue: ${describeQueue(config.queue)}; ` +
      `${handlers === 0 ? 'no task handlers (HANDLERS_MODULE is unset)' : `${handlers} task handlers from ${config.handlersModule}`}`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) exitWith(e);
  process.stderr.write(`asl-worker: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
