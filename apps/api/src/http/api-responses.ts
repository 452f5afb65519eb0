import type { ActivityRecord, ExecutionRecord, StateMachineRecord, StoredHistoryEvent } from '@lib/engine';

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

export function stateMachineListItem(machine: StateMachineRecord) {
  return {
    stateMachineArn: machine.stateMachineArn,
    name: machine.name,
    type: machine.type,
    creationDate: machine.creationDate.toISOString(),
  };
}

export function executionListItem(execution: ExecutionRecord) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate.toISOString(),
    ...(execution.stopDate === null ? {} : { stopDate: execution.stopDate.toISOString() }),
  };
}

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

/** A GetExecutionHistory event exactly as the interpreter recorded it; the hash chain is served by /verify. */
export function historyEvent(stored: StoredHistoryEvent) {
  return stored.event;
}

export function activityDescription(activity: ActivityRecord) {
  return { activityArn: activity.activityArn, name: activity.name, creationDate: activity.creationDate.toISOString() };
}

/** `nextToken` only when there is a next page. */
export function nextTokenOf(page: { readonly nextToken?: string }) {
  return page.nextToken === undefined ? {} : { nextToken: page.nextToken };
}
