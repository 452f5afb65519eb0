import {
  type Command,
  isJsonObject,
  PredefinedErrorName,
  type ExecutionIdentity,
  type ExecutionSnapshot,
  type HistoryEventType,
  type InboxMessage,
  type InterpreterPorts,
  type JsonValue,
  PAYLOAD_LIMIT_BYTES,
  parseDefinition,
  parseTaskResource,
  startExecution,
  StateMachineScopes,
  step,
  type StepResult,
  type TimerPurpose,
  utf8ByteLength,
} from '@lib/asl';
import { type ArnParts, executionArn, stateMachineArn } from '../execution-arns';
import { ExecutionStartError } from '../local/execution-start.error';
import { parseExecutionInput } from '../local/execution-input';
import { describeTaskError, type TaskInvoker, type TaskRequest } from '../tasks/task-invoker';
import {
  type ActivityRecord,
  type ExecutionCounts,
  type ExecutionListFilter,
  type ExecutionRecord,
  type ExecutionStore,
  ExecutionStoreError,
  type OutboxEntry,
  type Page,
  type PageRequest,
  type ResourceTag,
  type StateMachineRecord,
  type StateMachineRevision,
  type StateMachineType,
  type StoredHistoryEvent,
} from './execution-store.port';
import { ServiceException, ServiceExceptionCode } from './service.exception';
import { type InvokeTaskCommand, JobName, type JobHandler, type WorkQueue } from './work-queue.port';

/** What the durable driver runs on. */
export interface DurableDriverOptions {
  readonly store: ExecutionStore;
  readonly queue: WorkQueue;
  /** Runs Task states (local handlers, HTTP); activities and callbacks need none. */
  readonly taskInvoker: TaskInvoker;
  readonly arnParts: ArnParts;
  /** The role executions report when a state machine names none. */
  readonly defaultRoleArn: string;
  readonly ports?: Partial<InterpreterPorts>;
}

/** A task an execution waits on by token: what the dashboard offers to answer. */
export interface WaitingTask {
  /** The token SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat take. */
  readonly taskToken: string;
  /** The Task state (inside a Map or Parallel, the state of that iteration or branch). */
  readonly stateName: string;
  /** The Task state's Resource: a `.waitForTaskToken` integration or an activity ARN. */
  readonly resource: string;
  /** When the step that scheduled the task committed; absent when the task completed while it was being listed. */
  readonly scheduledAt?: Date;
}

/** How many times a step is retried when another writer committed first. */
const MAX_STEP_ATTEMPTS = 8;

/** Step Functions' rule for state machine, execution and activity names. */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Step Functions' limits on tags: 50 per resource, keys of 1 to 128 characters, values of up to 256. */
const MAX_TAGS_PER_RESOURCE = 50;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The events of a step in which a task or the execution timed out. */
const TIMED_OUT_EVENTS: ReadonlySet<HistoryEventType> = new Set([
  'TaskTimedOut',
  'ActivityTimedOut',
  'LambdaFunctionTimedOut',
  'ExecutionTimedOut',
]);

/**
 * The durable driver: the same pure interpreter as the CLI, with its commands turned into queue jobs and its
 * history appended to the execution store.
 *
 * A step loads the snapshot and the execution's inbox, runs `step()`, and commits events, snapshot, consumed
 * inbox entries and the resulting commands (the outbox) in one transaction conditional on the last event id.
 * Only then are the commands dispatched as jobs with deterministic ids; a crash in between leaves them in the
 * outbox for the recovery sweep. Task results, fired timers, callbacks and stops enter through the inbox, so
 * at-least-once delivery never shows in the history: a repeated outcome finds its task already settled.
 */
export class DurableDriver {
  private readonly machines = new Map<string, StateMachineScopes>();
  private readonly ports: InterpreterPorts;

  constructor(private readonly options: DurableDriverOptions) {
    this.ports = {
      now: options.ports?.now ?? Date.now,
      uuid: options.ports?.uuid ?? (() => globalThis.crypto.randomUUID()),
      random: options.ports?.random ?? Math.random,
    };
  }

  // ── state machines ───────────────────────────────────────────────────────────────────────────────────────────

  /** ValidateStateMachineDefinition: every problem, with its location. */
  validateDefinition(definition: string, type: StateMachineType = 'STANDARD') {
    return parseDefinition(definition, { stateMachineType: type }).diagnostics;
  }

