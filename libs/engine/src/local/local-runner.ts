import {
  findTaskIdByToken,
  type Command,
  type ExecutionSnapshot,
  type HistoryEvent,
  type InboxMessage,
  type InterpreterPorts,
  type JsonValue,
  parseDefinition,
  parseTaskResource,
  startExecution,
  step,
  StateMachineScopes,
  type StateMachineDefinition,
  type StepResult,
  validateDefinition,
} from '@lib/asl';
import { defaultRoleArn, executionArn, LOCAL_ARN_PARTS, stateMachineArn } from '../execution-arns';
import { describeTaskError, type TaskCallbacks, type TaskInvoker, type TaskRequest } from '../tasks/task-invoker';
import { ExecutionStartError } from './execution-start.error';
import { parseExecutionInput } from './execution-input';
import type { ExecutionResult, LocalExecution, StartExecutionRequest } from './local-runner.types';

/** How the in-memory driver runs executions. */
export interface LocalRunnerOptions {
  /** Runs Task states. */
  readonly taskInvoker: TaskInvoker;
  /**
   * `real`: Wait states, retry back-off and timeouts take the time they say. `virtual`: whenever nothing but a
   * timer can happen next (no task invocation in flight, no outcome waiting), time jumps to that timer.
   */
  readonly clock?: 'real' | 'virtual';
  /** Overrides for the clock, ids and randomness (tests pin them for reproducible histories). */
  readonly ports?: Partial<InterpreterPorts>;
}

/**
 * The in-memory driver: runs executions in this process on the pure interpreter. Task invocations of all the
 * branches and iterations of an execution run concurrently; their outcomes are fed back in batches.
 */
export class LocalRunner {
  private readonly machines = new Map<string, StateMachineScopes>();
  /** Starting many executions of one definition object skips even serialising it. */
  private readonly machinesByObject = new WeakMap<object, StateMachineScopes>();

  constructor(private readonly options: LocalRunnerOptions) {}

  /**
   * StartExecution: validates the definition and input and starts running. Throws {@link ExecutionStartError}
   * (never an ASL failure) when the execution cannot start.
   */
  start(request: StartExecutionRequest): LocalExecution {
    const machine = this.machineFor(request.definition);
    const input = parseExecutionInput(request.input);
    const parts = {
      partition: request.partition ?? LOCAL_ARN_PARTS.partition,
      region: request.region ?? LOCAL_ARN_PARTS.region,
      accountId: request.accountId ?? LOCAL_ARN_PARTS.accountId,
    };
    const clock = new DriverClock(this.options.clock ?? 'real', this.options.ports?.now);
    const ports: InterpreterPorts = {
      now: () => clock.now(),
      // The Web Crypto global: no need to load node:crypto (and its stream modules) at start-up.
      uuid: this.options.ports?.uuid ?? (() => globalThis.crypto.randomUUID()),
      random: this.options.ports?.random ?? Math.random,
    };
    const stateMachineName = request.stateMachineName ?? 'LocalStateMachine';
    const name = request.executionName ?? ports.uuid();
    const type = request.stateMachineType ?? 'STANDARD';
    // Express execution ARNs end in an id of their own: `…:express:MACHINE:NAME:ID`.
    const arn = executionArn(parts, stateMachineName, name, type);
    const identity = {
      executionArn: type === 'EXPRESS' ? `${arn}:${ports.uuid()}` : arn,
      name,
      stateMachineArn: stateMachineArn(parts, stateMachineName),
      stateMachineName,
      roleArn: request.roleArn ?? defaultRoleArn(parts),
      input,
      ...(type === 'EXPRESS' ? {} : { redriveCount: 0 }),
      region: parts.region,
    };
    return new InMemoryExecution(machine, identity, ports, clock, this.options.taskInvoker);
  }

  /** Validated definitions are indexed once and shared by every execution of the same text. */
  private machineFor(definition: StateMachineDefinition | string): StateMachineScopes {
    const known = typeof definition === 'object' ? this.machinesByObject.get(definition) : undefined;
    if (known) return known;
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    let machine = this.machines.get(text);
    if (!machine) {
      const parsed = typeof definition === 'string' ? parseDefinition(definition) : { definition, diagnostics: validateDefinition(definition) };
      if (parsed.diagnostics.length > 0 || !parsed.definition) {
        throw new ExecutionStartError(
          'InvalidDefinition',
          `Invalid State Machine Definition: ${parsed.diagnostics.map((d) => `${d.message} at ${d.location || '/'}`).join('; ')}`,
          parsed.diagnostics,
        );
      }
      machine = new StateMachineScopes(parsed.definition);
      this.machines.set(text, machine);
    }
    if (typeof definition === 'object') this.machinesByObject.set(definition, machine);
    return machine;
  }
}

/**
 * Real time plus an offset: a virtual clock moves the offset forward to skip waiting, so timers set on it still
 * fire through ordinary setTimeout when something else (a running task) keeps time from jumping.
 */
