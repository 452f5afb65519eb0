/**
 * The service workloads, driven through the REST API exactly as a client would drive them. The definitions are the
 * in-memory benchmark's (bench/workloads.ts), so the two benchmarks measure the same machines.
 *
 * How completion is observed: StartExecution returns once the first step is committed; whatever remains runs on the
 * workers. Polling DescribeExecution for each execution in flight would send thousands of requests a second at 100
 * in flight and load the API it measures, so one observer per workload lists the state machine's RUNNING
 * executions instead (ListExecutions, one request every few milliseconds, whatever the number in flight): an
 * execution whose StartExecution had answered before a listing was sent, and which that listing no longer shows,
 * finished by the time the listing came back. That instant is the observed finish, late by at most one polling
 * interval plus one listing. After the run every execution's status, startDate and stopDate are read back from
 * the API: the status must be SUCCEEDED, and stopDate − startDate is the service's own account of the latency.
 */
import { performance } from 'node:perf_hooks';
import { median, percentileOfSorted } from '../statistics';
import { benchCase, type Json, smallMachineInput } from '../workloads';
import { type ApiClient, type ExecutionDescription } from './api-client';

/** W4's Map size: the issue's figure, not scaled, so the wall time compares with its goal at any BENCH_SCALE. */
export const MAP_ITEMS = 1_000;

/** W4's items. */
export const MAP_INPUT: Json = Array.from({ length: MAP_ITEMS }, (_, i) => ({ index: i, sku: `SKU-${i % 97}` }));

const inlineMap = benchCase('W4-c0', { scale: 1 }).definition as { States: Record<string, Json> };

/** The definitions, taken from the in-memory benchmark. */
export const DEFINITIONS = {
  passChain: benchCase('W1', { scale: 1 }).definition,
  smallMachine: benchCase('W2-c100', { scale: 1 }).definition,
  inlineMap: inlineMap as Json,
  /**
   * The same Map, its items produced by a Pass state's Result rather than given as the execution's input: the
   * iterations and tasks are the same, but the context object every task is invoked with (whose Execution.Input is
   * the whole execution input) is small. Set beside W4, it shows what that context costs.
   */
  inlineMapFromPass: {
    StartAt: 'Items',
    States: {
      Items: { Type: 'Pass', Result: MAP_INPUT, Next: 'EachItem' },
      EachItem: inlineMap.States['EachItem'] ?? null,
    },
  } as Json,
};

/** States entered by one W1 execution: its unit of "transitions". */
export const PASS_CHAIN_TRANSITIONS = benchCase('W1', { scale: 1 }).statesEntered({});
/** History events of one W1 execution: ExecutionStarted, entered and exited per state, ExecutionSucceeded. */
export const PASS_CHAIN_EVENTS = 2 * PASS_CHAIN_TRANSITIONS + 2;
const PASS_CHAIN_INPUT: Json = { order: 42, items: ['a', 'b'] };

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface PassChainFigures {
  readonly runs: number;
  /** Median of the runs: POST /executions sent → DescribeExecution answering SUCCEEDED. */
  readonly medianMs: number;
  readonly transitionsPerSecond: number;
  readonly problems: readonly string[];
}

/** W1: one execution at a time; StartExecution runs all 1,000 Pass states inline and commits their history. */
export async function runPassChain(client: ApiClient, machineArn: string, runs: number): Promise<PassChainFigures> {
  const times: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < runs; i++) {
    const sent = performance.now();
    const arn = await client.startExecution(machineArn, PASS_CHAIN_INPUT);
    const described = await client.describeExecution(arn);
    times.push(performance.now() - sent);
    checkSucceeded(described, problems);
  }
  const medianMs = median(times);
  return { runs, medianMs, transitionsPerSecond: PASS_CHAIN_TRANSITIONS / (medianMs / 1000), problems };
}

