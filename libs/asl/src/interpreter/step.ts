/**
 * The interpreter: advances an execution by one step.
 *
 *   snapshot + inbox (task outcomes, fired timers, stop) ─► step() ─► history events + commands
 *
 * Pass, Choice, Succeed, Fail and the data flow run inline; Tasks, Waits, retry back-off and timeouts become
 * commands (InvokeTask, StartTimer, CancelTask) whose outcomes come back through the next step's inbox. Parallel
 * branches and Map iterations are runs inside the same snapshot, each with its own current state, so a step
 * drains every result that arrived, whichever branch or iteration it belongs to.
 *
 * step() is deterministic: time, UUIDs and random numbers come from `ports`; the same snapshot and inbox always
 * give the same events and commands. It takes ownership of the snapshot it is given and returns it advanced.
 */
import { evaluateChoiceCondition, evaluateChoiceRule } from '../choice/choice-rule';
import type {
  Catcher,
  QueryLanguage,
  ChoiceState,
  FailState,
  MapState,
  ParallelState,
  Retrier,
  StateDefinition,
  TaskState,
  WaitState,
} from '../definition/definition.types';
import { PredefinedErrorName, runtimeError, StatesError } from '../errors/states-error';
import type { EvaluationContext, RandomPorts, VariableLookup } from '../evaluation/evaluation-context';
import type { HistoryEvent, HistoryEventType } from '../history/history-event.types';
import { JsonataEvaluationError, jsonataResultTypeError } from '../jsonata/jsonata-errors';
import { evaluateIntrinsic } from '../intrinsics/evaluate-intrinsic';
import { isIntrinsicCall } from '../intrinsics/intrinsic-parser';
import { evaluateJsonataField, evaluateJsonataTemplate, isJsonataExpression } from '../jsonata/jsonata-expression';
import { resolvePayloadTemplate } from '../data-flow/payload-template';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import { evaluateJsonPath, PathNotFoundError } from '../paths/json-path';
import type {
  ChildrenProgress,
  Command,
  ExecutionIdentity,
  ExecutionSnapshot,
  InboxMessage,
  PendingTask,
  RunFailure,
  RunSnapshot,
  TimerPurpose,
} from './execution-snapshot.types';
import { PAYLOAD_LIMIT_BYTES, utf8ByteLength } from './payload-size';
import {
  applyInputPath,
  caughtOutcome,
  choiceOutcome,
  effectiveInput,
  type MaybePromise,
  type StateEvaluation,
  stateOutcome,
  type StateOutcome,
} from './state-data-flow';
import { branchScopeKey, processorScopeKey, ROOT_SCOPE, type StateMachineScopes } from './state-machine-scopes';
import { parseTaskResource, type TaskResource } from './task-resource';

/** The clock, ids and randomness an execution may use. */
export interface InterpreterPorts extends RandomPorts {
  /** Epoch milliseconds. */
  now(): number;
}

/** What one step produced. */
export interface StepResult {
  readonly snapshot: ExecutionSnapshot;
  /** New history events, in order, with ids continuing the execution's history. */
  readonly events: HistoryEvent[];
  readonly commands: Command[];
}

/** The largest history Step Functions keeps: an execution that would exceed it fails. */
export const MAX_HISTORY_EVENTS = 25_000;

/** Wait states cannot wait longer than a Standard execution may run: one year. */
const MAX_WAIT_SECONDS = 31_622_400;

const ROOT_RUN = 'root';

/** Payloads are never truncated here; one shared, frozen details object serves every event. */
const NOT_TRUNCATED = Object.freeze({ truncated: false });

/** Starts an execution: records ExecutionStarted and runs until the first task, timer or end. */
export async function startExecution(
  machine: StateMachineScopes,
  identity: Omit<ExecutionIdentity, 'startTime'>,
  ports: InterpreterPorts,
): Promise<StepResult> {
  const snapshot: ExecutionSnapshot = {
    formatVersion: 1,
    identity: { ...identity, startTime: iso(ports.now()) },
    status: 'RUNNING',
    lastEventId: 0,
    sequence: 0,
    runs: {},
    tasks: {},
    timers: {},
  };
  const interpreter = new Interpreter(machine, snapshot, ports);
  await interpreter.start();
  return interpreter.result();
}

/** Feeds outcomes to a running execution and advances it as far as it can go without waiting. */
export async function step(
  machine: StateMachineScopes,
  snapshot: ExecutionSnapshot,
  inbox: readonly InboxMessage[],
  ports: InterpreterPorts,
): Promise<StepResult> {
  const interpreter = new Interpreter(machine, snapshot, ports);
  for (const message of inbox) await interpreter.receive(message);
  await interpreter.drain();
  return interpreter.result();
}

/** The task id a `.waitForTaskToken` token stands for, or undefined when no waiting task has it. */
export function findTaskIdByToken(snapshot: ExecutionSnapshot, taskToken: string): string | undefined {
  for (const [taskId, task] of Object.entries(snapshot.tasks)) if (task.taskToken === taskToken) return taskId;
  return undefined;
}

/** Raised when the next event would exceed {@link MAX_HISTORY_EVENTS}. */
class HistoryLimitReached extends Error {}

class Interpreter {
  private readonly events: HistoryEvent[] = [];
  private readonly commands: Command[] = [];
  private readonly queue: string[] = [];
  private queueHead = 0;
  /**
   * A step happens at one instant: the clock is read once, and every event of the step carries that time. This
   * keeps the events of one step consistent with each other and spares a clock read and a date format per event.
   */
  private readonly now: number;
  private readonly nowIso: string;

  constructor(
    private readonly machine: StateMachineScopes,
    private readonly snap: ExecutionSnapshot,
    private readonly ports: InterpreterPorts,
  ) {
    this.now = ports.now();
    this.nowIso = iso(this.now);
  }

  result(): StepResult {
    return { snapshot: this.snap, events: this.events, commands: this.commands };
  }

  async start(): Promise<void> {
    const { identity } = this.snap;
    this.emitFor(undefined, 'ExecutionStarted', 'executionStartedEventDetails', {
      input: json(identity.input),
      inputDetails: NOT_TRUNCATED,
      roleArn: identity.roleArn,
    });
    const timeoutSeconds = this.machine.definition.TimeoutSeconds;
    if (timeoutSeconds !== undefined) this.startTimer('execution-timeout', timeoutSeconds * 1000, {});
    const root = this.newRun(ROOT_RUN, ROOT_SCOPE, undefined, 0, false);
    await this.guard(async () => this.enterState(root, this.machine.scopeOrFail(ROOT_SCOPE).startAt, identity.input));
    this.enqueue(root);
    await this.drain();
  }

  async receive(message: InboxMessage): Promise<void> {
    if (this.snap.status !== 'RUNNING') return;
    await this.guard(async () => {
      switch (message.type) {
        case 'TaskSucceeded':
          return this.onTaskSucceeded(message.taskId, message.output);
        case 'TaskFailed':
          return this.onTaskFailed(message.taskId, message.error, message.cause);
        case 'ActivityStarted':
          return this.onActivityStarted(message.taskId, message.workerName);
        case 'TaskSubmitted':
          return this.onTaskSubmitted(message.taskId, message.output);
        case 'TaskHeartbeat':
          return this.onTaskHeartbeat(message.taskId);
        case 'TimerFired':
          return this.onTimerFired(message.timerId);
        case 'StopExecution':
          return this.terminate('ABORTED', message.error, message.cause);
      }
    });
  }

