import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DurableDriver,
  type ExecutionRecord,
  type ResourceTag,
  ServiceException,
  ServiceExceptionCode,
} from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ActivityTaskPoller } from '../activities/activity-task.poller';
import { ApiRequestException } from '../http/api-request.exception';
import { ARN_PATTERNS, checkArn } from '../http/arn-validation.pipe';
import { SchemaValidationPipe } from '../http/schema-validation.pipe';
import { SfnAction } from './sfn-action.enum';
import { type PageRequest, SFN_REQUEST_SCHEMAS, type SfnRequests, type Tag } from './sfn-request.schemas';
import {
  activityDescription,
  epochSeconds,
  executionDescription,
  executionListItem,
  historyEvent,
  nextTokenOf,
  stateMachineDescription,
  stateMachineForExecution,
  stateMachineListItem,
  syncExecutionResult,
} from './sfn-response.mappers';

/** What a call needs to know about its HTTP request: whether the client is still there (for the long calls). */
export interface SfnCallContext {
  readonly hungUp: AbortSignal;
}

/**
 * How long StartSyncExecution waits: Step Functions runs an Express execution for at most five minutes, and a
 * synchronous one is then TIMED_OUT.
 */
export const SYNC_EXECUTION_LIMIT_MS = 5 * 60_000;

/** ValidateStateMachineDefinition's default and largest number of diagnostics. */
const MAX_DIAGNOSTICS = 100;

const validators = Object.fromEntries(
  Object.entries(SFN_REQUEST_SCHEMAS).map(([action, schema]) => [action, new SchemaValidationPipe(schema, 'body')]),
) as { readonly [A in SfnAction]: SchemaValidationPipe };

/**
 * The Step Functions API over the AWS JSON protocol: one method per action, each a thin mapping of the action's
 * request and response members onto the {@link DurableDriver} the REST API also calls — one implementation, two
 * front doors. Semantics that differ between the two are Step Functions' own and are noted where they occur.
 */