  async createStateMachine(input: {
    readonly name: string;
    readonly definition: string;
    readonly type?: StateMachineType;
    readonly roleArn?: string;
    readonly tags?: readonly ResourceTag[];
  }): Promise<StateMachineRecord> {
    checkName(input.name, 'state machine');
    const type = input.type ?? 'STANDARD';
    this.checkDefinition(input.definition, type);
    const tags = input.tags ?? [];
    checkTags(tags, []);
    let machine: StateMachineRecord;
    try {
      machine = await this.options.store.createStateMachine({
        stateMachineArn: stateMachineArn(this.options.arnParts, input.name),
        name: input.name,
        type,
        roleArn: input.roleArn ?? this.options.defaultRoleArn,
        definition: input.definition,
      });
    } catch (e) {
      throw translateStoreError(e);
    }
    // Checked above, so only an outage can fail this; the state machine then exists untagged, and TagResource
    // (or repeating the create after DeleteStateMachine) sets them.
    if (tags.length > 0) await this.options.store.tagResource(machine.stateMachineArn, tags);
    return machine;
  }

  async describeStateMachine(arn: string): Promise<StateMachineRecord> {
    const found = await this.options.store.findStateMachine(arn);
    if (!found)
      throw new ServiceException(
        ServiceExceptionCode.StateMachineDoesNotExist,
        `State Machine Does Not Exist: '${arn}'`,
      );
    return found;
  }

  async listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>> {
    try {
      return await this.options.store.listStateMachines(page);
    } catch (e) {
      throw translateStoreError(e);
    }
  }

  /** Each state machine's executions counted by status (one query for them all); `{}` for one without any. */
  async countExecutions(stateMachineArns: readonly string[]): Promise<Map<string, ExecutionCounts>> {
    return this.options.store.countExecutionsByStateMachine(stateMachineArns);
  }

  async updateStateMachine(
    arn: string,
    changes: { readonly definition?: string; readonly roleArn?: string },
  ): Promise<StateMachineRecord> {
    const current = await this.describeStateMachine(arn);
    if (changes.definition !== undefined) this.checkDefinition(changes.definition, current.type);
    try {
      return await this.options.store.updateStateMachine(arn, changes);
    } catch (e) {
      throw translateStoreError(e);
    }
  }

  async deleteStateMachine(arn: string): Promise<void> {
    await this.describeStateMachine(arn);
    await this.options.store.deleteStateMachine(arn);
  }

  /**
   * DescribeStateMachineForExecution: the revision the execution started with, which later updates do not change
   * and which outlives the state machine's deletion.
   */
  async describeStateMachineForExecution(
    executionArn: string,
  ): Promise<StateMachineRevision & { readonly name: string }> {
    const execution = await this.describeExecution(executionArn);
    const revision = await this.options.store.findRevision(execution.revisionId);
    if (!revision)
      throw new Error(`Execution ${executionArn} refers to revision ${execution.revisionId}, which does not exist`);
    return { ...revision, name: revision.stateMachineArn.slice(revision.stateMachineArn.lastIndexOf(':') + 1) };
  }

  // ── executions ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * StartExecution. The first step runs here, in the caller's process: a machine of Pass, Choice, Succeed and
   * Fail states finishes without a single job. A repeated name with the same input returns the same execution;
   * with a different input it is ExecutionAlreadyExists.
   */
  async startExecution(input: {
    readonly stateMachineArn: string;
    readonly input?: string;
    readonly name?: string;
  }): Promise<{ readonly execution: ExecutionRecord; readonly created: boolean }> {
    const machine = await this.describeStateMachine(input.stateMachineArn);
    const name = input.name ?? this.ports.uuid();
    checkName(name, 'execution');
    let parsedInput: JsonValue;
    try {
      parsedInput = parseExecutionInput(input.input);
    } catch (e) {
      if (e instanceof ExecutionStartError)
        throw new ServiceException(ServiceExceptionCode.InvalidExecutionInput, e.message);
      throw e;
    }
    const inputText = input.input ?? '{}';
    const identity: Omit<ExecutionIdentity, 'startTime'> = {
      executionArn: executionArn(this.options.arnParts, machine.name, name, machine.type),
      name,
      stateMachineArn: machine.stateMachineArn,
      stateMachineName: machine.name,
      roleArn: machine.roleArn,
      input: parsedInput,
      ...(machine.type === 'EXPRESS' ? {} : { redriveCount: 0 }),
      region: this.options.arnParts.region,
    };
    // No look-up first: a repeated name is rare, and createExecution answers it atomically anyway.
    const scopes = this.scopesFor(machine.revisionId, machine.definition);
    const first = withCompactInvocations(await startExecution(scopes, identity, this.ports));
    const startDate = new Date(first.snapshot.identity.startTime);
    const { created, execution, outbox } = await this.options.store.createExecution({
      record: {
        executionArn: identity.executionArn,
        stateMachineArn: machine.stateMachineArn,
        revisionId: machine.revisionId,
        name,
        input: inputText,
        startDate,
        ...terminalFields(first),
      },
      snapshot: first.snapshot,
      events: first.events,
      commands: first.commands,
      taskTokens: openTaskTokens(first),
      activityTasks: activityTasksOf(identity.executionArn, first.commands),
    });
    if (!created) return { execution: this.sameOrConflict(execution, inputText), created: false };
    await this.dispatch(outbox);
    return { execution, created: true };
  }

