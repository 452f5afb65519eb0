/**
 * What happened to each state of an execution, read from its history in one pass.
 *
 * A state *run* opens with its `…StateEntered` event and closes with its `…StateExited`. Every other
 * state-scoped event (task, Lambda, activity, Parallel and Map events) belongs to the run it follows along the
 * `previousEventId` chain: the interpreter keeps one chain per thread of control (the top level, each Parallel
 * branch, each Map iteration), so iterations that run at the same time, whose events interleave, stay apart.
 *
 * The chain has two joints. A branch's or an iteration's first state points back at its parent's
 * `ParallelStateStarted` / `MapIterationStarted`; and once a branch or iteration ends, its parent carries on from
 * the child's last event, so a parent's next event (`ParallelStateSucceeded`, a catch's `…StateExited`,
 * `ExecutionFailed`) points into the child. Events are therefore owned by the innermost run, from the one they
 * follow outwards, that can have recorded them.
 */
import type { ExecutionStatus, HistoryEvent } from '@lib/asl';

export type StateStatus = 'not-run' | 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';

/** One scheduling of a Task's resource: the first attempt, then one per retry. */
export interface TaskAttempt {
  scheduledEventId: number;
  status: 'running' | 'succeeded' | 'failed' | 'timed-out';
  error?: string;
  cause?: string;
}

/** One pass through a state, from `…StateEntered` to `…StateExited` (or to wherever it stopped). */
export interface StateRun {
  stateName: string;
  stateType: string;
  status: StateStatus;
  enteredEventId: number;
  exitedEventId?: number;
  enteredAt: string;
  exitedAt?: string;
  /** The index of the (innermost) Map iteration this run belongs to. */
  mapIterationIndex?: number;
  /** JSON text, as recorded by the Entered and Exited events. */
  input?: string;
  output?: string;
  /** The task's parameters (or Lambda/activity input) as its last attempt was scheduled: JSON text. */
  parameters?: string;
  /** The task's raw result, before ResultSelector and ResultPath: JSON text. */
  result?: string;
  resource?: string;
  resourceType?: string;
  /** The failure, when the run failed or a Catch caught it. */
  error?: string;
  cause?: string;
  /** One per scheduling of a Task: retries = attempts.length - 1. */
  attempts: TaskAttempt[];
  /** Every event that belongs to this run, in history order. */
  eventIds: number[];
}

export interface StateSummary {
  status: StateStatus;
  /** In the order they were entered. */
  runs: StateRun[];
}

export interface IndexedEvent {
  event: HistoryEvent;
  /** The state the event belongs to; undefined for execution events. */
  stateName?: string;
  /** The task resource, for task, Lambda and activity events. */
  resource?: string;
  /** A failure, time-out or abort. */
  failed: boolean;
  /** Milliseconds since the first event. */
  elapsedMs: number;
}

export interface ExecutionTimeline {
  /** By state name; states never entered are absent (status `not-run`). */
  states: Map<string, StateSummary>;
  /** In the order given. */
  events: IndexedEvent[];
  /** The distinct event types, in order of first appearance. */
  eventTypes: string[];
}

/** A run while the history is read, with what decides its status at the end. */
interface RunRecord {
  readonly run: StateRun;
  /** The Parallel or Map run whose branch or iteration this run is part of. */
  readonly parent: RunRecord | undefined;
  /** A failure of its own (task, evaluation, Parallel/Map) that no retry has followed yet. */
  failurePending: boolean;
  /** Its error left it: found walking back from the failure of an enclosing state or of the execution. */
  failed: boolean;
  /** A `…StateAborted` or `MapIterationAborted` stopped it. */
  aborted: boolean;
  /** ParallelStateFailed / MapStateFailed: nothing but its Exited (a Catch) can follow. */
  gaveUp: boolean;
  /** The failure its latest failing branch or iteration reported. */
  childFailure?: Failure;
}

interface Failure {
  error?: string;
  cause?: string;
}

const STATE_ENTERED = 'StateEntered';
const STATE_EXITED = 'StateExited';
const STATE_ABORTED = 'StateAborted';

/**
 * Indexes a history: each state's runs and status, and each event's state. One pass, constant work per event
 * (walks are bounded by the nesting depth of Parallel and Map states).
 */
