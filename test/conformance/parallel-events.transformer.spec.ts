import type { JsonObject } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, readExecutionCase } from './corpus.location';
import { sortParallelEvents } from './parallel-events.transformer';

/** Builds an AWS-shaped history (ids from 1, each event following the previous) from [type, details] pairs. */
function history(...events: [type: string, details?: JsonObject][]): JsonObject[] {
  return events.map(([type, details], index) => ({
    id: index + 1,
    previousEventId: index,
    timestamp: 'date',
    type,
    ...(details ?? {}),
  }));
}

const entered = (name: string): JsonObject => ({ stateEnteredEventDetails: { name, input: {} } });
const exited = (name: string): JsonObject => ({ stateExitedEventDetails: { name, output: {} } });
const task = (kind: string): JsonObject => ({
  [`task${kind}EventDetails`]: { resource: 'invoke', resourceType: 'lambda' },
});

describe(sortParallelEvents.name, () => {
  it('sorts branch events by their JSON text, blanks their ids and drops ParallelStateSucceeded', () => {
    const sut = sortParallelEvents(
      history(
        ['ExecutionStarted'],
        ['ParallelStateEntered', entered('P')],
        ['ParallelStateStarted'],
        ['PassStateEntered', entered('B2')],
        ['PassStateExited', exited('B2')],
        ['PassStateEntered', entered('B1')],
        ['PassStateExited', exited('B1')],
        ['ParallelStateSucceeded'],
        ['ParallelStateExited', exited('P')],
        ['ExecutionSucceeded'],
      ),
    );

    expect(
      sut.map((e) => [
        e['type'],
        e['id'],
        (e['stateEnteredEventDetails'] ?? e['stateExitedEventDetails'] ?? {}) as JsonObject,
      ]),
    ).toEqual([
      ['ExecutionStarted', 1, {}],
      ['ParallelStateEntered', 2, { name: 'P', input: {} }],
      ['ParallelStateStarted', 3, {}],
      ['PassStateEntered', [0], { name: 'B1', input: {} }],
      ['PassStateEntered', [0], { name: 'B2', input: {} }],
      ['PassStateExited', [0], { name: 'B1', output: {} }],
      ['PassStateExited', [0], { name: 'B2', output: {} }],
      ['ParallelStateExited', 9, { name: 'P', output: {} }],
      ['ExecutionSucceeded', 10, {}],
    ]);
  });

  it('does not modify its input', () => {
    const events = history(['ParallelStateStarted'], ['PassStateEntered', entered('B')], ['ParallelStateSucceeded']);
    const before = structuredClone(events);

    sortParallelEvents(events);

    expect(events).toEqual(before);
  });

  describe.skipIf(!corpusAvailable)('reproduces the recorded event types', () => {
    it('of a nested Parallel, where whole runs of events disappear (scenarios/base_scenarios.parallel_state_nested)', () => {
      const testCase = readExecutionCase('scenarios/base_scenarios.parallel_state_nested.json');
      const aws = history(
        ['ExecutionStarted'],
        ['ParallelStateEntered', entered('ParallelStateL1')],
        ['ParallelStateStarted'],
        ['ParallelStateEntered', entered('ParallelStateL2')],
        ['ParallelStateStarted'],
        ['PassStateEntered', entered('BranchL2')],
        ['PassStateExited', exited('BranchL2')],
        ['ParallelStateSucceeded'],
        ['ParallelStateExited', exited('ParallelStateL2')],
        ['ParallelStateSucceeded'],
        ['ParallelStateExited', exited('ParallelStateL1')],
        ['ExecutionSucceeded'],
      );

      expect(sortParallelEvents(aws).map((e) => e['type'])).toEqual(testCase.expected.historyEventTypes);
    });

    it('of a retried Parallel, whose first attempt keeps its order (lambda/…PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY)', () => {
      const testCase = readExecutionCase(
        'lambda/states_variables.error_output.parallel_catch_error__PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY.json',
      );
      const attempt: [string, JsonObject?][] = [
        ['TaskStateEntered', entered('ExecuteLambdaTask')],
        ['TaskScheduled', task('Scheduled')],
        ['TaskStarted', task('Started')],
        ['TaskFailed', { taskFailedEventDetails: { error: 'Exception' } }],
        ['TaskStateAborted'],
      ];
      const aws = history(
        ['ExecutionStarted'],
        ['ParallelStateEntered', entered('ParallelState')],
        ['ParallelStateStarted'],
        ...attempt,
        ['ParallelStateStarted'],
        ...attempt,
        ['ParallelStateFailed'],
        ['ParallelStateExited', exited('ParallelState')],
        ['PassStateEntered', entered('Fallback')],
        ['PassStateExited', exited('Fallback')],
        ['ExecutionSucceeded'],
      );

      expect(sortParallelEvents(aws).map((e) => e['type'])).toEqual(testCase.expected.historyEventTypes);
    });
  });
});
