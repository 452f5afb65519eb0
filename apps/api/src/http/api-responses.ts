import type {
  ActivityRecord,
  ExecutionCounts,
  ExecutionRecord,
  StateMachineRecord,
  StateMachineRevision,
  StoredHistoryEvent,
  WaitingTask,
} from '@lib/engine';

/**
 * Response shapes: Step Functions' output members in camelCase, dates as ISO-8601 text. Absent optional members are
 * left out rather than sent as null, as the AWS API does.
 */

export function stateMachineDescription(machine: StateMachineRecord) {
  return {
    stateMachineArn: machine.stateMachineArn,
    name: machine.name,
    status: 'ACTIVE' as const,
    definition: machine.definition,
    roleArn: machine.roleArn,
    type: machine.type,
    creationDate: machine.creationDate.toISOString(),
    updateDate: machine.updateDate.toISOString(),
    revisionId: machine.revisionId,
  };
}

/**
 * The list items and descriptions both front doors return, with dates in the door's own encoding: ISO-8601 text
 * here, epoch seconds in the AWS JSON protocol (`aws-protocol/sfn-response.mappers.ts`).
 */
export function summaryMappers(date: (value: Date) => string | number) {
  return {
    stateMachineListItem: (machine: StateMachineRecord) => ({
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      type: machine.type,
      creationDate: date(machine.creationDate),
    }),
    executionListItem: (execution: ExecutionRecord) => ({
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: date(execution.startDate),
      ...(execution.stopDate === null ? {} : { stopDate: date(execution.stopDate) }),
    }),
    /** DescribeStateMachineForExecution: the revision the execution started with. */
    stateMachineForExecution: (revision: StateMachineRevision & { readonly name: string }) => ({
      stateMachineArn: revision.stateMachineArn,
      name: revision.name,
      definition: revision.definition,
      roleArn: revision.roleArn,
      revisionId: revision.revisionId,
      // The revision's own date: when the definition the execution runs was last updated.
      updateDate: date(revision.creationDate),
    }),
    activityDescription: (activity: ActivityRecord) => ({
      activityArn: activity.activityArn,
      name: activity.name,
      creationDate: date(activity.creationDate),
    }),
  };
}

export const { stateMachineListItem, executionListItem, stateMachineForExecution, activityDescription } =
  summaryMappers((value) => value.toISOString());

/** DescribeExecution's fields. */
export function executionDescription(execution: ExecutionRecord) {
  return {
    ...executionListItem(execution),
    input: execution.input,
    ...(execution.output === null ? {} : { output: execution.output }),
    ...(execution.error === null ? {} : { error: execution.error }),
    ...(execution.cause === null ? {} : { cause: execution.cause }),
  };
}

/** A state machine as the REST API lists and describes it: with its executions counted by status. */
export function withExecutionCounts<T extends object>(item: T, counts: ExecutionCounts | undefined) {
  return { ...item, executionCounts: counts ?? {} };
}

/** A task an execution waits on, with the token that answers it. */
export function waitingTask(task: WaitingTask) {
  return {
    taskToken: task.taskToken,
    stateName: task.stateName,
    resource: task.resource,
    ...(task.scheduledAt === undefined ? {} : { scheduledAt: task.scheduledAt.toISOString() }),
  };
}

/** A GetExecutionHistory event exactly as the interpreter recorded it; the hash chain is served by /verify. */
export function historyEvent(stored: StoredHistoryEvent) {
  return stored.event;
}

/** `nextToken` only when there is a next page. */
export function nextTokenOf(page: { readonly nextToken?: string }) {
  return page.nextToken === undefined ? {} : { nextToken: page.nextToken };
}
