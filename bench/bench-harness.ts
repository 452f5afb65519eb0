/**
 * What runs inside each benchmark child process: the timing loops, shared by both engines so that the only code
 * that differs between the two sides is the few lines that start an execution.
 */
import { performance } from 'node:perf_hooks';
import {
  benchCase,
  type BenchCase,
  CASE_IDS,
  type CaseId,
  type Json,
  readBenchSettings,
  smallMachineInput,
} from './workloads';
import { median, percentileOfSorted } from './statistics';

export type EngineName = 'ours' | 'peer';

/** How one execution ended. Accessors are lazy so that the timed loops never pay for checking. */
export interface RunOutcome {
  readonly succeeded: boolean;
  readonly error?: string;
  output(): unknown;
  /** StateEntered events in the recorded history: proves history was recorded and the same work was done. */
  statesEntered(): number;
}

/** A definition made ready to run (validated, indexed) by one engine. */
export interface PreparedMachine {
  run(input: Json): Promise<RunOutcome>;
}

export interface EngineAdapter {
  readonly name: EngineName;
  prepare(definition: Json): Promise<PreparedMachine> | PreparedMachine;
}

/** What a child reports to the driver, as one JSON line on stdout. */
export interface CaseReport {
  readonly caseId: CaseId;
  readonly engine: EngineName;
  /** Total timed wall time of the measured part. */
  readonly elapsedMs: number;
  readonly executions: number;
  readonly statesEntered: number;
  /** Per-execution latencies, `throughput` cases only. */
  readonly latencyMs?: { readonly p50: number; readonly p99: number };
  /** Wall time of one batch (median of the timed batches), `batch` cases only. */
  readonly batchMs?: number;
  /** RSS after loading the engine, before any workload ran. */
  readonly baselineRssBytes: number;
  /** Peak RSS of the whole process (warm-up included), from getrusage and from sampling, whichever is higher. */
  readonly peakRssBytes: number;
  /** Empty when the last execution produced the expected output and history. */
  readonly problems: readonly string[];
}

export const REPORT_PREFIX = 'BENCH_REPORT ';

/** Entry point of a child: `node child.cjs CASE_ID`. */
export async function runChild(load: () => Promise<EngineAdapter>): Promise<void> {
  const caseId = process.argv[2] as CaseId;
  if (!CASE_IDS.includes(caseId))
    throw new Error(`Unknown case "${process.argv[2]}"; expected one of ${CASE_IDS.join(', ')}.`);
  const settings = readBenchSettings(process.env);
  const adapter = await load();
  const sampler = new RssSampler();
  const report = await runCase(adapter, benchCase(caseId, settings), sampler);
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(report)}\n`);
  sampler.stop();
}

async function runCase(adapter: EngineAdapter, bench: BenchCase, sampler: RssSampler): Promise<CaseReport> {
  const machine = await adapter.prepare(bench.definition);
  const problems: string[] = [];
  let last: { input: Json; outcome: RunOutcome } | undefined;
  const runChecked = async (input: Json): Promise<void> => {
    const outcome = await machine.run(input);
    if (!outcome.succeeded && problems.length < 3)
      problems.push(`execution failed: ${outcome.error ?? 'unknown error'}`);
    last = { input, outcome };
  };

  const driver = bench.driver;
  let elapsedMs: number;
  let executions = 0;
  let statesEntered = 0;
  let latencyMs: CaseReport['latencyMs'];
  let batchMs: number | undefined;
  switch (driver.kind) {
    case 'repeat': {
      for (let i = 0; i < driver.warmupReps; i++) await runChecked(driver.input);
      collectGarbage();
      const start = performance.now();
      for (let i = 0; i < driver.reps; i++) await runChecked(driver.input);
      elapsedMs = performance.now() - start;
      executions = driver.reps;
      statesEntered = driver.reps * bench.statesEntered(driver.input);
      break;
    }
    case 'throughput': {
      await inFlight(driver.warmupExecutions, driver.concurrency, (i) => runChecked(smallMachineInput(i)));
      collectGarbage();
      const latencies = new Float64Array(driver.executions);
      const start = performance.now();
      await inFlight(driver.executions, driver.concurrency, async (i) => {
        const begun = performance.now();
        await runChecked(smallMachineInput(i));
        latencies[i] = performance.now() - begun;
      });
      elapsedMs = performance.now() - start;
      executions = driver.executions;
      statesEntered = driver.executions * bench.statesEntered(smallMachineInput(0));
      latencies.sort();
      latencyMs = { p50: percentileOfSorted(latencies, 0.5), p99: percentileOfSorted(latencies, 0.99) };
      break;
    }
    case 'batch': {
      for (const input of driver.warmupInputs) await runChecked(input);
      collectGarbage();
      const batches: number[] = [];
      const start = performance.now();
      for (let rep = 0; rep < driver.reps; rep++) {
        const begun = performance.now();
        for (const input of driver.inputs) await runChecked(input);
        batches.push(performance.now() - begun);
      }
      elapsedMs = performance.now() - start;
      executions = driver.reps * driver.inputs.length;
      statesEntered = driver.reps * driver.inputs.reduce<number>((sum, input) => sum + bench.statesEntered(input), 0);
      batchMs = median(batches);
      break;
    }
  }

  if (last) problems.push(...checkOutcome(bench, last.input, last.outcome));
  return {
    caseId: bench.id,
    engine: adapter.name,
    elapsedMs,
    executions,
    statesEntered,
    ...(latencyMs ? { latencyMs } : {}),
    ...(batchMs === undefined ? {} : { batchMs }),
    baselineRssBytes: sampler.baseline,
    peakRssBytes: sampler.peak(),
    problems,
  };
}

/** Runs `count` tasks keeping `concurrency` of them in flight, as a pool of workers pulling the next index. */
async function inFlight(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function checkOutcome(bench: BenchCase, input: Json, outcome: RunOutcome): string[] {
  const problems: string[] = [];
  if (!outcome.succeeded) return problems;
  const expected = bench.expectedOutput(input);
  if (!jsonEquals(outcome.output(), expected)) {
    problems.push(`unexpected output: ${JSON.stringify(outcome.output()).slice(0, 200)}`);
  }
  const entered = outcome.statesEntered();
  if (entered !== bench.statesEntered(input)) {
    problems.push(`history has ${entered} StateEntered events, expected ${bench.statesEntered(input)}`);
  }
  return problems;
}

function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Starts every timed part from a collected heap, so one side's warm-up garbage is not billed to its measurement. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * getrusage's maxRSS is the true peak but only as fine as the kernel's accounting; sampling backs it up. Timers do
 * not fire while an engine only chains promises, which is why sampling alone would miss peaks.
 */
class RssSampler {
  readonly baseline = process.memoryUsage.rss();
  private sampled = this.baseline;
  private readonly timer = setInterval(() => {
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }, 5).unref();

  peak(): number {
    const fromKernel = process.resourceUsage().maxRSS * 1024;
    return Math.max(fromKernel, this.sampled, process.memoryUsage.rss());
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
