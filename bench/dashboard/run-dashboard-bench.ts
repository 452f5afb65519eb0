/**
 * npm run bench:dashboard — how soon the execution view is usable for an execution of over 10,000 history events,
 * and how the event table scrolls through them, in a headless Chromium against the built API and a worker on a
 * fresh Postgres database and a private Redis (the dashboard suites' stack).
 *
 * Prints the figures beside the 2,000 ms the issue allows for "usable"; timing never fails the run, only a page that
 * never becomes usable (or an execution that is not what the benchmark needs) does.
 *
 * DASHBOARD_BENCH_RUNS (default 5) page loads; DASHBOARD_BENCH_ITEMS (default 2,500) Map items, four events each;
 * DASHBOARD_BENCH_SCROLL_STEPS (default 100) jumps from the top of the event table to its bottom.
 */
import { join } from 'node:path';
import { eventually } from '../../test/service/support/service-processes';
import { DashboardStack, dashboardRoute } from '../../test/dashboard/support/dashboard-stack';
import { median, percentileOfSorted } from '../statistics';

const RUNS = positiveInteger('DASHBOARD_BENCH_RUNS', 5);
const MAP_ITEMS = positiveInteger('DASHBOARD_BENCH_ITEMS', 2_500);
const SCROLL_STEPS = positiveInteger('DASHBOARD_BENCH_SCROLL_STEPS', 100);
/** The issue's bound: from navigation start to a usable execution view of a 10,000-event history. */
const USABLE_LIMIT_MS = 2_000;
const MIN_EVENTS = 10_000;
const PROBE_SCRIPT = join(__dirname, 'page-probe.js');
/** A page that is not usable within this long is broken, not slow. */
const USABLE_TIMEOUT_MS = 60_000;

/**
 * A wide inline Map whose iterations are one Pass state each: per item MapIterationStarted, PassStateEntered,
 * PassStateExited and MapIterationSucceeded, so 2,500 items make 10,006 events. Pass-only, it finishes within
 * StartExecution; the result is discarded so that the execution's output stays small.
 */
const WIDE_MAP = {
  Comment: 'The dashboard benchmark: a history of over 10,000 events',
  StartAt: 'Fan Out',
  States: {
    'Fan Out': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Touch Item',
        States: { 'Touch Item': { Type: 'Pass', End: true } },
      },
      ResultPath: null,
      End: true,
    },
  },
};

/** What the probe reports of one page load (page-probe.js, loadFigures). */
interface LoadFigures {
  readonly usableMs: number;
  readonly domUsableMs: number;
  readonly domContentLoadedMs: number;
  readonly historyRequests: number;
  readonly historyLoadedMs: number;
  readonly longTaskCount: number;
  readonly longTaskMaxMs: number;
  readonly eventCountText: string | null;
}

/** What the probe reports of one scroll through the event table (page-probe.js, scrollEventTable). */
interface ScrollFigures {
  readonly durationMs: number;
  readonly frameIntervals: readonly number[];
  /** Frames after the last jump until the bottom stayed put (rows measured on the way change the height). */
  readonly settleFrames: number;
  readonly longTaskCount: number;
  readonly longTaskMaxMs: number;
  readonly rowsInDom: number;
  readonly firstIdShown: number;
  readonly lastIdShown: number;
}

interface Run {
  readonly load: LoadFigures;
  readonly scroll: ScrollFigures;
}

async function main(): Promise<void> {
  const stack = await DashboardStack.start();
  const stop = (): void => {
    void stack.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const executionArn = await wideExecution(stack);
    const eventCount = (await stack.service.api.history(executionArn, 1_000)).length;
    if (eventCount < MIN_EVENTS) throw new Error(`the execution has ${eventCount} events, not at least ${MIN_EVENTS}`);
    console.log(`Execution of ${eventCount} history events (${MAP_ITEMS} Map items): ${executionArn}`);

    // One context: the first load has a cold HTTP cache, the others a warm one, as a user's second visit would.
    const context = await stack.newContext();
    await context.addInitScript({ path: PROBE_SCRIPT });
    const runs: Run[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const page = await stack.openPage(dashboardRoute('executions', executionArn), context);
      await page.waitForFunction('window.__dashboardProbe.usableAt !== undefined', null, {
        timeout: USABLE_TIMEOUT_MS,
        polling: 50,
      });
      const load = await page.evaluate<LoadFigures>('window.__dashboardProbe.loadFigures()');
      const scroll = await page.evaluate<ScrollFigures>(`window.__dashboardProbe.scrollEventTable(${SCROLL_STEPS})`);
      runs.push({ load, scroll });
      console.log(
        `  load ${i}${i === 1 ? ' (cold cache)' : ''}: usable at ${ms(load.usableMs)}, ` +
          `${load.historyRequests} history requests, "${load.eventCountText ?? '(no event-count)'}"; ` +
          `scroll: ${scroll.rowsInDom} rows in the DOM at the bottom (events ${scroll.firstIdShown}–${scroll.lastIdShown})` +
          `${scroll.settleFrames === 0 ? '' : ` after ${scroll.settleFrames} more frames`}` +
          `${scroll.lastIdShown === eventCount ? '' : `, NOT down to the last event (${eventCount})`}`,
      );
      await page.close();
    }
    if (stack.pageErrors.length > 0) console.log(`Page errors:\n  ${stack.pageErrors.join('\n  ')}`);
    console.log(`\n${resultsTable(runs, eventCount)}`);
  } finally {
    await stack.dispose();
  }
}

