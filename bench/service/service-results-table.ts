/**
 * Turns one run's figures into the tables `npm run bench:service` prints: every figure beside the limit it is
 * bounded by (measured in the same run, converted to the figure's unit) and the goal; then the CPU each
 * process group used per phase; then, when diagnosed, the round trips per execution and the CPU profiles.
 */
import { type ProfileSummary } from './cpu-profile-summary';
import { CPU_GROUPS, type CpuUsage } from './process-cpu';
import { type RoundTrips, type Tally } from './round-trips';
import { type ServiceBenchSettings } from './service-bench-settings';
import { type InsertLimit, type QueueLimit } from './service-limits';
import {
  type InlineMapFigures,
  MAP_ITEMS,
  PASS_CHAIN_EVENTS,
  PASS_CHAIN_TRANSITIONS,
  type PassChainFigures,
  type SteadyRateFigures,
  type ThroughputFigures,
} from './service-workloads';

/** Everything one run measured; also written as JSON beside the logs. */
export interface ServiceBenchResults {
  readonly settings: ServiceBenchSettings;
  readonly queueLimit: QueueLimit;
  readonly insertLimit: InsertLimit;
  readonly passChain: PassChainFigures & { readonly cpu: CpuUsage };
  /** The better of two interleaved runs with one worker process; `runsPerSecond`: both runs' figures. */
  readonly inFlight: ThroughputFigures & { readonly cpu: CpuUsage; readonly runsPerSecond: readonly number[] };
  readonly steadyRate: SteadyRateFigures & { readonly cpu: CpuUsage };
  readonly inlineMap: InlineMapFigures & { readonly cpu: CpuUsage };
  readonly inlineMapFromPass: InlineMapFigures & { readonly cpu: CpuUsage };
  /** The same with two worker processes. */
  readonly twoWorkers: ThroughputFigures & { readonly cpu: CpuUsage; readonly runsPerSecond: readonly number[] };
}

/** One process's CPU profile over a diagnosis window. */
export interface ProcessProfile {
  readonly process: string;
  readonly file: string;
  readonly summary: ProfileSummary;
}

/** One workload profiled over one window, then counted over another. */
export interface DiagnosisWindow {
  readonly profiledExecutions: number;
  readonly profiles: readonly ProcessProfile[];
  readonly countedExecutions: number;
  readonly roundTrips: RoundTrips;
}

/** "Where the time goes". */
export interface ServiceDiagnosis {
  readonly w2: DiagnosisWindow;
  readonly w4: DiagnosisWindow;
  /** W2 on two worker processes: counted, not profiled. */
  readonly w2TwoWorkers: DiagnosisWindow;
}

/** The goals on a 2-core machine. */
export const GOALS = {
  passChainTransitionsPerSecond: 10_000,
  smallMachineExecutionsPerSecond: 300,
  steadyRateP99Ms: 100,
  inlineMapMs: 3_000,
} as const;

/** Jobs per W2 execution: its Task (InvokeTask), then the step that takes the task's result (AdvanceExecution). */
const W2_JOBS = 2;
/** Jobs of one W4 execution: one InvokeTask per item, and at least as many AdvanceExecution in the worst case. */
const W4_JOBS = 2 * MAP_ITEMS;
/** W4's history: ExecutionStarted, Map entered/started/succeeded/exited, ExecutionSucceeded, and 7 per item. */
const W4_EVENTS = 6 + 7 * MAP_ITEMS;

type Row = readonly [workload: string, metric: string, figure: string, limit: string, goal: string];

