import type { HistoryEvent } from '@lib/asl';
import type { ExecutionRecord, StateMachineRecord, StoredHistoryEvent } from '@lib/engine';
import { summaryMappers } from '../http/api-responses';

/**
 * Output members as the Step Functions API reference names them. Timestamps are epoch seconds (a JSON number with
 * the milliseconds as its fraction): the AWS JSON 1.0 protocol's default timestamp format, which the SDKs read
 * back into dates. Absent optional members are left out, never sent as null.
 */

export function epochSeconds(date: Date | string): number {
  return (typeof date === 'string' ? Date.parse(date) : date.getTime()) / 1000;
}

const summary = summaryMappers(epochSeconds);
export const { stateMachineListItem, executionListItem, activityDescription } = summary;
export { nextTokenOf } from '../http/api-responses';

/** What Step Functions reports when logging and X-Ray tracing are off, which they always are here. */
const LOGGING_OFF = { level: 'OFF', includeExecutionData: false } as const;
const TRACING_OFF = { enabled: false } as const;

export function stateMachineDescription(machine: StateMachineRecord) {
  return {
    stateMachineArn: machine.stateMachineArn,
    name: machine.name,
    status: 'ACTIVE' as const,
    definition: machine.definition,
    roleArn: machine.roleArn,
    type: machine.type,
    creationDate: epochSeconds(machine.creationDate),
    loggingConfiguration: LOGGING_OFF,
    tracingConfiguration: TRACING_OFF,
    revisionId: machine.revisionId,
  };
}

export function stateMachineForExecution(revision: Parameters<typeof summary.stateMachineForExecution>[0]) {
  return {
    ...summary.stateMachineForExecution(revision),
    loggingConfiguration: LOGGING_OFF,
    tracingConfiguration: TRACING_OFF,
  };
}

export function executionDescription(execution: ExecutionRecord) {
  return {
    ...executionListItem(execution),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === null ? {} : { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error === null ? {} : { error: execution.error }),
    ...(execution.cause === null ? {} : { cause: execution.cause }),
  };
}

/**
 * StartSyncExecution's answer for a finished execution. Its status is one of SUCCEEDED, FAILED and TIMED_OUT; an
 * execution stopped by StopExecution while the call waited is reported FAILED with the stop's error.
 */
export function syncExecutionResult(execution: ExecutionRecord) {
  const status = execution.status === 'ABORTED' || execution.status === 'RUNNING' ? 'FAILED' : execution.status;
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    startDate: epochSeconds(execution.startDate),
    stopDate: epochSeconds(execution.stopDate ?? new Date()),
    status,
    ...(execution.error === null
      ? execution.status === 'ABORTED'
        ? { error: 'States.Aborted' }
        : {}
      : { error: execution.error }),
    ...(execution.cause === null ? {} : { cause: execution.cause }),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === null ? {} : { output: execution.output, outputDetails: { included: true } }),
  };
}

/**
 * The members of an event's details that carry execution data. GetExecutionHistory with
 * `includeExecutionData: false` leaves them out (and says nothing of their size), keeping names, errors and ARNs.
 */
const EXECUTION_DATA_MEMBERS: ReadonlySet<string> = new Set([
  'input',
  'inputDetails',
  'output',
  'outputDetails',
  'parameters',
  'assignedVariables',
  'assignedVariablesDetails',
]);

/** A history event as GetExecutionHistory returns it over the protocol: the stored event, timestamp in seconds. */
export function historyEvent(stored: StoredHistoryEvent, includeExecutionData: boolean) {
  const { timestamp, ...rest } = stored.event;
  const event: Record<string, unknown> = { timestamp: epochSeconds(timestamp), ...rest };
  if (includeExecutionData) return event;
  for (const [member, details] of Object.entries(rest as Omit<HistoryEvent, 'timestamp'>)) {
    if (!member.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
    event[member] = Object.fromEntries(Object.entries(details).filter(([name]) => !EXECUTION_DATA_MEMBERS.has(name)));
  }
  return event;
}
