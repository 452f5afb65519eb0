/**
 * The benchmark workloads, shared by both engines' child processes so that each runs exactly the same definitions,
 * inputs and repetition counts. Only plain data lives here: importing an engine from this file would load it into
 * the other engine's process and skew its memory figures.
 */

/** A JSON value, declared here rather than imported from `@lib/asl` for the reason above. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The Lambda function every Task state calls; both engines answer it with a handler that returns its input. */
export const ECHO_FUNCTION = 'Echo';
const ECHO_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${ECHO_FUNCTION}`;

/**
 * Step Functions fails an execution whose history would exceed 25,000 events (a Standard workflow quota), and our
 * interpreter enforces it. The issue's W4 (10,000 Map items) and W5 (counting to 10,000) need 70,000 and 40,000
 * events as single executions, so those totals are split into the fewest executions that fit; the peer, which has
 * no such limit, runs the identical split.
 */
const MAX_HISTORY_EVENTS = 25_000;

/** How a case drives executions. */
export type CaseDriver =
  /** `reps` executions one after another, each on the same input. */
  | { readonly kind: 'repeat'; readonly input: Json; readonly reps: number; readonly warmupReps: number }
  /** `executions` executions with `concurrency` of them in flight; every execution's latency is recorded. */
  | {
      readonly kind: 'throughput';
      readonly executions: number;
      readonly warmupExecutions: number;
      readonly concurrency: number;
    }
  /** One batch = one execution per input, one after another; `reps` batches are timed and the median is kept. */
  | {
      readonly kind: 'batch';
      readonly inputs: readonly Json[];
      readonly warmupInputs: readonly Json[];
      readonly reps: number;
    };

/** One benchmark case: a workload at one setting, run in its own process per engine. */
export interface BenchCase {
  readonly id: CaseId;
  readonly title: string;
  readonly definition: Json;
  readonly driver: CaseDriver;
  /** States entered by one execution on a given input: the unit of "transitions/s", identical for both engines. */
  readonly statesEntered: (input: Json) => number;
  /** The output an execution must produce on a given input; checked on the last execution of each case. */
  readonly expectedOutput: (input: Json) => Json;
}

export const CASE_IDS = ['W1', 'W2-seq', 'W2-c100', 'W3', 'W4-c0', 'W4-c40', 'W5'] as const;
export type CaseId = (typeof CASE_IDS)[number];

/** The env knobs, read and checked once. */
export interface BenchSettings {
  /** Multiplies every repetition count and workload size (BENCH_SCALE, default 1). */
  readonly scale: number;
}

export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const raw = env['BENCH_SCALE'];
  const scale = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, not "${raw}".`);
  return { scale };
}

/** Scales a count, keeping at least `min` so a quick run still measures something. */
function scaled(count: number, settings: BenchSettings, min = 1): number {
  return Math.max(min, Math.round(count * settings.scale));
}

export function benchCase(id: CaseId, settings: BenchSettings): BenchCase {
  switch (id) {
    case 'W1':
      return passChain(settings);
    case 'W2-seq':
      return smallMachine(settings, 1);
    case 'W2-c100':
      return smallMachine(settings, 100);
    case 'W3':
      return parallelFanOut(settings);
    case 'W4-c0':
      return inlineMap(settings, 0);
    case 'W4-c40':
      return inlineMap(settings, 40);
    case 'W5':
      return choiceLoop(settings);
  }
}

const CHAIN_LENGTH = 1_000;

/** W1: raw per-state cost of the interpreter — no data flow beyond passing the input along. */
function passChain(settings: BenchSettings): BenchCase {
  const states: Record<string, Json> = {};
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    states[`Pass${i}`] = i === CHAIN_LENGTH - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `Pass${i + 1}` };
  }
  return {
    id: 'W1',
    title: `1 execution through ${CHAIN_LENGTH} Pass states`,
    definition: { StartAt: 'Pass0', States: states },
    driver: {
      kind: 'repeat',
      input: { order: 42, items: ['a', 'b'] },
      reps: scaled(500, settings, 3),
      warmupReps: scaled(30, settings, 2),
    },
    statesEntered: () => CHAIN_LENGTH,
    expectedOutput: (input) => input,
  };
}

/** W2: per-execution overhead (start, a Choice, one task round-trip, finish) rather than per-state cost. */
function smallMachine(settings: BenchSettings, concurrency: number): BenchCase {
  return {
    id: concurrency === 1 ? 'W2-seq' : 'W2-c100',
    title: `10,000 executions of Pass → Choice → Task → Pass → Succeed, ${concurrency === 1 ? 'sequential' : `${concurrency} in flight`}`,
    definition: {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'Route' },
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.amount', NumericGreaterThanEquals: 0, Next: 'Echo' }],
          Default: 'Echo',
        },
        Echo: { Type: 'Task', Resource: ECHO_ARN, Next: 'Finish' },
        Finish: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    driver: {
      kind: 'throughput',
      executions: scaled(10_000, settings, 100),
      warmupExecutions: scaled(1_000, settings, 20),
      concurrency,
    },
    statesEntered: () => 5,
    expectedOutput: (input) => input,
  };
}

