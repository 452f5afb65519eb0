import type { JsonObject, JsonValue } from '@lib/asl';
import { isJsonObject } from './json.guards';
import type { ExecutionCase, Substitution } from './conformance-case.types';
import type { CaseReport, LabelledMismatch } from './conformance-report.types';
import { startErrorCode, type ConformanceEngine, type ConformanceExecutionResult } from './engine.ports';
import { LambdaInvocationsStub } from './lambda-invocations.stub';
import { sortParallelEvents } from './parallel-events.transformer';
import { pythonJsonText } from './python-json.serializer';
import { compareSnapshots, TokenBindings, type Mismatch } from './snapshot.comparator';
import { SnapshotNormalizer } from './snapshot.normalizer';
import { regenerateWallClockInput } from './wall-clock-input.regenerator';

/** Knobs for one execution case. */
export interface ExecutionCaseOptions {
  /** A case still running after this long fails (and is stopped) instead of hanging the run. */
  readonly timeoutMs: number;
  /** The wall clock, for inputs built from it. */
  readonly now?: () => number;
}

/** The input and normalization a case runs with, after wall-clock inputs were moved to now. */
export interface PreparedExecution {
  readonly inputText: string;
  readonly substitutions: readonly Substitution[];
  readonly notes: readonly string[];
}

/**
 * The execution input as the test sent it: Python's `json.dumps` text of the recorded value (AWS echoes the text in
 * places, and its byte size counts against the 256 KiB limit), or the raw text for inputs that were not JSON.
 */
export function prepareExecution(testCase: ExecutionCase, now: number): PreparedExecution {
  const inputText = testCase.inputText ?? pythonJsonText(testCase.input ?? {});
  if (!testCase.provenance.inputDependsOnWallClock) {
    return { inputText, substitutions: testCase.normalization.substitutions, notes: [] };
  }
  const regenerated = regenerateWallClockInput(inputText, testCase.normalization.substitutions, now);
  const moved = [...regenerated.replaced].map(([from, to]) => `${from} → ${to}`).join(', ');
  return {
    inputText: regenerated.inputText,
    substitutions: regenerated.substitutions,
    notes: [
      moved ? `wall-clock input regenerated: ${moved}` : 'wall-clock input: no timestamp literal found to regenerate',
    ],
  };
}

/** How an execution's result compares with the case's expectations. */
export interface ExecutionEvaluation {
  readonly resultMatch: boolean;
  readonly eventsMatch: boolean | null;
  readonly historyMatch: boolean | null;
  readonly reasons: readonly string[];
  readonly diff: readonly LabelledMismatch[];
}

/**
 * Normalizes an engine result (README steps 1–5) and compares it with the case: status, output, error and cause
 * decide `resultMatch`; the sequence of event types decides `eventsMatch`; the full history (details included) is
 * compared for information only.
 */