  async describeExecution(arn: string): Promise<ExecutionRecord> {
    const found = await this.options.store.findExecution(arn);
    if (!found)
      throw new ServiceException(ServiceExceptionCode.ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    return found;
  }

  async listExecutions(filter: ExecutionListFilter, page: PageRequest): Promise<Page<ExecutionRecord>> {
    if (filter.stateMachineArn !== undefined) await this.describeStateMachine(filter.stateMachineArn);
    try {
      return await this.options.store.listExecutions(filter, page);
    } catch (e) {
      throw translateStoreError(e);
    }
  }

  /**
   * The tasks the execution waits on by token right now (`.waitForTaskToken` callbacks and activity tasks), each with
   * the token that SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat take; none once the execution has finished.
   */
  async listWaitingTasks(arn: string): Promise<WaitingTask[]> {
    const loaded = await this.options.store.loadForStep(arn);
    if (!loaded)
      throw new ServiceException(ServiceExceptionCode.ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    const { execution, snapshot } = loaded;
    if (execution.status !== 'RUNNING') return [];
    // A second read: a task completed in between is still listed, without its `scheduledAt` (answering it then gets
    // TaskDoesNotExist, as any late answer does).
    const issued = new Map((await this.options.store.listTaskTokens(arn)).map((token) => [token.taskToken, token]));
    const waiting: WaitingTask[] = [];
    for (const [taskId, task] of Object.entries(snapshot.tasks)) {
      if (task.taskToken === undefined) continue;
      const stateName = task.invocation?.stateName ?? snapshot.runs[task.runId]?.stateName;
      if (stateName === undefined) throw new Error(`Task ${taskId} of ${arn} belongs to no run of its snapshot`);
      const createdAt = issued.get(task.taskToken)?.createdAt;
      waiting.push({
        taskToken: task.taskToken,
        stateName,
        resource: task.resource,
        ...(createdAt === undefined ? {} : { scheduledAt: createdAt }),
      });
    }
    return waiting;
  }

  async getExecutionHistory(
    arn: string,
    options: PageRequest & { readonly reverseOrder?: boolean },
  ): Promise<Page<StoredHistoryEvent>> {
    await this.describeExecution(arn);
    try {
      return await this.options.store.getHistory(arn, options);
    } catch (e) {
      throw translateStoreError(e);
    }
  }

  async verifyExecutionHistory(arn: string) {
    await this.describeExecution(arn);
    return this.options.store.verifyHistory(arn);
  }

  /** StopExecution: aborts a running execution; stopping a finished one changes nothing. */
  async stopExecution(
    arn: string,
    stop: { readonly error?: string; readonly cause?: string },
  ): Promise<{ readonly stopDate: Date }> {
    const execution = await this.describeExecution(arn);
    if (execution.status !== 'RUNNING') return { stopDate: execution.stopDate ?? new Date(this.ports.now()) };
    await this.options.store.appendInbox(arn, {
      type: 'StopExecution',
      ...(stop.error === undefined ? {} : { error: stop.error }),
      ...(stop.cause === undefined ? {} : { cause: stop.cause }),
    });
    // The stop is applied here and now, so the caller sees ABORTED when this returns.
    await this.advance(arn);
    const stopped = await this.describeExecution(arn);
    return { stopDate: stopped.stopDate ?? new Date(this.ports.now()) };
  }

  // ── task tokens ──────────────────────────────────────────────────────────────────────────────────────────────

  async sendTaskSuccess(taskToken: string, output: string): Promise<void> {
    // Step Functions refuses the call and leaves the task open; accepted, the output would fail the execution with
    // States.DataLimitExceeded, a failure the caller's mistake should not cause.
    if (output.length > PAYLOAD_LIMIT_BYTES / 4 && utf8ByteLength(output) > PAYLOAD_LIMIT_BYTES) {
      throw new ServiceException(
        ServiceExceptionCode.InvalidOutput,
        `Invalid output: the output is ${utf8ByteLength(output)} bytes; the limit is ${PAYLOAD_LIMIT_BYTES} bytes (256 KiB)`,
      );
    }
    let value: JsonValue;
    try {
      value = JSON.parse(output) as JsonValue;
    } catch (e) {
      throw new ServiceException(ServiceExceptionCode.InvalidOutput, `Invalid output: ${(e as Error).message}`);
    }
    const token = await this.openToken(taskToken);
    await this.deliver(token.executionArn, { type: 'TaskSucceeded', taskId: token.taskId, output: value });
  }

  async sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void> {
    const token = await this.openToken(taskToken);
    await this.deliver(token.executionArn, {
      type: 'TaskFailed',
      taskId: token.taskId,
      error: error ?? '',
      ...(cause === undefined ? {} : { cause }),
    });
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const token = await this.openToken(taskToken);
    await this.deliver(token.executionArn, { type: 'TaskHeartbeat', taskId: token.taskId });
  }

  private async openToken(taskToken: string) {
    if (taskToken.length === 0 || taskToken.length > 1024) {
      throw new ServiceException(
        ServiceExceptionCode.InvalidToken,
        'Invalid Token: the task token must be 1 to 1024 characters',
      );
    }
    const token = await this.options.store.findTaskToken(taskToken);
    if (!token && (await this.options.store.isTaskTokenTimedOut(taskToken))) {
      throw new ServiceException(
        ServiceExceptionCode.TaskTimedOut,
        'Task Timed Out: the task this token stood for timed out; its outcome can no longer be sent',
      );
    }
    if (!token) {
      throw new ServiceException(
        ServiceExceptionCode.TaskDoesNotExist,
        'Task Token does not exist, or the task it stood for has already completed, timed out or been stopped',
      );
    }
    return token;
  }

  // ── activities ───────────────────────────────────────────────────────────────────────────────────────────────

  /** CreateActivity: idempotent, as in Step Functions; tags given again are applied again. */
  async createActivity(name: string, tags: readonly ResourceTag[] = []): Promise<ActivityRecord> {
    checkName(name, 'activity');
    const { partition, region, accountId } = this.options.arnParts;
    const activityArn = `arn:${partition}:states:${region}:${accountId}:activity:${name}`;
    const existing = await this.options.store.findActivity(activityArn);
    if (tags.length > 0) checkTags(tags, existing ? await this.options.store.listTags(activityArn) : []);
    let activity = existing;
    if (!activity) {
      try {
        activity = await this.options.store.createActivity({ activityArn, name });
      } catch (e) {
        // Created by a concurrent request between the look-up and the insert: the same activity.
        const created = await this.options.store.findActivity(activityArn);
        if (!created) throw translateStoreError(e);
        activity = created;
      }
    }
    if (tags.length > 0) await this.options.store.tagResource(activityArn, tags);
    return activity;
  }

  async describeActivity(activityArn: string): Promise<ActivityRecord> {
    const found = await this.options.store.findActivity(activityArn);
    if (!found)
      throw new ServiceException(
        ServiceExceptionCode.ActivityDoesNotExist,
        `Activity Does Not Exist: '${activityArn}'`,
      );
    return found;
  }

  async listActivities(page: PageRequest): Promise<Page<ActivityRecord>> {
    try {
      return await this.options.store.listActivities(page);
    } catch (e) {
      throw translateStoreError(e);
    }
  }

  /** DeleteActivity: its tasks already scheduled stay with their executions (they time out or are stopped). */
  async deleteActivity(activityArn: string): Promise<void> {
    await this.describeActivity(activityArn);
    await this.options.store.deleteActivity(activityArn);
  }

  /** GetActivityTask, without the long poll (the API layer polls): a task for this worker, or undefined. */
  async claimActivityTask(activityArn: string, workerName: string) {
    const activity = await this.options.store.findActivity(activityArn);
    if (!activity)
      throw new ServiceException(
        ServiceExceptionCode.ActivityDoesNotExist,
        `Activity Does Not Exist: '${activityArn}'`,
      );
    const task = await this.options.store.claimActivityTask(activityArn, workerName);
    if (!task) return undefined;
    const token = await this.options.store.findTaskToken(task.taskToken);
    if (token) await this.deliver(token.executionArn, { type: 'ActivityStarted', taskId: token.taskId, workerName });
    return task;
  }

  // ── tags ───────────────────────────────────────────────────────────────────────────────────────────────────────

  /** ListTagsForResource of a state machine or an activity. */
  async listTagsForResource(resourceArn: string): Promise<ResourceTag[]> {
    await this.taggableOrFail(resourceArn);
    return this.options.store.listTags(resourceArn);
  }

  /** TagResource: adds tags, replacing the values of keys the resource already has. */
  async tagResource(resourceArn: string, tags: readonly ResourceTag[]): Promise<void> {
    await this.taggableOrFail(resourceArn);
    checkTags(tags, await this.options.store.listTags(resourceArn));
    await this.options.store.tagResource(resourceArn, tags);
  }

  /** UntagResource: keys the resource does not have are ignored. */
  async untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    await this.taggableOrFail(resourceArn);
    await this.options.store.untagResource(resourceArn, keys);
  }

  private async taggableOrFail(resourceArn: string): Promise<void> {
    const found =
      (await this.options.store.findStateMachine(resourceArn)) ?? (await this.options.store.findActivity(resourceArn));
    if (!found)
      throw new ServiceException(ServiceExceptionCode.ResourceNotFound, `Resource not found: '${resourceArn}'`);
  }

  // ── worker side ──────────────────────────────────────────────────────────────────────────────────────────────

  /** The job handlers a worker process registers: one per JobName, none missing. */
  jobHandlers(): { readonly [N in JobName]: JobHandler<N> } {
    return {
      [JobName.AdvanceExecution]: ({ executionArn: arn }) => this.advance(arn),
      [JobName.InvokeTask]: ({ executionArn: arn, command }) => this.invokeTask(arn, command),
      [JobName.FireTimer]: ({ executionArn: arn, timerId }) => this.deliver(arn, { type: 'TimerFired', timerId }),
    };
  }

  /**
   * Drains the execution's inbox into one step and commits it. Safe to call any number of times, from any
   * process: with nothing in the inbox it does nothing; when another writer commits first it reloads and retries.
   */
  async advance(arn: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.options.store.loadForStep(arn);
      if (!loaded || loaded.inbox.length === 0) return;
      const { execution, snapshot, inbox } = loaded;
      // Read before stepping: step() works on the snapshot in place.
      const timeouts = tokenTimeoutsOf(snapshot);
      // A finished execution still consumes its inbox (late results), recording nothing.
      const result =
        execution.status === 'RUNNING'
          ? withCompactInvocations(
              await step(
                await this.revisionScopesOrFail(execution),
                snapshot,
                inbox.map((entry) => entry.message),
                this.ports,
              ),
            )
          : { snapshot, events: [], commands: [] };
      try {
        const { outbox } = await this.options.store.commitStep({
          executionArn: arn,
          expectedLastEventId: execution.lastEventId,
          snapshot: result.snapshot,
          events: result.events,
          commands: result.commands,
          consumedInboxIds: inbox.map((entry) => entry.id),
          taskTokens: openTaskTokens(result),
          activityTasks: activityTasksOf(arn, result.commands),
          timedOutTaskTokens: timedOutTaskTokens(
            timeouts,
            inbox.map((entry) => entry.message),
            result,
          ),
          ...(execution.status === 'RUNNING' ? terminalFields(result) : pick(execution)),
        });
        await this.dispatch(outbox);
        return;
      } catch (e) {
        if (e instanceof ExecutionStoreError && e.code === 'ConcurrentModification' && attempt < MAX_STEP_ATTEMPTS)
          continue;
        throw e;
      }
    }
  }

