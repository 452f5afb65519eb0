import {
  createHandlerInvoker,
  defaultRoleArn,
  DurableDriver,
  type ExecutionStore,
  type TaskHandlers,
  type TaskInvoker,
  withHttpInvoker,
  type WorkQueue,
} from '@lib/engine';
import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { openExecutionStore, openWorkQueue } from './driver/service-backends';
import { loadTaskHandlersOrFail } from './handlers/task-handlers.loader';
import { APP_CONFIG, DURABLE_DRIVER, EXECUTION_STORE, TASK_INVOKER, WORK_QUEUE } from './service.tokens';

/** How a process wires the durable driver. */
export interface ServiceModuleOptions {
  readonly config: AppConfig;
  /**
   * Whether this process runs Task states (a worker) and so needs HANDLERS_MODULE. The API only steps executions
   * inline and queues their tasks; it never loads handler code it would not run.
   */
  readonly runsTasks: boolean;
  /** A ready store to use instead of the one the configuration names (tests). Closed on shutdown all the same. */
  readonly store?: ExecutionStore;
  /** A ready queue to use instead of the one the configuration names (tests). Closed on shutdown all the same. */
  readonly queue?: WorkQueue;
  /** Handlers to use instead of HANDLERS_MODULE (tests, the standalone default). */
  readonly taskHandlers?: TaskHandlers;
}

/** Closes the queue, then the store: a job still finishing may need the store until the queue lets it go. */
@Injectable()
export class ServiceBackendsShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Service');

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    @Inject(WORK_QUEUE) private readonly queue: WorkQueue,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(
      `Shutting down${signal === undefined ? '' : ` on ${signal}`}: closing the work queue, then the execution store`,
    );
    for (const [what, close] of [
      ['work queue', () => this.queue.close()],
      ['execution store', () => this.store.close()],
    ] as const) {
      try {
        await close();
      } catch (e) {
        this.logger.error(`Closing the ${what} failed: ${(e as Error).message}`, (e as Error).stack);
      }
    }
  }
}

/**
 * The wiring both apps share: configuration, execution store, work queue, task invoker and the one
 * {@link DurableDriver} every API operation and every job goes through. Global, so app modules inject its tokens.
 */
@Module({})
export class ServiceModule {
  static forRoot(options: ServiceModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServiceModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: EXECUTION_STORE,
          useFactory: () => options.store ?? openExecutionStore(config.store, new Logger('ExecutionStore')),
        },
        {
          provide: WORK_QUEUE,
          useFactory: () => options.queue ?? openWorkQueue(config.queue, new Logger('WorkQueue')),
        },
        { provide: TASK_INVOKER, useFactory: () => createTaskInvoker(options) },
        {
          provide: DURABLE_DRIVER,
          inject: [EXECUTION_STORE, WORK_QUEUE, TASK_INVOKER],
          useFactory: (store: ExecutionStore, queue: WorkQueue, taskInvoker: TaskInvoker) =>
            new DurableDriver({
              store,
              queue,
              taskInvoker,
              arnParts: config.arnParts,
              defaultRoleArn: defaultRoleArn(config.arnParts),
            }),
        },
        ServiceBackendsShutdown,
      ],
      exports: [APP_CONFIG, EXECUTION_STORE, WORK_QUEUE, TASK_INVOKER, DURABLE_DRIVER],
    };
  }
}

async function createTaskInvoker(options: ServiceModuleOptions): Promise<TaskInvoker> {
  if (!options.runsTasks) {
    return () =>
      Promise.reject(new Error('This process runs no Task states: the workers do (a job reached the API process)'));
  }
  const handlers =
    options.taskHandlers ??
    (options.config.handlersModule === undefined ? {} : await loadTaskHandlersOrFail(options.config.handlersModule));
  return withHttpInvoker(createHandlerInvoker(handlers));
}