export function evaluateExecution(
  testCase: ExecutionCase,
  result: ConformanceExecutionResult,
  substitutions: readonly Substitution[] = testCase.normalization.substitutions,
): ExecutionEvaluation {
  const normalizer = new SnapshotNormalizer(
    { substitutions },
    { region: testCase.context.region, partition: testCase.context.partition },
  );
  const events = result.history.map((event) => JSON.parse(JSON.stringify(event)) as JsonObject);
  const doc = normalizer.normalize({
    result: withoutUndefined({
      status: result.status,
      output: result.output,
      error: result.error,
      cause: result.cause,
    }),
    events,
  }) as { result: JsonObject; events: JsonObject[] };
  const actualEvents = testCase.normalization.parallelEventsSorted ? sortParallelEvents(doc.events) : doc.events;

  const expected = testCase.expected;
  const bindings = new TokenBindings();
  const diff: LabelledMismatch[] = [];
  const reasons: string[] = [];
  const record = (part: string, mismatches: readonly Mismatch[]): boolean => {
    for (const mismatch of mismatches) diff.push({ part, ...mismatch });
    return mismatches.length === 0;
  };

  const statusOk = record(
    'status',
    expected.status === result.status
      ? []
      : [{ path: '$.status', expected: expected.status, actual: result.status, reason: 'different status' }],
  );
  if (!statusOk) reasons.push(`status ${result.status}, expected ${expected.status}`);

  let outputOk = true;
  if (expected.status === 'SUCCEEDED' || expected.output !== null) {
    const candidates = [payloadValue(doc.result['output']), payloadValue(terminalDetails(actualEvents)?.['output'])];
    let best: Mismatch[] | undefined;
    for (const candidate of candidates) {
      if (candidate === undefined) continue;
      const attempt = bindings.fork();
      const mismatches = compareSnapshots(expected.output, candidate, attempt, { path: '$.output' });
      if (mismatches.length === 0) {
        bindings.adopt(attempt);
        best = [];
        break;
      }
      best ??= mismatches;
    }
    outputOk = record(
      'output',
      best ?? [{ path: '$.output', expected: expected.output, actual: undefined, reason: 'no output' }],
    );
    if (!outputOk) reasons.push('output differs');
  }

  const errorOk = record('error', compareOptional(expected.error, doc.result['error'], bindings, '$.error'));
  if (!errorOk)
    reasons.push(`error ${JSON.stringify(doc.result['error'] ?? null)}, expected ${JSON.stringify(expected.error)}`);
  const causeOk = record('cause', compareOptional(expected.cause, doc.result['cause'], bindings, '$.cause'));
  if (!causeOk) reasons.push('cause differs');

  let eventsMatch: boolean | null = null;
  if (expected.historyEventTypes) {
    const actualTypes = actualEvents.map((event) => String(event['type']));
    const firstDifference = firstDifferenceIndex(expected.historyEventTypes, actualTypes);
    eventsMatch = firstDifference === -1;
    if (!eventsMatch) {
      reasons.push(describeEventDifference(expected.historyEventTypes, actualTypes, firstDifference));
      diff.push({
        part: 'events',
        path: `$.events[${firstDifference}]`,
        expected: expected.historyEventTypes.slice(firstDifference, firstDifference + 5),
        actual: actualTypes.slice(firstDifference, firstDifference + 5),
        reason: 'event types differ from here',
      });
    }
  }

  let historyMatch: boolean | null = null;
  if (expected.history) {
    const comparable = actualEvents.map(({ timestamp: _timestamp, ...rest }) => rest);
    const mismatches = compareSnapshots(expected.history, comparable, new TokenBindings(), {
      path: '$.history',
      limit: 5,
      jsonTextByValue: true,
    });
    historyMatch = mismatches.length === 0;
    // Only worth reading when the verdict-relevant parts agree; otherwise they say the same thing louder.
    if (!historyMatch && statusOk && outputOk && errorOk && causeOk && eventsMatch !== false)
      record('history', mismatches);
  }

  return { resultMatch: statusOk && outputOk && errorOk && causeOk, eventsMatch, historyMatch, reasons, diff };
}