export function executionTimeline(
  events: readonly HistoryEvent[],
  executionStatus: ExecutionStatus,
): ExecutionTimeline {
  const reader = new HistoryReader();
  const indexed: IndexedEvent[] = new Array<IndexedEvent>(events.length);
  const eventTypes: string[] = [];
  const seenTypes = new Set<string>();
  let firstTime: number | undefined;
  let lastTimestamp = '';
  let lastTime = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as HistoryEvent;
    if (!seenTypes.has(event.type)) {
      seenTypes.add(event.type);
      eventTypes.push(event.type);
    }
    // Events of one interpreter step share their timestamp: parse each distinct one once.
    if (event.timestamp !== lastTimestamp) {
      lastTimestamp = event.timestamp;
      lastTime = Date.parse(event.timestamp);
    }
    firstTime ??= lastTime;
    const kind = eventKind(event.type);
    const value = event[kind.detailsKey];
    const details = typeof value === 'object' && value !== null ? value : undefined;
    const owner = reader.read(event, kind, details);
    const entry: IndexedEvent = {
      event,
      failed: kind.failed,
      elapsedMs: Number.isNaN(lastTime - firstTime) ? 0 : lastTime - firstTime,
    };
    if (owner !== undefined) {
      entry.stateName = owner.run.stateName;
      const resource = kind.task ? (eventResource(details) ?? owner.run.resource) : undefined;
      if (resource !== undefined) entry.resource = resource;
    }
    indexed[i] = entry;
  }
  return { states: reader.summaries(executionStatus), events: indexed, eventTypes };
}

class HistoryReader {
  /** By event id (ids are dense: arrays are cheaper than maps for ten thousand of them). */
  private readonly owners: (RunRecord | undefined)[] = [];
  private readonly types: string[] = [];
  /** MapIterationStarted event id → the iteration's index. */
  private readonly iterationIndexes = new Map<number, number>();
  private readonly runsByName = new Map<string, RunRecord[]>();
  private readonly records: RunRecord[] = [];

  /** Takes the next event into account; returns the run it belongs to. */
  read(event: HistoryEvent, kind: EventKind, details: Record<string, unknown> | undefined): RunRecord | undefined {
    const { type } = event;
    const previous = this.owners[event.previousEventId];
    let owner: RunRecord | undefined;
    if (kind.entered !== undefined) {
      owner = this.enter(event, kind.entered, details, previous);
    } else if (kind.execution) {
      if (type === 'ExecutionFailed') this.executionFailed(previous, failureOf(details));
    } else {
      owner = this.ownerOf(type, kind, details, previous);
      if (owner !== undefined) this.apply(owner, event, details, previous);
    }
    this.types[event.id] = type;
    if (owner !== undefined) {
      this.owners[event.id] = owner;
      owner.run.eventIds.push(event.id);
    }
    return owner;
  }

  summaries(executionStatus: ExecutionStatus): Map<string, StateSummary> {
    for (const record of this.records) record.run.status = runStatus(record, executionStatus);
    const states = new Map<string, StateSummary>();
    for (const [name, records] of this.runsByName) {
      const runs = records.map((record) => record.run);
      states.set(name, { status: summaryStatus(runs), runs });
    }
    return states;
  }

  private enter(
    event: HistoryEvent,
    stateType: string,
    details: Record<string, unknown> | undefined,
    previous: RunRecord | undefined,
  ): RunRecord {
    const previousType = this.types[event.previousEventId];
    // The first state of a branch or iteration follows its parent's start; any other follows the state before it.
    const startsChild = previousType === 'ParallelStateStarted' || previousType === 'MapIterationStarted';
    const parent = startsChild ? previous : previous?.parent;
    const mapIterationIndex =
      previousType === 'MapIterationStarted'
        ? this.iterationIndexes.get(event.previousEventId)
        : previous?.run.mapIterationIndex;
    const stateName = text(details, 'name') ?? '';
    const run: StateRun = {
      stateName,
      stateType,
      status: 'running',
      enteredEventId: event.id,
      enteredAt: event.timestamp,
      attempts: [],
      eventIds: [],
    };
    if (mapIterationIndex !== undefined) run.mapIterationIndex = mapIterationIndex;
    const input = text(details, 'input');
    if (input !== undefined) run.input = input;
    const record: RunRecord = { run, parent, failurePending: false, failed: false, aborted: false, gaveUp: false };
    this.records.push(record);
    let runs = this.runsByName.get(stateName);
    if (runs === undefined) this.runsByName.set(stateName, (runs = []));
    runs.push(record);
    return record;
  }