async function wideExecution(stack: DashboardStack): Promise<string> {
  const api = stack.service.api;
  const machineArn = await api.createStateMachine('dashboard-bench-wide-map', WIDE_MAP);
  const items = Array.from({ length: MAP_ITEMS }, (_, i) => i);
  const executionArn = await api.startExecution(machineArn, JSON.stringify({ items }), 'wide-map');
  const done = await eventually(
    'the wide Map execution to finish',
    () => api.describeExecution(executionArn),
    (execution) => execution.status !== 'RUNNING',
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  if (done.status !== 'SUCCEEDED') throw new Error(`the wide Map execution ended ${done.status}: ${done.cause ?? ''}`);
  return executionArn;
}

interface Row {
  readonly metric: string;
  readonly values: readonly number[];
  readonly unit: 'ms' | '';
  readonly limit?: number;
}

function resultsTable(runs: readonly Run[], eventCount: number): string {
  const all = <T>(pick: (run: Run) => T): T[] => runs.map(pick);
  const frames = runs.flatMap((run) => run.scroll.frameIntervals);
  const rows: Row[] = [
    {
      metric: 'usable: navigation start → view ready with rows',
      values: all((r) => r.load.usableMs),
      unit: 'ms',
      limit: USABLE_LIMIT_MS,
    },
    { metric: '  DOMContentLoaded', values: all((r) => r.load.domContentLoadedMs), unit: 'ms' },
    {
      metric: '  last history response (since navigation start)',
      values: all((r) => r.load.historyLoadedMs),
      unit: 'ms',
    },
    { metric: '  history requests until usable', values: all((r) => r.load.historyRequests), unit: '' },
    { metric: '  long tasks until usable', values: all((r) => r.load.longTaskCount), unit: '' },
    { metric: '  longest task until usable', values: all((r) => r.load.longTaskMaxMs), unit: 'ms' },
    { metric: `scroll to the bottom in ${SCROLL_STEPS} jumps`, values: all((r) => r.scroll.durationMs), unit: 'ms' },
    { metric: '  frame interval (all frames of all runs)', values: frames, unit: 'ms' },
    {
      metric: '  frames over 50 ms per scroll',
      values: all((r) => r.scroll.frameIntervals.filter((f) => f > 50).length),
      unit: '',
    },
    { metric: '  long tasks while scrolling', values: all((r) => r.scroll.longTaskCount), unit: '' },
    { metric: '  longest task while scrolling', values: all((r) => r.scroll.longTaskMaxMs), unit: 'ms' },
    { metric: '  event rows in the DOM at the bottom', values: all((r) => r.scroll.rowsInDom), unit: '' },
  ];
  const header = ['metric', 'median', `p95 (max of ${runs.length} loads)`, 'limit', 'median / limit'];
  const body = rows.map((row) => {
    const sorted = [...row.values].sort((a, b) => a - b);
    const mid = median(sorted);
    const high = row.values === frames ? percentileOfSorted(sorted, 0.95) : (sorted[sorted.length - 1] ?? Number.NaN);
    const format = (value: number): string => (row.unit === 'ms' ? ms(value) : String(Math.round(value)));
    return [
      row.metric,
      format(mid),
      format(high),
      row.limit === undefined ? '' : ms(row.limit),
      row.limit === undefined ? '' : `${(mid / row.limit).toFixed(2)}`,
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => cells[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  return [
    `Dashboard, execution view of ${eventCount} events, ${runs.length} loads (the first with a cold cache):`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...body.map(line),
    '',
    'The frame interval row is over every frame of every scroll; its high column is the 95th percentile.',
  ].join('\n');
}

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${Math.round(value)} ms`;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
