import type { HistoryEvent, StateMachineDefinition } from '@lib/asl';
import { TaskFailure } from '@lib/engine';
import { describe, expect, it } from 'vitest';
import {
  bankingExecution,
  bankingReviewStopped,
  bankingReviewTimedOut,
  lambda,
  neverAnswers,
  runExecution,
} from './execution-histories.fixture';
import { executionTimeline, type ExecutionTimeline, type StateRun, type StateStatus } from './state-runs';

/** Each state's status. */
function statuses(timeline: ExecutionTimeline): Record<string, StateStatus> {
  return Object.fromEntries([...timeline.states].map(([name, summary]) => [name, summary.status]));
}

function runsOf(timeline: ExecutionTimeline, name: string): StateRun[] {
  return timeline.states.get(name)?.runs ?? [];
}

function onlyRun(timeline: ExecutionTimeline, name: string): StateRun {
  const runs = runsOf(timeline, name);
  expect(runs).toHaveLength(1);
  return runs[0] as StateRun;
}

/** Every event but the execution's own names its state. */
function expectEveryStateEventAttributed(timeline: ExecutionTimeline): void {
  const unattributed = timeline.events.filter(
    (e) => !e.event.type.startsWith('Execution') && e.stateName === undefined,
  );
  expect(unattributed.map((e) => `${e.event.id} ${e.event.type}`)).toEqual([]);
}

/** Every event belongs to exactly one run, and each run lists its events in order. */
function expectEventsPartitioned(timeline: ExecutionTimeline): void {
  const owned = [...timeline.states.values()].flatMap((summary) => summary.runs.flatMap((run) => run.eventIds));
  const stateEvents = timeline.events.filter((e) => e.stateName !== undefined).map((e) => e.event.id);
  expect(owned.sort((a, b) => a - b)).toEqual(stateEvents);
}

const parallelWithFailingBranch = (catchIt: boolean): StateMachineDefinition => ({
  StartAt: 'Checks',
  States: {
    Checks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Fails', States: { Fails: { Type: 'Task', Resource: lambda('Boom'), End: true } } },
        {
          StartAt: 'Waits',
          States: {
            Waits: { Type: 'Wait', Seconds: 60, Next: 'After Wait' },
            'After Wait': { Type: 'Pass', End: true },
          },
        },
        { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: lambda('Slow'), End: true } } },
      ],
      ...(catchIt ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' }] } : {}),
      Next: 'Recover',
    },
    Recover: { Type: 'Pass', End: true },
  },
});

const parallelHandlers = {
  Boom: () => {
    throw new TaskFailure('Checks.Unavailable', 'the check service is down');
  },
  Slow: neverAnswers,
};