export interface ThroughputFigures {
  readonly executions: number;
  readonly concurrency: number;
  /** First POST sent → last finish observed. */
  readonly elapsedMs: number;
  readonly executionsPerSecond: number;
  readonly observedMs: Percentiles;
  readonly serverMs: Percentiles;
  readonly sentToStopMs: Percentiles;
  readonly problems: readonly string[];
}

/** W2 closed loop: `executions` executions with `concurrency` in flight, each slot starting the next as one ends. */
export async function runInFlight(
  client: ApiClient,
  machineArn: string,
  executions: number,
  concurrency: number,
): Promise<ThroughputFigures> {
  const observer = new CompletionObserver(client, machineArn, 20);
  const samples: Sample[] = [];
  let next = 0;
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, executions) }, async () => {
        for (let i = next++; i < executions; i = next++)
          samples.push(await runObserved(client, observer, machineArn, i));
      }),
    );
  } finally {
    observer.stop();
  }
  const elapsedMs = Math.max(...samples.map((s) => s.finishedAt)) - start;
  return {
    executions,
    concurrency,
    elapsedMs,
    executionsPerSecond: executions / (elapsedMs / 1000),
    ...(await readBack(client, machineArn, samples)),
  };
}

export interface SteadyRateFigures {
  readonly offeredPerSecond: number;
  /** The rate the requests actually went out at. */
  readonly sentPerSecond: number;
  readonly executions: number;
  readonly observedMs: Percentiles;
  readonly serverMs: Percentiles;
  readonly sentToStopMs: Percentiles;
  readonly problems: readonly string[];
}

/** W2 open loop: starts executions at a steady rate, whatever the service's progress, for `durationMs`. */
export async function runSteadyRate(
  client: ApiClient,
  machineArn: string,
  perSecond: number,
  durationMs: number,
): Promise<SteadyRateFigures> {
  const observer = new CompletionObserver(client, machineArn, 10);
  const count = Math.max(1, Math.round((perSecond * durationMs) / 1000));
  const intervalMs = 1000 / perSecond;
  const running: Promise<Sample>[] = [];
  const start = performance.now();
  let lastSent = start;
  try {
    for (let i = 0; i < count; i++) {
      // Due times come from the start, not from the previous send, so timer lateness does not lower the rate.
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      lastSent = performance.now();
      running.push(runObserved(client, observer, machineArn, i));
    }
    const samples = await Promise.all(running);
    return {
      offeredPerSecond: perSecond,
      sentPerSecond: count > 1 ? (count - 1) / ((lastSent - start) / 1000) : Number.NaN,
      executions: count,
      ...(await readBack(client, machineArn, samples)),
    };
  } finally {
    observer.stop();
  }
}

export interface InlineMapFigures {
  readonly runs: number;
  /** Median of the runs: POST sent → DescribeExecution answering SUCCEEDED (polled every 20 ms). */
  readonly medianMs: number;
  /** The same runs' stopDate − startDate, median. */
  readonly serverMedianMs: number;
  /** How long StartExecution took to answer (it dispatches every item's task before it does), median. */
  readonly startMedianMs: number;
  readonly problems: readonly string[];
}

/** W4: one execution at a time of an inline Map over MAP_ITEMS items, each item a Task. */
export async function runInlineMap(
  client: ApiClient,
  machineArn: string,
  runs: number,
  input: Json = MAP_INPUT,
): Promise<InlineMapFigures> {
  const wall: number[] = [];
  const server: number[] = [];
  const starts: number[] = [];
  const problems: string[] = [];
  for (let run = 0; run < runs; run++) {
    const sent = performance.now();
    const arn = await client.startExecution(machineArn, input);
    starts.push(performance.now() - sent);
    let described: ExecutionDescription;
    for (;;) {
      described = await client.describeExecution(arn);
      if (described.status !== 'RUNNING') break;
      await sleep(20);
    }
    wall.push(performance.now() - sent);
    if (checkSucceeded(described, problems) && described.stopDate !== undefined)
      server.push(Date.parse(described.stopDate) - Date.parse(described.startDate));
  }
  return { runs, medianMs: median(wall), serverMedianMs: median(server), startMedianMs: median(starts), problems };
}