  /** Runs one task and puts its outcome in the inbox. A retried job may run the task again (at least once). */
  async invokeTask(arn: string, command: InvokeTaskCommand): Promise<void> {
    if (parseTaskResource(command.resource).kind === 'activity') return;
    const controller = new AbortController();
    const request: TaskRequest = {
      resource: command.resource,
      input: command.input,
      stateName: command.stateName,
      context: await this.withExecutionInput(arn, command.context),
      signal: controller.signal,
      ...(command.timeoutSeconds === undefined ? {} : { timeoutSeconds: command.timeoutSeconds }),
      ...(command.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: command.heartbeatSeconds }),
      ...(command.taskToken === undefined
        ? {}
        : { taskToken: command.taskToken, callbacks: this.callbacksFor(command.taskToken) }),
    };
    let message: InboxMessage;
    try {
      const output = ((await this.options.taskInvoker(request)) ?? null) as JsonValue;
      message =
        command.completion === 'callback'
          ? { type: 'TaskSubmitted', taskId: command.taskId, output }
          : { type: 'TaskSucceeded', taskId: command.taskId, output };
    } catch (thrown) {
      const { error, cause } = describeTaskError(thrown);
      message = { type: 'TaskFailed', taskId: command.taskId, error, cause };
    }
    await this.deliver(arn, message);
  }

  /** Execution inputs by ARN, for the tasks that need them back in their context object (a few recent ones). */
  private readonly executionInputs = new Map<string, JsonValue>();

  /** Puts `$$.Execution.Input` back into a task's context object ({@link withCompactInvocations} took it out). */
  private async withExecutionInput(arn: string, context: JsonValue): Promise<JsonValue> {
    if (!isJsonObject(context) || !isJsonObject(context['Execution']) || 'Input' in context['Execution']) return context;
    let input = this.executionInputs.get(arn);
    if (input === undefined) {
      const execution = await this.options.store.findExecution(arn);
      input = execution ? (JSON.parse(execution.input) as JsonValue) : null;
      if (this.executionInputs.size >= 256) this.executionInputs.delete(this.executionInputs.keys().next().value as string);
      this.executionInputs.set(arn, input);
    }
    return { ...context, Execution: { ...context['Execution'], Input: input } };
  }

  /** Dispatches what crashes left in the outbox (entries older than `olderThan`). Returns how many. */
  async sweepOutbox(olderThan: Date, limit = 500): Promise<number> {
    const pending = await this.options.store.pendingOutbox(limit, olderThan);
    await this.dispatch(pending);
    return pending.length;
  }

  /**
   * Asks again for the work RUNNING executions idle since `idleSince` wait on: their timers and the task
   * invocations not yet answered. Redis keeps nothing across a restart, so this is how queued work survives one.
   * Deterministic job ids make it harmless for work still queued; a task whose job finished but whose outcome is
   * not yet stepped may run once more (at least once, as Step Functions itself), and its late outcome is dropped.
   */
  async resync(idleSince: Date, batchSize = 500): Promise<number> {
    let count = 0;
    for (let after = ''; ;) {
      const idle = await this.options.store.idleRunningExecutions(idleSince, batchSize, after);
      for (const arn of idle) await this.resyncExecution(arn);
      count += idle.length;
      if (idle.length < batchSize) return count;
      after = idle.at(-1) as string;
    }
  }

  private async resyncExecution(arn: string): Promise<void> {
    const now = this.ports.now();
    const loaded = await this.options.store.loadForStep(arn);
    if (!loaded || loaded.execution.status !== 'RUNNING') return;
    const { snapshot, inbox } = loaded;
    for (const [timerId, timer] of Object.entries(snapshot.timers)) {
      await this.enqueue(arn, { type: 'StartTimer', timerId, fireAt: timer.fireAt }, now);
    }
    for (const task of Object.values(snapshot.tasks)) {
      if (task.invocation && !task.submitted) await this.enqueue(arn, task.invocation, now);
    }
    if (inbox.length > 0) {
      await this.options.queue.add(
        JobName.AdvanceExecution,
        { executionArn: arn },
        { jobId: `advance|${arn}`, rerunIfRunning: true },
      );
    }
  }

  /** Steps executions whose inbox waited longer than `olderThan` (their wake-up was lost). Returns how many. */
  async sweepInbox(olderThan: Date, limit = 500): Promise<number> {
    const stale = await this.options.store.staleInboxExecutions(olderThan, limit);
    for (const arn of stale) {
      await this.options.queue.add(
        JobName.AdvanceExecution,
        { executionArn: arn },
        { jobId: `advance|${arn}`, rerunIfRunning: true },
      );
    }
    return stale.length;
  }

  /** Puts an outcome in the execution's inbox and asks for a step. */
  private async deliver(arn: string, message: InboxMessage): Promise<void> {
    await this.options.store.appendInbox(arn, message);
    // rerunIfRunning: a step already under way may have read the inbox before this entry landed.
    await this.options.queue.add(
      JobName.AdvanceExecution,
      { executionArn: arn },
      { jobId: `advance|${arn}`, rerunIfRunning: true },
    );
  }

  /** Turns committed commands into jobs with deterministic ids, then clears them from the outbox. */
  private async dispatch(outbox: readonly OutboxEntry[]): Promise<void> {
    if (outbox.length === 0) return;
    const now = this.ports.now();
    for (const entry of outbox) await this.enqueue(entry.executionArn, entry.command, now);
    await this.options.store.deleteOutbox(outbox.map((entry) => entry.id));
  }

  private async enqueue(arn: string, command: Command, now: number): Promise<void> {
    const { queue } = this.options;
    switch (command.type) {
      case 'InvokeTask':
        return queue.add(
          JobName.InvokeTask,
          { executionArn: arn, command },
          { jobId: `task|${arn}|${command.taskId}` },
        );
      case 'StartTimer':
        return queue.add(
          JobName.FireTimer,
          { executionArn: arn, timerId: command.timerId },
          { jobId: `timer|${arn}|${command.timerId}`, delayMs: Math.max(0, command.fireAt - now) },
        );
      case 'CancelTask':
        // A task already running elsewhere cannot be recalled; its late outcome finds the task settled and is dropped.
        return;
    }
  }

  /**
   * A local handler's SendTaskSuccess/Failure/Heartbeat. A task already settled (completed, timed out, stopped)
   * ignores them; an output the API would refuse fails the task instead, since no caller is there to hear the
   * refusal; anything else (the store unreachable) is reported without taking the worker down.
   */
  private callbacksFor(taskToken: string) {
    const settle = (call: Promise<void>): void => {
      call.catch(async (e: unknown) => {
        if (!(e instanceof ServiceException)) return reportCallbackFailure(taskToken, e);
        if (e.code === ServiceExceptionCode.TaskDoesNotExist || e.code === ServiceExceptionCode.TaskTimedOut) return;
        if (e.code !== ServiceExceptionCode.InvalidOutput) return reportCallbackFailure(taskToken, e);
        await this.sendTaskFailure(taskToken, PredefinedErrorName.DataLimitExceeded, e.message).catch((again: unknown) =>
          reportCallbackFailure(taskToken, again),
        );
      });
    };
    return {
      success: (output: JsonValue): void => settle(this.sendTaskSuccess(taskToken, JSON.stringify(output ?? null))),
      failure: (error: string, cause?: string): void => settle(this.sendTaskFailure(taskToken, error, cause)),
      heartbeat: (): void => settle(this.sendTaskHeartbeat(taskToken)),
    };
  }

  private sameOrConflict(existing: ExecutionRecord, inputText: string): ExecutionRecord {
    if (sameJson(existing.input, inputText)) return existing;
    throw new ServiceException(
      ServiceExceptionCode.ExecutionAlreadyExists,
      `Execution Already Exists: '${existing.executionArn}' was started with a different input`,
    );
  }

  private checkDefinition(definition: string, type: StateMachineType): void {
    const diagnostics = this.validateDefinition(definition, type);
    if (diagnostics.length === 0) return;
    throw new ServiceException(
      ServiceExceptionCode.InvalidDefinition,
      `Invalid State Machine Definition: ${diagnostics.map((d) => `${d.message} at ${d.location || '/'}`).join('; ')}`,
      diagnostics,
    );
  }

  /** The scopes of the revision an execution started with (read from the store once per process). */
  private async revisionScopesOrFail(execution: ExecutionRecord): Promise<StateMachineScopes> {
    const known = this.machines.get(execution.revisionId);
    if (known) return known;
    const revision = await this.options.store.findRevision(execution.revisionId);
    if (!revision)
      throw new Error(
        `Execution ${execution.executionArn} refers to revision ${execution.revisionId}, which does not exist`,
      );
    return this.scopesFor(revision.revisionId, revision.definition);
  }

  /** Revisions never change, so their indexed scopes are kept for every later step. */
  private scopesFor(revisionId: string, definition: string): StateMachineScopes {
    let scopes = this.machines.get(revisionId);
    if (!scopes) {
      const parsed = parseDefinition(definition);
      if (!parsed.definition) throw new Error(`Stored revision ${revisionId} is not a valid definition`);
      scopes = new StateMachineScopes(parsed.definition);
      this.machines.set(revisionId, scopes);
    }
    return scopes;
  }
}

