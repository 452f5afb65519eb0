import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRASH_TEST_DEFINITION,
  CRASH_TEST_HANDLERS,
  historyProblems,
  referenceRun,
  taskInvocations,
} from './support/crash-test-workflow';
import { buildServiceBundles, eventually, ServiceHarness } from './support/service-processes';

/**
 * kill -9 of a worker process, at the worst moments: while its tasks run, and between steps. A new worker takes
 * over; every execution must finish with the history an undisturbed run records — no gap, no event lost or
 * doubled — and a valid hash chain. A killed worker's jobs come back through BullMQ's stalled check once their lock
 * expires (10 s); what it committed but never dispatched is asked for again by the next worker's first recovery
 * sweep (a new process resyncs every running execution's timers and tasks).
 */

describe('Executions whose worker is killed with kill -9', () => {
  let service: ServiceHarness | undefined;
  let machineArn: string;

  beforeAll(async () => {
    await buildServiceBundles();
    service = await ServiceHarness.start({ handlersModule: CRASH_TEST_HANDLERS });
    machineArn = await service.api.createStateMachine('crash-test', CRASH_TEST_DEFINITION);
  }, 60_000);

  afterAll(async () => {
    await service?.dispose();
  }, 30_000);

  it('all finish, with whole histories, after a kill while their tasks run and another between steps', async () => {
    const { api, scratchDir } = service as ServiceHarness;
    // Tasks and the Wait last long enough for the suite to see every execution inside them, even on a busy machine.
    const input = { sleepMs: 4_000, pauseSeconds: 5 };
    const reference = await referenceRun(input);
    const first = await (service as ServiceHarness).startWorker();
    const arns = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.startExecution(machineArn, JSON.stringify(input), `mid-task-${i}`)),
    );

    // Kill the worker while every execution's Sleep task runs in it.
    await eventually(
      'every Sleep task to run',
      async () => taskInvocations(scratchDir).filter((task) => task.state === 'Work').length,
      (count) => count === arns.length,
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    await first.crash();
    const lastEvents = await Promise.all(arns.map((arn) => api.lastEvent(arn)));
    expect(lastEvents.map((event) => event.type)).toEqual(arns.map(() => 'LambdaFunctionStarted'));

    // A new worker re-runs the tasks the dead one held (at least once), and every execution reaches its Wait.
    const second = await (service as ServiceHarness).startWorker();
    await eventually(
      'every execution to wait in its Wait state',
      () => Promise.all(arns.map((arn) => api.lastEvent(arn))),
      (events) => events.every((event) => event.type === 'WaitStateEntered'),
      { timeoutMs: 45_000, intervalMs: 50 },
    );
    const work = taskInvocations(scratchDir).filter((task) => task.state === 'Work');
    expect(work.filter((task) => task.pid === first.pid)).toHaveLength(arns.length);
    expect(work.filter((task) => task.pid === second.pid)).toHaveLength(arns.length);

    // Kill the next worker between steps: what is left of each execution outside Postgres is a delayed job.
    await second.crash();
    await (service as ServiceHarness).startWorker();
    await eventually(
      'every execution to finish',
      () => api.countExecutions(machineArn, 'RUNNING'),
      (running) => running === 0,
      { timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(await historyProblems(api, arns, reference)).toEqual([]);
    expect(taskInvocations(scratchDir).filter((task) => task.state === 'Finish')).toHaveLength(arns.length);
  }, 120_000);

  it('all finish, with whole histories, while their worker is killed again and again', async () => {
    const { api } = service as ServiceHarness;
    const input = { sleepMs: 150, pauseSeconds: 1 };
    const reference = await referenceRun(input);
    let worker = await (service as ServiceHarness).startWorker();
    const arns: string[] = [];
    // Executions keep arriving while the worker is killed three times: each kill lands wherever the worker is —
    // in a task, in a step, between a commit and the dispatch of its commands.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        const batch = await Promise.all(
          Array.from({ length: 3 }, (_, j) =>
            api.startExecution(machineArn, JSON.stringify(input), `stream-${round}-${i}-${j}`),
          ),
        );
        arns.push(...batch);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await worker.crash();
      worker = await (service as ServiceHarness).startWorker();
    }
    await eventually(
      'every execution to finish',
      () => api.countExecutions(machineArn, 'RUNNING'),
      (running) => running === 0,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(arns).toHaveLength(36);
    expect(await historyProblems(api, arns, reference)).toEqual([]);
  }, 120_000);
});
