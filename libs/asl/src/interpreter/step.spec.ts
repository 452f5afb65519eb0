import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../definition/definition.types';
import type { JsonValue } from '../json';
import type { Command, ExecutionSnapshot, InboxMessage } from './execution-snapshot.types';
import { StateMachineScopes } from './state-machine-scopes';
import { type InterpreterPorts, startExecution, step, type StepResult } from './step';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** A definition that exercises tasks, retries, Parallel, Map, Wait and Choice in one execution. */
const definition: StateMachineDefinition = {
  StartAt: 'Fan out',
  States: {
    'Fan out': {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Flaky',
          States: {
            Flaky: {
              Type: 'Task',
              Resource: `${FN}Flaky`,
              Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, JitterStrategy: 'FULL' }],
              End: true,
            },
          },
        },
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              MaxConcurrency: 2,
              ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Task', Resource: `${FN}Double`, End: true } } },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.results',
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.results[0].ok', BooleanEquals: true, Next: 'Done' }],
      Default: 'Failed',
    },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'NotOk' },
  },
};

function ports(): InterpreterPorts {
  let ids = 0;
  return { now: () => Date.UTC(2026, 0, 1), uuid: () => `uuid-${++ids}`, random: () => 0.5 };
}

/** What the outside world answers to each command, deterministically. */
function outcomesOf(commands: readonly Command[], attempt: Map<string, number>): InboxMessage[] {
  const inbox: InboxMessage[] = [];
  for (const command of commands) {
    if (command.type === 'StartTimer') inbox.push({ type: 'TimerFired', timerId: command.timerId });
    if (command.type !== 'InvokeTask') continue;
    if (command.resource.endsWith('Flaky')) {
      const n = (attempt.get('Flaky') ?? 0) + 1;
      attempt.set('Flaky', n);
      inbox.push(
        n < 3
          ? { type: 'TaskFailed', taskId: command.taskId, error: 'Transient', cause: `attempt ${n}` }
          : { type: 'TaskSucceeded', taskId: command.taskId, output: { ok: true } },
      );
    } else {
      inbox.push({ type: 'TaskSucceeded', taskId: command.taskId, output: (command.input as number) * 2 });
    }
  }
  return inbox;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe(step.name, () => {
  const machine = new StateMachineScopes(definition);

  it('is deterministic and resumable from a plain-JSON snapshot at every step', async () => {
    let current: StepResult = await startExecution(
      machine,
      {
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
        name: 'e',
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
        stateMachineName: 'm',
        roleArn: 'arn:aws:iam::123456789012:role/r',
        input: { items: [1, 2, 3] } as JsonValue,
        redriveCount: 0,
        region: 'us-east-1',
      },
      ports(),
    );
    const history = [...current.events];
    const attempts = new Map<string, number>();
    let steps = 0;
    while (current.snapshot.status === 'RUNNING') {
      const inbox = outcomesOf(current.commands, attempts);
      expect(inbox.length, 'a running execution always waits for something').toBeGreaterThan(0);
      const snapshotText = JSON.stringify(current.snapshot);
      // Two interpreters, each given its own copy of the stored snapshot, must agree exactly.
      const first = await step(machine, JSON.parse(snapshotText) as ExecutionSnapshot, clone(inbox), ports());
      const second = await step(machine, JSON.parse(snapshotText) as ExecutionSnapshot, clone(inbox), ports());
      expect(clone(second)).toEqual(clone(first));
      history.push(...first.events);
      current = first;
      steps++;
    }
    expect(current.snapshot.status).toBe('SUCCEEDED');
    expect(current.snapshot.output).toEqual({ items: [1, 2, 3], results: [{ ok: true }, [2, 4, 6]] });
    expect(steps).toBeGreaterThan(3);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    expect(history.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
  });

  it('ignores outcomes it no longer waits for (late, repeated or unknown deliveries)', async () => {
    const single = new StateMachineScopes({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: `${FN}Echo`, End: true } },
    });
    const started = await startExecution(
      single,
      {
        executionArn: 'arn:e',
        name: 'e',
        stateMachineArn: 'arn:m',
        stateMachineName: 'm',
        roleArn: 'arn:r',
        input: {},
        redriveCount: 0,
        region: 'us-east-1',
      },
      ports(),
    );
    const invoke = started.commands.find((c) => c.type === 'InvokeTask');
    const taskId = invoke?.type === 'InvokeTask' ? invoke.taskId : '';
    const done = await step(single, started.snapshot, [
      { type: 'TaskSucceeded', taskId, output: 'once' },
      { type: 'TaskSucceeded', taskId, output: 'twice' },
      { type: 'TaskFailed', taskId: 'no-such-task', error: 'X' },
    ], ports());
    expect(done.snapshot.status).toBe('SUCCEEDED');
    expect(done.snapshot.output).toBe('once');
    expect(done.events.filter((e) => e.type === 'LambdaFunctionSucceeded')).toHaveLength(1);
  });
});