function reportCallbackFailure(taskToken: string, e: unknown): void {
  // The task stays open and times out as configured; the worker goes on.
  console.error(`A handler's callback for task token ${taskToken} failed: ${e instanceof Error ? e.message : String(e)}`);
}

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw new ServiceException(
      ServiceExceptionCode.InvalidName,
      `Invalid Name: '${name}': a ${what} name has 1 to 80 characters from A-Z, a-z, 0-9, '-' and '_'`,
    );
  }
}

/**
 * The execution's input is part of every task's context object (`$$.Execution.Input`). Written into each task
 * command, outbox row, job and pending task of the snapshot, a wide Map would carry it thousands of times (a 30 KB
 * input, 1,000 items: a 30 MB snapshot). It is taken out here and put back when the task runs.
 */
function withCompactInvocations(result: StepResult): StepResult {
  if (!result.commands.some((command) => command.type === 'InvokeTask')) return result;
  const compact = new Map<string, InvokeTaskCommand>();
  const commands = result.commands.map((command) => {
    if (command.type !== 'InvokeTask') return command;
    const { context } = command;
    if (!isJsonObject(context) || !isJsonObject(context['Execution'])) return command;
    const { Input: _input, ...execution } = context['Execution'];
    const stripped: InvokeTaskCommand = { ...command, context: { ...context, Execution: execution } };
    compact.set(command.taskId, stripped);
    return stripped;
  });
  for (const [taskId, task] of Object.entries(result.snapshot.tasks)) {
    const stripped = compact.get(taskId);
    if (stripped) task.invocation = stripped;
  }
  return { ...result, commands };
}