@Injectable()
export class SfnActionsService implements OnModuleDestroy {
  /** Aborted at shutdown: a StartSyncExecution must not hold the process (or its HTTP server) open. */
  private readonly shuttingDown = new AbortController();

  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(ActivityTaskPoller) private readonly activityTasks: ActivityTaskPoller,
  ) {}

  /** Checks the request's members, runs the action, and returns its output members. */
  async call(action: SfnAction, body: unknown, context: SfnCallContext): Promise<object> {
    switch (action) {
      case SfnAction.CreateStateMachine:
        return this.createStateMachine(requestOf(action, body));
      case SfnAction.DescribeStateMachine:
        return this.describeStateMachine(requestOf(action, body));
      case SfnAction.UpdateStateMachine:
        return this.updateStateMachine(requestOf(action, body));
      case SfnAction.DeleteStateMachine:
        return this.deleteStateMachine(requestOf(action, body));
      case SfnAction.ListStateMachines:
        return this.listStateMachines(requestOf(action, body));
      case SfnAction.DescribeStateMachineForExecution:
        return this.describeStateMachineForExecution(requestOf(action, body));
      case SfnAction.ValidateStateMachineDefinition:
        return this.validateStateMachineDefinition(requestOf(action, body));
      case SfnAction.StartExecution:
        return this.startExecution(requestOf(action, body));
      case SfnAction.StartSyncExecution:
        return this.startSyncExecution(requestOf(action, body), context);
      case SfnAction.DescribeExecution:
        return this.describeExecution(requestOf(action, body));
      case SfnAction.ListExecutions:
        return this.listExecutions(requestOf(action, body));
      case SfnAction.GetExecutionHistory:
        return this.getExecutionHistory(requestOf(action, body));
      case SfnAction.StopExecution:
        return this.stopExecution(requestOf(action, body));
      case SfnAction.SendTaskSuccess:
        return this.sendTaskSuccess(requestOf(action, body));
      case SfnAction.SendTaskFailure:
        return this.sendTaskFailure(requestOf(action, body));
      case SfnAction.SendTaskHeartbeat:
        return this.sendTaskHeartbeat(requestOf(action, body));
      case SfnAction.CreateActivity:
        return this.createActivity(requestOf(action, body));
      case SfnAction.DescribeActivity:
        return this.describeActivity(requestOf(action, body));
      case SfnAction.DeleteActivity:
        return this.deleteActivity(requestOf(action, body));
      case SfnAction.ListActivities:
        return this.listActivities(requestOf(action, body));
      case SfnAction.GetActivityTask:
        return this.getActivityTask(requestOf(action, body), context);
      case SfnAction.TagResource:
        return this.tagResource(requestOf(action, body));
      case SfnAction.UntagResource:
        return this.untagResource(requestOf(action, body));
      case SfnAction.ListTagsForResource:
        return this.listTagsForResource(requestOf(action, body));
    }
  }

  onModuleDestroy(): void {
    this.shuttingDown.abort();
  }

  // ── state machines ───────────────────────────────────────────────────────────────────────────────────────────

  /**
   * `roleArn` is required by Step Functions but optional here, as in Step Functions Local: no role is assumed, and
   * executions report the default role when none is given.
   */
  private async createStateMachine(request: SfnRequests['CreateStateMachine']) {
    const machine = await this.driver.createStateMachine({
      name: request.name,
      definition: request.definition,
      ...(request.type === undefined ? {} : { type: request.type }),
      ...(request.roleArn === undefined ? {} : { roleArn: request.roleArn }),
      tags: resourceTags(request.tags ?? []),
    });
    return { stateMachineArn: machine.stateMachineArn, creationDate: epochSeconds(machine.creationDate) };
  }

  private async describeStateMachine(request: SfnRequests['DescribeStateMachine']) {
    const arn = checkArn('stateMachine', request.stateMachineArn, 'stateMachineArn');
    return stateMachineDescription(await this.driver.describeStateMachine(arn));
  }

  private async updateStateMachine(request: SfnRequests['UpdateStateMachine']) {
    const arn = checkArn('stateMachine', request.stateMachineArn, 'stateMachineArn');
    const machine = await this.driver.updateStateMachine(arn, {
      ...(request.definition === undefined ? {} : { definition: request.definition }),
      ...(request.roleArn === undefined ? {} : { roleArn: request.roleArn }),
    });
    return { updateDate: epochSeconds(machine.updateDate), revisionId: machine.revisionId };
  }

  /** Step Functions' DeleteStateMachine names no StateMachineDoesNotExist error: deleting what is gone succeeds. */
  private async deleteStateMachine(request: SfnRequests['DeleteStateMachine']) {
    const arn = checkArn('stateMachine', request.stateMachineArn, 'stateMachineArn');
    await ignoring(ServiceExceptionCode.StateMachineDoesNotExist, this.driver.deleteStateMachine(arn));
    return {};
  }

  private async listStateMachines(request: SfnRequests['ListStateMachines']) {
    const page = await this.driver.listStateMachines(pageOf(request));
    return { stateMachines: page.items.map(stateMachineListItem), ...nextTokenOf(page) };
  }

  private async describeStateMachineForExecution(request: SfnRequests['DescribeStateMachineForExecution']) {
    const arn = checkArn('execution', request.executionArn, 'executionArn');
    return stateMachineForExecution(await this.driver.describeStateMachineForExecution(arn));
  }

  private validateStateMachineDefinition(request: SfnRequests['ValidateStateMachineDefinition']) {
    const diagnostics = this.driver.validateDefinition(request.definition, request.type);
    const limit = request.maxResults || MAX_DIAGNOSTICS;
    return {
      result: diagnostics.length === 0 ? ('OK' as const) : ('FAIL' as const),
      diagnostics: diagnostics.slice(0, limit).map((d) => ({
        severity: 'ERROR' as const,
        code: d.code,
        message: d.message,
        location: d.location,
      })),
      truncated: diagnostics.length > limit,
    };
  }

  // ── executions ───────────────────────────────────────────────────────────────────────────────────────────────

  private async startExecution(request: SfnRequests['StartExecution']) {
    const { execution } = await this.driver.startExecution(startOf(request));
    return { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) };
  }

  /**
   * StartSyncExecution: starts an Express execution and answers when it has finished, as Step Functions does; a
   * Standard state machine is refused with StateMachineTypeNotSupported, as there. An execution still running after
   * five minutes is stopped and reported TIMED_OUT.
   */
  private async startSyncExecution(request: SfnRequests['StartSyncExecution'], context: SfnCallContext) {
    const machine = await this.driver.describeStateMachine(
      checkArn('stateMachine', request.stateMachineArn, 'stateMachineArn'),
    );
    if (machine.type !== 'EXPRESS') {
      throw new ServiceException(
        ServiceExceptionCode.StateMachineTypeNotSupported,
        `StartSyncExecution runs Express state machines only; '${machine.stateMachineArn}' is ${machine.type}`,
      );
    }
    const { execution } = await this.driver.startExecution(startOf(request));
    const finished = await this.settled(execution, context.hungUp);
    if (finished.status !== 'RUNNING') return syncExecutionResult(finished);
    if (context.hungUp.aborted) return {};
    if (this.shuttingDown.signal.aborted) {
      throw new ApiRequestException(
        503,
        'ServiceUnavailable',
        `The server is shutting down; the execution goes on: DescribeExecution '${execution.executionArn}'`,
      );
    }
    await this.driver.stopExecution(execution.executionArn, {
      error: 'States.Timeout',
      cause: 'The synchronous execution ran past the five minutes an Express execution may run',
    });
    const stopped = await this.driver.describeExecution(execution.executionArn);
    return { ...syncExecutionResult(stopped), status: 'TIMED_OUT' as const, error: 'States.Timeout' };
  }

  /** The execution once it is no longer RUNNING, or as it is when the wait ends (limit, hang-up or shutdown). */
  private async settled(execution: ExecutionRecord, hungUp: AbortSignal): Promise<ExecutionRecord> {
    const stop = AbortSignal.any([hungUp, this.shuttingDown.signal]);
    const deadline = Date.now() + SYNC_EXECUTION_LIMIT_MS;
    // Short machines finish within milliseconds: ask soon, then back off to a few times a second.
    let interval = 5;
    let current = execution;
    while (current.status === 'RUNNING' && Date.now() < deadline && !stop.aborted) {
      await sleep(Math.min(interval, deadline - Date.now()), undefined, { signal: stop }).catch(() => undefined);
      interval = Math.min(interval * 2, 250);
      current = await this.driver.describeExecution(execution.executionArn);
    }
    return current;
  }

  private async describeExecution(request: SfnRequests['DescribeExecution']) {
    const arn = checkArn('execution', request.executionArn, 'executionArn');
    return executionDescription(await this.driver.describeExecution(arn));
  }

  private async listExecutions(request: SfnRequests['ListExecutions']) {
    const { stateMachineArn, statusFilter, mapRunArn } = request;
    if (mapRunArn !== undefined) {
      throw new ServiceException(
        ServiceExceptionCode.ResourceNotFound,
        `Map runs are not recorded by this engine (mapRunArn '${mapRunArn}'): list by stateMachineArn`,
      );
    }
    const filter =
      stateMachineArn === undefined
        ? {}
        : { stateMachineArn: checkArn('stateMachine', stateMachineArn, 'stateMachineArn') };
    // Executions are never redriven here, so none is ever pending a redrive.
    if (statusFilter === 'PENDING_REDRIVE') {
      if (filter.stateMachineArn !== undefined) await this.driver.describeStateMachine(filter.stateMachineArn);
      return { executions: [] };
    }
    const page = await this.driver.listExecutions(
      { ...filter, ...(statusFilter === undefined ? {} : { statusFilter }) },
      pageOf(request),
    );
    return { executions: page.items.map(executionListItem), ...nextTokenOf(page) };
  }

  private async getExecutionHistory(request: SfnRequests['GetExecutionHistory']) {
    const arn = checkArn('execution', request.executionArn, 'executionArn');
    const page = await this.driver.getExecutionHistory(arn, {
      ...pageOf(request),
      ...(request.reverseOrder === undefined ? {} : { reverseOrder: request.reverseOrder }),
    });
    const includeData = request.includeExecutionData ?? true;
    return { events: page.items.map((event) => historyEvent(event, includeData)), ...nextTokenOf(page) };
  }

  private async stopExecution(request: SfnRequests['StopExecution']) {
    const arn = checkArn('execution', request.executionArn, 'executionArn');
    const { stopDate } = await this.driver.stopExecution(arn, {
      ...(request.error === undefined ? {} : { error: request.error }),
      ...(request.cause === undefined ? {} : { cause: request.cause }),
    });
    return { stopDate: epochSeconds(stopDate) };
  }

  // ── task tokens ──────────────────────────────────────────────────────────────────────────────────────────────

  private async sendTaskSuccess(request: SfnRequests['SendTaskSuccess']) {
    await this.driver.sendTaskSuccess(request.taskToken, request.output);
    return {};
  }

  private async sendTaskFailure(request: SfnRequests['SendTaskFailure']) {
    await this.driver.sendTaskFailure(request.taskToken, request.error, request.cause);
    return {};
  }

  private async sendTaskHeartbeat(request: SfnRequests['SendTaskHeartbeat']) {
    await this.driver.sendTaskHeartbeat(request.taskToken);
    return {};
  }

  // ── activities ───────────────────────────────────────────────────────────────────────────────────────────────

  private async createActivity(request: SfnRequests['CreateActivity']) {
    const activity = await this.driver.createActivity(request.name, resourceTags(request.tags ?? []));
    return { activityArn: activity.activityArn, creationDate: epochSeconds(activity.creationDate) };
  }

  private async describeActivity(request: SfnRequests['DescribeActivity']) {
    const arn = checkArn('activity', request.activityArn, 'activityArn');
    return activityDescription(await this.driver.describeActivity(arn));
  }

  /** Step Functions' DeleteActivity names no ActivityDoesNotExist error: deleting what is gone succeeds. */
  private async deleteActivity(request: SfnRequests['DeleteActivity']) {
    const arn = checkArn('activity', request.activityArn, 'activityArn');
    await ignoring(ServiceExceptionCode.ActivityDoesNotExist, this.driver.deleteActivity(arn));
    return {};
  }

  private async listActivities(request: SfnRequests['ListActivities']) {
    const page = await this.driver.listActivities(pageOf(request));
    return { activities: page.items.map(activityDescription), ...nextTokenOf(page) };
  }

  /** A long poll of up to a minute, as in Step Functions; `{}` when no task arrived. */
  private async getActivityTask(request: SfnRequests['GetActivityTask'], context: SfnCallContext) {
    const arn = checkArn('activity', request.activityArn, 'activityArn');
    const task = await this.activityTasks.claim(arn, request.workerName ?? '', context.hungUp);
    return task ? { taskToken: task.taskToken, input: task.input } : {};
  }

  // ── tags ─────────────────────────────────────────────────────────────────────────────────────────────────────

  private async tagResource(request: SfnRequests['TagResource']) {
    await this.driver.tagResource(taggableArn(request.resourceArn), resourceTags(request.tags));
    return {};
  }

  private async untagResource(request: SfnRequests['UntagResource']) {
    await this.driver.untagResource(taggableArn(request.resourceArn), request.tagKeys);
    return {};
  }

  private async listTagsForResource(request: SfnRequests['ListTagsForResource']) {
    return { tags: await this.driver.listTagsForResource(taggableArn(request.resourceArn)) };
  }
}