export function formatServiceResults(r: ServiceBenchResults): string {
  const { queueLimit: q, insertLimit: db } = r;
  const perExecution = q.jobsPerSecond / W2_JOBS;
  const rows: Row[] = [
    [
      'limit: queue',
      `raw BullMQ no-op jobs/s (1 worker process, concurrency ${q.concurrency})`,
      `${count(q.jobsPerSecond)} jobs/s`,
      '',
      '',
    ],
    ['limit: queue', 'one job hop, add() → completed, p50 / p99', `${ms(q.hopMs.p50)} / ${ms(q.hopMs.p99)}`, '', ''],
    [
      'limit: database',
      'history-like rows/s, 1,000-row INSERTs, 2 per transaction',
      `${count(db.rowsPerSecond)} rows/s`,
      '',
      '',
    ],
    [
      'W1 1,000-Pass chain',
      `transitions/s, POST → SUCCEEDED (median of ${r.passChain.runs})`,
      count(r.passChain.transitionsPerSecond),
      `${count(db.rowsPerSecond / (PASS_CHAIN_EVENTS / PASS_CHAIN_TRANSITIONS))} (rows/s ÷ ${(PASS_CHAIN_EVENTS / PASS_CHAIN_TRANSITIONS).toFixed(3)} events each)`,
      goal(
        r.passChain.transitionsPerSecond >= GOALS.passChainTransitionsPerSecond,
        `≥ ${count(GOALS.passChainTransitionsPerSecond)}`,
      ),
    ],
    [
      'W2 100 in flight',
      `executions/s, ${count(r.inFlight.executions)} executions, 1 worker (${runs(r.inFlight.runsPerSecond)})`,
      count(r.inFlight.executionsPerSecond),
      `${count(perExecution)} (jobs/s ÷ ${W2_JOBS} jobs each)`,
      goal(
        r.inFlight.executionsPerSecond >= GOALS.smallMachineExecutionsPerSecond,
        `≥ ${GOALS.smallMachineExecutionsPerSecond}`,
      ),
    ],
    [
      'W2 100 in flight',
      'p50 / p99 latency, POST → seen SUCCEEDED',
      `${ms(r.inFlight.observedMs.p50)} / ${ms(r.inFlight.observedMs.p99)}`,
      '',
      '',
    ],
    [
      `W2 ${count(r.steadyRate.offeredPerSecond)}/s offered`,
      `p50 latency, POST → seen SUCCEEDED (${count(r.steadyRate.executions)} executions)`,
      ms(r.steadyRate.observedMs.p50),
      `${ms(W2_JOBS * q.hopMs.p50)} (${W2_JOBS} hops, p50)`,
      '',
    ],
    [
      `W2 ${count(r.steadyRate.offeredPerSecond)}/s offered`,
      'p99 latency, POST → seen SUCCEEDED',
      ms(r.steadyRate.observedMs.p99),
      `${ms(W2_JOBS * q.hopMs.p99)} (${W2_JOBS} hops, p99)`,
      goal(r.steadyRate.observedMs.p99 < GOALS.steadyRateP99Ms, `< ${GOALS.steadyRateP99Ms} ms`),
    ],
    [
      `W2 ${count(r.steadyRate.offeredPerSecond)}/s offered`,
      'p50 / p99 stopDate − startDate (the service’s own dates)',
      `${ms(r.steadyRate.serverMs.p50)} / ${ms(r.steadyRate.serverMs.p99)}`,
      '',
      '',
    ],
    [
      `W2 ${count(r.steadyRate.offeredPerSecond)}/s offered`,
      'p50 / p99 POST sent → stopDate (no polling in it)',
      `${ms(r.steadyRate.sentToStopMs.p50)} / ${ms(r.steadyRate.sentToStopMs.p99)}`,
      '',
      '',
    ],
    [
      'W4 inline Map, 1,000 Tasks',
      `wall time, POST → seen SUCCEEDED (median of ${r.inlineMap.runs})`,
      seconds(r.inlineMap.medianMs),
      `${seconds((1000 * W4_JOBS) / q.jobsPerSecond + (1000 * W4_EVENTS) / db.rowsPerSecond)} (${count(W4_JOBS)} jobs + ${count(W4_EVENTS)} rows)`,
      goal(r.inlineMap.medianMs < GOALS.inlineMapMs, `< ${GOALS.inlineMapMs / 1000} s`),
    ],
    [
      'W4 inline Map, 1,000 Tasks',
      'StartExecution answered after / stopDate − startDate',
      `${seconds(r.inlineMap.startMedianMs)} / ${seconds(r.inlineMap.serverMedianMs)}`,
      '',
      '',
    ],
    [
      'W4′ same Map, items from a Pass',
      `wall time, execution input {} (median of ${r.inlineMapFromPass.runs})`,
      seconds(r.inlineMapFromPass.medianMs),
      '',
      goal(r.inlineMapFromPass.medianMs < GOALS.inlineMapMs, `< ${GOALS.inlineMapMs / 1000} s`),
    ],
    [
      'W4′ same Map, items from a Pass',
      'StartExecution answered after / stopDate − startDate',
      `${seconds(r.inlineMapFromPass.startMedianMs)} / ${seconds(r.inlineMapFromPass.serverMedianMs)}`,
      '',
      '',
    ],
    [
      'W2 on 2 worker processes',
      `executions/s, ${count(r.twoWorkers.executions)} executions, 100 in flight (${runs(r.twoWorkers.runsPerSecond)})`,
      count(r.twoWorkers.executionsPerSecond),
      '',
      goal(
        r.twoWorkers.executionsPerSecond >= GOALS.smallMachineExecutionsPerSecond,
        `≥ ${GOALS.smallMachineExecutionsPerSecond}`,
      ),
    ],
    [
      'W2 2 vs 1 worker processes',
      'executions/s ratio',
      `${(r.twoWorkers.executionsPerSecond / r.inFlight.executionsPerSecond).toFixed(2)}×`,
      '',
      '',
    ],
  ];
  const out = [render(['workload', 'metric', 'figure', 'limit (same run)', 'goal'], rows)];
  out.push(
    '',
    `W2 at ${count(r.steadyRate.offeredPerSecond)}/s: requests went out at ${r.steadyRate.sentPerSecond.toFixed(1)}/s. ` +
      `"Seen SUCCEEDED": the first ListExecutions(RUNNING) poll (every 10–20 ms) no longer listing it.`,
  );

  out.push('', 'CPU per phase, % of one core (the machine has 2 cores: 200% is all of it):');
  const phases: [string, CpuUsage, number][] = [
    ['W1', r.passChain.cpu, r.passChain.runs],
    ['W2 1 worker', r.inFlight.cpu, r.inFlight.executions],
    [`W2 ${r.steadyRate.offeredPerSecond}/s`, r.steadyRate.cpu, r.steadyRate.executions],
    ['W4', r.inlineMap.cpu, r.inlineMap.runs],
    ['W4′', r.inlineMapFromPass.cpu, r.inlineMapFromPass.runs],
    ['W2 2 workers', r.twoWorkers.cpu, r.twoWorkers.executions],
  ];
  const cpuRows = phases.map(([name, cpu, executions]) => [
    name,
    ...[...CPU_GROUPS, 'other' as const].map((g) => percent(cpu.cpuMs[g] / cpu.wallMs)),
    percent(cpu.machineBusyMs / cpu.wallMs),
    cpuMs((cpu.machineBusyMs - cpu.cpuMs.other - cpu.cpuMs.bench) / executions),
  ]);
  out.push(render(['phase', ...CPU_GROUPS, 'other', 'machine', 'service CPU/execution'], cpuRows));
  const busiestOther = Math.max(...phases.map(([, cpu]) => cpu.cpuMs.other / cpu.wallMs));
  if (busiestOther > 0.2)
    out.push(
      `Processes outside this run used up to ${percent(busiestOther)} of a core during a phase: ` +
        'the figures are lower, and the latencies higher, than on an otherwise idle machine.',
    );

  const problems = [
    ...r.passChain.problems.map((p) => `W1: ${p}`),
    ...r.inFlight.problems.map((p) => `W2: ${p}`),
    ...r.steadyRate.problems.map((p) => `W2 steady: ${p}`),
    ...r.inlineMap.problems.map((p) => `W4: ${p}`),
    ...r.inlineMapFromPass.problems.map((p) => `W4′: ${p}`),
    ...r.twoWorkers.problems.map((p) => `W2 2 workers: ${p}`),
  ];
  if (problems.length > 0)
    out.push('', 'Problems (executions that did not succeed):', ...problems.map((p) => `  ${p}`));
  return out.join('\n');
}

