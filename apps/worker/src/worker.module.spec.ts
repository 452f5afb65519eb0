import type { JsonValue } from '@lib/asl';
import { type DurableDriver, type ExecutionStore, JobName, type WorkQueue } from '@lib/engine';
import { createExecutionStore } from '@lib/persistence';
import { createWorkQueue } from '@lib/queue';
import { DURABLE_DRIVER, type RecoverySweepOptions, parseAppConfig } from '@lib/service';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerModule } from './worker.module';

const DOUBLES = {
  StartAt: 'Double',
  States: { Double: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Double', End: true } },
};

const WAITS_FOR_TOKEN = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'Remember', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
};

const tokens: string[] = [];

async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('Condition not met within 5 s');
}

describe(WorkerModule.name, () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function boot(
    options: { queue?: WorkQueue; store?: ExecutionStore; sweep?: Partial<RecoverySweepOptions> } = {},
  ) {
    const store = options.store ?? (await createExecutionStore({ kind: 'memory' })).store;
    const queue = options.queue ?? createWorkQueue({ kind: 'in-process' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        WorkerModule.forRoot(
          {
            config: parseAppConfig({ WORKER_CONCURRENCY: '4' }),
            store,
            queue,
            taskHandlers: {
              Double: (n: JsonValue) => (n as number) * 2,
              Remember: (_: JsonValue, context: { taskToken?: string }) => void tokens.push(context.taskToken ?? ''),
            },
          },
          options.sweep ?? {},
        ),
      ],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    return { store, queue, driver: app.get<DurableDriver>(DURABLE_DRIVER) };
  }

  async function finished(driver: DurableDriver, arn: string) {
    for (let i = 0; i < 250; i++) {
      const execution = await driver.describeExecution(arn);
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${arn} did not finish`);
  }

  it('consumes the queue with the driver, running tasks with the configured handlers and concurrency', async () => {
    const queue = createWorkQueue({ kind: 'in-process' });
    const process = vi.spyOn(queue, 'process');
    const { driver } = await boot({ queue });
    expect(process).toHaveBeenCalledWith(
      {
        [JobName.AdvanceExecution]: expect.any(Function),
        [JobName.InvokeTask]: expect.any(Function),
        [JobName.FireTimer]: expect.any(Function),
      },
      { concurrency: 4 },
    );

    await driver.createStateMachine({ name: 'Doubles', definition: JSON.stringify(DOUBLES) });
    const { execution } = await driver.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Doubles',
      input: '21',
    });
    expect(await finished(driver, execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '42' });
  });

  it('re-dispatches work that a crash between commit and dispatch left in the outbox', async () => {
    const queue = createWorkQueue({ kind: 'in-process' });
    const { driver } = await boot({ queue, sweep: { intervalMs: 20, olderThanMs: 0 } });
    await driver.createStateMachine({ name: 'Doubles', definition: JSON.stringify(DOUBLES) });
    // The queue is unreachable right after the commit: StartExecution fails, its InvokeTask stays in the outbox.
    vi.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Redis went away'));
    await expect(
      driver.startExecution({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Doubles',
        name: 'crashed',
        input: '5',
      }),
    ).rejects.toThrow('Redis went away');

    const arn = 'arn:aws:states:us-east-1:123456789012:execution:Doubles:crashed';
    expect(await finished(driver, arn)).toMatchObject({ status: 'SUCCEEDED', output: '10' });
    expect((await driver.verifyExecutionHistory(arn)).valid).toBe(true);
  });

  it('wakes an execution whose outcome reached the inbox but whose wake-up job was lost', async () => {
    const queue = createWorkQueue({ kind: 'in-process' });
    const { driver } = await boot({ queue, sweep: { intervalMs: 20, olderThanMs: 0 } });
    await driver.createStateMachine({ name: 'Waits', definition: JSON.stringify(WAITS_FOR_TOKEN) });
    const { execution } = await driver.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Waits',
      input: '{}',
    });
    const token = await eventually(async () => tokens[0]);
    // SendTaskSuccess is recorded in the inbox, then Redis is gone before the AdvanceExecution job is added.
    vi.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Redis went away'));
    await expect(driver.sendTaskSuccess(token, '"done"')).rejects.toThrow('Redis went away');
    expect(await finished(driver, execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
  });

  it('closes the queue, then the store, on shutdown', async () => {
    const store = (await createExecutionStore({ kind: 'memory' })).store;
    const queue = createWorkQueue({ kind: 'in-process' });
    const order: string[] = [];
    vi.spyOn(queue, 'close').mockImplementation(async () => void order.push('queue'));
    vi.spyOn(store, 'close').mockImplementation(async () => void order.push('store'));
    await boot({ store, queue });
    await app?.close();
    app = undefined;
    expect(order).toEqual(['queue', 'store']);
  });

  it('refuses to boot when the queue refuses its handlers', async () => {
    const queue = createWorkQueue({ kind: 'in-process' });
    vi.spyOn(queue, 'process').mockRejectedValue(new Error('No handler for job fire-timer'));
    await expect(boot({ queue })).rejects.toThrow('No handler for job fire-timer');
  });
});