/** The execution record's terminal fields after a step. */
function terminalFields(result: StepResult) {
  const { snapshot } = result;
  return {
    status: snapshot.status,
    output: snapshot.status === 'SUCCEEDED' ? JSON.stringify(snapshot.output ?? null) : null,
    error: snapshot.error ?? null,
    cause: snapshot.cause ?? null,
    stopDate: snapshot.stopDate === undefined ? null : new Date(snapshot.stopDate),
  };
}

function pick(execution: ExecutionRecord) {
  const { status, output, error, cause, stopDate } = execution;
  return { status, output, error, cause, stopDate };
}

/** The tokens the execution waits on after a step: the API resolves SendTask* calls through them. */
function openTaskTokens(result: StepResult): { taskToken: string; taskId: string }[] {
  const tokens: { taskToken: string; taskId: string }[] = [];
  for (const [taskId, task] of Object.entries(result.snapshot.tasks)) {
    if (task.taskToken !== undefined) tokens.push({ taskToken: task.taskToken, taskId });
  }
  return tokens;
}

/** What an execution waits on by token, and the timers that would time those tasks (or the execution) out. */
interface TokenTimeouts {
  readonly tokens: readonly { readonly taskId: string; readonly taskToken: string }[];
  readonly timers: ReadonlyMap<string, { readonly purpose: TimerPurpose; readonly taskId?: string }>;
}

