import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityTaskRecord, DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ACTIVITY_POLL_OPTIONS, type ActivityPollOptions } from './activity-poll.options';

/**
 * GetActivityTask's long poll, shared by the REST API and the AWS JSON protocol. The store is asked again every
 * `intervalMs` until a task is claimed, the poll times out (undefined: the caller answers `{}`, as AWS does), the
 * client hangs up (nothing is claimed for a worker that left), or the process shuts down.
 */
@Injectable()
export class ActivityTaskPoller implements OnModuleDestroy {
  /** Aborted at shutdown: a poll that could last a minute must not hold the process (or its HTTP server) open. */
  private readonly shuttingDown = new AbortController();

  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(ACTIVITY_POLL_OPTIONS) private readonly poll: ActivityPollOptions,
  ) {}

  async claim(activityArn: string, workerName: string, hungUp: AbortSignal): Promise<ActivityTaskRecord | undefined> {
    const stop = AbortSignal.any([hungUp, this.shuttingDown.signal]);
    const deadline = Date.now() + this.poll.timeoutMs;
    for (;;) {
      const task = await this.driver.claimActivityTask(activityArn, workerName);
      if (task) return task;
      const wait = Math.min(this.poll.intervalMs, deadline - Date.now());
      if (wait <= 0 || stop.aborted) return undefined;
      await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
      if (stop.aborted) return undefined;
    }
  }

  onModuleDestroy(): void {
    this.shuttingDown.abort();
  }
}

/** A signal that aborts when the client closes the connection before the response is sent. */
export function hangUpSignal(res: { once(event: 'close', listener: () => void): unknown }): AbortSignal {
  const hungUp = new AbortController();
  res.once('close', () => hungUp.abort());
  return hungUp.signal;
}
