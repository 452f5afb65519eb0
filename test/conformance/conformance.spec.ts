import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, runConformance, summarize } from './conformance.runner';
import { CORPUS_DIR, corpusAvailable } from './corpus.location';
import { localEngine } from './local-engine.adapter';

/** The checked-in floor for each pass rate; see `baseline.json`. */
interface Baseline {
  readonly executionResult: number;
  readonly executionResultAndEvents: number;
  readonly validation: number;
}

const baseline = JSON.parse(readFileSync(join(__dirname, 'baseline.json'), 'utf8')) as Baseline;

/**
 * The whole LocalStack corpus, once, on the real engine. Asserts rates, not timings: a case that got slower does not
 * fail CI, a case that stopped passing does. Rates rather than counts, so adding cases to the corpus does not break it.
 */
describe.skipIf(!corpusAvailable)('LocalStack conformance corpus', () => {
  it('keeps every pass rate at or above the baseline', { timeout: 120_000 }, async () => {
    const report = await runConformance(CORPUS_DIR, localEngine);
    const validation = summarize(
      'validation',
      report.cases.filter((c) => c.kind === 'validation' && c.verdict !== 'skipped'),
    );
    const rate = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
    const rates: Baseline = {
      executionResult: rate(report.executions.passedResult, report.executions.total),
      executionResultAndEvents: rate(report.executions.passedResultAndEvents, report.executions.total),
      validation: rate(validation.passed, validation.total),
    };

    expect(report.executions.total, formatSummary(report)).toBeGreaterThan(0);
    for (const key of Object.keys(baseline).filter((k) => !k.startsWith('$')) as (keyof Baseline)[]) {
      expect(rates[key], `${key} rate fell below the baseline\n${formatSummary(report)}`).toBeGreaterThanOrEqual(
        baseline[key],
      );
    }
  });
});