export function formatDiagnosis(d: ServiceDiagnosis): string {
  const out: string[] = ['Where the time goes'];
  for (const [name, window] of [
    ['W2 (Pass → Choice → Task → Pass → Succeed)', d.w2],
    ['W4 (inline Map over 1,000 Tasks)', d.w4],
    ['W2 on two worker processes', d.w2TwoWorkers],
  ] as const) {
    const n = window.countedExecutions;
    out.push('', `${name}: round trips per execution (${count(n)} counted)`);
    const processes = [...window.roundTrips.statements.keys()];
    const kinds = new Set(
      processes.flatMap((p) => [...(window.roundTrips.statements.get(p) ?? new Map<string, number>()).keys()]),
    );
    const rows = [...kinds]
      .map((kind) => {
        const per = processes.map((p) => (window.roundTrips.statements.get(p)?.get(kind) ?? 0) / n);
        return { kind, per, total: per.reduce((a, b) => a + b, 0) };
      })
      .filter((row) => row.total >= 0.005)
      .sort((a, b) => b.total - a.total);
    const totals = processes.map((_, i) => rows.reduce((sum, row) => sum + (row.per[i] ?? 0), 0));
    out.push(
      render(
        ['Postgres statement', ...processes, 'total'],
        [
          ...rows.map((row) => [row.kind, ...row.per.map(decimal), decimal(row.total)]),
          ['all statements', ...totals.map(decimal), decimal(totals.reduce((a, b) => a + b, 0))],
        ],
      ),
    );
    const inserted = [...window.roundTrips.rowsInserted].map(([table, rowsIn]) => `${table} ${decimal(rowsIn / n)}`);
    out.push(`rows inserted per execution: ${inserted.join(', ')}`);
    const redisRoundTrips = [...window.roundTrips.redisCommands.values()].reduce((a, b) => a + b, 0);
    out.push(
      render(
        ['Redis command sent (all clients)', 'per execution'],
        [...tallyRows(window.roundTrips.redisCommands, n), ['all round trips', decimal(redisRoundTrips / n)]],
      ),
    );
    out.push(
      `Redis also ran ${decimal(window.roundTrips.redisScriptCommands / n)} commands per execution inside those ` +
        `scripts (INFO commandstats: ${decimal(window.roundTrips.redisTotal / n)} in all).`,
    );
    for (const profile of window.profiles) {
      const s = profile.summary;
      const perExecution = s.busyMs / window.profiledExecutions;
      out.push(
        '',
        `${name}, ${profile.process}: busy ${count(s.busyMs)} of ${count(s.wallMs)} ms (${percent(s.busyMs / s.wallMs)}), ` +
          `${perExecution.toFixed(2)} ms CPU per execution over ${count(window.profiledExecutions)}; ${profile.file}`,
      );
      out.push(render(['area', 'self', 'share'], shareRows(s.areas, s.busyMs, 10)));
      out.push(render(['function', 'self', 'share'], shareRows(s.functions, s.busyMs, 12)));
    }
  }
  return out.join('\n');
}