  /**
   * The run an event belongs to: from the run of the event it follows outwards, the first that is still open and
   * can record this type of event (and bears its name, when the event names its state). When the chain leads
   * nowhere (a history from elsewhere, a gap), the latest open run of the named state.
   */
  private ownerOf(
    type: string,
    kind: EventKind,
    details: Record<string, unknown> | undefined,
    previous: RunRecord | undefined,
  ): RunRecord | undefined {
    const name = type === 'EvaluationFailed' ? text(details, 'state') : text(details, 'name');
    for (let record = previous; record !== undefined; record = record.parent) {
      if (canRecord(record, kind, name)) return record;
    }
    if (name === undefined) return undefined;
    const runs = this.runsByName.get(name) ?? [];
    for (let i = runs.length - 1; i >= 0; i--) if (canRecord(runs[i] as RunRecord, kind, name)) return runs[i];
    return undefined;
  }

  private apply(
    owner: RunRecord,
    event: HistoryEvent,
    details: Record<string, unknown> | undefined,
    previous: RunRecord | undefined,
  ): void {
    const { type } = event;
    const { run } = owner;
    // A Parallel or Map that carries on from a child still inside a state: that child's error left the branch or
    // iteration and reached this state (AWS records no ParallelStateFailed when a branch's Task failed).
    // A MapIteration* event is the iteration's own report: a Map tolerates some failed iterations.
    if (
      previous !== undefined &&
      previous.run.exitedEventId === undefined &&
      !type.startsWith('MapIteration') &&
      isInside(previous, owner)
    ) {
      owner.childFailure = this.failPath(previous, owner);
      this.fail(owner, {});
    }
    switch (type) {
      case 'TaskScheduled':
      case 'LambdaFunctionScheduled':
      case 'ActivityScheduled': {
        run.attempts.push({ scheduledEventId: event.id, status: 'running' });
        this.retried(owner);
        const parameters = text(details, 'parameters') ?? text(details, 'input');
        if (parameters !== undefined) run.parameters = parameters;
        const resource = text(details, 'resource');
        if (resource !== undefined) run.resource = resource;
        const resourceType = text(details, 'resourceType');
        if (resourceType !== undefined) run.resourceType = resourceType;
        return;
      }
      case 'LambdaFunctionScheduleFailed':
        // Lambda refused the scheduling itself: an attempt that never got a LambdaFunctionScheduled event.
        run.attempts.push({ scheduledEventId: event.id, status: 'running' });
        this.attemptEnded(owner, 'failed', failureOf(details));
        return;
      case 'TaskSucceeded':
      case 'LambdaFunctionSucceeded':
      case 'ActivitySucceeded': {
        const last = run.attempts.at(-1);
        if (last !== undefined) last.status = 'succeeded';
        const output = text(details, 'output');
        if (output !== undefined) run.result = output;
        return;
      }
      case 'TaskFailed':
      case 'LambdaFunctionFailed':
      case 'LambdaFunctionStartFailed':
      case 'ActivityFailed':
        return this.attemptEnded(owner, 'failed', failureOf(details));
      case 'TaskTimedOut':
      case 'LambdaFunctionTimedOut':
      case 'ActivityTimedOut':
        return this.attemptEnded(owner, 'timed-out', failureOf(details));
      case 'ParallelStateStarted':
      case 'MapStateStarted':
        // A retry runs the branches or iterations again: earlier failures no longer decide the outcome.
        this.retried(owner);
        delete owner.childFailure;
        return;
      case 'ParallelStateFailed':
      case 'MapStateFailed':
      case 'MapRunFailed':
        owner.gaveUp = true;
        return this.fail(owner, failureOf(details));
      case 'EvaluationFailed':
        return this.fail(owner, failureOf(details));
      case 'MapIterationFailed':
        if (previous !== undefined && isInside(previous, owner)) owner.childFailure = this.failPath(previous, owner);
        return;
      case 'MapIterationStarted': {
        const index = details?.['index'];
        if (typeof index === 'number') this.iterationIndexes.set(event.id, index);
        return;
      }
      case 'TaskStateAborted':
      case 'WaitStateAborted':
      case 'ParallelStateAborted':
      case 'MapStateAborted':
        owner.aborted = true;
        return;
      case 'PassStateExited':
      case 'TaskStateExited':
      case 'ChoiceStateExited':
      case 'WaitStateExited':
      case 'SucceedStateExited':
      case 'ParallelStateExited':
      case 'MapStateExited': {
        run.exitedEventId = event.id;
        run.exitedAt = event.timestamp;
        const output = text(details, 'output');
        if (output !== undefined) run.output = output;
        return;
      }
      // Events that only belong to their run.
      case 'TaskStarted':
      case 'TaskSubmitted':
      case 'LambdaFunctionStarted':
      case 'ActivityStarted':
      case 'ParallelStateSucceeded':
      case 'MapStateSucceeded':
      case 'MapIterationSucceeded':
      case 'MapIterationAborted':
      case 'MapRunStarted':
      case 'MapRunSucceeded':
      case 'MapRunAborted':
        return;
      // Entered and execution events are read before an owner is looked for.
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimedOut':
      case 'PassStateEntered':
      case 'TaskStateEntered':
      case 'ChoiceStateEntered':
      case 'WaitStateEntered':
      case 'SucceedStateEntered':
      case 'FailStateEntered':
      case 'ParallelStateEntered':
      case 'MapStateEntered':
        return;
    }
  }

