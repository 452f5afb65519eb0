import type { TaskState } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import { type DataFlowStep, stateDataFlow } from './data-flow';
import { bankingDefinition, bankingExecution, lambda, runExecution } from './execution-histories.fixture';
import { executionTimeline, type StateRun } from './state-runs';

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

/** A run as the history reader makes it, for the odd inputs no engine would record. */
function run(fields: Partial<StateRun>): StateRun {
  return {
    stateName: 'S',
    stateType: 'Task',
    status: 'succeeded',
    enteredEventId: 2,
    enteredAt: '',
    attempts: [],
    eventIds: [],
    ...fields,
  };
}

const labels = (steps: DataFlowStep[]) => steps.map((step) => step.label);

describe(stateDataFlow.name, () => {
  it("shows a banking task's input, parameters, result and output", async () => {
    const { history, status } = await bankingExecution('approved');
    const identity = executionTimeline(history, status).states.get('Check Identity')?.runs[0] as StateRun;
    const definition = bankingDefinition.States['Perform Automated Checks'] as {
      Branches: { States: Record<string, unknown> }[];
    };

    const sut = stateDataFlow(identity, definition.Branches[0]?.States['Check Identity']);

    expect(labels(sut)).toEqual(['Input', 'Parameters', 'Result', 'Output']);
    expect(sut[0]?.value).toBe(pretty(JSON.parse(identity.input as string)));
    expect(JSON.parse(sut[1]?.value as string)).toEqual({
      applicant: expect.objectContaining({ lastName: 'Lovelace' }),
      submittedAt: '2026-11-02T09:30:00Z',
    });
    expect(sut[1]?.note).toBeUndefined();
    expect(sut[2]).toEqual({ label: 'Result', value: pretty({ approved: true, reasons: [] }) });
    expect(sut[3]?.value).toBe(pretty({ approved: true, reasons: [] }));
  });

  it("evaluates InputPath on the recorded input, and says what shapes the task's result", async () => {
    const state: TaskState = {
      Type: 'Task',
      Resource: lambda('Ship'),
      InputPath: '$.order',
      ResultPath: '$.shipment',
      End: true,
    };
    const { history, status } = await runExecution(
      { StartAt: 'Ship', States: { Ship: state } },
      { order: { id: 7, lines: 2 }, customer: 'c-1' },
      { Ship: (order) => ({ tracking: `T-${(order as { id: number }).id}` }) },
    );
    const ship = executionTimeline(history, status).states.get('Ship')?.runs[0] as StateRun;

    const sut = stateDataFlow(ship, state);

    expect(sut).toEqual([
      { label: 'Input', value: pretty({ order: { id: 7, lines: 2 }, customer: 'c-1' }) },
      { label: 'After InputPath', value: pretty({ id: 7, lines: 2 }), note: 'InputPath: $.order' },
      {
        label: 'Parameters',
        value: pretty({ id: 7, lines: 2 }),
        note: 'The state has no Parameters: the task received its input as it was.',
      },
      { label: 'Result', value: pretty({ tracking: 'T-7' }), note: 'Before ResultPath.' },
      {
        label: 'Output',
        value: pretty({ order: { id: 7, lines: 2 }, customer: 'c-1', shipment: { tracking: 'T-7' } }),
      },
    ]);
  });

  it('shows the output of a caught run as the Catch made it', async () => {
    const state: TaskState = {
      Type: 'Task',
      Resource: lambda('Fail'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'After' }],
      Next: 'After',
    };
    const { history, status } = await runExecution(
      { StartAt: 'Try', States: { Try: state, After: { Type: 'Pass', End: true } } },
      { a: 1 },
      { Fail: () => Promise.reject(new RangeError('too far')) },
    );
    const attempt = executionTimeline(history, status).states.get('Try')?.runs[0] as StateRun;

    const sut = stateDataFlow(attempt, state);

    expect(labels(sut)).toEqual(['Input', 'Parameters', 'Output']);
    expect(sut[2]).toEqual({
      label: 'Output',
      value: pretty({ a: 1, error: { Error: 'RangeError', Cause: 'too far' } }),
      note: 'The output of the Catch that handled RangeError.',
    });
  });

  it('explains InputPath values it cannot show', () => {
    const input = '{"a":1}';
    const afterInputPath = (inputPath: unknown, text = input) =>
      stateDataFlow(run({ input: text }), { InputPath: inputPath }).find((step) => step.label === 'After InputPath');

    expect(afterInputPath(undefined)).toBeUndefined();
    expect(afterInputPath('$')).toBeUndefined();
    expect(afterInputPath(null)).toEqual({
      label: 'After InputPath',
      value: '{}',
      note: 'InputPath is null: the state input is an empty object.',
    });
    expect(afterInputPath('$$.Execution.Input')?.note).toBe(
      '$$.Execution.Input reads the context object or a variable, which the history does not record.',
    );
    expect(afterInputPath('$order')?.note).toMatch(/^\$order reads the context object or a variable/);
    expect(afterInputPath('$.missing')?.note).toMatch(/^InputPath \$\.missing failed: /);
    expect(afterInputPath('$.a', 'not json')).toEqual({
      label: 'After InputPath',
      note: 'The input is not JSON: $.a cannot be applied.',
    });
  });

  it('shows text that is not JSON as recorded, and never throws on odd definitions', () => {
    const odd = run({ input: '{broken', output: '[1,2]', parameters: '"p"', result: 'nope' });

    for (const state of [undefined, null, 'Task', [1], { InputPath: 5 }, { Arguments: {} }]) {
      expect(() => stateDataFlow(odd, state)).not.toThrow();
    }
    const sut = stateDataFlow(odd, { Arguments: { x: '{% 1 %}' } });

    expect(sut).toEqual([
      { label: 'Input', value: '{broken', note: 'Not valid JSON: shown as recorded.' },
      { label: 'Arguments', value: '"p"' },
      { label: 'Result', value: 'nope', note: 'Not valid JSON: shown as recorded.' },
      { label: 'Output', value: pretty([1, 2]) },
    ]);
    expect(stateDataFlow(run({}), {})).toEqual([]);
  });
});