function tallyRows(tally: Tally, n: number): string[][] {
  return [...tally]
    .sort((a, b) => b[1] - a[1])
    .filter(([, calls]) => calls / n >= 0.005)
    .map(([command, calls]) => [command, decimal(calls / n)]);
}

function shareRows(shares: readonly { name: string; selfMs: number }[], busyMs: number, top: number): string[][] {
  return shares.slice(0, top).map((s) => [s.name, `${count(s.selfMs)} ms`, percent(s.selfMs / busyMs)]);
}

/** Left-aligned first two columns, right-aligned figures, as bench/results-table.ts lays its table out. */
function render(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        i === 0 || (i === 1 && header.length > 3) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** "better of 251, 283": the interleaved runs a figure was picked from. */
function runs(perSecond: readonly number[]): string {
  return perSecond.length > 1 ? `better of ${perSecond.map(count).join(', ')}` : 'one run';
}

function goal(met: boolean, text: string): string {
  return `${text} ${met ? '✓' : '✗'}`;
}

function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

function decimal(value: number): string {
  return Number.isFinite(value) ? value.toFixed(value >= 100 ? 0 : 2) : 'n/a';
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

/** CPU time: milliseconds, or seconds past 10 s. */
function cpuMs(value: number): string {
  return value >= 10_000 ? seconds(value) : ms(value);
}

function seconds(value: number): string {
  return Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : 'n/a';
}

function percent(fraction: number): string {
  return Number.isFinite(fraction) ? `${Math.round(100 * fraction)}%` : 'n/a';
}
