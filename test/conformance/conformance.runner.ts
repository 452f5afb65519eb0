import { loadCaseFiles } from './case-files.loader';
import type { LoadedCase } from './conformance-case.types';
import type { CaseReport, CategorySummary, ConformanceReport } from './conformance-report.types';
import type { ConformanceEngine } from './engine.ports';
import { runExecutionCase } from './execution-case.runner';
import { runApiCase } from './validation-case.runner';

/** How a conformance run behaves. */
export interface ConformanceRunOptions {
  /** Cases in flight at once. Executions mostly wait on the virtual clock or a 5 s task timeout, so a few overlap well. */
  readonly concurrency?: number;
  /** Per-case limit; a case past it fails instead of hanging the run. */
  readonly caseTimeoutMs?: number;
  /** The wall clock (for inputs built from it). */
  readonly now?: () => number;
  /** Runs only the cases this accepts (the others are left out of the report, not skipped). */
  readonly filter?: (loaded: LoadedCase) => boolean;
}

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_CASE_TIMEOUT_MS = 10_000;

/** Loads every case under `corpusDir` and runs it on `engine`. */
export async function runConformance(
  corpusDir: string,
  engine: ConformanceEngine,
  options: ConformanceRunOptions = {},
): Promise<ConformanceReport> {
  const startedAt = new Date();
  const clockStart = performance.now();
  const corpus = await loadCaseFiles(corpusDir);
  const selected = options.filter ? corpus.cases.filter(options.filter) : corpus.cases;
  const cases = await runCases(selected, engine, options);
  return buildReport(corpusDir, startedAt, Math.round(performance.now() - clockStart), cases, corpus.ignored);
}

/** Runs loaded cases through a small pool; the reports come back in the order of `cases`. */
export async function runCases(
  cases: readonly LoadedCase[],
  engine: ConformanceEngine,
  options: ConformanceRunOptions = {},
): Promise<CaseReport[]> {
  const reports: CaseReport[] = new Array<CaseReport>(cases.length);
  const timeoutMs = options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const index = next++;
      const loaded = cases[index] as LoadedCase;
      reports[index] = await runOne(loaded, engine, timeoutMs, options.now);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, cases.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return reports;
}

async function runOne(
  loaded: LoadedCase,
  engine: ConformanceEngine,
  timeoutMs: number,
  now?: () => number,
): Promise<CaseReport> {
  try {
    if (loaded.kind === 'execution') {
      return await runExecutionCase(loaded.data, loaded.path, engine, { timeoutMs, ...(now ? { now } : {}) });
    }
    return runApiCase(loaded.data, loaded.path, loaded.kind, engine);
  } catch (thrown) {
    // A bug in the runner or an engine crash outside an execution: fail this case, keep the run going.
    return {
      id: loaded.data.id,
      path: loaded.path,
      category: loaded.data.category,
      group: loaded.kind === 'execution' ? loaded.data.group : 'api',
      kind: loaded.kind,
      verdict: 'failed',
      resultMatch: false,
      eventsMatch: null,
      reason: `runner error: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
      durationMs: 0,
    };
  }
}

/** The category a case is counted under: executions by group and folder (`lambda/services`), others by kind. */
export function categoryOf(report: CaseReport): string {
  return report.kind === 'execution' ? `${report.group}/${report.category}` : report.kind;
}

/** Totals and per-category counts for a set of case reports. */
export function buildReport(
  corpus: string,
  startedAt: Date,
  durationMs: number,
  cases: readonly CaseReport[],
  ignoredFiles: ConformanceReport['ignoredFiles'] = [],
): ConformanceReport {
  const byCategory = new Map<string, CaseReport[]>();
  for (const report of cases) {
    const name = categoryOf(report);
    byCategory.set(name, [...(byCategory.get(name) ?? []), report]);
  }
  const categories = [...byCategory]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, reports]) => summarize(name, reports));
  const summary = summarize('all', cases);
  return {
    corpus,
    startedAt: startedAt.toISOString(),
    durationMs,
    totals: { passed: summary.passed, failed: summary.failed, skipped: summary.skipped },
    executions: summarize(
      'execution (engine+lambda)',
      cases.filter((report) => report.kind === 'execution'),
    ),
    categories,
    ignoredFiles,
    cases,
  };
}

/** Counts one group of cases. */
export function summarize(name: string, reports: readonly CaseReport[]): CategorySummary {
  const count = (predicate: (report: CaseReport) => boolean): number => reports.filter(predicate).length;
  return {
    name,
    total: reports.length,
    passed: count((r) => r.verdict === 'passed'),
    failed: count((r) => r.verdict === 'failed'),
    skipped: count((r) => r.verdict === 'skipped'),
    passedResult: count((r) => r.resultMatch === true),
    passedResultAndEvents: count((r) => r.resultMatch === true && r.eventsMatch !== false),
  };
}

/**
 * The console summary: one line per category with pass counts (result, and result + event types), the execution
 * rates the targets are stated on, and last the line `N passed, M failed, K skipped`.
 */
export function formatSummary(report: ConformanceReport): string {
  const width = Math.max(24, ...report.categories.map((c) => c.name.length)) + 2;
  const header = `${'category'.padEnd(width)}${pad('cases')}${pad('passed')}${pad('failed')}${pad('skipped')}${pad('result', 10)}${pad('result+events', 15)}`;
  const lines = [header];
  for (const c of report.categories) {
    lines.push(
      `${c.name.padEnd(width)}${pad(c.total)}${pad(c.passed)}${pad(c.failed)}${pad(c.skipped)}${pad(c.passedResult, 10)}${pad(c.passedResultAndEvents, 15)}`,
    );
  }
  const e = report.executions;
  lines.push(
    '',
    `${e.name}: ${e.total} cases; passed (result) ${e.passedResult} = ${percent(e.passedResult, e.total)}; ` +
      `passed (result+events) ${e.passedResultAndEvents} = ${percent(e.passedResultAndEvents, e.total)}`,
  );
  if (report.ignoredFiles.length > 0) lines.push(`ignored ${report.ignoredFiles.length} JSON files that are not cases`);
  lines.push(`finished in ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(`${report.totals.passed} passed, ${report.totals.failed} failed, ${report.totals.skipped} skipped`);
  return lines.join('\n');
}

function pad(value: string | number, width = 9): string {
  return String(value).padStart(width);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}
