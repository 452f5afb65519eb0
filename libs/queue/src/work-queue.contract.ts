import { type JobData, JobName, type WorkQueue } from '@lib/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobHandlers } from './job-handlers';
import { type RetryPolicy } from './retry-policy';
import { WorkQueueErrorCode } from './work-queue.error';
import { type JobFailure, type WorkQueueObserver } from './work-queue.observer';

/** How the contract suite gets a fresh queue of one implementation, and removes what it left behind. */
export interface WorkQueueContractHarness {
  create(options: { readonly retry: Partial<RetryPolicy>; readonly observer: Partial<WorkQueueObserver> }): WorkQueue;
  /** Runs after each test, once its queues are closed. */
  cleanup?(): Promise<void>;
}

/** What every test's handler sees of a run. */
interface Delivery {
  readonly name: JobName;
  readonly id: string;
  readonly n: number;
  readonly startedAt: number;
  finishedAt?: number;
}

/** Test data: every job carries an id to recognise it by and a sequence number to tell its adds apart. */
function dataFor<N extends JobName>(name: N, id: string, n: number): JobData[N] {
  switch (name as JobName) {
    case JobName.AdvanceExecution:
      return { executionArn: id, n } as unknown as JobData[N];
    case JobName.InvokeTask:
      // The queue treats data as opaque JSON; the command's real shape belongs to the interpreter.
      return { executionArn: id, command: { type: 'InvokeTask', taskId: id }, n } as unknown as JobData[N];
    case JobName.FireTimer:
      return { executionArn: id, timerId: id, n } as unknown as JobData[N];
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails the test with `what` after a generous timeout (the BullMQ runs are remote). */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A promise a test resolves by hand, to hold a handler mid-run. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * One suite, run against every WorkQueue implementation (a spec per implementation calls it), so that the
 * in-process queue of `npm start` and the tests behaves as BullMQ does in production.
 */
export function describeWorkQueueContract(implementation: string, harness: () => WorkQueueContractHarness): void {
  describe(`WorkQueue contract: ${implementation}`, () => {
    const open: WorkQueue[] = [];
    let deliveries: Delivery[] = [];
    let failures: JobFailure[] = [];

    const fastRetry: Partial<RetryPolicy> = { attempts: 3, initialDelayMs: 50, maxDelayMs: 400, jitter: 0 };
    const make = (retry: Partial<RetryPolicy> = {}): WorkQueue => {
      const queue = harness().create({
        retry: { ...fastRetry, ...retry },
        observer: { jobFailed: (failure) => failures.push(failure) },
      });
      open.push(queue);
      return queue;
    };
    const sut = (): WorkQueue => make();

    /** Handlers that record each run, then do what `behaviour` says (hold, fail). */
    const recording = (behaviour: (delivery: Delivery) => Promise<void> | void = () => undefined): JobHandlers => {
      const handle = async (name: JobName, data: unknown): Promise<void> => {
        const { executionArn: id, n } = data as { executionArn: string; n: number };
        const delivery: Delivery = { name, id, n, startedAt: Date.now() };
        deliveries.push(delivery);
        try {
          await behaviour(delivery);
        } finally {
          delivery.finishedAt = Date.now();
        }
      };
      return {
        [JobName.AdvanceExecution]: (data) => handle(JobName.AdvanceExecution, data),
        [JobName.InvokeTask]: (data) => handle(JobName.InvokeTask, data),
        [JobName.FireTimer]: (data) => handle(JobName.FireTimer, data),
      };
    };
    const runsOf = (id: string): number[] => deliveries.filter((d) => d.id === id).map((d) => d.n);
    /** With concurrency 1 and first-in first-out order, once a marker added now has run, so has all added before. */
    const flush = async (queue: WorkQueue): Promise<void> => {
      const marker = `marker-${deliveries.length}-${Math.random()}`;
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, marker, 0), { jobId: marker });
      await waitFor('the marker job', () => runsOf(marker).length > 0);
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((queue) => queue.close()));
      await harness().cleanup?.();
      deliveries = [];
      failures = [];
    });

    it('delivers each job to the handler of its name, with its data', async () => {
      const queue = sut();
      await queue.process(recording(), { concurrency: 2 });
      for (const name of Object.values(JobName))
        await queue.add(name, dataFor(name, `job-${name}`, 7), { jobId: `job-${name}` });

      await waitFor('three deliveries', () => deliveries.length === 3);
      expect(
        deliveries.map(({ name, id, n }) => ({ name, id, n })).sort((a, b) => a.name.localeCompare(b.name)),
      ).toEqual(
        Object.values(JobName)
          .map((name) => ({ name, id: `job-${name}`, n: 7 }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    });

    it('refuses to start without a handler for every job name, naming the missing one, and starts once complete', async () => {
      const queue = sut();
      const complete = recording();
      const { [JobName.InvokeTask]: _missing, ...partial } = complete;
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'a', 1), { jobId: 'a' });

      await expect(queue.process(partial as unknown as JobHandlers, { concurrency: 1 })).rejects.toMatchObject({
        code: WorkQueueErrorCode.MissingJobHandler,
        message: expect.stringContaining(`'${JobName.InvokeTask}'`) as unknown,
      });
      await sleep(100);
      expect(deliveries).toEqual([]);

      await queue.process(complete, { concurrency: 1 });
      await waitFor('the job added before process()', () => runsOf('a').length === 1);
    });

    it('refuses a second process() and a concurrency below 1', async () => {
      const queue = sut();
      await expect(queue.process(recording(), { concurrency: 0 })).rejects.toMatchObject({
        code: WorkQueueErrorCode.InvalidConcurrency,
      });
      await queue.process(recording(), { concurrency: 1 });
      await expect(queue.process(recording(), { concurrency: 1 })).rejects.toMatchObject({
        code: WorkQueueErrorCode.AlreadyProcessing,
      });
    });

    it('ignores an add whose id is already waiting or delayed', async () => {
      const queue = sut();
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'waiting', 1), { jobId: 'waiting' });
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'waiting', 2), { jobId: 'waiting' });
      await queue.add(JobName.FireTimer, dataFor(JobName.FireTimer, 'delayed', 1), { jobId: 'delayed', delayMs: 150 });
      await queue.add(JobName.FireTimer, dataFor(JobName.FireTimer, 'delayed', 2), { jobId: 'delayed', delayMs: 150 });
      await queue.add(JobName.FireTimer, dataFor(JobName.FireTimer, 'delayed', 3), { jobId: 'delayed' });

      await queue.process(recording(), { concurrency: 1 });
      await waitFor('the delayed job', () => runsOf('delayed').length > 0);
      await flush(queue);
      expect(runsOf('waiting')).toEqual([1]);
      expect(runsOf('delayed')).toEqual([1]);
    });

    it('ignores an add whose id is running, and takes the id again once its job completed', async () => {
      const queue = sut();
      const first = gate();
      const third = gate();
      await queue.process(
        recording(({ id, n }) =>
          id === 'x' && n === 1 ? first.opened : id === 'x' && n === 3 ? third.opened : undefined,
        ),
        { concurrency: 1 },
      );
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'x', 1), { jobId: 'x' });
      await waitFor('the first run', () => runsOf('x').length === 1);
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'x', 2), { jobId: 'x' });
      first.open();

      // The queue may still be finishing the job when the handler has returned, and an add meanwhile is ignored:
      // keep adding until one is taken. The taken one holds until the adding stops, so no later add can slip in.
      const adds: Promise<void>[] = [];
      await waitFor('a re-added run', () => {
        adds.push(queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'x', 3), { jobId: 'x' }));
        return runsOf('x').length === 2;
      });
      await Promise.all(adds);
      third.open();
      await flush(queue);
      expect(runsOf('x')).toEqual([1, 3]);
    });

    it('with rerunIfRunning, runs the id once more after the running job, with the latest data, never beside it', async () => {
      const queue = sut();
      const first = gate();
      let running = 0;
      let mostAtOnce = 0;
      await queue.process(
        recording(async ({ id, n }) => {
          if (id !== 'wake') return;
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          if (n === 1) await first.opened;
          await sleep(20);
          running -= 1;
        }),
        { concurrency: 4 },
      );
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'wake', 1), {
        jobId: 'wake',
        rerunIfRunning: true,
      });
      await waitFor('the first run', () => runsOf('wake').length === 1);
      for (const n of [2, 3]) {
        await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'wake', n), {
          jobId: 'wake',
          rerunIfRunning: true,
        });
      }
      // Without the option, an add while running is ignored and leaves the pending rerun as it is.
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'wake', 4), { jobId: 'wake' });
      await sleep(50);
      expect(runsOf('wake')).toEqual([1]);
      first.open();

      await waitFor('the rerun', () => runsOf('wake').length === 2);
      await waitFor('the rerun to finish', () => deliveries.every((d) => d.finishedAt !== undefined));
      await sleep(100);
      expect(runsOf('wake')).toEqual([1, 3]);
      expect(mostAtOnce).toBe(1);
    });

    it('runs a delayed job no earlier than its delay, after a job added later without one', async () => {
      const queue = sut();
      await queue.process(recording(), { concurrency: 1 });
      const addedAt = Date.now();
      await queue.add(JobName.FireTimer, dataFor(JobName.FireTimer, 'late', 1), { jobId: 'late', delayMs: 400 });
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'now', 1), { jobId: 'now' });

      await waitFor('both jobs', () => deliveries.length === 2);
      expect(deliveries.map((d) => d.id)).toEqual(['now', 'late']);
      // Timers may fire a few milliseconds early by clock granularity; never by much.
      expect(deliveries[1]!.startedAt - addedAt).toBeGreaterThanOrEqual(380);
    });

    it('retries a job whose handler rejected, after a back-off, and reports the failed run', async () => {
      const queue = make({ initialDelayMs: 150 });
      await queue.process(
        recording(() => {
          if (deliveries.length === 1) throw new Error('store unreachable');
        }),
        { concurrency: 1 },
      );
      await queue.add(JobName.InvokeTask, dataFor(JobName.InvokeTask, 't', 1), { jobId: 't' });

      await waitFor('the retry to finish', () => deliveries.length === 2 && deliveries[1]!.finishedAt !== undefined);
      expect(deliveries[1]!.startedAt - deliveries[0]!.startedAt).toBeGreaterThanOrEqual(130);
      expect(failures).toEqual([
        {
          name: JobName.InvokeTask,
          jobId: 't',
          attemptsMade: 1,
          error: expect.objectContaining({ message: 'store unreachable' }) as unknown,
          willRetry: true,
        },
      ]);
    });

    it('gives a job up after its last attempt, reports it, and frees its id', async () => {
      const queue = make({ attempts: 2, initialDelayMs: 20 });
      await queue.process(
        recording(({ n }) => {
          if (n === 1) throw new Error('still failing');
        }),
        { concurrency: 1 },
      );
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'doomed', 1), { jobId: 'doomed' });

      await waitFor('the job to be given up', () => failures.some((f) => !f.willRetry));
      expect(runsOf('doomed')).toEqual([1, 1]);
      expect(failures.map((f) => [f.attemptsMade, f.willRetry])).toEqual([
        [1, true],
        [2, false],
      ]);
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'doomed', 2), { jobId: 'doomed' });
      await waitFor('the re-added job', () => runsOf('doomed').length === 3);
    });

    it('runs no more jobs at once than its concurrency', async () => {
      const queue = sut();
      let running = 0;
      let mostAtOnce = 0;
      await queue.process(
        recording(async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await sleep(60);
          running -= 1;
        }),
        { concurrency: 2 },
      );
      for (let i = 0; i < 6; i += 1)
        await queue.add(JobName.InvokeTask, dataFor(JobName.InvokeTask, `c${i}`, i), { jobId: `c${i}` });

      await waitFor(
        'six runs to finish',
        () => deliveries.length === 6 && deliveries.every((d) => d.finishedAt !== undefined),
      );
      expect(mostAtOnce).toBe(2);
    });

    it('keeps one epoch while its backend keeps its work', async () => {
      const queue = sut();
      const epoch = await queue.epoch();
      expect(epoch).not.toBe('');
      expect(await queue.epoch()).toBe(epoch);
    });

    it('answers ping while open; close waits for running jobs, which may still add, then refuses add and ping', async () => {
      const queue = sut();
      await expect(queue.ping()).resolves.toBeUndefined();
      const hold = gate();
      let followUp: Promise<void> | undefined;
      await queue.process(
        recording(async () => {
          await hold.opened;
          // A handler finishing during close() still dispatches its follow-up work.
          followUp = queue.add(JobName.FireTimer, dataFor(JobName.FireTimer, 'follow-up', 1), { jobId: 'follow-up' });
          await followUp;
        }),
        { concurrency: 1 },
      );
      await queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'held', 1), { jobId: 'held' });
      await waitFor('the held run', () => deliveries.length === 1);

      let closedAt: number | undefined;
      const closing = queue.close().then(() => (closedAt = Date.now()));
      await sleep(150);
      expect(closedAt).toBeUndefined();
      hold.open();
      await closing;
      expect(closedAt).toBeGreaterThanOrEqual(deliveries[0]!.finishedAt!);
      await expect(followUp).resolves.toBeUndefined();

      await expect(
        queue.add(JobName.AdvanceExecution, dataFor(JobName.AdvanceExecution, 'late', 1), { jobId: 'late' }),
      ).rejects.toMatchObject({
        code: WorkQueueErrorCode.Closed,
      });
      await expect(queue.ping()).rejects.toMatchObject({ code: WorkQueueErrorCode.Closed });
      await expect(queue.close()).resolves.toBeUndefined();
    });
  });
}