/** Runs one execution case on the engine and judges it. */
export async function runExecutionCase(
  testCase: ExecutionCase,
  path: string,
  engine: ConformanceEngine,
  options: ExecutionCaseOptions,
): Promise<CaseReport> {
  const startedAt = performance.now();
  const base = {
    id: testCase.id,
    path,
    category: testCase.category,
    group: testCase.group,
    kind: 'execution' as const,
  };
  const finish = (fields: Omit<CaseReport, keyof typeof base | 'durationMs'>): CaseReport => ({
    ...base,
    ...fields,
    durationMs: Math.round(performance.now() - startedAt),
  });

  const prepared = prepareExecution(testCase, (options.now ?? Date.now)());
  const uuid = sequentialUuids();
  const stub = new LambdaInvocationsStub(testCase, {
    normalizer: new SnapshotNormalizer(
      { substitutions: prepared.substitutions },
      { region: testCase.context.region, partition: testCase.context.partition },
    ),
    taskFailure: engine.taskFailure,
    uuid: sequentialUuids(0x100),
  });
  const runner = engine.createRunner({
    taskInvoker: stub.invoke,
    clock: 'virtual',
    ports: { uuid, random: seededRandom(testCase.id) },
  });

  let execution;
  try {
    execution = runner.start({
      definition: testCase.definition,
      input: prepared.inputText,
      stateMachineName: testCase.context.stateMachineName,
      executionName: testCase.context.executionName,
      accountId: testCase.context.accountId,
      region: testCase.context.region,
      partition: testCase.context.partition,
      roleArn: testCase.context.roleArn,
      stateMachineType: testCase.context.stateMachineType,
    });
  } catch (thrown) {
    const code = startErrorCode(thrown);
    return finish({
      verdict: 'failed',
      resultMatch: false,
      eventsMatch: testCase.expected.historyEventTypes ? false : null,
      reason: `StartExecution refused${code ? ` (${code})` : ''}: ${(thrown as Error).message ?? String(thrown)}`,
    });
  }

  // The test called StopExecution while the execution was waiting; the runner takes the stop before it advances
  // the virtual clock past the Wait, as AWS took it during the wait.
  const otherCalls = testCase.provenance.otherApiCallsInTest ?? [];
  if (otherCalls.includes('stop_execution')) execution.stop();
  // The rest change nothing the execution can see (logging configuration, alias listings); said only on failure.
  const notReplayed = otherCalls.filter((name) => name !== 'stop_execution');

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  let outcome: ConformanceExecutionResult | 'timeout';
  try {
    outcome = await Promise.race([execution.result, timedOut]);
  } catch (thrown) {
    return finish({
      verdict: 'failed',
      resultMatch: false,
      eventsMatch: testCase.expected.historyEventTypes ? false : null,
      reason: `the engine threw: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
    });
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'timeout') {
    execution.stop('ConformanceRunner.Timeout', 'the case ran longer than the runner allows');
    return finish({
      verdict: 'failed',
      resultMatch: false,
      eventsMatch: testCase.expected.historyEventTypes ? false : null,
      reason: `did not finish within ${options.timeoutMs} ms${stub.notes.length ? `; ${stub.notes.join('; ')}` : ''}`,
    });
  }

  const evaluation = evaluateExecution(testCase, outcome, prepared.substitutions);
  const passed = evaluation.resultMatch && evaluation.eventsMatch !== false;
  const reasons = [
    ...evaluation.reasons,
    ...(passed ? [] : stub.notes),
    ...(passed || notReplayed.length === 0 ? [] : [`not replayed: ${notReplayed.join(', ')}`]),
    ...prepared.notes,
  ];
  return finish({
    verdict: passed ? 'passed' : 'failed',
    resultMatch: evaluation.resultMatch,
    eventsMatch: evaluation.eventsMatch,
    historyMatch: evaluation.historyMatch,
    reason: reasons.join('; '),
    ...(evaluation.diff.length > 0 ? { diff: evaluation.diff } : {}),
  });
}

/** Error and cause: absent, `null` and `""` are the same (the engine cannot tell "no cause" from an empty one). */
function compareOptional(
  expected: JsonValue | undefined,
  actual: JsonValue | undefined,
  bindings: TokenBindings,
  path: string,
): Mismatch[] {
  const wanted = expected === '' ? null : (expected ?? null);
  const got = actual === '' ? null : (actual ?? null);
  return compareSnapshots(wanted, got, bindings, { path });
}

/** A normalized payload field as a JSON value: objects were parsed by step 1; other JSON text is read here. */
function payloadValue(field: JsonValue | undefined): JsonValue | undefined {
  if (typeof field !== 'string') return field;
  try {
    return JSON.parse(field) as JsonValue;
  } catch {
    return field;
  }
}

/** The details of the execution's terminal event, where the corpus took the output of history-based cases from. */
function terminalDetails(events: readonly JsonObject[]): JsonObject | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as JsonObject;
    if (event['type'] !== 'ExecutionSucceeded') continue;
    const details = event['executionSucceededEventDetails'];
    return isJsonObject(details ?? null) ? (details as JsonObject) : undefined;
  }
  return undefined;
}

function firstDifferenceIndex(expected: readonly string[], actual: readonly string[]): number {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) if (expected[i] !== actual[i]) return i;
  return -1;
}

function describeEventDifference(expected: readonly string[], actual: readonly string[], index: number): string {
  const shown = (types: readonly string[]): string => types[index] ?? '(end)';
  return `event #${index + 1} is ${shown(actual)}, expected ${shown(expected)} (${actual.length} events, expected ${expected.length})`;
}

function withoutUndefined(fields: Record<string, string | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Ids in the fake AWS client's shape (`00000000-0000-4000-8000-000000000001`, …): valid v4 UUIDs, so the `<uuid:N>`
 * default still recognises them, and the first is the value the express cases' substitutions name.
 */
export function sequentialUuids(start = 0): () => string {
  let next = start;
  return () => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, '0')}`;
}

/** A small deterministic generator (mulberry32) seeded from the case id, so random-number cases are reproducible. */
export function seededRandom(seed: string): () => number {
  let state = 0;
  for (let i = 0; i < seed.length; i++) state = (Math.imul(state, 31) + seed.charCodeAt(i)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
