import { describe, expect, it } from 'vitest';
import { loadCaseFiles } from './case-files.loader';
import { CORPUS_DIR, corpusAvailable, readExecutionCase } from './corpus.location';
import { evaluateExecution, prepareExecution } from './execution-case.runner';
import { replayedResult } from './replayed-result.fixture';

describe(evaluateExecution.name, () => {
  describe.skipIf(!corpusAvailable)('on corpus cases', () => {
    it('passes a result that reproduces the recording, for every execution case', async () => {
      const corpus = await loadCaseFiles(CORPUS_DIR);
      const executions = corpus.cases.flatMap((loaded) => (loaded.kind === 'execution' ? [loaded.data] : []));
      const failures = executions
        // Parallel-sorted histories are already lossy; the transformer spec replays those from raw histories.
        .filter((testCase) => !testCase.normalization.parallelEventsSorted)
        .map((testCase) => ({ id: testCase.id, evaluation: evaluateExecution(testCase, replayedResult(testCase)) }))
        .filter(
          ({ evaluation }) =>
            !evaluation.resultMatch || evaluation.eventsMatch === false || evaluation.historyMatch === false,
        )
        .map(({ id, evaluation }) => ({ id, reasons: evaluation.reasons, diff: evaluation.diff.slice(0, 2) }));

      expect(executions.length).toBeGreaterThanOrEqual(1000);
      expect(failures).toEqual([]);
    });

    it('fails a result with another status, output or event sequence, and says why', () => {
      const testCase = readExecutionCase('api/sfn_api.stop_execution.json');
      const replayed = replayedResult(testCase);

      const sut = evaluateExecution(testCase, {
        ...replayed,
        status: 'SUCCEEDED',
        output: '{"Arg1":"argument1"}',
        history: replayed.history.filter((event) => event.type !== 'WaitStateEntered'),
      });

      expect(sut.resultMatch).toBe(false);
      expect(sut.eventsMatch).toBe(false);
      expect(sut.reasons).toEqual([
        'status SUCCEEDED, expected ABORTED',
        'event #2 is ExecutionAborted, expected WaitStateEntered (2 events, expected 3)',
      ]);
    });

    it('compares a non-object output by value, not by its formatting', () => {
      const testCase = readExecutionCase('scenarios/base_scenarios.parallel_state_nested.json');

      const sut = evaluateExecution(testCase, { ...replayedResult(testCase), output: '[[[[1,2,3],[4,5,6]]]]' });

      expect(sut.resultMatch).toBe(true);
    });

    it('treats a missing cause like an empty one', () => {
      const testCase = readExecutionCase('timeouts/timeouts.global_timeout.json');
      const replayed = replayedResult(testCase);

      expect(evaluateExecution(testCase, { ...replayed, cause: '' }).resultMatch).toBe(true);
    });
  });
});

describe(prepareExecution.name, () => {
  it.skipIf(!corpusAvailable)('sends inputs as Python wrote them', () => {
    const testCase = readExecutionCase('scenarios/base_scenarios.parallel_state_nested.json');

    expect(prepareExecution(testCase, Date.now()).inputText).toBe('[[1, 2, 3], [4, 5, 6]]');
  });

  it.skipIf(!corpusAvailable)('moves wall-clock inputs to now and rewrites the matching substitution', () => {
    const testCase = readExecutionCase('base/wait.timestamp_too_far_in_future_boundary__24856.json');
    const now = Date.UTC(2030, 0, 15, 8, 30, 15, 999);

    const sut = prepareExecution(testCase, now);

    const regenerated = '2098-02-03T08:30:15.000Z'; // 24,856 days after now, in the test's own format
    expect(sut.inputText).toBe(`{"start_at": "${regenerated}"}`);
    expect(sut.substitutions).toContainEqual({
      kind: 'regex',
      regex: '2098-02-03T08:30:15\\.000Z',
      replacement: '<timestamp>',
    });
    expect(new Date(regenerated).getTime() - now).toBeGreaterThan(2 ** 31 * 1000);
  });

  it.skipIf(!corpusAvailable)('keeps "now" at or before now', () => {
    const testCase = readExecutionCase('base/wait.wait_timestamppath__Z.json');
    const now = Date.UTC(2030, 0, 15, 8, 30, 15, 999);

    expect(prepareExecution(testCase, now).inputText).toBe('{"start_at": "2030-01-15T08:30:15Z"}');
  });
});
