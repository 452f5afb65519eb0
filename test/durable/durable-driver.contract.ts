import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from '@lib/asl';
import {
  createHandlerInvoker,
  DurableDriver,
  type ExecutionRecord,
  type ExecutionStore,
  LocalRunner,
  ServiceException,
  type TaskHandlers,
  type WorkQueue,
} from '@lib/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The durable driver end to end: the same interpreter as the CLI, driven through inbox, conditional commits,
 * outbox and jobs. One suite, run against every backend pairing (in-memory + in-process for speed, Postgres +
 * BullMQ for the real thing), as statebox runs one suite against every storage DAO.
 */

/** Opens a fresh store and a fresh queue for one test, each with the way to dispose of it. */
export interface DurableBackend {
  readonly name: string;
  openStore(): Promise<{ store: ExecutionStore; dispose(): Promise<void> }>;
  openQueue(): Promise<{ queue: WorkQueue; dispose(): Promise<void> }>;
}
const EXAMPLE = join(__dirname, '../../asl-examples/banking-account-opening');
const BANKING = readFileSync(join(EXAMPLE, 'definition.asl.json'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bankingHandlers = require(join(EXAMPLE, 'handlers.js')) as TaskHandlers;
const ARN_PARTS = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsLocalRole';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/**
 * A one-state machine whose Task calls `functionName` with `{ token }` and waits for SendTaskSuccess/Failure.
 */
function callbackMachine(functionName: string, options: { state?: string; timeoutSeconds?: number } = {}): string {
  const state = options.state ?? 'Ask';
  return JSON.stringify({
    StartAt: state,
    States: {
      [state]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: functionName, Payload: { 'token.$': '$$.Task.Token' } },
        ...(options.timeoutSeconds === undefined ? {} : { TimeoutSeconds: options.timeoutSeconds }),
        End: true,
      },
    },
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await action();
  };
}

/** Runs the durable driver's contract against one backend. */
export function describeDurableDriver(backend: DurableBackend): void {
  let store: ExecutionStore;
  let queue: WorkQueue;
  let driver: DurableDriver;
  let disposeStore: () => Promise<void> = async () => undefined;
  let disposeQueue: () => Promise<void> = async () => undefined;

  /** A driver with these handlers; `keepStore` keeps the executions but starts over with an empty queue. */
  async function setUp(handlers: TaskHandlers, options: { keepStore?: boolean } = {}): Promise<void> {
    await disposeQueue();
    if (!options.keepStore) {
      await disposeStore();
      const opened = await backend.openStore();
      store = opened.store;
      disposeStore = once(opened.dispose);
    }
    const opened = await backend.openQueue();
    queue = opened.queue;
    disposeQueue = once(opened.dispose);
    driver = new DurableDriver({
      store,
      queue,
      taskInvoker: createHandlerInvoker(handlers),
      arnParts: ARN_PARTS,
      defaultRoleArn: ROLE,
    });
    await queue.process(driver.jobHandlers(), { concurrency: 8 });
  }

  beforeEach(async () => setUp(bankingHandlers));
  afterEach(async () => {
    await disposeQueue();
    await disposeStore();
  });

  async function settled(arn: string, timeoutMs = 10_000): Promise<ExecutionRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = await driver.describeExecution(arn);
      if (execution.status !== 'RUNNING') return execution;
      if (Date.now() > deadline) throw new Error(`${arn} still RUNNING after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function history(arn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await driver.getExecutionHistory(arn, { maxResults: 100, ...(nextToken ? { nextToken } : {}) });
      events.push(...page.items.map((stored) => stored.event));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /**
   * What must be identical between the CLI's and the service's histories: every event but its timestamp, with task
   * tokens (random UUIDs) masked. Branches of a Parallel run concurrently in both drivers, so the events between
   * ParallelStateStarted and its end are compared as a multiset, as AWS's own snapshot tests do.
   */
  function comparable(events: readonly HistoryEvent[]): unknown[] {
    const mask = (event: HistoryEvent): string =>
      JSON.stringify({ ...event, timestamp: undefined, id: undefined, previousEventId: undefined }).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        '<uuid>',
      );
    const out: unknown[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as HistoryEvent;
      out.push(mask(event));
      if (event.type !== 'ParallelStateStarted') continue;
      const block: string[] = [];
      while (
        i + 1 < events.length &&
        !/^Parallel(State(Succeeded|Failed))/.test((events[i + 1] as HistoryEvent).type)
      ) {
        block.push(mask(events[++i] as HistoryEvent));
      }
      out.push(block.sort());
    }
    return out;
  }

  describe(`${DurableDriver.name} on ${backend.name}`, () => {
    it('finishes a machine of inline states in StartExecution itself', async () => {
      const machine = await driver.createStateMachine({
        name: 'inline',
        definition: JSON.stringify({
          StartAt: 'A',
          States: { A: { Type: 'Pass', Result: 1, Next: 'B' }, B: { Type: 'Succeed' } },
        }),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn, input: '{}' });
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.output).toBe('1');
      expect((await history(execution.executionArn)).map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(await driver.verifyExecutionHistory(execution.executionArn)).toMatchObject({ valid: true, eventCount: 6 });
    });

    for (const scenario of ['approved', 'denied', 'review', 'transient-failure', 'open-account-fails']) {
      it(`records the banking "${scenario}" history the CLI records`, async () => {
        const input = readFileSync(join(EXAMPLE, 'inputs', `${scenario}.json`), 'utf8');
        const machine = await driver.createStateMachine({ name: 'banking-account-opening', definition: BANKING });
        const { execution } = await driver.startExecution({
          stateMachineArn: machine.stateMachineArn,
          input,
          name: scenario,
        });
        const done = await settled(execution.executionArn, 30_000);

        const local = await new LocalRunner({
          taskInvoker: createHandlerInvoker(bankingHandlers),
          clock: 'virtual',
        }).start({
          definition: BANKING,
          input,
          stateMachineName: 'banking-account-opening',
          executionName: scenario,
          ...ARN_PARTS,
          roleArn: ROLE,
        }).result;
        expect(done.status).toBe(local.status);
        expect(done.output ?? undefined).toBe(local.output);
        const events = await history(execution.executionArn);
        expect(comparable(events)).toEqual(comparable(local.history));
        expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
        expect((await driver.verifyExecutionHistory(execution.executionArn)).valid).toBe(true);
      }, 40_000);
    }

    it('completes a manual review with SendTaskSuccess and refuses the token afterwards', async () => {
      let token = '';
      await setUp({
        ...bankingHandlers,
        RequestManualReview: (payload) => ((token = (payload as { taskToken: string }).taskToken), { queued: true }),
      });
      const machine = await driver.createStateMachine({ name: 'banking-account-opening', definition: BANKING });
      const input = JSON.parse(readFileSync(join(EXAMPLE, 'inputs', 'review.json'), 'utf8')) as Record<string, unknown>;
      delete input['simulatedReviewer'];
      const { execution } = await driver.startExecution({
        stateMachineArn: machine.stateMachineArn,
        input: JSON.stringify(input),
      });
      const deadline = Date.now() + 10_000;
      while (!token && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await driver.describeExecution(execution.executionArn)).status).toBe('RUNNING');

      await driver.sendTaskSuccess(token, JSON.stringify({ approved: true, reviewer: 'j.smith' }));
      const done = await settled(execution.executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string)).toMatchObject({
        review: { approved: true },
        openedAccount: { currency: 'EUR' },
      });
      await expect(driver.sendTaskSuccess(token, '{}')).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
      await expect(driver.sendTaskSuccess('not-a-token', '{}')).rejects.toBeInstanceOf(ServiceException);
    });

    it('waits, retries with back-off and runs a wide Map without losing or doubling an event', async () => {
      let attempts = 0;
      await setUp({
        Flaky: () => {
          if (++attempts < 3) throw Object.assign(new Error('try again'), { name: 'Transient' });
          return 'ok';
        },
        Square: (n) => (n as number) ** 2,
      });
      const machine = await driver.createStateMachine({
        name: 'busy',
        definition: JSON.stringify({
          StartAt: 'Pause',
          States: {
            Pause: { Type: 'Wait', Seconds: 1, Next: 'Flaky' },
            Flaky: {
              Type: 'Task',
              Resource: `${FN}Flaky`,
              ResultPath: '$.flaky',
              Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, BackoffRate: 1 }],
              Next: 'Each',
            },
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: {
                StartAt: 'Square',
                States: { Square: { Type: 'Task', Resource: `${FN}Square`, End: true } },
              },
              ResultPath: '$.squares',
              End: true,
            },
          },
        }),
      });
      const items = Array.from({ length: 50 }, (_, i) => i);
      const { execution } = await driver.startExecution({
        stateMachineArn: machine.stateMachineArn,
        input: JSON.stringify({ items }),
      });
      const done = await settled(execution.executionArn, 20_000);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string)).toEqual({ items, flaky: 'ok', squares: items.map((n) => n * n) });
      const events = await history(execution.executionArn);
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(50);
      expect(events.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
    }, 30_000);

    it("keeps the execution input out of pending tasks, yet gives it back to each task's context", async () => {
      const seen: unknown[] = [];
      await setUp({
        Peek: (_payload, context) => {
          seen.push((context.context as { Execution: { Input: unknown } }).Execution.Input);
          return null;
        },
      });
      const machine = await driver.createStateMachine({
        name: 'peek',
        definition: JSON.stringify({
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: {
                StartAt: 'Peek',
                States: {
                  Peek: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                    Parameters: { FunctionName: 'Peek', Payload: { 'token.$': '$$.Task.Token' } },
                    End: true,
                  },
                },
              },
              End: true,
            },
          },
        }),
      });
      const input = { items: [1, 2, 3, 4, 5], blob: 'x'.repeat(10_000) };
      const { execution } = await driver.startExecution({
        stateMachineArn: machine.stateMachineArn,
        input: JSON.stringify(input),
      });
      const deadline = Date.now() + 10_000;
      while (seen.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([input, input, input, input, input]);
      const loaded = await store.loadForStep(execution.executionArn);
      const invocations = Object.values(loaded?.snapshot.tasks ?? {}).map((task) => task.invocation);
      expect(invocations).toHaveLength(5);
      expect(JSON.stringify(invocations)).not.toContain('xxxxxxxxxx');
      await driver.stopExecution(execution.executionArn, {});
    });

    it('steps an execution whose wake-up was lost when the inbox sweep finds it', async () => {
      let token = '';
      await setUp({ Ask: (payload) => ((token = (payload as { token: string }).token), null) });
      const machine = await driver.createStateMachine({
        name: 'callback',
        definition: callbackMachine('Ask'),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      // Wait until the submission's own step is done, so that only the outcome below is left in the inbox.
      const deadline = Date.now() + 10_000;
      while (
        Date.now() < deadline &&
        !(await history(execution.executionArn)).some((e) => e.type === 'TaskSubmitted')
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const taskToken = await store.findTaskToken(token);
      // As if SendTaskSuccess's process died after appending the outcome and before enqueueing the step.
      await store.appendInbox(execution.executionArn, {
        type: 'TaskSucceeded',
        taskId: taskToken?.taskId ?? '',
        output: 'late',
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await driver.describeExecution(execution.executionArn)).status).toBe('RUNNING');

      expect(await driver.sweepInbox(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
      expect(await settled(execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"late"' });
    });

    it('asks again for timers and tasks after the queue lost its jobs', async () => {
      let calls = 0;
      await setUp({ Count: () => ++calls });
      const machine = await driver.createStateMachine({
        name: 'forgetful',
        definition: JSON.stringify({
          StartAt: 'Pause',
          States: {
            Pause: { Type: 'Wait', Seconds: 1, Next: 'Count' },
            Count: { Type: 'Task', Resource: `${FN}Count`, End: true },
          },
        }),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      // The Wait's timer job is queued, then lost with the whole queue, as when Redis restarts empty.
      await setUp({ Count: () => ++calls }, { keepStore: true });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await driver.describeExecution(execution.executionArn)).status).toBe('RUNNING');

      expect(await driver.resync(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
      const done = await settled(execution.executionArn);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '1' });
      const events = await history(execution.executionArn);
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    });

    it('fails a callback task whose handler answers with an output over 256 KiB, and the worker goes on', async () => {
      await setUp({
        Big: (_payload, context) => {
          setImmediate(() => context.callbacks?.success('x'.repeat(300 * 1024)));
          return null;
        },
      });
      const machine = await driver.createStateMachine({
        name: 'oversized',
        definition: callbackMachine('Big', { state: 'Big' }),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      expect(await settled(execution.executionArn)).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
      });
    });

    it('stops a waiting execution as ABORTED', async () => {
      const machine = await driver.createStateMachine({
        name: 'sleepy',
        definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      await driver.stopExecution(execution.executionArn, { error: 'Operator', cause: 'not needed' });
      const stopped = await driver.describeExecution(execution.executionArn);
      expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'not needed' });
      expect((await history(execution.executionArn)).at(-1)?.type).toBe('ExecutionAborted');
    });

    it('starts a repeated name once, and refuses it with a different input', async () => {
      const machine = await driver.createStateMachine({
        name: 'once',
        definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
      });
      const first = await driver.startExecution({
        stateMachineArn: machine.stateMachineArn,
        name: 'n1',
        input: '{"a":1}',
      });
      const again = await driver.startExecution({
        stateMachineArn: machine.stateMachineArn,
        name: 'n1',
        input: '{ "a": 1 }',
      });
      expect(again.created).toBe(false);
      expect(again.execution.executionArn).toBe(first.execution.executionArn);
      await expect(
        driver.startExecution({ stateMachineArn: machine.stateMachineArn, name: 'n1', input: '{"a":2}' }),
      ).rejects.toMatchObject({
        code: 'ExecutionAlreadyExists',
      });
    });

    it('refuses bad input with the Step Functions error names and writes nothing', async () => {
      await expect(
        driver.createStateMachine({ name: 'bad', definition: '{"StartAt":"X","States":{}}' }),
      ).rejects.toMatchObject({
        code: 'InvalidDefinition',
      });
      await expect(driver.createStateMachine({ name: 'has space', definition: '{}' })).rejects.toMatchObject({
        code: 'InvalidName',
      });
      const machine = await driver.createStateMachine({
        name: 'ok',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      });
      await expect(
        driver.startExecution({ stateMachineArn: machine.stateMachineArn, input: '{nope' }),
      ).rejects.toMatchObject({
        code: 'InvalidExecutionInput',
      });
      await expect(
        driver.startExecution({
          stateMachineArn: machine.stateMachineArn,
          input: JSON.stringify('x'.repeat(300 * 1024)),
        }),
      ).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
      await expect(
        driver.startExecution({ stateMachineArn: `${machine.stateMachineArn}-missing` }),
      ).rejects.toMatchObject({
        code: 'StateMachineDoesNotExist',
      });
      expect((await driver.listExecutions({ stateMachineArn: machine.stateMachineArn }, {})).items).toHaveLength(0);
      expect((await driver.listStateMachines({})).items.map((m) => m.name)).toEqual(['ok']);
    });

    it('answers TaskTimedOut for the token of a task that timed out, TaskDoesNotExist for one that completed', async () => {
      const tokens: string[] = [];
      await setUp({
        Capture: (_input, context) => {
          if (context.taskToken !== undefined) tokens.push(context.taskToken);
          return null;
        },
      });
      const awaitToken = (timeoutSeconds: number) => callbackMachine('Capture', { timeoutSeconds });
      const hasty = await driver.createStateMachine({ name: 'hasty', definition: awaitToken(1) });
      const patient = await driver.createStateMachine({ name: 'patient', definition: awaitToken(3600) });

      const late = await driver.startExecution({ stateMachineArn: hasty.stateMachineArn });
      expect((await settled(late.execution.executionArn)).status).toBe('FAILED');
      const answered = await driver.startExecution({ stateMachineArn: patient.stateMachineArn });
      const deadline = Date.now() + 5_000;
      while (tokens.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const [lateToken, answeredToken] = tokens;
      await driver.sendTaskSuccess(answeredToken as string, '{}');
      expect((await settled(answered.execution.executionArn)).status).toBe('SUCCEEDED');

      for (const send of [
        (token: string) => driver.sendTaskSuccess(token, '{}'),
        (token: string) => driver.sendTaskFailure(token, 'Late'),
        (token: string) => driver.sendTaskHeartbeat(token),
      ]) {
        await expect(send(lateToken as string)).rejects.toMatchObject({ code: 'TaskTimedOut' });
        await expect(send(answeredToken as string)).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
      }
    });

    it('tags state machines and activities, and refuses unknown resources and a 51st tag', async () => {
      const machine = await driver.createStateMachine({
        name: 'tagged',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        tags: [{ key: 'team', value: 'payments' }],
      });
      await driver.tagResource(machine.stateMachineArn, [
        { key: 'env', value: 'test' },
        { key: 'team', value: 'risk' },
      ]);
      expect(await driver.listTagsForResource(machine.stateMachineArn)).toEqual([
        { key: 'env', value: 'test' },
        { key: 'team', value: 'risk' },
      ]);
      await driver.untagResource(machine.stateMachineArn, ['env']);
      expect(await driver.listTagsForResource(machine.stateMachineArn)).toEqual([{ key: 'team', value: 'risk' }]);

      const activity = await driver.createActivity('review', [{ key: 'queue', value: 'manual' }]);
      expect(await driver.listTagsForResource(activity.activityArn)).toEqual([{ key: 'queue', value: 'manual' }]);

      const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
      await expect(driver.tagResource(machine.stateMachineArn, many)).rejects.toMatchObject({ code: 'TooManyTags' });
      await expect(
        driver.tagResource(machine.stateMachineArn, [{ key: 'x'.repeat(129), value: '' }]),
      ).rejects.toMatchObject({ code: 'ValidationException' });
      await expect(driver.listTagsForResource(`${machine.stateMachineArn}-gone`)).rejects.toMatchObject({
        code: 'ResourceNotFound',
      });
      await driver.deleteStateMachine(machine.stateMachineArn);
      await expect(driver.tagResource(machine.stateMachineArn, [])).rejects.toMatchObject({
        code: 'ResourceNotFound',
      });
    });

    it('describes, lists and deletes activities, and the revision an execution runs after an update', async () => {
      const first = await driver.createActivity('first');
      const second = await driver.createActivity('second');
      expect(await driver.createActivity('first')).toEqual(first);
      expect(await driver.describeActivity(second.activityArn)).toEqual(second);
      const page = await driver.listActivities({ maxResults: 1 });
      const rest = await driver.listActivities({ ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
      expect([...page.items, ...rest.items]).toEqual([first, second]);
      await driver.deleteActivity(first.activityArn);
      await expect(driver.describeActivity(first.activityArn)).rejects.toMatchObject({ code: 'ActivityDoesNotExist' });

      const waits = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
      const machine = await driver.createStateMachine({ name: 'revised', definition: waits });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      await driver.updateStateMachine(machine.stateMachineArn, {
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      });
      await driver.deleteStateMachine(machine.stateMachineArn);
      expect(await driver.describeStateMachineForExecution(execution.executionArn)).toMatchObject({
        stateMachineArn: machine.stateMachineArn,
        name: 'revised',
        definition: waits,
        revisionId: machine.revisionId,
        roleArn: ROLE,
      });
    });

    it('lists the tasks an execution waits on by token, answerable with their tokens, and none once it finished', async () => {
      const tokens: string[] = [];
      await setUp({
        Capture: (_input, context) => {
          if (context.taskToken !== undefined) tokens.push(context.taskToken);
          return null;
        },
      });
      const activity = await driver.createActivity('legal-review');
      const machine = await driver.createStateMachine({
        name: 'two-approvals',
        definition: JSON.stringify({
          StartAt: 'Approvals',
          States: {
            Approvals: {
              Type: 'Parallel',
              Branches: [
                JSON.parse(callbackMachine('Capture', { state: 'AskManager' })) as object,
                {
                  StartAt: 'AskLegal',
                  States: { AskLegal: { Type: 'Task', Resource: activity.activityArn, End: true } },
                },
              ],
              End: true,
            },
          },
        }),
      });
      const before = Date.now();
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      const arn = execution.executionArn;

      const waiting = await driver.listWaitingTasks(arn);
      expect(waiting).toHaveLength(2);
      const byState = new Map(waiting.map((task) => [task.stateName, task]));
      expect(byState.get('AskManager')).toEqual({
        taskToken: expect.any(String),
        stateName: 'AskManager',
        resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        scheduledAt: expect.any(Date),
      });
      expect(byState.get('AskLegal')).toMatchObject({ stateName: 'AskLegal', resource: activity.activityArn });
      for (const task of waiting) {
        expect(task.scheduledAt?.getTime()).toBeGreaterThanOrEqual(before - 1);
        expect(task.scheduledAt?.getTime()).toBeLessThanOrEqual(Date.now());
      }
      const deadline = Date.now() + 5_000;
      while (tokens.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(byState.get('AskManager')?.taskToken).toBe(tokens[0]);

      await driver.sendTaskSuccess(byState.get('AskManager')?.taskToken as string, '"yes"');
      const remaining = await (async () => {
        for (;;) {
          const now = await driver.listWaitingTasks(arn);
          if (now.length < 2 || Date.now() > deadline) return now;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      expect(remaining.map((task) => task.stateName)).toEqual(['AskLegal']);

      await driver.sendTaskSuccess(byState.get('AskLegal')?.taskToken as string, '"also yes"');
      expect(await settled(arn)).toMatchObject({ status: 'SUCCEEDED', output: '["yes","also yes"]' });
      expect(await driver.listWaitingTasks(arn)).toEqual([]);
      await expect(driver.listWaitingTasks(`${arn}-unknown`)).rejects.toMatchObject({
        code: 'ExecutionDoesNotExist',
      });
    });

    it('refuses a task output over 256 KiB with InvalidOutput and leaves the task open', async () => {
      const tokens: string[] = [];
      await setUp({
        Capture: (_input, context) => {
          if (context.taskToken !== undefined) tokens.push(context.taskToken);
          return null;
        },
      });
      const machine = await driver.createStateMachine({
        name: 'big',
        definition: callbackMachine('Capture'),
      });
      const { execution } = await driver.startExecution({ stateMachineArn: machine.stateMachineArn });
      const deadline = Date.now() + 5_000;
      while (tokens.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(
        driver.sendTaskSuccess(tokens[0] as string, JSON.stringify('x'.repeat(256 * 1024))),
      ).rejects.toMatchObject({ code: 'InvalidOutput' });
      await driver.sendTaskSuccess(tokens[0] as string, '"small"');
      expect(await settled(execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"small"' });
    });
  });
}