/** The input of one W2 execution: varies per execution so neither engine can short-circuit on a repeated input. */
export function smallMachineInput(index: number): Json {
  return { orderId: `order-${index}`, amount: index % 500 };
}

const BRANCHES = 10;
const BRANCH_LENGTH = 10;

/** W3: the cost of fanning out and joining branches, each a short Pass chain. */
function parallelFanOut(settings: BenchSettings): BenchCase {
  const branches: Json[] = [];
  for (let b = 0; b < BRANCHES; b++) {
    const states: Record<string, Json> = {};
    for (let i = 0; i < BRANCH_LENGTH; i++) {
      const name = `B${b}P${i}`;
      states[name] = i === BRANCH_LENGTH - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `B${b}P${i + 1}` };
    }
    branches.push({ StartAt: `B${b}P0`, States: states });
  }
  return {
    id: 'W3',
    title: `Parallel of ${BRANCHES} branches × ${BRANCH_LENGTH} Pass states`,
    definition: { StartAt: 'FanOut', States: { FanOut: { Type: 'Parallel', Branches: branches, End: true } } },
    driver: {
      kind: 'repeat',
      input: { order: 42 },
      reps: scaled(1_000, settings, 5),
      warmupReps: scaled(50, settings, 2),
    },
    statesEntered: () => 1 + BRANCHES * BRANCH_LENGTH,
    expectedOutput: (input) => Array.from({ length: BRANCHES }, () => input),
  };
}

const MAP_ITEMS = 10_000;
/** Our history per Map item: MapIterationStarted, Task entered/exited, Lambda scheduled/started/succeeded, MapIterationSucceeded. */
const MAP_EVENTS_PER_ITEM = 7;
/** ExecutionStarted, Map entered/started/succeeded/exited, ExecutionSucceeded. */
const MAP_FIXED_EVENTS = 6;

/** W4: a wide inline Map — time and peak memory with every item in flight (0) or a bounded pool (40). */
function inlineMap(settings: BenchSettings, maxConcurrency: number): BenchCase {
  const perExecution = Math.floor((MAX_HISTORY_EVENTS - MAP_FIXED_EVENTS) / MAP_EVENTS_PER_ITEM);
  const inputs = splitEvenly(scaled(MAP_ITEMS, settings, 10), perExecution).map((size, e) => mapItems(size, e));
  return {
    id: maxConcurrency === 0 ? 'W4-c0' : 'W4-c40',
    title: `inline Map over ${MAP_ITEMS.toLocaleString('en-US')} items (each a Task), MaxConcurrency ${maxConcurrency}`,
    definition: {
      StartAt: 'EachItem',
      States: {
        EachItem: {
          Type: 'Map',
          MaxConcurrency: maxConcurrency,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Echo',
            States: { Echo: { Type: 'Task', Resource: ECHO_ARN, End: true } },
          },
          End: true,
        },
      },
    },
    driver: { kind: 'batch', inputs, warmupInputs: [mapItems(Math.min(1_000, inputs[0]?.length ?? 0), 99)], reps: 5 },
    statesEntered: (input) => 1 + (input as Json[]).length,
    expectedOutput: (input) => input,
  };
}

function mapItems(count: number, batch: number): Json[] {
  return Array.from({ length: count }, (_, i) => ({ batch, index: i, sku: `SKU-${i % 97}` }));
}

const COUNT_TO = 10_000;
/** Our history per loop turn: Choice entered/exited, Pass entered/exited. */
const LOOP_EVENTS_PER_TURN = 4;
/** ExecutionStarted, the last Choice entered/exited, Succeed entered/exited, ExecutionSucceeded. */
const LOOP_FIXED_EVENTS = 6;

/**
 * W5: a tight Choice loop with an intrinsic function — a Choice rule, a Parameters template and States.MathAdd per
 * turn. Each execution counts up to the largest part of the split; smaller parts start higher, so one definition
 * with a constant bound serves every part.
 */
function choiceLoop(settings: BenchSettings): BenchCase {
  const perExecution = Math.floor((MAX_HISTORY_EVENTS - LOOP_FIXED_EVENTS) / LOOP_EVENTS_PER_TURN);
  const parts = splitEvenly(scaled(COUNT_TO, settings, 10), perExecution);
  const bound = Math.max(...parts);
  const startAt = (turns: number): Json => ({ count: bound - turns });
  const turnsOf = (input: Json): number => bound - (input as { count: number }).count;
  return {
    id: 'W5',
    title: `Choice loop counting to ${COUNT_TO.toLocaleString('en-US')} with Pass + States.MathAdd`,
    definition: {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.count', NumericLessThan: bound, Next: 'Increment' }],
          Default: 'Done',
        },
        Increment: { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.count, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    },
    driver: {
      kind: 'batch',
      inputs: parts.map(startAt),
      warmupInputs: [startAt(Math.min(1_000, bound))],
      reps: scaled(10, settings, 2),
    },
    statesEntered: (input) => 2 * turnsOf(input) + 2,
    expectedOutput: () => ({ count: bound }),
  };
}

/** Splits `total` into the fewest parts of at most `max`, as even as possible. */
function splitEvenly(total: number, max: number): number[] {
  const parts = Math.ceil(total / max);
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
