import type { HistoryEvent } from '@lib/asl';
import { sessionToken } from './session-token';

/**
 * The dashboard's only way to the service: the REST API, same origin. Shapes are the API's (Step Functions' names
 * in camelCase, ISO-8601 dates).
 */

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type ExecutionCounts = Partial<Record<ExecutionStatus, number>>;

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: string;
  executionCounts?: ExecutionCounts;
}

export interface StateMachineDescription extends StateMachineListItem {
  definition: string;
  roleArn: string;
  updateDate: string;
  revisionId: string;
}

/** The definition an execution runs (DescribeStateMachineForExecution): later updates do not change it. */
export interface ExecutionStateMachine {
  stateMachineArn: string;
  name: string;
  definition: string;
  revisionId: string;
  updateDate: string;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
}

export interface ExecutionDescription extends ExecutionListItem {
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface WaitingTask {
  taskToken: string;
  stateName: string;
  resource: string;
}

export interface ExecutionFilter {
  stateMachineArn?: string;
  statusFilter?: ExecutionStatus;
  search?: string;
  startedAfter?: string;
  startedBefore?: string;
}

/** An error answer of the API: its AWS error name (`__type`), message and HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** Listeners told when the API refuses the session's token, so the app can ask for it again. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const token = sessionToken();
  const response = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? {} : safeParse(text);
  if (!response.ok) {
    const error = parsed as { __type?: string; message?: string };
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    throw new ApiError(response.status, error.__type ?? `HTTP ${response.status}`, error.message ?? text);
  }
  return parsed as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

const arnPath = (arn: string): string => encodeURIComponent(arn);

/** Asks a route that always needs the token (when one is set): tells whether the session may use the API. */
export async function checkAccess(): Promise<void> {
  await call('GET', `/state-machines${query({ maxResults: 1 })}`);
}

export function listStateMachines(nextToken?: string) {
  return call<{ stateMachines: StateMachineListItem[]; nextToken?: string }>(
    'GET',
    `/state-machines${query({ maxResults: 100, nextToken })}`,
  );
}

export function describeStateMachine(arn: string) {
  return call<StateMachineDescription>('GET', `/state-machines/${arnPath(arn)}`);
}

export function listExecutions(filter: ExecutionFilter, maxResults: number, nextToken?: string) {
  return call<{ executions: ExecutionListItem[]; nextToken?: string }>(
    'GET',
    `/executions${query({ ...filter, maxResults, nextToken })}`,
  );
}

export function describeExecution(arn: string, signal?: AbortSignal) {
  return call<ExecutionDescription>('GET', `/executions/${arnPath(arn)}`, undefined, signal);
}

export function describeStateMachineForExecution(arn: string, signal?: AbortSignal) {
  return call<ExecutionStateMachine>('GET', `/executions/${arnPath(arn)}/state-machine`, undefined, signal);
}

export function startExecution(stateMachineArn: string, input: string, name?: string) {
  return call<{ executionArn: string; startDate: string }>('POST', '/executions', {
    stateMachineArn,
    input,
    ...(name === undefined || name === '' ? {} : { name }),
  });
}

export function stopExecution(arn: string, error?: string, cause?: string) {
  return call<{ stopDate: string }>('POST', `/executions/${arnPath(arn)}/stop`, {
    ...(error ? { error } : {}),
    ...(cause ? { cause } : {}),
  });
}

export function listWaitingTasks(arn: string, signal?: AbortSignal) {
  return call<{ tasks: WaitingTask[] }>('GET', `/executions/${arnPath(arn)}/waiting-tasks`, undefined, signal);
}

export function sendTaskSuccess(taskToken: string, output: string) {
  return call<object>('POST', '/tasks/success', { taskToken, output });
}

export function sendTaskFailure(taskToken: string, error?: string, cause?: string) {
  return call<object>('POST', '/tasks/failure', {
    taskToken,
    ...(error ? { error } : {}),
    ...(cause ? { cause } : {}),
  });
}

/** The API's largest history page (GetExecutionHistory's own limit). */
const HISTORY_PAGE = 1000;

/** Every event of the history, oldest first; `onPage` sees the events loaded so far after each page. */
export async function loadHistory(
  arn: string,
  signal: AbortSignal,
  onPage?: (loaded: readonly HistoryEvent[]) => void,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<{ events: HistoryEvent[]; nextToken?: string }>(
      'GET',
      `/executions/${arnPath(arn)}/history${query({ maxResults: HISTORY_PAGE, nextToken })}`,
      undefined,
      signal,
    );
    events.push(...page.events);
    nextToken = page.nextToken;
    onPage?.(events);
  } while (nextToken !== undefined);
  return events;
}

/**
 * The events after `afterId`, oldest first: read newest-first until the known part is reached, so refreshing a
 * running execution costs a page or two however long its history already is.
 */
export async function loadHistorySince(arn: string, afterId: number, signal: AbortSignal): Promise<HistoryEvent[]> {
  const newer: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<{ events: HistoryEvent[]; nextToken?: string }>(
      'GET',
      `/executions/${arnPath(arn)}/history${query({ maxResults: 200, reverseOrder: true, nextToken })}`,
      undefined,
      signal,
    );
    for (const event of page.events) {
      if (event.id <= afterId) return newer.reverse();
      newer.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return newer.reverse();
}
