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
 * Redis killed and started again, empty (it keeps nothing on disk), while executions run: once while their tasks
 * run, once while they wait in a Wait state, whose timers then exist nowhere but in the snapshots in Postgres.
 * The workers notice the queue's new epoch at their next recovery sweep (every 5 s) and ask again for every running
 * execution's timers and tasks; every execution must finish with the history an undisturbed run records.
 * The Redis is the suite's own (every suite has one), so the restart disturbs nobody else.
 */
describe('Executions across a Redis restart that loses every queued job', () => {
  let service: ServiceHarness | undefined;
  let machineArn: string;

  beforeAll(async () => {
    await buildServiceBundles();
    service = await ServiceHarness.start({ handlersModule: CRASH_TEST_HANDLERS });
    machineArn = await service.api.createStateMachine('redis-restart-test', CRASH_TEST_DEFINITION);
  }, 60_000);

  afterAll(async () => {
    await service?.dispose();
  }, 30_000);

  /** Kills Redis, checks the API reports the queue down, and starts Redis again on the same port, empty. */
  async function restartRedis(): Promise<void> {
    const { api, redis } = service as ServiceHarness;
    await redis.kill();
    const health = await api.request('GET', '/health');
    expect([health.status, health.body]).toEqual([503, { status: 'unavailable', store: 'up', queue: 'down' }]);
    await redis.restart();
    await eventually(
      'the API to see the queue up again',
      () => api.request('GET', '/health'),
      (response) => response.status === 200,
      { timeoutMs: 15_000 },
    );
  }

  it('all finish, with whole histories, after Redis restarts during their tasks and again during their Waits', async () => {
    const { api, scratchDir } = service as ServiceHarness;
    const input = { sleepMs: 1_500, pauseSeconds: 3 };
    const reference = await referenceRun(input);
    await (service as ServiceHarness).startWorker();
    const arns = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.startExecution(machineArn, JSON.stringify(input), `restart-${i}`)),
    );

    // While every task runs: their jobs vanish with Redis, their outcomes still reach Postgres.
    await eventually(
      'every Sleep task to run',
      async () => taskInvocations(scratchDir).filter((task) => task.state === 'Work').length,
      (count) => count === arns.length,
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    await restartRedis();

    // While every execution waits: its timer was a delayed job in Redis, and only the snapshot remembers it.
    await eventually(
      'every execution to wait in its Wait state',
      () => Promise.all(arns.map((arn) => api.lastEvent(arn))),
      (events) => events.every((event) => event.type === 'WaitStateEntered'),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    await restartRedis();

    await eventually(
      'every execution to finish',
      () => api.countExecutions(machineArn, 'RUNNING'),
      (running) => running === 0,
      { timeoutMs: 45_000, intervalMs: 200 },
    );
    expect(await historyProblems(api, arns, reference)).toEqual([]);
  }, 120_000);
});
