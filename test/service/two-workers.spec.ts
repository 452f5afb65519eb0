import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRASH_TEST_DEFINITION,
  CRASH_TEST_HANDLERS,
  historyProblems,
  referenceRun,
  taskInvocations,
} from './support/crash-test-workflow';
import { buildServiceBundles, eventually, type ServiceProcess, ServiceHarness } from './support/service-processes';

/**
 * Scaling out: two worker processes consume one queue. Any worker may run any job of any execution, so a step of
 * one execution may follow a step another process committed; the histories must still be whole and unique.
 */
describe('Two worker processes sharing one queue', () => {
  let service: ServiceHarness | undefined;
  let machineArn: string;
  let workers: ServiceProcess[];

  beforeAll(async () => {
    await buildServiceBundles();
    service = await ServiceHarness.start({ handlersModule: CRASH_TEST_HANDLERS });
    workers = await Promise.all([service.startWorker(), service.startWorker()]);
    machineArn = await service.api.createStateMachine('two-workers-test', CRASH_TEST_DEFINITION);
  }, 60_000);

  afterAll(async () => {
    await service?.dispose();
  }, 30_000);

  it('finish 200 executions together, each with the reference history and a valid hash chain', async () => {
    const { api, scratchDir } = service as ServiceHarness;
    const input = { sleepMs: 20, pauseSeconds: 1 };
    const reference = await referenceRun(input);
    const arns: string[] = [];
    // Started 20 at a time, as concurrent clients would.
    for (let batch = 0; batch < 10; batch++) {
      arns.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            api.startExecution(machineArn, JSON.stringify(input), `shared-${batch}-${i}`),
          ),
        )),
      );
    }
    await eventually(
      'all 200 executions to finish',
      () => api.countExecutions(machineArn, 'RUNNING'),
      (running) => running === 0,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    expect(new Set(arns).size).toBe(200);
    expect(await api.countExecutions(machineArn, 'SUCCEEDED')).toBe(200);
    expect(await historyProblems(api, arns, reference)).toEqual([]);
    // Both processes took a real share of the tasks: the queue is shared, not drained by whoever came first.
    const tasks = taskInvocations(scratchDir);
    expect(tasks.length).toBeGreaterThanOrEqual(400);
    for (const worker of workers) {
      expect(tasks.filter((task) => task.pid === worker.pid).length).toBeGreaterThan(tasks.length / 10);
    }
  }, 120_000);
});