  private attemptEnded(owner: RunRecord, status: 'failed' | 'timed-out', failure: Failure): void {
    const last = owner.run.attempts.at(-1);
    if (last !== undefined) {
      last.status = status;
      if (failure.error !== undefined) last.error = failure.error;
      if (failure.cause !== undefined) last.cause = failure.cause;
    }
    this.fail(owner, failure);
  }

  /** A failure of the run's own: it fails the run unless a retry follows or a Catch exits it. */
  private fail(owner: RunRecord, failure: Failure): void {
    owner.failurePending = true;
    const { error, cause } = failure.error === undefined ? (owner.childFailure ?? failure) : failure;
    if (error !== undefined) owner.run.error = error;
    if (cause !== undefined) owner.run.cause = cause;
  }

  private retried(owner: RunRecord): void {
    owner.failurePending = false;
    delete owner.run.error;
    delete owner.run.cause;
  }

  /**
   * The ExecutionFailed event follows the run whose error ended the execution: that run and every enclosing one
   * failed. The top-level state failed with exactly the execution's error.
   */
  private executionFailed(previous: RunRecord | undefined, failure: Failure): void {
    this.failPath(previous, undefined, failure);
    let top = previous;
    while (top?.parent !== undefined) top = top.parent;
    if (top !== undefined && top.run.exitedEventId === undefined && failure.error !== undefined) {
      top.run.error = failure.error;
      if (failure.cause === undefined) delete top.run.cause;
      else top.run.cause = failure.cause;
    }
  }

  /**
   * Marks as failed the runs an error left, from `from` out to (not including) `upTo`: the ones not exited. Runs
   * with no error of their own take the nearest one from inside, else `fallback`. Returns the outermost error.
   */
  private failPath(from: RunRecord | undefined, upTo: RunRecord | undefined, fallback: Failure = {}): Failure {
    let carried: Failure | undefined;
    for (let record = from; record !== undefined && record !== upTo; record = record.parent) {
      if (record.run.exitedEventId !== undefined) continue;
      record.failed = true;
      const { run } = record;
      if (run.error !== undefined) {
        carried = run.cause === undefined ? { error: run.error } : { error: run.error, cause: run.cause };
        continue;
      }
      const { error, cause } = carried ?? record.childFailure ?? fallback;
      if (error !== undefined) run.error = error;
      if (cause !== undefined) run.cause = cause;
      if (error !== undefined) carried = cause === undefined ? { error } : { error, cause };
    }
    return carried ?? fallback;
  }
}

/** The status of a run once the whole history is read. */
function runStatus(record: RunRecord, executionStatus: ExecutionStatus): StateStatus {
  if (record.run.exitedEventId !== undefined) return record.failurePending ? 'caught' : 'succeeded';
  if (record.failed) return 'failed';
  if (record.aborted) return 'aborted';
  switch (executionStatus) {
    case 'RUNNING':
      return 'running';
    case 'ABORTED':
    case 'TIMED_OUT':
      return 'aborted';
    case 'FAILED':
    case 'SUCCEEDED':
      // A run the execution's end left open: it failed if its last attempt did, else it was cut short.
      return record.failurePending ? 'failed' : 'aborted';
  }
}