  /** Runs every runnable run until each waits for a task, a timer or its children, or ends. */
  async drain(): Promise<void> {
    await this.guard(async () => {
      while (this.queueHead < this.queue.length && this.snap.status === 'RUNNING') {
        const run = this.snap.runs[this.queue[this.queueHead++] as string];
        if (!run) continue;
        while (run.phase === 'running' && this.snap.status === 'RUNNING') {
          const pending = this.executeState(run);
          if (pending) await pending;
        }
      }
      this.queue.length = 0;
      this.queueHead = 0;
    });
  }

  /** Turns the history limit into the execution's failure; anything else is a bug and propagates. */
  private async guard(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (e) {
      if (!(e instanceof HistoryLimitReached)) throw e;
      this.terminate(
        'FAILED',
        PredefinedErrorName.Runtime,
        `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
      );
    }
  }

  // ── states ─────────────────────────────────────────────────────────────────────────────────────────────────

  private enterState(run: RunSnapshot, name: string, input: JsonValue, inputText = json(input)): void {
    const state = this.machine.stateOrFail(run.scope, name);
    run.stateName = name;
    run.stateInput = input;
    run.enteredTime = this.nowIso;
    run.retryCounts = [];
    run.phase = 'running';
    delete run.effectiveInput;
    run.enteredEventId = this.emitFor(run, `${state.Type}StateEntered` as HistoryEventType, 'stateEnteredEventDetails', {
      name,
      input: inputText,
      inputDetails: NOT_TRUNCATED,
    });
  }

  /**
   * Runs the current state's action; errors go to Retry/Catch. Returns a promise only when something had to be
   * awaited (JSONata, a child's completion): a JSONPath Pass or Choice runs without allocating one.
   */
  private executeState(run: RunSnapshot): void | Promise<void> {
    const state = this.machine.stateOrFail(run.scope, run.stateName);
    let pending: void | Promise<void>;
    try {
      pending = this.dispatch(run, state);
    } catch (e) {
      return this.onStateError(run, state, e);
    }
    return pending?.catch((e: unknown) => this.onStateError(run, state, e));
  }

  private dispatch(run: RunSnapshot, state: StateDefinition): void | Promise<void> {
    switch (state.Type) {
      case 'Pass':
        return this.executePass(run, state);
      case 'Choice':
        return this.executeChoice(run, state);
      case 'Wait':
        return this.executeWait(run, state);
      case 'Succeed': {
        const evaluation = this.evaluation(run, state);
        return then(stateOutcome(state, run.stateInput, this.inputAfterInputPath(run, state), evaluation), (outcome) =>
          this.complete(run, state, outcome),
        );
      }
      case 'Fail':
        return this.executeFail(run, state);
      case 'Task':
        return this.executeTask(run, state);
      case 'Parallel':
        return this.executeParallel(run, state);
      case 'Map':
        return this.executeMap(run, state);
    }
  }

  private executePass(run: RunSnapshot, state: StateDefinition): void | Promise<void> {
    const evaluation = this.evaluation(run, state);
    if (evaluation.queryLanguage === 'JSONata') {
      return then(stateOutcome(state, run.stateInput, run.stateInput, evaluation), (outcome) => this.complete(run, state, outcome));
    }
    const result = state.Result !== undefined ? state.Result : (effectiveInput(state, run.stateInput, evaluation) as JsonValue);
    return this.complete(run, state, stateOutcome(state, run.stateInput, result, evaluation) as StateOutcome);
  }

  private executeChoice(run: RunSnapshot, state: ChoiceState): void | Promise<void> {
    const evaluation = this.evaluation(run, state);
    if (evaluation.queryLanguage === 'JSONata') return this.executeJsonataChoice(run, state, evaluation);
    const input = applyInputPath(run.stateInput, state.InputPath, evaluation.context);
    for (const rule of state.Choices) {
      if (evaluateChoiceRule(rule, input, evaluation.context)) {
        return this.complete(run, state, choiceOutcome(state, run.stateInput, rule, evaluation) as StateOutcome, rule.Next);
      }
    }
    if (state.Default === undefined) throw new StatesError(PredefinedErrorName.NoChoiceMatched, 'No Matches!');
    return this.complete(run, state, choiceOutcome(state, run.stateInput, undefined, evaluation) as StateOutcome, state.Default);
  }

  private async executeJsonataChoice(run: RunSnapshot, state: ChoiceState, evaluation: StateEvaluation): Promise<void> {
    for (const rule of state.Choices) {
      if (await evaluateChoiceCondition(rule.Condition ?? false, { input: run.stateInput }, evaluation.context)) {
        return this.complete(run, state, await choiceOutcome(state, run.stateInput, rule, evaluation), rule.Next);
      }
    }
    if (state.Default === undefined) throw new StatesError(PredefinedErrorName.NoChoiceMatched, 'No Matches!');
    await this.complete(run, state, await choiceOutcome(state, run.stateInput, undefined, evaluation), state.Default);
  }

  private async executeWait(run: RunSnapshot, state: WaitState): Promise<void> {
    const evaluation = this.evaluation(run, state);
    const input = this.inputAfterInputPath(run, state);
    const fireAt = await this.waitUntil(state, input, evaluation);
    const delay = fireAt - this.now;
    if (delay <= 0) return this.completeWait(run, state);
    run.phase = 'wait';
    run.timerId = this.startTimer('wait', delay, { runId: run.id });
  }

  private async completeWait(run: RunSnapshot, state: WaitState): Promise<void> {
    const evaluation = this.evaluation(run, state);
    await this.complete(run, state, await stateOutcome(state, run.stateInput, this.inputAfterInputPath(run, state), evaluation));
  }

  /** When a Wait state ends, in epoch milliseconds. */
  private async waitUntil(state: WaitState, input: JsonValue, evaluation: StateEvaluation): Promise<number> {
    const { context } = evaluation;
    const now = this.now;
    if (state.Seconds !== undefined) {
      const seconds = isJsonataExpression(state.Seconds)
        ? await evaluateJsonataField(state.Seconds, { input }, context, 'Seconds')
        : state.Seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        if (isJsonataExpression(state.Seconds)) throw jsonataResultTypeError(state.Seconds, 'Seconds', 'integer', seconds);
        throw runtimeError(`The Seconds field must be a non-negative integer, but was: ${json(seconds)}`);
      }
      return now + this.checkedWaitSeconds(seconds) * 1000;
    }
    if (state.SecondsPath !== undefined) {
      const path = state.SecondsPath;
      const seconds = this.pathValue(path, input, context, `The SecondsPath parameter does not reference an input value: ${path}`);
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
        throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${json(seconds)}`);
      }
      if (seconds < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${path} == ${seconds}`);
      return now + this.checkedWaitSeconds(seconds) * 1000;
    }
    if (state.Timestamp !== undefined) {
      const text = isJsonataExpression(state.Timestamp)
        ? await evaluateJsonataField(state.Timestamp, { input }, context, 'Timestamp')
        : state.Timestamp;
      const at = typeof text === 'string' ? parseTimestamp(text) : undefined;
      if (at === undefined) {
        const cause = `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof text === 'string' ? text : json(text)}`;
        throw isJsonataExpression(state.Timestamp) ? new JsonataEvaluationError(cause, state.Timestamp, 'Timestamp') : runtimeError(cause);
      }
      return this.checkedWaitUntil(at, now);
    }
    const path = state.TimestampPath as string;
    const text = this.pathValue(path, input, context, `The TimestampPath parameter does not reference an input value: ${path}`);
    const at = typeof text === 'string' ? parseTimestamp(text) : undefined;
    if (at === undefined) {
      throw runtimeError(
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${typeof text === 'string' ? text : json(text)}`,
      );
    }
    return this.checkedWaitUntil(at, now);
  }

  private checkedWaitSeconds(seconds: number): number {
    if (seconds > MAX_WAIT_SECONDS) throw runtimeError('Wait state delay is too long.');
    return seconds;
  }

  private checkedWaitUntil(at: number, now: number): number {
    if (at - now > MAX_WAIT_SECONDS * 1000) throw runtimeError('Wait state delay is too long.');
    return at;
  }

  private async executeFail(run: RunSnapshot, state: FailState): Promise<void> {
    const evaluation = this.evaluation(run, state);
    const { context } = evaluation;
    const field = async (literal: string | undefined, path: string | undefined, name: string) => {
      if (literal !== undefined) {
        if (!isJsonataExpression(literal)) return literal;
        const value = await evaluateJsonataField(literal, { input: run.stateInput }, context, name);
        if (typeof value !== 'string') throw jsonataResultTypeError(literal, name, 'string', value);
        return value;
      }
      if (path === undefined) return undefined;
      if (isIntrinsicCall(path)) {
        const value = evaluateIntrinsic(path, run.stateInput, context);
        return typeof value === 'string' ? value : json(value);
      }
      const value = this.pathValue(path, run.stateInput, context, `The JSONPath '${path}' specified for the field '${name}Path' could not be found in the input '${json(run.stateInput)}'`);
      return typeof value === 'string' ? value : json(value);
    };
    // The Fail state's own error is not subject to its (non-existent) Retry/Catch: it ends the run.
    const error = await field(state.Error, state.ErrorPath, 'Error');
    const cause = await field(state.Cause, state.CausePath, 'Cause');
    await this.finishRun(run, failure(error, cause));
  }

  private async executeTask(run: RunSnapshot, state: TaskState): Promise<void> {
    const resource = parseTaskResource(state.Resource);
    // Callback tasks and activities are completed by SendTaskSuccess/Failure quoting a token.
    const waitsForToken = (resource.kind === 'service' && resource.pattern === 'waitForTaskToken') || resource.kind === 'activity';
    const taskToken = waitsForToken ? this.ports.uuid() : undefined;
    const evaluation = this.evaluation(run, state, taskToken === undefined ? undefined : { Task: { Token: taskToken } });
    const input = await effectiveInput(state, run.stateInput, evaluation);
    const timeoutSeconds = await this.positiveSeconds(state.TimeoutSeconds, state.TimeoutSecondsPath, 'TimeoutSeconds', run, evaluation);
    const heartbeatSeconds = await this.positiveSeconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, 'HeartbeatSeconds', run, evaluation);
    run.effectiveInput = input;

    const taskId = this.nextId('t');
    // The default TimeoutSeconds (99999999) outlasts any execution (a year at most): it needs no timer.
    const timeoutTimerId =
      timeoutSeconds === undefined ? undefined : this.startTimer('task-timeout', timeoutSeconds * 1000, { runId: run.id, taskId });
    const task: PendingTask = {
      runId: run.id,
      resource: state.Resource,
      ...(timeoutTimerId === undefined ? {} : { timeoutTimerId }),
      ...(taskToken === undefined ? {} : { taskToken }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    };
    if (heartbeatSeconds !== undefined) {
      task.heartbeatTimerId = this.startTimer('heartbeat-timeout', heartbeatSeconds * 1000, { runId: run.id, taskId });
    }
    this.snap.tasks[taskId] = task;
    run.phase = 'task';
    run.taskId = taskId;

    this.emitTaskScheduled(run, resource, input, timeoutSeconds, heartbeatSeconds);
    const invocation: Extract<Command, { type: 'InvokeTask' }> = {
      type: 'InvokeTask',
      taskId,
      resource: state.Resource,
      input,
      stateName: run.stateName,
      completion: taskToken === undefined ? 'response' : 'callback',
      ...(taskToken === undefined ? {} : { taskToken }),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
      context: evaluation.context.contextObject,
    };
    // Kept with the pending task: a driver that lost its queued work (a Redis restart) can ask again.
    task.invocation = invocation;
    this.commands.push(invocation);
  }

  private emitTaskScheduled(
    run: RunSnapshot,
    resource: TaskResource,
    input: JsonValue,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): void {
    const timeouts = {
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
    };
    switch (resource.kind) {
      case 'lambda':
        this.emitFor(run, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
          resource: resource.arn,
          input: json(input),
          inputDetails: NOT_TRUNCATED,
          ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
        });
        this.emitFor(run, 'LambdaFunctionStarted');
        return;
      case 'activity':
        this.emitFor(run, 'ActivityScheduled', 'activityScheduledEventDetails', {
          resource: resource.arn,
          input: json(input),
          inputDetails: NOT_TRUNCATED,
          ...timeouts,
        });
        return;
      case 'service':
        this.emitFor(run, 'TaskScheduled', 'taskScheduledEventDetails', {
          resourceType: resource.resourceType,
          resource: resource.resource,
          region: resource.region ?? this.snap.identity.region,
          parameters: json(input),
          ...timeouts,
        });
        this.emitFor(run, 'TaskStarted', 'taskStartedEventDetails', {
          resourceType: resource.resourceType,
          resource: resource.resource,
        });
        return;
    }
  }

  private async executeParallel(run: RunSnapshot, state: ParallelState): Promise<void> {
    const evaluation = this.evaluation(run, state);
    const input = await effectiveInput(state, run.stateInput, evaluation);
    run.effectiveInput = input;
    this.emitFor(run, 'ParallelStateStarted');
    const count = state.Branches.length;
    run.phase = 'children';
    run.children = {
      kind: 'branches',
      inputs: [],
      nextIndex: count,
      maxConcurrency: 0,
      running: {},
      runningCount: 0,
      results: new Array<JsonValue>(count).fill(null),
      failures: 0,
      distributed: false,
    };
    for (let i = 0; i < count; i++) {
      const branch = this.newRun(this.nextId('r'), branchScopeKey(run.scope, run.stateName, i), { runId: run.id, index: i }, run.lastEventId, run.silent === true);
      run.children.running[branch.id] = i;
      run.children.runningCount++;
      this.enterState(branch, this.machine.scopeOrFail(branch.scope).startAt, input);
      this.enqueue(branch);
    }
    // Parallel with no branch is refused by validation; nothing to wait for otherwise.
    if (count === 0) await this.completeChildren(run, state as StateDefinition);
  }

  private async executeMap(run: RunSnapshot, state: MapState): Promise<void> {
    const evaluation = this.evaluation(run, state);
    const { context } = evaluation;
    const jsonata = evaluation.queryLanguage === 'JSONata';
    const input = jsonata ? run.stateInput : applyInputPath(run.stateInput, state.InputPath, context);
    run.effectiveInput = input;

    let items: JsonValue[];
    try {
      items = await this.mapItems(state, input, evaluation);
    } catch (e) {
      return this.onStateError(run, state, e, { givingUp: () => this.emitFor(run, 'MapStateFailed') });
    }
    // The order AWS reads these in decides which events precede a bad value's failure: MaxConcurrency before
    // MapStateStarted, the tolerated failures before MapRunStarted, neither with a MapStateFailed event.
    const maxConcurrency = (await this.mapNumber(state.MaxConcurrency, state.MaxConcurrencyPath, 'MaxConcurrency', input, evaluation)) ?? 0;
    const processor = state.ItemProcessor ?? state.Iterator;
    const distributed = processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
    this.emitFor(run, 'MapStateStarted', 'mapStateStartedEventDetails', { length: items.length });
    const toleratedFailureCount = await this.mapNumber(state.ToleratedFailureCount, state.ToleratedFailureCountPath, 'ToleratedFailureCount', input, evaluation);
    const toleratedFailurePercentage = await this.mapNumber(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath, 'ToleratedFailurePercentage', input, evaluation);
    if (toleratedFailureCount !== undefined && toleratedFailureCount < 0) throw runtimeError('ToleratedFailureCount cannot be negative.');
    if (toleratedFailurePercentage !== undefined && (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100)) {
      throw runtimeError('ToleratedFailurePercentage must be between 0 and 100.');
    }
    if (distributed) {
      const { identity } = this.snap;
      const label = state.Label ?? run.stateName;
      this.emitFor(run, 'MapRunStarted', 'mapRunStartedEventDetails', {
        mapRunArn: `${identity.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${label}:${this.ports.uuid()}`,
      });
    }
    run.phase = 'children';
    run.children = {
      kind: 'iterations',
      inputs: items,
      nextIndex: 0,
      maxConcurrency,
      running: {},
      runningCount: 0,
      results: new Array<JsonValue>(items.length).fill(null),
      failures: 0,
      distributed,
      ...(toleratedFailureCount === undefined ? {} : { toleratedFailureCount }),
      ...(toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage }),
    };
    await this.startIterations(run, state);
    if (items.length === 0) await this.completeChildren(run, state);
  }

  /** The items a Map iterates: ItemsPath over the effective input (JSONPath), or Items (JSONata). */
  private async mapItems(state: MapState, input: JsonValue, evaluation: StateEvaluation): Promise<JsonValue[]> {
    if (evaluation.queryLanguage === 'JSONata') {
      if (state.Items === undefined) {
        if (!Array.isArray(input)) {
          throw new StatesError(PredefinedErrorName.QueryEvaluationError, `Map state input must be an array but was: ${jsonTypeOf(input)}`);
        }
        return input;
      }
      const items = isJsonataExpression(state.Items)
        ? await evaluateJsonataField(state.Items, { input }, evaluation.context, 'Items')
        : await evaluateJsonataTemplate(state.Items, { input }, evaluation.context, 'Items');
      if (!Array.isArray(items)) {
        throw jsonataResultTypeError(isJsonataExpression(state.Items) ? state.Items : json(state.Items), 'Items', 'array', items);
      }
      return items;
    }
    const items = state.ItemsPath === undefined ? input : evaluateJsonPath(state.ItemsPath, input, evaluation.context);
    if (!Array.isArray(items)) throw runtimeError(`Map state input must be an array but was: ${jsonTypeOf(items)}`);
    return items;
  }

  /** A Map number field given as a literal, a JSONata expression or a `…Path`. */
  private async mapNumber(
    literal: number | string | undefined,
    path: string | undefined,
    field: string,
    input: JsonValue,
    evaluation: StateEvaluation,
  ): Promise<number | undefined> {
    if (typeof literal === 'number') return literal;
    if (typeof literal === 'string') {
      const value = await evaluateJsonataField(literal, { input }, evaluation.context, field);
      if (typeof value !== 'number') throw jsonataResultTypeError(literal, field, 'number', value);
      return value;
    }
    if (path === undefined) return undefined;
    const found = this.pathValue(path, input, evaluation.context, `The ${field}Path field refers to value "null" which is not a valid integer: ${path}`);
    // AWS parses numeric strings ("1") as the number they spell.
    const value = typeof found === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(found) ? Number(found) : found;
    if (typeof value !== 'number' || (field !== 'ToleratedFailurePercentage' && !Number.isInteger(value))) {
      throw runtimeError(`The ${field}Path field refers to value "${typeof found === 'string' ? found : json(found)}" which is not a valid ${field === 'ToleratedFailurePercentage' ? 'float' : 'integer'}: ${path}`);
    }
    return value;
  }

  /**
   * Starts Map iterations while the concurrency limit allows. `freedAt` is where the iteration that just ended left
   * off (before its MapIteration{Succeeded,Failed}): Step Functions chains the iteration that takes over its slot
   * from there, as if one worker per slot ran its iterations one after another.
   */
  private async startIterations(run: RunSnapshot, state: MapState, freedAt?: number): Promise<void> {
    const progress = run.children as ChildrenProgress;
    const evaluation = this.evaluation(run, state);
    const processorKey = processorScopeKey(run.scope, run.stateName);
    const startAt = this.machine.scopeOrFail(processorKey).startAt;
    const selector = state.ItemSelector ?? (evaluation.queryLanguage === 'JSONPath' ? state.Parameters : undefined);
    while (
      progress.nextIndex < progress.inputs.length &&
      (progress.maxConcurrency === 0 || progress.runningCount < progress.maxConcurrency)
    ) {
      const index = progress.nextIndex++;
      const value = progress.inputs[index] as JsonValue;
      let itemInput = value;
      if (selector !== undefined) {
        const itemContext = this.evaluation(run, state, { Map: { Item: { Index: index, Value: value } } });
        itemInput = await itemSelection(selector, run.effectiveInput ?? run.stateInput, itemContext);
      }
      const parentEventId = freedAt ?? run.lastEventId;
      freedAt = undefined;
      const iteration = this.newRun(this.nextId('r'), processorKey, { runId: run.id, index }, parentEventId, run.silent === true || progress.distributed);
      if (!progress.distributed) {
        this.emitFor(iteration, 'MapIterationStarted', 'mapIterationStartedEventDetails', { index, name: run.stateName });
      }
      progress.running[iteration.id] = index;
      progress.runningCount++;
      this.enterState(iteration, startAt, itemInput);
      this.enqueue(iteration);
    }
  }

  /** A branch or iteration ended: record it, start the next, and finish the parent state when all are done. */
  private async onChildFinished(child: RunSnapshot): Promise<void> {
    const parentRef = child.parent as { runId: string; index: number };
    const parent = this.snap.runs[parentRef.runId];
    const progress = parent?.children;
    if (!parent || !progress || !(child.id in progress.running)) return;
    const state = this.machine.stateOrFail(parent.scope, parent.stateName);
    delete progress.running[child.id];
    progress.runningCount--;
    const outcome = child.outcome as NonNullable<RunSnapshot['outcome']>;
    delete this.snap.runs[child.id];
    const iterationEvents = progress.kind === 'iterations' && !progress.distributed;
    // Where the child left off before its MapIteration{Succeeded,Failed} report, which the next events chain from.
    const childLastEventId = child.lastEventId;

    if (outcome.status === 'SUCCEEDED') {
      progress.results[parentRef.index] = outcome.output;
      if (iterationEvents) {
        this.emitFor(child, 'MapIterationSucceeded', 'mapIterationSucceededEventDetails', { index: parentRef.index, name: parent.stateName });
      }
      parent.lastEventId = child.lastEventId;
    } else {
      if (iterationEvents) {
        this.emitFor(child, 'MapIterationFailed', 'mapIterationFailedEventDetails', { index: parentRef.index, name: parent.stateName });
      }
      // A failed iteration's report is not a link: MapStateFailed (or a retry's MapStateStarted) follows the child.
      parent.lastEventId = iterationEvents ? childLastEventId : child.lastEventId;
      progress.failures++;
      if (!this.failureTolerated(progress)) {
        const error = this.exceedsThreshold(progress)
          ? new StatesError(PredefinedErrorName.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded')
          : new StatesError(outcome.error, outcome.cause ?? '');
        this.abortChildren(parent);
        // AWS marks a branch whose Task failed as TaskStateAborted, and then reports no ParallelStateFailed.
        const taskAborted = progress.kind === 'branches' && this.machine.stateOrFail(child.scope, child.stateName).Type === 'Task';
        if (taskAborted) this.emitFor(child, 'TaskStateAborted');
        if (taskAborted) parent.lastEventId = child.lastEventId;
        delete parent.children;
        parent.phase = 'running';
        await this.onStateError(parent, state, error, {
          prefix: false,
          givingUp: () => {
            if (progress.distributed) this.emitFor(parent, 'MapRunFailed', 'mapRunFailedEventDetails', {});
            if (!taskAborted) this.emitFor(parent, progress.kind === 'branches' ? 'ParallelStateFailed' : 'MapStateFailed');
          },
        });
        if (parent.phase === 'running') this.enqueue(parent);
        return;
      }
      progress.results[parentRef.index] = { Error: outcome.error, ...(outcome.cause === undefined ? {} : { Cause: outcome.cause }) };
    }

    if (progress.kind === 'iterations')
      await this.startIterations(parent, state as MapState, iterationEvents ? childLastEventId : undefined);
    if (progress.runningCount === 0 && progress.nextIndex >= progress.inputs.length) {
      await this.completeChildren(parent, state);
    }
  }

  /** Whether a Map's failures so far stay within its ToleratedFailureCount/Percentage. */
  private failureTolerated(progress: ChildrenProgress): boolean {
    if (progress.toleratedFailureCount === undefined && progress.toleratedFailurePercentage === undefined) return false;
    return !this.exceedsThreshold(progress);
  }

  private exceedsThreshold(progress: ChildrenProgress): boolean {
    const { toleratedFailureCount: count, toleratedFailurePercentage: percentage } = progress;
    if (count === undefined && percentage === undefined) return false;
    const total = progress.inputs.length;
    const byCount = count !== undefined && progress.failures > count;
    const byPercentage = percentage !== undefined && (progress.failures / total) * 100 > percentage;
    if (count !== undefined && percentage !== undefined) return byCount && byPercentage;
    return byCount || byPercentage;
  }

  private async completeChildren(run: RunSnapshot, state: StateDefinition): Promise<void> {
    const progress = run.children as ChildrenProgress;
    if (progress.distributed) this.emitFor(run, 'MapRunSucceeded');
    // ParallelStateSucceeded and MapStateSucceeded are reports, not links: the Exited event chains from before them.
    // (After a distributed Map's MapRunSucceeded, AWS's recordings disagree with each other; most follow it.)
    const before = run.lastEventId;
    this.emitFor(run, progress.kind === 'branches' ? 'ParallelStateSucceeded' : 'MapStateSucceeded');
    run.lastEventId = before;
    const results = progress.results;
    delete run.children;
    run.phase = 'running';
    try {
      await this.complete(run, state, await stateOutcome(state, run.stateInput, results, this.evaluation(run, state)));
    } catch (e) {
      await this.onStateError(run, state, e);
    }
    if (run.phase === 'running') this.enqueue(run);
  }

  // ── completion, errors, retries ──────────────────────────────────────────────────────────────────────────────

  /** Records the state's exit and moves to its Next (or the given Choice target), or ends the run. */
  private complete(run: RunSnapshot, state: StateDefinition, outcome: StateOutcome, choiceNext?: string): void | Promise<void> {
    // The output's JSON text is made once: it is measured, recorded as this state's output and the next one's input.
    const outputText = json(outcome.output);
    if (outputText.length > PAYLOAD_LIMIT_BYTES / 4 && utf8ByteLength(outputText) > PAYLOAD_LIMIT_BYTES) {
      throw new StatesError(
        PredefinedErrorName.DataLimitExceeded,
        `The state/task '${run.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    this.exit(run, state, outcome, outputText);
    const next = choiceNext ?? state.Next;
    if (next === undefined) return this.finishRun(run, { status: 'SUCCEEDED', output: outcome.output });
    this.enterState(run, next, outcome.output, outputText);
  }

  private exit(run: RunSnapshot, state: StateDefinition, outcome: StateOutcome, outputText = json(outcome.output)): void {
    const details: Record<string, unknown> = { name: run.stateName, output: outputText, outputDetails: NOT_TRUNCATED };
    if (outcome.assigned !== undefined) {
      const assignedVariables: Record<string, string> = {};
      for (const [name, value] of Object.entries(outcome.assigned)) {
        run.variables[name] = value;
        assignedVariables[name] = json(value);
      }
      // `"Assign": {}` assigns nothing, and Step Functions then records no assignedVariables at all.
      if (Object.keys(assignedVariables).length > 0) {
        details['assignedVariables'] = assignedVariables;
        details['assignedVariablesDetails'] = NOT_TRUNCATED;
      }
    }
    this.emitFor(run, `${state.Type}StateExited` as HistoryEventType, 'stateExitedEventDetails', details);
  }

  /**
   * An error left the state's action: retry it, catch it, or fail the run. Errors raised by the interpreter while
   * evaluating the state (paths, templates, expressions) are prefixed as AWS prefixes them, and a JSONata failure
   * is recorded as an EvaluationFailed event. `givingUp` records what a state reports when it will not be retried
   * (MapStateFailed, ParallelStateFailed) before a catcher or the failure takes over.
   */
  private async onStateError(
    run: RunSnapshot,
    state: StateDefinition,
    thrown: unknown,
    options: { prefix?: boolean; givingUp?: () => void } = {},
  ): Promise<void> {
    if (!(thrown instanceof StatesError)) throw thrown;
    let error = thrown;
    if ((options.prefix ?? true) && isEvaluationError(error) && !error.cause.startsWith('An error occurred while executing the state')) {
      error = new StatesError(
        error.error,
        `An error occurred while executing the state '${run.stateName}' (entered at the event id #${run.enteredEventId}). ${error.cause}`,
      );
      if (error.error === PredefinedErrorName.QueryEvaluationError) {
        const location = thrown instanceof JsonataEvaluationError ? thrown.location : undefined;
        // A state that fails evaluating its input as it is entered: Step Functions chains EvaluationFailed from
        // where the Entered event was chained, as if the state had not been entered. A Wait is entered first and
        // then works out how long to wait, so its EvaluationFailed follows its Entered.
        if (run.lastEventId === run.enteredEventId && state.Type !== 'Wait') {
          const entered = this.events.findLast((event) => event.id === run.enteredEventId);
          if (entered !== undefined) run.lastEventId = entered.previousEventId;
        }
        this.emitFor(run, 'EvaluationFailed', 'evaluationFailedEventDetails', {
          error: error.error,
          cause: error.cause,
          ...(location === undefined ? {} : { location }),
          state: run.stateName,
        });
      }
    }
    const retriers = 'Retry' in state ? (state.Retry ?? []) : [];
    const retryIndex = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error));
    if (retryIndex >= 0) {
      const retrier = retriers[retryIndex] as Retrier;
      const attempts = run.retryCounts[retryIndex] ?? 0;
      if (attempts < (retrier.MaxAttempts ?? 3)) {
        run.retryCounts[retryIndex] = attempts + 1;
        const delay = this.retryDelayMs(retrier, attempts + 1);
        if (delay > 0) {
          run.phase = 'retry';
          run.timerId = this.startTimer('retry', delay, { runId: run.id });
        } else {
          run.phase = 'running';
        }
        return;
      }
    }
    options.givingUp?.();
    const catchers = 'Catch' in state ? (state.Catch ?? []) : [];
    const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, error));
    if (catcher) {
      try {
        await this.catchError(run, state, catcher, error);
        return;
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        error = e;
      }
    }
    await this.finishRun(run, failure(error.error, error.cause));
  }

  private async catchError(run: RunSnapshot, state: StateDefinition, catcher: Catcher, error: StatesError): Promise<void> {
    const errorOutput: JsonObject = { Error: error.error, Cause: error.cause };
    const outcome = await caughtOutcome(catcher, run.stateInput, errorOutput, this.evaluation(run, state));
    this.exit(run, state, outcome);
    this.enterState(run, catcher.Next, outcome.output);
  }

  /**
   * "IntervalSeconds … BackoffRate: the multiplier by which the retry interval increases during each attempt",
   * capped by MaxDelaySeconds; JitterStrategy FULL picks a random delay between 0 and that interval.
   */
  private retryDelayMs(retrier: Retrier, attempt: number): number {
    let seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempt - 1);
    if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === 'FULL') seconds *= this.ports.random();
    return Math.round(seconds * 1000);
  }

  /** A run reached an end. The root's end is the execution's; a child's is reported to its parent. */
  private finishRun(run: RunSnapshot, outcome: NonNullable<RunSnapshot['outcome']>): void | Promise<void> {
    run.phase = 'done';
    run.outcome = outcome;
    if (run.parent) return this.onChildFinished(run);
    if (outcome.status === 'SUCCEEDED') {
      this.snap.output = outcome.output;
      this.terminate('SUCCEEDED');
    } else {
      this.terminate('FAILED', outcome.error, outcome.cause);
    }
  }

  /** Ends the execution: records the terminal event and cancels every outstanding task and timer. */
  private terminate(status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT', error?: string, cause?: string): void {
    if (this.snap.status !== 'RUNNING') return;
    const errorDetails = { ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
    const root = this.snap.runs[ROOT_RUN];
    // The terminal event is always recorded, even past the history limit, so every history has an end.
    switch (status) {
      case 'SUCCEEDED':
        this.emitFor(root, 'ExecutionSucceeded', 'executionSucceededEventDetails', {
          output: json(this.snap.output ?? null),
          outputDetails: NOT_TRUNCATED,
        }, true);
        break;
      case 'FAILED':
        this.emitFor(root, 'ExecutionFailed', 'executionFailedEventDetails', errorDetails, true);
        break;
      case 'ABORTED':
        this.emitFor(undefined, 'ExecutionAborted', 'executionAbortedEventDetails', errorDetails, true);
        break;
      case 'TIMED_OUT':
        this.emitFor(root, 'ExecutionTimedOut', 'executionTimedOutEventDetails', errorDetails, true);
        break;
    }
    this.snap.status = status;
    if (error !== undefined) this.snap.error = error;
    if (cause !== undefined) this.snap.cause = cause;
    this.snap.stopDate = this.nowIso;
    for (const taskId of Object.keys(this.snap.tasks)) this.commands.push({ type: 'CancelTask', taskId });
    this.snap.tasks = {};
    this.snap.timers = {};
    this.snap.runs = {};
  }

  /**
   * Stops every child of a Parallel or Map (and their descendants), cancelling their tasks and timers and
   * recording the state each was in as aborted (TaskStateAborted, WaitStateAborted, MapIterationAborted…).
   */
  private abortChildren(run: RunSnapshot): void {
    const progress = run.children;
    for (const childId of Object.keys(progress?.running ?? {})) {
      const child = this.snap.runs[childId];
      if (!child) continue;
      this.abortChildren(child);
      if (child.taskId !== undefined && this.snap.tasks[child.taskId]) {
        delete this.snap.tasks[child.taskId];
        this.commands.push({ type: 'CancelTask', taskId: child.taskId });
      }
      if (child.timerId !== undefined) delete this.snap.timers[child.timerId];
      const type = this.machine.stateOrFail(child.scope, child.stateName).Type;
      if (type === 'Task' || type === 'Wait' || type === 'Map' || type === 'Parallel') {
        this.emitFor(child, `${type}StateAborted` as HistoryEventType);
      }
      if (progress?.kind === 'iterations' && !progress.distributed) {
        this.emitFor(child, 'MapIterationAborted', 'mapIterationAbortedEventDetails', { index: child.parent?.index ?? 0, name: run.stateName });
      }
      delete this.snap.runs[childId];
    }
  }

  // ── inbox ─────────────────────────────────────────────────────────────────────────────────────────────────────

  private takeTask(taskId: string): { task: PendingTask; run: RunSnapshot; state: TaskState } | undefined {
    const task = this.snap.tasks[taskId];
    if (!task) return undefined; // already settled, timed out or cancelled: a late or repeated delivery
    const run = this.snap.runs[task.runId];
    delete this.snap.tasks[taskId];
    if (task.timeoutTimerId !== undefined) delete this.snap.timers[task.timeoutTimerId];
    if (task.heartbeatTimerId !== undefined) delete this.snap.timers[task.heartbeatTimerId];
    if (!run) return undefined;
    delete run.taskId;
    run.phase = 'running';
    return { task, run, state: this.machine.stateOrFail(run.scope, run.stateName) as TaskState };
  }

  private async onTaskSucceeded(taskId: string, output: JsonValue): Promise<void> {
    const taken = this.takeTask(taskId);
    if (!taken) return;
    const { run, state } = taken;
    const resource = parseTaskResource(state.Resource);
    const outputText = json(output);
    if (outputText.length > PAYLOAD_LIMIT_BYTES / 4 && utf8ByteLength(outputText) > PAYLOAD_LIMIT_BYTES) {
      const name = resource.kind === 'service' ? resource.resourceType : state.Resource;
      this.emitTaskOutcome(run, resource, 'failed', { error: PredefinedErrorName.DataLimitExceeded });
      const error = new StatesError(
        PredefinedErrorName.DataLimitExceeded,
        `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
      await this.onStateError(run, state, error, { prefix: false });
    } else {
      this.emitTaskOutcome(run, resource, 'succeeded', { output: outputText, outputDetails: NOT_TRUNCATED });
      try {
        const outcome = stateOutcome(state, run.stateInput, output, this.evaluation(run, state));
        const pending = this.complete(run, state, outcome instanceof Promise ? await outcome : outcome);
        if (pending) await pending;
      } catch (e) {
        await this.onStateError(run, state, e);
      }
    }
    if (run.phase === 'running') this.enqueue(run);
  }

  private async onTaskFailed(taskId: string, error: string, cause: string | undefined): Promise<void> {
    const taken = this.takeTask(taskId);
    if (!taken) return;
    const { run, state } = taken;
    this.emitTaskOutcome(run, parseTaskResource(state.Resource), 'failed', { error, ...(cause === undefined ? {} : { cause }) });
    await this.onStateError(run, state, new StatesError(error, cause ?? ''), { prefix: false });
    if (run.phase === 'running') this.enqueue(run);
  }

  /** A worker took an activity task (GetActivityTask): AWS records ActivityStarted with the worker's name. */
  private onActivityStarted(taskId: string, workerName: string): void {
    const task = this.snap.tasks[taskId];
    const run = task && this.snap.runs[task.runId];
    if (!task || !run) return;
    this.emitFor(run, 'ActivityStarted', 'activityStartedEventDetails', { workerName });
  }

  private onTaskSubmitted(taskId: string, output: JsonValue): void {
    const task = this.snap.tasks[taskId];
    const run = task && this.snap.runs[task.runId];
    if (!task || !run) return;
    const resource = parseTaskResource(task.resource);
    if (resource.kind !== 'service') return;
    task.submitted = true;
    this.emitFor(run, 'TaskSubmitted', 'taskSubmittedEventDetails', {
      resourceType: resource.resourceType,
      resource: resource.resource,
      output: json(output),
      outputDetails: NOT_TRUNCATED,
    });
  }

  private onTaskHeartbeat(taskId: string): void {
    const task = this.snap.tasks[taskId];
    if (!task || task.heartbeatSeconds === undefined) return;
    if (task.heartbeatTimerId !== undefined) delete this.snap.timers[task.heartbeatTimerId];
    task.heartbeatTimerId = this.startTimer('heartbeat-timeout', task.heartbeatSeconds * 1000, { runId: task.runId, taskId });
  }

  private async onTimerFired(timerId: string): Promise<void> {
    const timer = this.snap.timers[timerId];
    if (!timer) return; // superseded: the thing it timed already happened
    delete this.snap.timers[timerId];
    if (timer.purpose === 'execution-timeout') {
      // AWS records ExecutionTimedOut without an error or cause.
      this.terminate('TIMED_OUT');
      return;
    }
    const run = timer.runId === undefined ? undefined : this.snap.runs[timer.runId];
    if (!run) return;
    switch (timer.purpose) {
      case 'wait': {
        delete run.timerId;
        run.phase = 'running';
        const state = this.machine.stateOrFail(run.scope, run.stateName) as WaitState;
        try {
          await this.completeWait(run, state);
        } catch (e) {
          await this.onStateError(run, state, e);
        }
        break;
      }
      case 'retry':
        delete run.timerId;
        run.phase = 'running';
        break;
      case 'task-timeout':
      case 'heartbeat-timeout': {
        const taken = this.takeTask(timer.taskId as string);
        if (!taken) return;
        this.commands.push({ type: 'CancelTask', taskId: timer.taskId as string });
        const error = timer.purpose === 'task-timeout' ? PredefinedErrorName.Timeout : PredefinedErrorName.HeartbeatTimeout;
        this.emitTaskOutcome(taken.run, parseTaskResource(taken.state.Resource), 'timedOut', { error });
        await this.onStateError(taken.run, taken.state, new StatesError(error, ''), { prefix: false });
        break;
      }
    }
    if (run.phase === 'running') this.enqueue(run);
  }

  private emitTaskOutcome(
    run: RunSnapshot,
    resource: TaskResource,
    outcome: 'succeeded' | 'failed' | 'timedOut',
    details: Record<string, unknown>,
  ): void {
    const suffix = outcome === 'succeeded' ? 'Succeeded' : outcome === 'failed' ? 'Failed' : 'TimedOut';
    const detailsKey = outcome === 'succeeded' ? 'SucceededEventDetails' : outcome === 'failed' ? 'FailedEventDetails' : 'TimedOutEventDetails';
    switch (resource.kind) {
      case 'lambda':
        this.emitFor(run, `LambdaFunction${suffix}` as HistoryEventType, `lambdaFunction${detailsKey}`, details);
        return;
      case 'activity':
        this.emitFor(run, `Activity${suffix}` as HistoryEventType, `activity${detailsKey}`, details);
        return;
      case 'service':
        this.emitFor(run, `Task${suffix}` as HistoryEventType, `task${detailsKey}`, {
          resourceType: resource.resourceType,
          resource: resource.resource,
          ...details,
        });
        return;
    }
  }

  // ── plumbing ─────────────────────────────────────────────────────────────────────────────────────────────────

  private newRun(id: string, scope: string, parent: RunSnapshot['parent'], lastEventId: number, silent: boolean): RunSnapshot {
    const run: RunSnapshot = {
      id,
      scope,
      ...(parent === undefined ? {} : { parent }),
      ...(silent ? { silent } : {}),
      variables: {},
      stateName: '',
      stateInput: null,
      enteredTime: '',
      phase: 'running',
      retryCounts: [],
      lastEventId,
      enteredEventId: 0,
    };
    this.snap.runs[id] = run;
    return run;
  }

  private enqueue(run: RunSnapshot): void {
    this.queue.push(run.id);
  }

  private nextId(prefix: string): string {
    return `${prefix}${++this.snap.sequence}`;
  }

  private startTimer(purpose: TimerPurpose, delayMs: number, refs: { runId?: string; taskId?: string }): string {
    const timerId = this.nextId('w');
    const fireAt = this.now + delayMs;
    this.snap.timers[timerId] = { purpose, fireAt, ...refs };
    this.commands.push({ type: 'StartTimer', timerId, fireAt });
    return timerId;
  }

  /**
   * Appends an event. Its previousEventId follows the run's own chain, so branches and iterations each point
   * back along their own path as AWS records them.
   */
  private emitFor(
    run: RunSnapshot | undefined,
    type: HistoryEventType,
    detailsKey?: string,
    details?: Record<string, unknown>,
    terminal = false,
  ): number {
    if (run?.silent) return run.lastEventId;
    if (!terminal && this.snap.lastEventId >= MAX_HISTORY_EVENTS - 1) throw new HistoryLimitReached();
    const id = ++this.snap.lastEventId;
    const event = {
      timestamp: this.nowIso,
      type,
      id,
      previousEventId: run?.lastEventId ?? 0,
    } as HistoryEvent;
    if (detailsKey !== undefined) event[detailsKey as `${string}EventDetails`] = details;
    this.events.push(event);
    if (run) run.lastEventId = id;
    return id;
  }

  private inputAfterInputPath(run: RunSnapshot, state: StateDefinition): JsonValue {
    const evaluation = this.evaluation(run, state);
    return evaluation.queryLanguage === 'JSONata' ? run.stateInput : applyInputPath(run.stateInput, state.InputPath, evaluation.context);
  }

  /** A path's value, or a `States.Runtime` error with the given message when it selects nothing. */
  private pathValue(path: string, input: JsonValue, context: EvaluationContext, message: string): JsonValue {
    try {
      return evaluateJsonPath(path, input, context);
    } catch (e) {
      if (e instanceof PathNotFoundError) throw runtimeError(message);
      throw e;
    }
  }

  /** TimeoutSeconds/HeartbeatSeconds as a literal, a JSONata expression or a `…Path` (must be a positive integer). */
  private async positiveSeconds(
    literal: number | string | undefined,
    path: string | undefined,
    field: string,
    run: RunSnapshot,
    evaluation: StateEvaluation,
  ): Promise<number | undefined> {
    if (typeof literal === 'number') return literal;
    let value: JsonValue | undefined;
    if (typeof literal === 'string') {
      value = await evaluateJsonataField(literal, { input: run.stateInput }, evaluation.context, field);
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
        throw jsonataResultTypeError(literal, field, 'integer', value);
      }
      return value;
    }
    if (path === undefined) return undefined;
    value = this.pathValue(path, run.stateInput, evaluation.context, `Invalid path '${path}' : No results for path`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw runtimeError(`The ${field}Path parameter must reference a positive integer value: ${path} == ${json(value)}`);
    }
    return value;
  }

  /**
   * The context in which a state's fields are evaluated: its query language, `$$`, variables and ports. One
   * object per evaluation; the context object itself is built only if something reads it (most states never do).
   */
  private evaluation(run: RunSnapshot, state: StateDefinition, extra?: JsonObject): StateEvaluation {
    const queryLanguage = state.QueryLanguage ?? this.machine.scopeOrFail(run.scope).queryLanguage;
    return new RunEvaluation(queryLanguage, this.snap, run, state, this.ports, extra, this.fixedContext);
  }

  /** `$$.Execution` and `$$.StateMachine` never change during an execution: built once per step, then shared. */
  private get fixedContext(): FixedContext {
    if (this.fixedContextCache) return this.fixedContextCache;
    const { identity } = this.snap;
    this.fixedContextCache = {
      Execution: {
        Id: identity.executionArn,
        Input: identity.input,
        StartTime: identity.startTime,
        Name: identity.name,
        RoleArn: identity.roleArn,
        ...(identity.redriveCount === undefined ? {} : { RedriveCount: identity.redriveCount }),
      },
      StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
    };
    return this.fixedContextCache;
  }

  private fixedContextCache: FixedContext | undefined;
}

/** The parts of the context object that are the same for every state of an execution. */
interface FixedContext {
  readonly Execution: JsonObject;
  readonly StateMachine: JsonObject;
}

/**
 * A state's evaluation context: reads variables along the run's scopes ("inner scopes read outer variables")
 * and builds `$$` lazily.
 */
class RunEvaluation implements StateEvaluation, EvaluationContext, VariableLookup {
  private builtContextObject: JsonObject | undefined;

  constructor(
    readonly queryLanguage: QueryLanguage,
    private readonly snap: ExecutionSnapshot,
    private readonly run: RunSnapshot,
    private readonly state: StateDefinition,
    readonly ports: RandomPorts,
    private readonly extra: JsonObject | undefined,
    private readonly fixed: FixedContext,
  ) {}

  get context(): EvaluationContext {
    return this;
  }

  get variables(): VariableLookup {
    return this;
  }

  get(name: string): JsonValue | undefined {
    const runs = this.snap.runs;
    for (let current: RunSnapshot | undefined = this.run; current; current = current.parent && runs[current.parent.runId]) {
      if (Object.hasOwn(current.variables, name)) return current.variables[name];
    }
    return undefined;
  }

  get contextObject(): JsonObject {
    this.builtContextObject ??= this.buildContextObject();
    return this.builtContextObject;
  }

  private buildContextObject(): JsonObject {
    const { run, state, fixed } = this;
    const retriable = state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map';
    let retryCount = 0;
    for (const n of run.retryCounts) retryCount += n ?? 0;
    return {
      Execution: fixed.Execution,
      StateMachine: fixed.StateMachine,
      State: retriable
        ? { Name: run.stateName, EnteredTime: run.enteredTime, RetryCount: retryCount }
        : { Name: run.stateName, EnteredTime: run.enteredTime },
      ...this.extra,
    };
  }
}

/** Calls `next` with the value now, or once the promise settles. */
function then<T, R>(value: MaybePromise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Applies a Map's ItemSelector (or legacy Parameters) to one item. */
async function itemSelection(selector: JsonValue, input: JsonValue, evaluation: StateEvaluation): Promise<JsonValue> {
  return evaluation.queryLanguage === 'JSONata'
    ? evaluateJsonataTemplate(selector, { input }, evaluation.context, 'ItemSelector')
    : resolvePayloadTemplate(selector, input, evaluation.context, 'ItemSelector');
}

/**
 * Whether a retrier's or catcher's ErrorEquals matches. "States.ALL … matches any known error name";
 * "States.TaskFailed … matches any error a Task raises except States.Timeout"; States.Runtime matches nothing.
 */
function errorMatches(errorEquals: readonly string[], error: StatesError): boolean {
  if (!error.retriable) return false;
  for (const name of errorEquals) {
    if (name === error.error || name === PredefinedErrorName.All) return true;
    if (name === PredefinedErrorName.TaskFailed && error.error !== PredefinedErrorName.Timeout && !error.error.startsWith('States.')) {
      return true;
    }
  }
  return false;
}

/** Errors the interpreter raises while evaluating a state's fields, which AWS prefixes with the state's name. */
function isEvaluationError(error: StatesError): boolean {
  return (
    error.error === PredefinedErrorName.Runtime ||
    error.error === PredefinedErrorName.QueryEvaluationError ||
    error.error === PredefinedErrorName.IntrinsicFailure
  );
}

function failure(error: string | undefined, cause: string | undefined): RunFailure {
  return { status: 'FAILED', error: error ?? '', ...(cause === undefined ? {} : { cause }) } as RunFailure;
}

/** ISO-8601 extended offset date-time, as Wait's Timestamp requires (RFC 3339: `T`, seconds and an offset). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a Wait timestamp to epoch milliseconds, or undefined when it is not a valid one. */
export function parseTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > 31) return undefined;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return undefined;
  void year;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

let lastIsoMs = Number.NaN;
let lastIso = '';

/** ISO-8601 of an instant; consecutive steps usually share the millisecond, so the last answer is kept. */
function iso(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

/** JSON text of a value, as history events carry payloads. */
function json(value: JsonValue | undefined): string {
  return JSON.stringify(value ?? null);
}

function jsonTypeOf(value: JsonValue): string {
  return isJsonObject(value) || typeof value === 'string' ? json(value) : String(value);
}