class DriverClock {
  private offset = 0;

  constructor(
    readonly mode: 'real' | 'virtual',
    private readonly base: (() => number) | undefined,
  ) {}

  now(): number {
    return (this.base ? this.base() : Date.now()) + this.offset;
  }

  /** Jumps forward to `time` (virtual clocks only). */
  advanceTo(time: number): void {
    const now = this.now();
    if (time > now) this.offset += time - now;
  }
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** One task invocation in flight. Its AbortSignal is created only if the task asks for it. */
class TaskInvocation implements TaskRequest {
  readonly resource: string;
  readonly input: JsonValue;
  readonly stateName: string;
  readonly context: JsonValue;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  readonly callbacks?: TaskCallbacks;
  private controller: AbortController | undefined;
  private cancelled = false;

  constructor(command: Extract<Command, { type: 'InvokeTask' }>, callbacks: TaskCallbacks | undefined) {
    this.resource = command.resource;
    this.input = command.input;
    this.stateName = command.stateName;
    this.context = command.context;
    if (command.taskToken !== undefined) this.taskToken = command.taskToken;
    if (command.timeoutSeconds !== undefined) this.timeoutSeconds = command.timeoutSeconds;
    if (command.heartbeatSeconds !== undefined) this.heartbeatSeconds = command.heartbeatSeconds;
    if (callbacks !== undefined) this.callbacks = callbacks;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort();
    }
    return this.controller.signal;
  }

  cancel(): void {
    this.cancelled = true;
    this.controller?.abort();
  }
}

class InMemoryExecution implements LocalExecution {
  readonly executionArn: string;
  readonly result: Promise<ExecutionResult>;
  private snapshot: ExecutionSnapshot | undefined;
  private readonly history: HistoryEvent[] = [];
  private readonly inbox: InboxMessage[] = [];
  private readonly inFlight = new Map<string, TaskInvocation>();
  private readonly timers = new Map<string, { fireAt: number; handle?: NodeJS.Timeout }>();
  private wake: (() => void) | undefined;

  constructor(
    private readonly machine: StateMachineScopes,
    private readonly identity: Parameters<typeof startExecution>[1],
    private readonly ports: InterpreterPorts,
    private readonly clock: DriverClock,
    private readonly invoke: TaskInvoker,
  ) {
    this.executionArn = identity.executionArn;
    this.result = this.run();
  }