interface Sample {
  readonly arn: string;
  readonly sentAt: number;
  readonly finishedAt: number;
}

async function runObserved(
  client: ApiClient,
  observer: CompletionObserver,
  machineArn: string,
  index: number,
): Promise<Sample> {
  const sentAt = performance.now();
  const arn = await client.startExecution(machineArn, smallMachineInput(index));
  const finishedAt = await observer.finished(arn, performance.now());
  return { arn, sentAt, finishedAt };
}

/**
 * Reads every sampled execution back from the API: its status must be SUCCEEDED, and its dates give two more
 * latencies without the observer's polling in them: stopDate − startDate (the service's own account, which leaves
 * out the request's way in before startDate is taken), and POST sent → stopDate (same machine, same clock; it
 * leaves out only the last step's commit after stopDate is taken).
 */
async function readBack(
  client: ApiClient,
  machineArn: string,
  samples: readonly Sample[],
): Promise<{ observedMs: Percentiles; serverMs: Percentiles; sentToStopMs: Percentiles; problems: string[] }> {
  const described = new Map((await client.listExecutions(machineArn)).map((e) => [e.executionArn, e]));
  const problems: string[] = [];
  const server: number[] = [];
  const sentToStop: number[] = [];
  for (const sample of samples) {
    const execution = described.get(sample.arn);
    if (!execution) {
      problems.push(`${sample.arn} is not listed`);
      continue;
    }
    if (checkSucceeded(execution, problems) && execution.stopDate !== undefined) {
      const stop = Date.parse(execution.stopDate);
      server.push(stop - Date.parse(execution.startDate));
      sentToStop.push(stop - (performance.timeOrigin + sample.sentAt));
    }
  }
  return {
    observedMs: percentiles(samples.map((s) => s.finishedAt - s.sentAt)),
    serverMs: percentiles(server),
    sentToStopMs: percentiles(sentToStop),
    problems: problems.slice(0, 5).concat(problems.length > 5 ? [`… and ${problems.length - 5} more`] : []),
  };
}

function checkSucceeded(execution: ExecutionDescription, problems: string[]): boolean {
  if (execution.status === 'SUCCEEDED') return true;
  problems.push(
    `${execution.executionArn} ended ${execution.status} ${execution.error ?? ''} ${execution.cause ?? ''}`,
  );
  return false;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentileOfSorted(sorted, 0.5), p99: percentileOfSorted(sorted, 0.99) };
}

/**
 * Watches a state machine's executions finish by listing its RUNNING ones every `pollMs` (see the file comment).
 * One listing at a time; none while nothing is watched.
 */
class CompletionObserver {
  private readonly watched = new Map<
    string,
    { readonly startedBy: number; readonly resolve: (at: number) => void; readonly reject: (e: Error) => void }
  >();
  private stopped = false;
  private failure: Error | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly machineArn: string,
    private readonly pollMs: number,
  ) {
    void this.loop();
  }

  /** Resolves with the instant the execution was first seen finished; `answeredAt`: when its start answered. */
  finished(executionArn: string, answeredAt: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.watched.set(executionArn, { startedBy: answeredAt, resolve, reject }));
  }

  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.watched.size > 0) {
        const sentAt = performance.now();
        let running: Set<string>;
        try {
          running = new Set((await this.client.listExecutions(this.machineArn, 'RUNNING')).map((e) => e.executionArn));
        } catch (e) {
          // Every waiting execution hears of it; the workload fails rather than waits forever.
          this.failure = new Error(`Listing the running executions failed: ${(e as Error).message}`);
          for (const watch of this.watched.values()) watch.reject(this.failure);
          this.watched.clear();
          return;
        }
        const at = performance.now();
        for (const [arn, watch] of this.watched) {
          if (watch.startedBy < sentAt && !running.has(arn)) {
            this.watched.delete(arn);
            watch.resolve(at);
          }
        }
      }
      await sleep(this.pollMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
