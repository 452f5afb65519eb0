/**
 * Turns the children's reports into the side-by-side table. Ratios always read "how many times better we are":
 * ours/peer for throughput, peer/ours for time and memory, so every goal is a lower bound on the ratio.
 */
import { type CaseReport, type EngineName } from './bench-harness';
import { type ColdStartReport } from './cold-start';
import { type CaseId } from './workloads';

type Better = 'higher' | 'lower';

interface Row {
  readonly workload: string;
  readonly metric: string;
  readonly ours: number;
  readonly peer: number;
  readonly better: Better;
  readonly format: (value: number) => string;
  /** The least ratio the issue asks for, when it asks for one. */
  readonly goal?: number;
}

export type CaseReports = Partial<Record<CaseId, Partial<Record<EngineName, CaseReport>>>>;

const THROUGHPUT_GOAL = 3;
const TIME_GOAL = 3;
/** "No more memory": our peak RSS at most the peer's. */
const MEMORY_GOAL = 1;

export function formatResults(
  reports: CaseReports,
  coldStart: Record<EngineName, ColdStartReport> | undefined,
): string {
  const rows: Row[] = [];
  const both = (id: CaseId): { ours: CaseReport; peer: CaseReport } | undefined => {
    const pair = reports[id];
    return pair?.ours && pair.peer ? { ours: pair.ours, peer: pair.peer } : undefined;
  };
  const add = (
    workload: string,
    metric: string,
    pick: (r: CaseReport) => number,
    better: Better,
    format: Row['format'],
    id: CaseId,
    goal?: number,
  ): void => {
    const pair = both(id);
    if (pair)
      rows.push({
        workload,
        metric,
        ours: pick(pair.ours),
        peer: pick(pair.peer),
        better,
        format,
        ...(goal === undefined ? {} : { goal }),
      });
  };
  const transitionsPerSecond = (r: CaseReport): number => r.statesEntered / (r.elapsedMs / 1000);
  const executionsPerSecond = (r: CaseReport): number => r.executions / (r.elapsedMs / 1000);
  const peakRss = (r: CaseReport): number => r.peakRssBytes / 2 ** 20;

  add('W1 1,000-Pass chain', 'transitions/s', transitionsPerSecond, 'higher', count, 'W1', THROUGHPUT_GOAL);
  for (const [id, label] of [
    ['W2-seq', 'W2 sequential'],
    ['W2-c100', 'W2 100 in flight'],
  ] as const) {
    add(label, 'executions/s', executionsPerSecond, 'higher', count, id, THROUGHPUT_GOAL);
    add(label, 'p50 latency', (r) => r.latencyMs?.p50 ?? Number.NaN, 'lower', ms, id);
    add(label, 'p99 latency', (r) => r.latencyMs?.p99 ?? Number.NaN, 'lower', ms, id);
  }
  add('W3 Parallel 10×10', 'executions/s', executionsPerSecond, 'higher', count, 'W3');
  for (const [id, label] of [
    ['W4-c0', 'W4 Map, MaxConc 0'],
    ['W4-c40', 'W4 Map, MaxConc 40'],
  ] as const) {
    add(label, 'time, all items', (r) => r.batchMs ?? Number.NaN, 'lower', ms, id, TIME_GOAL);
    add(label, 'peak RSS', peakRss, 'lower', mb, id, MEMORY_GOAL);
  }
  add('W5 Choice loop', 'transitions/s', transitionsPerSecond, 'higher', count, 'W5', THROUGHPUT_GOAL);
  for (const [id, label] of [
    ['W1', 'W1'],
    ['W2-seq', 'W2 sequential'],
    ['W2-c100', 'W2 100 in flight'],
    ['W3', 'W3'],
    ['W5', 'W5'],
  ] as const) {
    add(label, 'peak RSS', peakRss, 'lower', mb, id);
  }
  if (coldStart) {
    rows.push({
      workload: 'asl run cold start',
      metric: 'median wall',
      ours: coldStart.ours.medianMs,
      peer: coldStart.peer.medianMs,
      better: 'lower',
      format: ms,
      goal: TIME_GOAL,
    });
  }

  const header = ['workload', 'metric', 'ours', 'peer', 'ratio', 'goal'];
  const lines = rows.map((row) => {
    const ratio = row.better === 'higher' ? row.ours / row.peer : row.peer / row.ours;
    const goal = row.goal === undefined ? '—' : `≥${row.goal}× ${ratio >= row.goal ? '✓' : '✗'}`;
    return [
      row.workload,
      row.metric,
      row.format(row.ours),
      row.format(row.peer),
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a',
      goal,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((cells) => (cells[i] as string).length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join(' | ');
  const out = [render(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(render)];

  const problems: string[] = [];
  for (const pair of Object.values(reports)) {
    for (const report of Object.values(pair ?? {})) {
      for (const problem of report.problems) problems.push(`${report.caseId} ${report.engine}: ${problem}`);
    }
  }
  for (const report of Object.values(coldStart ?? {})) {
    for (const problem of report.problems) problems.push(`cold start ${report.engine}: ${problem}`);
  }
  if (problems.length > 0)
    out.push('', 'Problems (figures above may not compare like with like):', ...problems.map((p) => `  ${p}`));
  return out.join('\n');
}

function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}

function mb(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} MB` : 'n/a';
}