  stop(error?: string, cause?: string): void {
    this.deliver({ type: 'StopExecution', ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) });
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    const taskId = this.taskIdOrFail(taskToken);
    this.deliver({ type: 'TaskSucceeded', taskId, output: JSON.parse(output) as JsonValue });
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const taskId = this.taskIdOrFail(taskToken);
    this.deliver({ type: 'TaskFailed', taskId, error: error ?? '', ...(cause === undefined ? {} : { cause }) });
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.deliver({ type: 'TaskHeartbeat', taskId: this.taskIdOrFail(taskToken) });
  }

  /** Callbacks for one token; after the task settled they are no-ops, as a late SendTaskSuccess is refused. */
  private callbacksFor(taskToken: string): TaskCallbacks {
    const settle = (send: () => void): void => {
      if (this.snapshot?.status !== 'RUNNING' || !findTaskIdByToken(this.snapshot, taskToken)) return;
      send();
    };
    return {
      success: (output) => settle(() => this.sendTaskSuccess(taskToken, JSON.stringify(output ?? null))),
      failure: (error, cause) => settle(() => this.sendTaskFailure(taskToken, error, cause)),
      heartbeat: () => settle(() => this.sendTaskHeartbeat(taskToken)),
    };
  }

  private taskIdOrFail(taskToken: string): string {
    const taskId = this.snapshot && findTaskIdByToken(this.snapshot, taskToken);
    if (!taskId) throw new ExecutionStartError('TaskDoesNotExist', `Task Token does not exist or is no longer valid: ${taskToken}`);
    return taskId;
  }

  private deliver(message: InboxMessage): void {
    this.inbox.push(message);
    this.wake?.();
  }

  private async run(): Promise<ExecutionResult> {
    this.absorb(await startExecution(this.machine, this.identity, this.ports));
    for (;;) {
      const snapshot = this.snapshot as ExecutionSnapshot;
      if (snapshot.status !== 'RUNNING') break;
      if (this.inbox.length > 0) {
        const messages = this.inbox.splice(0, this.inbox.length);
        this.absorb(await step(this.machine, snapshot, messages, this.ports));
        continue;
      }
      if (this.clock.mode === 'virtual' && this.inFlight.size === 0 && this.timers.size > 0) {
        // Let callbacks already on their way (a handler completing its task token from setImmediate, a stop)
        // arrive before deciding that only a timer can happen next.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.inbox.length > 0 || this.inFlight.size > 0 || this.fireEarliestTimer()) continue;
      }
      if (this.inFlight.size === 0 && this.timers.size === 0 && Object.keys(snapshot.tasks).length === 0) {
        throw new Error('The execution is running but has nothing to wait for: this is an interpreter bug');
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    for (const timer of this.timers.values()) clearTimeout(timer.handle);
    const snapshot = this.snapshot as ExecutionSnapshot;
    return {
      executionArn: this.executionArn,
      status: snapshot.status as ExecutionResult['status'],
      ...(snapshot.status === 'SUCCEEDED' ? { output: JSON.stringify(snapshot.output ?? null) } : {}),
      ...(snapshot.error === undefined ? {} : { error: snapshot.error }),
      ...(snapshot.cause === undefined ? {} : { cause: snapshot.cause }),
      history: this.history,
    };
  }

  private absorb(result: StepResult): void {
    this.snapshot = result.snapshot;
    for (const event of result.events) this.history.push(event);
    for (const command of result.commands) this.execute(command);
    // Timers the interpreter no longer holds (a task finished before its timeout) must not pull a virtual clock
    // forward, nor keep the process alive.
    for (const [timerId, timer] of this.timers) {
      if (!(timerId in result.snapshot.timers)) {
        clearTimeout(timer.handle);
        this.timers.delete(timerId);
      }
    }
  }

  private execute(command: Command): void {
    switch (command.type) {
      case 'InvokeTask':
        return this.invokeTask(command);
      case 'CancelTask': {
        this.inFlight.get(command.taskId)?.cancel();
        this.inFlight.delete(command.taskId);
        return;
      }
      case 'StartTimer': {
        this.timers.set(command.timerId, { fireAt: command.fireAt });
        this.armTimer(command.timerId);
        return;
      }
    }
  }

  private invokeTask(command: Extract<Command, { type: 'InvokeTask' }>): void {
    const request = new TaskInvocation(command, command.taskToken === undefined ? undefined : this.callbacksFor(command.taskToken));
    this.inFlight.set(command.taskId, request);
    let settled: Promise<unknown>;
    try {
      settled = Promise.resolve(this.invoke(request));
    } catch (e) {
      settled = Promise.reject(e);
    }
    // A local activity handler plays the activity worker: it takes the task at once and its return value is the
    // activity's result. Other callback tasks only submit their request; the token completes them later.
    const activity = parseTaskResource(command.resource).kind === 'activity';
    if (activity) this.deliver({ type: 'ActivityStarted', taskId: command.taskId, workerName: 'local' });
    settled.then(
      (output) => {
        if (!this.inFlight.delete(command.taskId)) return;
        // A handler that returns nothing returns null, as a Lambda function returning None/undefined does.
        const value = (output === undefined ? null : output) as JsonValue;
        this.deliver(
          command.completion === 'callback' && !activity
            ? { type: 'TaskSubmitted', taskId: command.taskId, output: value }
            : { type: 'TaskSucceeded', taskId: command.taskId, output: value },
        );
      },
      (thrown: unknown) => {
        if (!this.inFlight.delete(command.taskId)) return;
        const { error, cause } = describeTaskError(thrown);
        this.deliver({ type: 'TaskFailed', taskId: command.taskId, error, cause });
      },
    );
  }

  /** setTimeout cannot wait longer than 2^31-1 ms (about 24 days): longer timers re-arm until they are due. */
  private armTimer(timerId: string): void {
    const timer = this.timers.get(timerId);
    if (!timer) return;
    const delay = timer.fireAt - this.clock.now();
    if (delay <= 0) return this.fireTimer(timerId);
    timer.handle = setTimeout(() => this.armTimer(timerId), Math.min(delay, MAX_TIMEOUT_MS));
  }

  private fireTimer(timerId: string): void {
    const timer = this.timers.get(timerId);
    if (!timer) return;
    clearTimeout(timer.handle);
    this.timers.delete(timerId);
    this.deliver({ type: 'TimerFired', timerId });
  }

  /**
   * Jumps to the earliest Wait, retry back-off or execution timeout. Task timeouts keep real time: a task in
   * flight or a token awaiting SendTaskSuccess is work in progress, and skipping ahead would time it out at once.
   * Returns false when no timer may be skipped to.
   */
  private fireEarliestTimer(): boolean {
    const pending = (this.snapshot as ExecutionSnapshot).timers;
    let earliest: [string, number] | undefined;
    for (const [timerId, timer] of this.timers) {
      const purpose = pending[timerId]?.purpose;
      if (purpose === 'task-timeout' || purpose === 'heartbeat-timeout') continue;
      if (!earliest || timer.fireAt < earliest[1]) earliest = [timerId, timer.fireAt];
    }
    if (!earliest) return false;
    this.clock.advanceTo(earliest[1]);
    this.fireTimer(earliest[0]);
    return true;
  }
}
