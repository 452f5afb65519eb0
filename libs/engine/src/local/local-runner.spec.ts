import type { HistoryEvent, JsonValue, StateMachineDefinition } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import { createHandlerInvoker, type TaskHandlers } from '../tasks/handler-task-invoker';
import { TaskFailure } from '../tasks/task-invoker';
import { deterministicPorts } from '../testing/deterministic-ports';
import { ExecutionStartError } from './execution-start.error';
import { LocalRunner } from './local-runner';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

function runner(handlers: TaskHandlers = {}, clock: 'real' | 'virtual' = 'virtual'): LocalRunner {
  return new LocalRunner({ taskInvoker: createHandlerInvoker(handlers), clock, ports: deterministicPorts() });
}

async function run(definition: StateMachineDefinition, input: JsonValue = {}, handlers: TaskHandlers = {}) {
  return runner(handlers).start({ definition, input: JSON.stringify(input) }).result;
}

const types = (history: readonly HistoryEvent[]): string[] => history.map((e) => e.type);

describe(LocalRunner.name, () => {
  it('runs a chain of Pass states inline and records AWS-shaped events', async () => {
    const sut = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.a', Next: 'B' },
          B: { Type: 'Pass', End: true },
        },
      },
      { x: true },
    );
    expect(sut.status).toBe('SUCCEEDED');
    expect(JSON.parse(sut.output as string)).toEqual({ x: true, a: { n: 1 } });
    expect(types(sut.history)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(sut.history.map((e) => [e.id, e.previousEventId])).toEqual([
      [1, 0],
      [2, 0],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
    ]);
    expect(sut.history[1]?.['stateEnteredEventDetails']).toEqual({
      name: 'A',
      input: '{"x":true}',
      inputDetails: { truncated: false },
    });
  });

  it('records events with the details Step Functions gives them, and none it does not', async () => {
    const sut = await run(
      {
        StartAt: 'Nothing',
        States: {
          // `Assign: {}` assigns nothing: no assignedVariables on the Exited event.
          Nothing: { Type: 'Pass', Assign: {}, Next: 'Distributed' },
          Distributed: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'Inner',
              States: { Inner: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      },
      { items: [1] },
    );
    expect(sut.status).toBe('SUCCEEDED');
    expect(sut.history[2]).toMatchObject({ type: 'PassStateExited' });
    expect(Object.keys(sut.history[2]?.['stateExitedEventDetails'] ?? {}).sort()).toEqual([
      'name',
      'output',
      'outputDetails',
    ]);
    // MapRunSucceeded has no details member in the Step Functions API.
    const mapRunSucceeded = sut.history.find((e) => e.type === 'MapRunSucceeded');
    expect(mapRunSucceeded).toBeDefined();
    expect(Object.keys(mapRunSucceeded ?? {}).sort()).toEqual(['id', 'previousEventId', 'timestamp', 'type']);
  });

  it('chains previousEventId as Step Functions does around Map iterations and a Map that ends', async () => {
    const sut = await run(
      {
        StartAt: 'Before',
        States: {
          Before: { Type: 'Pass', Next: 'Each' },
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } },
            ResultPath: null,
            Next: 'After',
          },
          After: { Type: 'Pass', End: true },
        },
      },
      { items: [1, 2, 3] },
    );
    // As recorded by AWS for this shape: the next iteration starts from where the last one's states left off
    // (not from its MapIterationSucceeded), and MapStateExited follows what came before MapStateSucceeded.
    expect(sut.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'MapStateEntered'],
      [5, 4, 'MapStateStarted'],
      [6, 5, 'MapIterationStarted'],
      [7, 6, 'PassStateEntered'],
      [8, 7, 'PassStateExited'],
      [9, 8, 'MapIterationSucceeded'],
      [10, 8, 'MapIterationStarted'],
      [11, 10, 'PassStateEntered'],
      [12, 11, 'PassStateExited'],
      [13, 12, 'MapIterationSucceeded'],
      [14, 12, 'MapIterationStarted'],
      [15, 14, 'PassStateEntered'],
      [16, 15, 'PassStateExited'],
      [17, 16, 'MapIterationSucceeded'],
      [18, 17, 'MapStateSucceeded'],
      [19, 17, 'MapStateExited'],
      [20, 19, 'PassStateEntered'],
      [21, 20, 'PassStateExited'],
      [22, 21, 'ExecutionSucceeded'],
    ]);
  });

  it('chains ParallelStateExited from before ParallelStateSucceeded, as for a Map', async () => {
    const sut = await run({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      },
    });
    const succeeded = sut.history.find((e) => e.type === 'ParallelStateSucceeded');
    const exited = sut.history.find((e) => e.type === 'ParallelStateExited');
    expect(exited?.id).toBe((succeeded?.id ?? 0) + 1);
    expect(exited?.previousEventId).toBe(succeeded?.previousEventId);
    expect(sut.history.find((e) => e.id === exited?.previousEventId)?.type).toBe('PassStateExited');
  });

  it('chains an EvaluationFailed on entering a state from where its Entered event was chained', async () => {
    const sut = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Before',
      States: {
        Before: { Type: 'Pass', Next: 'Broken' },
        Broken: { Type: 'Pass', Output: '{% $number("not a number") + $undefinedFunction() %}', End: true },
      },
    });
    expect(sut.status).toBe('FAILED');
    expect(sut.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'PassStateEntered'],
      [5, 3, 'EvaluationFailed'],
      [6, 5, 'ExecutionFailed'],
    ]);
  });

  it('invokes a Lambda handler and records LambdaFunction events', async () => {
    const sut = await run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Double`, End: true } } },
      { n: 21 },
      { Double: (input) => ({ n: (input as { n: number }).n * 2 }) },
    );
    expect(sut.output).toBe('{"n":42}');
    expect(types(sut.history)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('wraps lambda:invoke results as the Lambda Invoke response', async () => {
    const sut = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: `${FN}Echo:$LATEST`, 'Payload.$': '$' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      { hello: 'world' },
      { Echo: (input) => input },
    );
    expect(sut.output).toBe('{"hello":"world"}');
    expect(types(sut.history)).toContain('TaskScheduled');
  });

  it('retries a failing task with back-off, then catches the error', async () => {
    let attempts = 0;
    const sut = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: `${FN}Flaky`,
            Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 5, MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recovered' }],
            End: true,
          },
          Recovered: { Type: 'Pass', End: true },
        },
      },
      {},
      {
        Flaky: () => {
          attempts++;
          throw new TaskFailure('Transient', `attempt ${attempts}`);
        },
      },
    );
    expect(attempts).toBe(3);
    expect(sut.status).toBe('SUCCEEDED');
    expect(JSON.parse(sut.output as string)).toEqual({ error: { Error: 'Transient', Cause: 'attempt 3' } });
  });

  it('runs Parallel branches and returns their outputs in branch order', async () => {
    const sut = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: `${FN}Slow`, End: true } } },
              { StartAt: 'Fast', States: { Fast: { Type: 'Pass', Result: 'fast', End: true } } },
            ],
            End: true,
          },
        },
      },
      {},
      { Slow: async () => new Promise((resolve) => setTimeout(() => resolve('slow'), 5)) },
    );
    expect(JSON.parse(sut.output as string)).toEqual(['slow', 'fast']);
  });

  it('runs Map iterations no more than MaxConcurrency at a time', async () => {
    let running = 0;
    let peak = 0;
    const sut = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 3,
            ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Square`, End: true } } },
            End: true,
          },
        },
      },
      [1, 2, 3, 4, 5, 6, 7],
      {
        Square: async (n) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
          return (n as number) ** 2;
        },
      },
    );
    expect(JSON.parse(sut.output as string)).toEqual([1, 4, 9, 16, 25, 36, 49]);
    expect(peak).toBe(3);
  });

  it('skips a long Wait on the virtual clock', async () => {
    const started = Date.now();
    const sut = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    expect(sut.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(types(sut.history)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('completes a .waitForTaskToken task with SendTaskSuccess', async () => {
    let received: (token: string) => void = () => undefined;
    const token = new Promise<string>((resolve) => (received = resolve));
    const sut = runner({
      Approve: (payload, context) => {
        received((payload as { token: string }).token);
        expect(context.taskToken).toBe((payload as { token: string }).token);
        return { queued: true };
      },
    }).start({
      definition: {
        StartAt: 'Review',
        States: {
          Review: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'Approve', Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
    });
    const taskToken = await token;
    await new Promise((resolve) => setTimeout(resolve, 5));
    sut.sendTaskSuccess(taskToken, '{"approved":true}');
    const result = await sut.result;
    expect(result.output).toBe('{"approved":true}');
    expect(types(result.history)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(() => sut.sendTaskSuccess(taskToken, '{}')).toThrow(ExecutionStartError);
  });

  it('runs an activity with a local handler as its worker', async () => {
    const activity = 'arn:aws:states:us-east-1:123456789012:activity:Approve';
    const sut = await run(
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: activity, End: true } } },
      { amount: 5 },
      { [activity]: (input) => ({ approved: (input as { amount: number }).amount < 10 }) },
    );
    expect(sut.output).toBe('{"approved":true}');
    expect(types(sut.history)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times out a handler that never settles', async () => {
    const sut = await new LocalRunner({
      taskInvoker: createHandlerInvoker({ Hang: () => new Promise(() => undefined) }),
      clock: 'real',
    }).start({
      definition: {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: `${FN}Hang`, TimeoutSeconds: 1, End: true } },
      },
    }).result;
    expect(sut.status).toBe('FAILED');
    expect(sut.error).toBe('States.Timeout');
    expect(types(sut.history)).toContain('LambdaFunctionTimedOut');
  });

  it('fails a callback task whose worker stops sending heartbeats with States.HeartbeatTimeout', async () => {
    let beats = 0;
    const sut = await new LocalRunner({
      taskInvoker: createHandlerInvoker({
        Worker: (_input, context) => {
          // Two heartbeats 400 ms apart keep a 1 s heartbeat alive; then the worker goes quiet.
          const beat = (): void => {
            if (beats++ < 2) {
              context.callbacks?.heartbeat();
              setTimeout(beat, 400);
            }
          };
          setTimeout(beat, 400);
          return null;
        },
      }),
      clock: 'real',
    }).start({
      definition: {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'Worker', Payload: {} },
            HeartbeatSeconds: 1,
            End: true,
          },
        },
      },
    }).result;
    expect(sut.status).toBe('FAILED');
    expect(sut.error).toBe('States.HeartbeatTimeout');
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(types(sut.history)).toContain('TaskTimedOut');
  });

  it("times out the execution after the state machine's TimeoutSeconds", async () => {
    const sut = await run({
      TimeoutSeconds: 10,
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 60, End: true } },
    });
    expect(sut.status).toBe('TIMED_OUT');
    expect(sut.history.at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('stops an execution as ABORTED', async () => {
    const sut = runner({}, 'real').start({
      definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } },
    });
    setTimeout(() => sut.stop('Operator', 'no longer needed'), 5);
    const result = await sut.result;
    expect(result.status).toBe('ABORTED');
    expect(result.history.at(-1)?.type).toBe('ExecutionAborted');
  });

  it('describes a handler that throws a non-Error and treats undefined as null', async () => {
    const thrown = await run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Bad`, End: true } } },
      {},
      {
        Bad: () => {
          throw 'boom';
        },
      },
    );
    expect(thrown.error).toBe('Error');
    expect(thrown.cause).toContain('boom');
    const nothing = await run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Void`, End: true } } },
      {},
      {
        Void: () => undefined,
      },
    );
    expect(nothing.output).toBe('null');
  });

  it('fails a task whose result exceeds 256 KiB with States.DataLimitExceeded', async () => {
    const sut = await run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Big`, End: true } } },
      {},
      {
        Big: () => 'x'.repeat(300 * 1024),
      },
    );
    expect(sut.status).toBe('FAILED');
    expect(sut.error).toBe('States.DataLimitExceeded');
  });

  it('refuses input over 256 KiB and input that is not JSON', () => {
    const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    expect(() => runner().start({ definition, input: JSON.stringify('x'.repeat(300 * 1024)) })).toThrow(
      /InvalidExecutionInput|256 KiB/,
    );
    expect(() => runner().start({ definition, input: '{nope' })).toThrow(ExecutionStartError);
  });

  it('fails an execution that would exceed 25,000 history events', async () => {
    const sut = await run(
      {
        StartAt: 'Count',
        States: {
          Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'More?' },
          'More?': {
            Type: 'Choice',
            Choices: [{ Variable: '$.n', NumericLessThan: 1000000, Next: 'Count' }],
            Default: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      { n: 0 },
    );
    expect(sut.status).toBe('FAILED');
    expect(sut.error).toBe('States.Runtime');
    expect(sut.history).toHaveLength(25_000);
    expect(sut.history.at(-1)?.type).toBe('ExecutionFailed');
  });

  it('fails a task with no handler with a clear cause', async () => {
    const sut = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: `${FN}Nowhere`, End: true } } });
    expect(sut.error).toBe('Lambda.ResourceNotFoundException');
    expect(sut.cause).toContain('Nowhere');
  });
});