describe(executionTimeline.name, () => {
  describe('the banking example', () => {
    it('shows every state of an approved application as succeeded', async () => {
      const { history, status } = await bankingExecution('approved');
      const sut = executionTimeline(history, status);

      expect(statuses(sut)).toEqual({
        'Perform Automated Checks': 'succeeded',
        'Check Identity': 'succeeded',
        'Check Address': 'succeeded',
        'Check Fraud Model': 'succeeded',
        'Review Checks': 'succeeded',
        'Open Account': 'succeeded',
        'Send Welcome Notification': 'succeeded',
        'Account Opened': 'succeeded',
      });
      const identity = onlyRun(sut, 'Check Identity');
      expect(identity).toMatchObject({
        stateType: 'Task',
        resource: lambda('CheckIdentity'),
        attempts: [{ status: 'succeeded' }],
        result: '{"approved":true,"reasons":[]}',
      });
      expect(JSON.parse(identity.parameters as string)).toEqual({
        applicant: expect.objectContaining({ firstName: 'Ada' }),
        submittedAt: '2026-11-02T09:30:00Z',
      });
      expect(JSON.parse(identity.output as string)).toEqual({ approved: true, reasons: [] });
      expect(identity.mapIterationIndex).toBeUndefined();
      expect(identity.error).toBeUndefined();
      const checks = onlyRun(sut, 'Perform Automated Checks');
      expect(history.filter((e) => checks.eventIds.includes(e.id)).map((e) => e.type)).toEqual([
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
      ]);
      expectEveryStateEventAttributed(sut);
      expectEventsPartitioned(sut);
    });

    it('indexes each event with its state, resource, elapsed time and whether it failed', async () => {
      const { history, status } = await bankingExecution('approved');
      const sut = executionTimeline(history, status);

      expect(sut.events.map((e) => e.event)).toEqual(history);
      const scheduled = sut.events.find((e) => e.event.type === 'LambdaFunctionScheduled');
      expect(scheduled).toMatchObject({
        stateName: 'Check Identity',
        resource: lambda('CheckIdentity'),
        failed: false,
      });
      // LambdaFunctionSucceeded names no resource: it is the one its run scheduled.
      const succeeded = sut.events.find((e) => e.event.type === 'LambdaFunctionSucceeded');
      expect(succeeded?.resource).toBe(lambda('CheckIdentity'));
      expect(sut.events.find((e) => e.event.type === 'TaskStateEntered')?.resource).toBeUndefined();
      expect(sut.events.every((e) => e.elapsedMs === 0)).toBe(true);
      expect(sut.eventTypes).toEqual([...new Set(history.map((e) => e.type))]);
      expect(sut.events.some((e) => e.failed)).toBe(false);
    });

    it('shows a retried task that finally succeeded with its attempts', async () => {
      const { history, status } = await bankingExecution('transient-failure');
      const sut = executionTimeline(history, status);

      const openAccount = onlyRun(sut, 'Open Account');
      expect(openAccount.status).toBe('succeeded');
      expect(openAccount.error).toBeUndefined();
      expect(openAccount.attempts).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: 'CoreBankingUnavailable',
          cause: 'Core banking system unavailable (attempt 1)',
        }),
        expect.objectContaining({
          status: 'failed',
          error: 'CoreBankingUnavailable',
          cause: 'Core banking system unavailable (attempt 2)',
        }),
        expect.objectContaining({ status: 'succeeded' }),
      ]);
      // Retry back-off is virtual time: the third attempt starts 2 + 4 seconds after the first failed.
      const attemptTimes = openAccount.attempts.map(
        (a) => sut.events.find((e) => e.event.id === a.scheduledEventId)?.elapsedMs,
      );
      expect(attemptTimes).toEqual([0, 2000, 6000]);
      expect(sut.events.filter((e) => e.failed).map((e) => e.event.type)).toEqual([
        'LambdaFunctionFailed',
        'LambdaFunctionFailed',
      ]);
    });

    it('shows a task whose retries ran out as caught, and the Fail state it led to as failed', async () => {
      const { history, status } = await bankingExecution('open-account-fails');
      const sut = executionTimeline(history, status);

      expect(status).toBe('FAILED');
      const openAccount = onlyRun(sut, 'Open Account');
      expect(openAccount).toMatchObject({
        status: 'caught',
        error: 'CoreBankingUnavailable',
        cause: 'Core banking system unavailable (attempt 4)',
      });
      expect(openAccount.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
      expect(JSON.parse(openAccount.output as string)).toMatchObject({ error: { Error: 'CoreBankingUnavailable' } });
      expect(onlyRun(sut, 'Notify Failure').status).toBe('succeeded');
      // A Fail state records no error of its own: the execution's failure says what it was.
      expect(onlyRun(sut, 'Account Opening Failed')).toMatchObject({
        status: 'failed',
        error: 'AccountOpeningFailed',
        cause: 'The account could not be opened; the applicant has been notified.',
      });
      expectEveryStateEventAttributed(sut);
    });

    it('shows a callback task waiting for its token as running while the execution runs', async () => {
      const { running } = await bankingReviewStopped();
      const sut = executionTimeline(running, 'RUNNING');

      expect(statuses(sut)).toEqual({
        'Perform Automated Checks': 'succeeded',
        'Check Identity': 'succeeded',
        'Check Address': 'succeeded',
        'Check Fraud Model': 'succeeded',
        'Review Checks': 'succeeded',
        'Manual Review': 'running',
      });
      const review = onlyRun(sut, 'Manual Review');
      expect(review).toMatchObject({
        resource: 'invoke.waitForTaskToken',
        resourceType: 'lambda',
        attempts: [{ status: 'running' }],
      });
      expect(review.exitedEventId).toBeUndefined();
      expect(review.result).toBeUndefined();
      expect(JSON.parse(review.parameters as string)).toMatchObject({ FunctionName: lambda('RequestManualReview') });
      expect(sut.events.find((e) => e.event.type === 'TaskSubmitted')).toMatchObject({
        stateName: 'Manual Review',
        resource: 'lambda:invoke.waitForTaskToken',
      });
    });

    it('shows the waiting task as aborted once the execution is stopped', async () => {
      const { stopped } = await bankingReviewStopped();
      const sut = executionTimeline(stopped.history, stopped.status);

      expect(stopped.status).toBe('ABORTED');
      expect(sut.states.get('Manual Review')?.status).toBe('aborted');
      expect(sut.states.get('Review Checks')?.status).toBe('succeeded');
      const aborted = sut.events.at(-1);
      expect(aborted).toMatchObject({ failed: true });
      expect(aborted?.stateName).toBeUndefined();
    });

    it('shows the waiting task as aborted when the execution times out', async () => {
      const { history, status } = await bankingReviewTimedOut();
      const sut = executionTimeline(history, status);

      expect(status).toBe('TIMED_OUT');
      expect(onlyRun(sut, 'Manual Review').status).toBe('aborted');
      expect(sut.events.at(-1)?.elapsedMs).toBe(604_800_000);
    });
  });

  it('shows an uncaught task failure as failed with its error', async () => {
    const { history, status } = await runExecution(
      { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: lambda('Charge'), End: true } } },
      { amount: 5 },
      { Charge: () => Promise.reject(new TaskFailure('Payment.Declined', 'insufficient funds')) },
    );
    const sut = executionTimeline(history, status);

    expect(onlyRun(sut, 'Charge')).toMatchObject({
      status: 'failed',
      error: 'Payment.Declined',
      cause: 'insufficient funds',
      attempts: [{ status: 'failed', error: 'Payment.Declined' }],
    });
  });

  it('shows a state whose own data flow failed (no event of its own records it) as failed', async () => {
    const { history, status } = await runExecution(
      { StartAt: 'Pick', States: { Pick: { Type: 'Pass', OutputPath: '$.missing', End: true } } },
      {},
    );
    const sut = executionTimeline(history, status);

    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
    expect(onlyRun(sut, 'Pick')).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });

  it('shows a JSONata evaluation failure caught by a Catch', async () => {
    const { history, status } = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Compute',
        States: {
          Compute: {
            Type: 'Task',
            Resource: lambda('Echo'),
            Arguments: '{% $states.input.items[0].price * "x" %}',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback' }],
            End: true,
          },
          Fallback: { Type: 'Pass', End: true },
        },
      },
      { items: [{ price: 2 }] },
      { Echo: (input) => input },
    );
    const sut = executionTimeline(history, status);

    expect(onlyRun(sut, 'Compute')).toMatchObject({
      status: 'caught',
      error: 'States.QueryEvaluationError',
      attempts: [],
    });
    expect(sut.events.find((e) => e.event.type === 'EvaluationFailed')).toMatchObject({
      stateName: 'Compute',
      failed: true,
    });
    expect(onlyRun(sut, 'Fallback').status).toBe('succeeded');
  });

  describe('a Parallel state whose branch fails', () => {
    it('fails with the branch, and aborts the branches still running', async () => {
      const { history, status } = await runExecution(parallelWithFailingBranch(false), {}, parallelHandlers);
      const sut = executionTimeline(history, status);

      expect(statuses(sut)).toEqual({ Checks: 'failed', Fails: 'failed', Waits: 'aborted', Slow: 'aborted' });
      expect(onlyRun(sut, 'Fails')).toMatchObject({ error: 'Checks.Unavailable', cause: 'the check service is down' });
      // AWS records no ParallelStateFailed when a branch's Task failed: the error comes from the branch.
      expect(history.some((e) => e.type === 'ParallelStateFailed')).toBe(false);
      expect(onlyRun(sut, 'Checks')).toMatchObject({ error: 'Checks.Unavailable', cause: 'the check service is down' });
      expect(onlyRun(sut, 'Slow').attempts).toEqual([expect.objectContaining({ status: 'running' })]);
      expect(sut.events.filter((e) => e.failed).map((e) => `${e.event.type} ${e.stateName ?? ''}`)).toEqual([
        'LambdaFunctionFailed Fails',
        'WaitStateAborted Waits',
        'TaskStateAborted Slow',
        'TaskStateAborted Fails',
        'ExecutionFailed ',
      ]);
      expectEveryStateEventAttributed(sut);
      expectEventsPartitioned(sut);
    });

    it('is caught by its Catch, and the state after it runs', async () => {
      const { history, status } = await runExecution(parallelWithFailingBranch(true), {}, parallelHandlers);
      const sut = executionTimeline(history, status);

      expect(status).toBe('SUCCEEDED');
      expect(statuses(sut)).toEqual({
        Checks: 'caught',
        Fails: 'failed',
        Waits: 'aborted',
        Slow: 'aborted',
        Recover: 'succeeded',
      });
      expect(onlyRun(sut, 'Checks')).toMatchObject({ error: 'Checks.Unavailable' });
      expect(onlyRun(sut, 'Recover').input).toContain('Checks.Unavailable');
    });
  });

  it('shows a Parallel retried after a branch failed as succeeded, and the failed branch run as failed', async () => {
    let calls = 0;
    const flaky = () => (calls++ === 0 ? Promise.reject(new Error('first call fails')) : Promise.resolve('ok'));
    const { history, status } = await runExecution(
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Flaky', States: { Flaky: { Type: 'Task', Resource: lambda('Flaky'), End: true } } },
              { StartAt: 'Steady', States: { Steady: { Type: 'Pass', End: true } } },
            ],
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
            End: true,
          },
        },
      },
      {},
      { Flaky: flaky },
    );
    const sut = executionTimeline(history, status);

    expect(onlyRun(sut, 'Both')).toMatchObject({ status: 'succeeded', output: '["ok",{}]' });
    expect(onlyRun(sut, 'Both').error).toBeUndefined();
    expect(runsOf(sut, 'Flaky').map((run) => [run.status, run.error])).toEqual([
      ['failed', 'Error'],
      ['succeeded', undefined],
    ]);
    // Over its runs a state shows its worst outcome.
    expect(sut.states.get('Flaky')?.status).toBe('failed');
    expect(runsOf(sut, 'Steady').map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
  });

  describe('a Map state', () => {
    const mapOf = (extra: Record<string, unknown> = {}): StateMachineDefinition => ({
      StartAt: 'Price Items',
      States: {
        'Price Items': {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Look Up Price',
            States: {
              'Look Up Price': { Type: 'Task', Resource: lambda('Price'), Next: 'Format' },
              Format: { Type: 'Pass', Parameters: { 'price.$': '$' }, End: true },
            },
          },
          Next: 'Total',
          ...extra,
        },
        Total: { Type: 'Pass', End: true },
      },
    });

    it('keeps concurrent iterations apart although their events interleave', async () => {
      // Later items answer first: iterations finish in reverse order.
      const price = (sku: unknown) =>
        new Promise((resolve) => setTimeout(() => resolve(String(sku).length * 10), 30 - String(sku).length * 5));
      const { history, status } = await runExecution(mapOf(), ['a', 'bb', 'ccc', 'dddd'], { Price: price });
      const sut = executionTimeline(history, status);

      const lookUps = runsOf(sut, 'Look Up Price');
      expect(lookUps.map((run) => [run.mapIterationIndex, run.status, run.parameters, run.result])).toEqual([
        [0, 'succeeded', '"a"', '10'],
        [1, 'succeeded', '"bb"', '20'],
        [2, 'succeeded', '"ccc"', '30'],
        [3, 'succeeded', '"dddd"', '40'],
      ]);
      expect(runsOf(sut, 'Format').map((run) => [run.mapIterationIndex, run.output])).toEqual(
        expect.arrayContaining([
          [0, '{"price":10}'],
          [3, '{"price":40}'],
        ]),
      );
      // The iterations ran at the same time: the second entered before the first had exited.
      expect(lookUps[1]?.enteredEventId).toBeLessThan(lookUps[0]?.exitedEventId ?? 0);
      const iterationEvents = sut.events.filter((e) => e.event.type.startsWith('MapIteration'));
      expect(iterationEvents).toHaveLength(8);
      expect(iterationEvents.every((e) => e.stateName === 'Price Items')).toBe(true);
      expect(onlyRun(sut, 'Price Items')).toMatchObject({
        status: 'succeeded',
        output: '[{"price":10},{"price":20},{"price":30},{"price":40}]',
      });
      expectEveryStateEventAttributed(sut);
      expectEventsPartitioned(sut);
    });

    it('shows a failed iteration as failed, the others aborted, and the Map caught', async () => {
      const { history, status } = await runExecution(
        mapOf({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Total' }] }),
        ['ok', 'bad', 'fine'],
        {
          Price: (sku, context) =>
            sku === 'bad'
              ? Promise.reject(new TaskFailure('Price.Unknown', 'no price for bad'))
              : neverAnswers(sku, context),
        },
      );
      const sut = executionTimeline(history, status);

      expect(runsOf(sut, 'Look Up Price').map((run) => [run.mapIterationIndex, run.status, run.error])).toEqual([
        [0, 'aborted', undefined],
        [1, 'failed', 'Price.Unknown'],
        [2, 'aborted', undefined],
      ]);
      expect(statuses(sut)).toEqual({ 'Price Items': 'caught', 'Look Up Price': 'failed', Total: 'succeeded' });
      // MapStateFailed carries no error: the Map shows the failed iteration's.
      expect(onlyRun(sut, 'Price Items')).toMatchObject({ error: 'Price.Unknown', cause: 'no price for bad' });
      expect(sut.events.filter((e) => e.event.type === 'MapIterationAborted').map((e) => e.stateName)).toEqual([
        'Price Items',
        'Price Items',
      ]);
    });

    it('succeeds when its failed iterations are tolerated', async () => {
      const price = (sku: unknown) => (sku === 'bad' ? Promise.reject(new Error('no price')) : 1);
      const { history, status } = await runExecution(mapOf({ ToleratedFailureCount: 1 }), ['ok', 'bad', 'fine'], {
        Price: price,
      });
      const sut = executionTimeline(history, status);

      expect(status).toBe('SUCCEEDED');
      expect(statuses(sut)).toEqual({
        'Price Items': 'succeeded',
        'Look Up Price': 'failed',
        Format: 'succeeded',
        Total: 'succeeded',
      });
      expect(runsOf(sut, 'Look Up Price').map((run) => run.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    });

    it('gives states nested in a Parallel inside an iteration the iteration index', async () => {
      const { history, status } = await runExecution(
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              Iterator: {
                StartAt: 'Both',
                States: {
                  Both: {
                    Type: 'Parallel',
                    Branches: [
                      { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: lambda('Echo'), End: true } } },
                      { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
                    ],
                    Next: 'Done',
                  },
                  Done: { Type: 'Succeed' },
                },
              },
              End: true,
            },
          },
        },
        [1, 2],
        { Echo: (input) => input },
      );
      const sut = executionTimeline(history, status);

      expect(status).toBe('SUCCEEDED');
      for (const name of ['Both', 'Left', 'Right', 'Done']) {
        expect(runsOf(sut, name).map((run) => [run.mapIterationIndex, run.status])).toEqual([
          [0, 'succeeded'],
          [1, 'succeeded'],
        ]);
      }
      expect(runsOf(sut, 'Left').map((run) => run.result)).toEqual(['1', '2']);
      expectEveryStateEventAttributed(sut);
      expectEventsPartitioned(sut);
    });
  });

  it('indexes a 10,000-event history of a wide Map', async () => {
    const items = Array.from({ length: 1_200 }, (_, i) => i);
    const { history, status } = await runExecution(
      {
        StartAt: 'Fan Out',
        States: {
          'Fan Out': {
            Type: 'Map',
            MaxConcurrency: 50,
            ItemProcessor: {
              StartAt: 'Work',
              States: {
                Work: { Type: 'Task', Resource: lambda('Work'), Next: 'Record' },
                Record: { Type: 'Pass', End: true },
              },
            },
            End: true,
          },
        },
      },
      items,
      { Work: (n) => Promise.resolve((n as number) * 2) },
    );
    expect(history.length).toBeGreaterThan(10_000);

    const sut = executionTimeline(history, status);

    expect(sut.events).toHaveLength(history.length);
    expectEveryStateEventAttributed(sut);
    expectEventsPartitioned(sut);
    const work = runsOf(sut, 'Work');
    expect(work).toHaveLength(items.length);
    const byIndex = new Map(work.map((run) => [run.mapIterationIndex, run]));
    for (const i of items) {
      const run = byIndex.get(i);
      expect(run?.parameters).toBe(String(i));
      expect(run?.result).toBe(String(i * 2));
    }
    expect(sut.states.get('Work')?.status).toBe('succeeded');
    expect(onlyRun(sut, 'Fan Out').eventIds).toHaveLength(4 + items.length * 2);
  });

  it('reads a history whose chain is broken without throwing, falling back to state names', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const events = [
      {
        id: 1,
        previousEventId: 0,
        timestamp: at,
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: '{}' },
      },
      {
        id: 2,
        previousEventId: 1,
        timestamp: at,
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'A', input: '{}' },
      },
      {
        id: 3,
        previousEventId: 99,
        timestamp: at,
        type: 'PassStateExited',
        stateExitedEventDetails: { name: 'A', output: '{}' },
      },
      { id: 4, previousEventId: 98, timestamp: 'not a date', type: 'LambdaFunctionStarted' },
    ] as HistoryEvent[];

    const sut = executionTimeline(events, 'RUNNING');

    expect(onlyRun(sut, 'A')).toMatchObject({ status: 'succeeded', eventIds: [2, 3] });
    expect(sut.events.map((e) => e.stateName)).toEqual([undefined, 'A', 'A', undefined]);
  });
});
