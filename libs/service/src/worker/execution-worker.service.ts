import type { DurableDriver, WorkQueue } from '@lib/engine';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, DURABLE_DRIVER, WORK_QUEUE } from '../service.tokens';

/** How often and how far back the worker looks for work a crash or an outage left behind. */
export interface RecoverySweepOptions {
  readonly intervalMs: number;
  /**
   * Only entries at least this old are swept: younger ones are most likely being handled right now by the process
   * that wrote them (a second dispatch would be harmless, as job ids are deterministic, but is wasted work).
   */
  readonly olderThanMs: number;
}

export const RECOVERY_SWEEP_OPTIONS = Symbol('RecoverySweepOptions');

export const DEFAULT_RECOVERY_SWEEP: RecoverySweepOptions = { intervalMs: 5_000, olderThanMs: 30_000 };

/**
 * Consumes the work queue with the driver's job handlers and periodically recovers what a crash or an outage left
 * behind (see {@link ExecutionWorkerService.sweepOnce}). The queue refuses to start with a job name unhandled, so a worker
 * never boots half-wired.
 */
@Injectable()
export class ExecutionWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Worker');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private knownEpoch: string | undefined;

  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(WORK_QUEUE) private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RECOVERY_SWEEP_OPTIONS) private readonly sweep: RecoverySweepOptions,
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

  /**
   * Recovers what a crash or an outage left behind: commands committed but never dispatched (the outbox) and
   * outcomes whose wake-up job was lost (stale inbox entries). One sweep at a time, so a slow store does not pile
   * them up. Never rejects; a failed sweep is retried at the next tick.
   */
  sweepOnce(): Promise<void> {
    this.sweeping ??= this.recover().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async recover(): Promise<void> {
    const olderThan = new Date(Date.now() - this.sweep.olderThanMs);
    try {
      // A new epoch means the queue lost its work (Redis restarted empty, or this is the first sweep of a process
      // whose in-process queue started empty): ask again for the timers and tasks of every running execution.
      const epoch = await this.queue.epoch();
      if (epoch !== this.knownEpoch) {
        const resynced = await this.driver.resync(new Date());
        if (this.knownEpoch !== undefined || resynced > 0) {
          this.logger.warn(`Queue epoch ${epoch}: asked again for the pending work of ${resynced} running execution(s)`);
        }
        this.knownEpoch = epoch;
      }
      const dispatched = await this.driver.sweepOutbox(olderThan);
      const woken = await this.driver.sweepInbox(olderThan);
      if (dispatched > 0) this.logger.warn(`Recovered ${dispatched} undispatched command(s) from the outbox`);
      if (woken > 0) this.logger.warn(`Woke ${woken} execution(s) whose inbox waited without a step`);
    } catch (e) {
      this.logger.error(`Recovery sweep failed: ${(e as Error).message}`, (e as Error).stack);
    }
  }
}