/** The request's members, once their types are checked (ValidationException naming every wrong member). */
function requestOf<A extends SfnAction>(action: A, body: unknown): SfnRequests[A] {
  return validators[action].transform(body ?? {}) as SfnRequests[A];
}

/** A page request for the driver: `maxResults: 0` means the default, as in the Step Functions API. */
function pageOf(request: PageRequest): PageRequest {
  return {
    ...(request.maxResults ? { maxResults: request.maxResults } : {}),
    ...(request.nextToken === undefined ? {} : { nextToken: request.nextToken }),
  };
}

function startOf(request: SfnRequests['StartExecution']) {
  return {
    stateMachineArn: checkArn('stateMachine', request.stateMachineArn, 'stateMachineArn'),
    ...(request.input === undefined ? {} : { input: request.input }),
    ...(request.name === undefined ? {} : { name: request.name }),
  };
}

/** Tags are on state machines and activities only. */
function taggableArn(arn: string): string {
  if (ARN_PATTERNS.activity.test(arn)) return arn;
  return checkArn('stateMachine', arn, 'resourceArn');
}

/** A tag without a value has the empty value, as Step Functions lists it. */
function resourceTags(tags: readonly Tag[]): ResourceTag[] {
  return tags.map((tag) => ({ key: tag.key, value: tag.value ?? '' }));
}

async function ignoring(code: ServiceExceptionCode, work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (e) {
    if (!(e instanceof ServiceException && e.code === code)) throw e;
  }
}