/** A state over all its runs: running, else failed, else aborted, else caught, else succeeded. */
function summaryStatus(runs: readonly StateRun[]): StateStatus {
  let found = 0;
  for (const { status } of runs) found |= STATUS_BIT[status];
  for (const status of SUMMARY_PRECEDENCE) if (found & STATUS_BIT[status]) return status;
  return 'not-run';
}

const STATUS_BIT: Readonly<Record<StateStatus, number>> = {
  'not-run': 0,
  running: 1,
  failed: 2,
  aborted: 4,
  caught: 8,
  succeeded: 16,
};
const SUMMARY_PRECEDENCE: readonly StateStatus[] = ['running', 'failed', 'aborted', 'caught', 'succeeded'];

/** What an event type is, worked out once per type: a history has few types and many events. */
interface EventKind {
  /** The `…EventDetails` field, which AWS names after the type. */
  readonly detailsKey: `${string}EventDetails`;
  /** For `…StateEntered`: the type of the state it opens a run of. */
  readonly entered: string | undefined;
  readonly execution: boolean;
  /** A failure, a time-out or an abort. */
  readonly failed: boolean;
  /** A task, Lambda or activity event (TaskScheduled, LambdaFunctionFailed…), not the Task state's own. */
  readonly task: boolean;
  /** The type of state that records it; undefined: any (EvaluationFailed names its state). */
  readonly recordedBy: string | undefined;
  /** `…StateExited`: the one event a run that gave up still records (its Catch). */
  readonly exit: boolean;
}

const kinds = new Map<string, EventKind>();

function eventKind(type: string): EventKind {
  let kind = kinds.get(type);
  if (kind === undefined) {
    const exit = type.endsWith(STATE_EXITED);
    const entered = type.endsWith(STATE_ENTERED) ? type.slice(0, -STATE_ENTERED.length) : undefined;
    const task = /^(?:Task(?!State)|LambdaFunction|Activity)/.test(type);
    kind = {
      detailsKey:
        entered !== undefined
          ? 'stateEnteredEventDetails'
          : exit
            ? 'stateExitedEventDetails'
            : `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`,
      entered,
      execution: type.startsWith('Execution'),
      failed: /(?:Failed|TimedOut|Aborted)$/.test(type),
      task,
      // `…StateExited` and `…StateAborted` name their state's type; task, Lambda and activity events are a Task's.
      recordedBy: exit
        ? type.slice(0, -STATE_EXITED.length)
        : type.endsWith(STATE_ABORTED)
          ? type.slice(0, -STATE_ABORTED.length)
          : type.startsWith('Parallel')
            ? 'Parallel'
            : type.startsWith('Map')
              ? 'Map'
              : task
                ? 'Task'
                : undefined,
      exit,
    };
    kinds.set(type, kind);
  }
  return kind;
}

/** Whether a run is still open to an event of this kind, naming this state (when it names one). */
function canRecord(record: RunRecord, kind: EventKind, name: string | undefined): boolean {
  return (
    record.run.exitedEventId === undefined &&
    !record.aborted &&
    (!record.gaveUp || kind.exit) &&
    (kind.recordedBy === undefined || record.run.stateType === kind.recordedBy) &&
    (name === undefined || record.run.stateName === name)
  );
}

/** Whether `record` is inside (a branch or iteration of) `ancestor`. */
function isInside(record: RunRecord, ancestor: RunRecord): boolean {
  for (let current = record.parent; current !== undefined; current = current.parent)
    if (current === ancestor) return true;
  return false;
}

/** The resource a task event names: the ARN, or `resourceType:resource` for service integrations. */
function eventResource(details: Record<string, unknown> | undefined): string | undefined {
  const resource = text(details, 'resource');
  const resourceType = text(details, 'resourceType');
  return resource === undefined || resourceType === undefined ? resource : `${resourceType}:${resource}`;
}

function failureOf(details: Record<string, unknown> | undefined): Failure {
  const error = text(details, 'error');
  const cause = text(details, 'cause');
  return { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
}

function text(details: Record<string, unknown> | undefined, field: string): string | undefined {
  const value = details?.[field];
  return typeof value === 'string' ? value : undefined;
}