function tokenTimeoutsOf(snapshot: ExecutionSnapshot): TokenTimeouts {
  const tokens = Object.entries(snapshot.tasks).flatMap(([taskId, task]) =>
    task.taskToken === undefined ? [] : [{ taskId, taskToken: task.taskToken }],
  );
  const timers = new Map<string, { purpose: TimerPurpose; taskId?: string }>();
  if (tokens.length > 0) {
    for (const [timerId, timer] of Object.entries(snapshot.timers)) {
      if (timer.purpose === 'wait' || timer.purpose === 'retry') continue;
      timers.set(timerId, { purpose: timer.purpose, ...(timer.taskId === undefined ? {} : { taskId: timer.taskId }) });
    }
  }
  return { tokens, timers };
}

/**
 * The tokens a step dropped because their task timed out (a task or heartbeat timeout that fired in this step), or
 * because the execution itself timed out. Tokens dropped because their task succeeded, failed or was cancelled are
 * not among them.
 */
function timedOutTaskTokens(before: TokenTimeouts, messages: readonly InboxMessage[], result: StepResult): string[] {
  if (before.tokens.length === 0 || !result.events.some((event) => TIMED_OUT_EVENTS.has(event.type))) return [];
  const fired = messages.flatMap((message) => {
    const timer = message.type === 'TimerFired' ? before.timers.get(message.timerId) : undefined;
    return timer ? [timer] : [];
  });
  const executionTimedOut =
    result.snapshot.status === 'TIMED_OUT' && fired.some((timer) => timer.purpose === 'execution-timeout');
  const timedOutTasks = new Set(
    fired.flatMap((timer) =>
      (timer.purpose === 'task-timeout' || timer.purpose === 'heartbeat-timeout') && timer.taskId !== undefined
        ? [timer.taskId]
        : [],
    ),
  );
  const stillOpen = new Set(openTaskTokens(result).map((token) => token.taskToken));
  return before.tokens
    .filter(({ taskId, taskToken }) => !stillOpen.has(taskToken) && (executionTimedOut || timedOutTasks.has(taskId)))
    .map(({ taskToken }) => taskToken);
}

