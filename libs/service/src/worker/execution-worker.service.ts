import type { DurableDriver, WorkQueue } from '@lib/engine';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, DURABLE_DRIVER, WORK_QUEUE } from '../service.tokens';

/** How often and how far back the worker looks for work a crash left in the outbox. */
export interface OutboxSweepOptions {
  readonly intervalMs: number;
  /**
   * Only entries at least this old are swept: younger ones are most likely being dispatched right now by the process
   * that committed them (a second dispatch would be harmless, as job ids are deterministic, but is wasted work).
   */
  readonly olderThanMs: number;
}

export const OUTBOX_SWEEP_OPTIONS = Symbol('OutboxSweepOptions');

export const DEFAULT_OUTBOX_SWEEP: OutboxSweepOptions = { intervalMs: 5_000, olderThanMs: 30_000 };

/**
 * Consumes the work queue with the driver's job handlers and periodically re-dispatches what a crash between a
 * commit and its dispatch left in the outbox. The queue refuses to start with a job name unhandled, so a worker
 * never boots half-wired.
 */
@Injectable()
export class ExecutionWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Worker');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(WORK_QUEUE) private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OUTBOX_SWEEP_OPTIONS) private readonly sweep: OutboxSweepOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process(this.driver.jobHandlers(), { concurrency: this.config.workerConcurrency });
    this.logger.log(`Processing jobs, ${this.config.workerConcurrency} at a time`);
    void this.sweepOnce();
    this.timer = setInterval(() => void this.sweepOnce(), this.sweep.intervalMs);
  }

  /** Stops sweeping and waits for a sweep in progress, before the queue and the store are closed. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** One sweep at a time: a slow store must not pile sweeps up. Never rejects; a failed sweep is retried next tick. */
  sweepOnce(): Promise<void> {
    this.sweeping ??= this.driver
      .sweepOutbox(new Date(Date.now() - this.sweep.olderThanMs))
      .then(
        (count) => {
          if (count > 0)
            this.logger.warn(
              `Re-dispatched ${count} outbox entr${count === 1 ? 'y' : 'ies'} left behind by an interrupted step`,
            );
        },
        (e: unknown) => this.logger.error(`Outbox sweep failed: ${(e as Error).message}`, (e as Error).stack),
      )
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }
}