/** Refuses tags Step Functions would refuse: malformed keys or values, or more than 50 on the resource. */
function checkTags(tags: readonly ResourceTag[], existing: readonly ResourceTag[]): void {
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
      throw new ServiceException(
        ServiceExceptionCode.ValidationException,
        `Invalid tag key '${key.slice(0, 200)}': 1 to 128 letters, digits, spaces and _ . : / = + - @`,
      );
    }
    if (value.length > 256 || !TAG_TEXT.test(value)) {
      throw new ServiceException(
        ServiceExceptionCode.ValidationException,
        `Invalid value for tag '${key}': up to 256 letters, digits, spaces and _ . : / = + - @`,
      );
    }
  }
  const keys = new Set([...existing, ...tags].map((tag) => tag.key));
  if (keys.size > MAX_TAGS_PER_RESOURCE) {
    throw new ServiceException(
      ServiceExceptionCode.TooManyTags,
      `Too many tags: a resource has at most ${MAX_TAGS_PER_RESOURCE}; this would make ${keys.size}`,
    );
  }
}

/** Activity tasks scheduled by a step: parked in the store for GetActivityTask, not sent to a handler. */
function activityTasksOf(arn: string, commands: readonly Command[]) {
  const tasks: { taskToken: string; activityArn: string; executionArn: string; input: string }[] = [];
  for (const command of commands) {
    if (command.type !== 'InvokeTask' || command.taskToken === undefined) continue;
    if (parseTaskResource(command.resource).kind !== 'activity') continue;
    tasks.push({
      taskToken: command.taskToken,
      activityArn: command.resource,
      executionArn: arn,
      input: JSON.stringify(command.input),
    });
  }
  return tasks;
}

function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** Maps the store's refusals to API errors; anything else propagates as a server fault. */
function translateStoreError(e: unknown): unknown {
  if (!(e instanceof ExecutionStoreError)) return e;
  switch (e.code) {
    case 'StateMachineAlreadyExists':
      return new ServiceException(ServiceExceptionCode.StateMachineAlreadyExists, e.message);
    case 'StateMachineDoesNotExist':
      return new ServiceException(ServiceExceptionCode.StateMachineDoesNotExist, e.message);
    case 'ExecutionAlreadyExists':
      return new ServiceException(ServiceExceptionCode.ExecutionAlreadyExists, e.message);
    case 'ExecutionDoesNotExist':
      return new ServiceException(ServiceExceptionCode.ExecutionDoesNotExist, e.message);
    case 'ActivityDoesNotExist':
      return new ServiceException(ServiceExceptionCode.ActivityDoesNotExist, e.message);
    case 'ActivityAlreadyExists':
      return new ServiceException(ServiceExceptionCode.ActivityAlreadyExists, e.message);
    case 'InvalidToken':
      return new ServiceException(ServiceExceptionCode.InvalidToken, e.message);
    case 'ConcurrentModification':
      return e;
  }
}
