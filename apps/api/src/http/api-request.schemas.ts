import { ServiceException, ServiceExceptionCode } from '@lib/engine';
import type { RequestSchema } from './schema-validation.pipe';

/**
 * The request shapes of the API, as JSON Schemas: one definition validates each request and documents it in /docs.
 * Names follow the Step Functions API in camelCase. Unknown fields are refused, so a misspelt `stateMachineARN`
 * is reported rather than silently ignored.
 */

const NAME = { type: 'string', minLength: 1, maxLength: 80, description: '1 to 80 characters: A-Z, a-z, 0-9, - and _' };
const ARN = { type: 'string', minLength: 1, maxLength: 2048 };
const TASK_TOKEN = {
  type: 'string',
  minLength: 1,
  maxLength: 1024,
  description: 'The token from `$$.Task.Token` or GetActivityTask',
};
const MAX_RESULTS = { type: 'integer', minimum: 1, maximum: 1000, description: 'Page size (default 100)' };
const NEXT_TOKEN = {
  type: 'string',
  minLength: 1,
  maxLength: 1024,
  description: 'The `nextToken` of the previous page',
};
const JSON_TEXT_OR_VALUE = 'JSON text (a string), or any other JSON value, sent as is';
const STATE_MACHINE_TYPE = { type: 'string', enum: ['STANDARD', 'EXPRESS'] };
const DEFINITION = {
  oneOf: [{ type: 'object' }, { type: 'string' }],
  description: 'The Amazon States Language definition: a JSON object, or its JSON text',
};

/** Types the schemas promise once a request passed them. */
export type JsonTextOrValue = unknown;

export interface CreateStateMachineRequest {
  readonly name: string;
  readonly definition: object | string;
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly roleArn?: string;
}
export const CREATE_STATE_MACHINE: RequestSchema = {
  type: 'object',
  required: ['name', 'definition'],
  additionalProperties: false,
  properties: { name: NAME, definition: DEFINITION, type: STATE_MACHINE_TYPE, roleArn: ARN },
};

export interface UpdateStateMachineRequest {
  readonly definition?: object | string;
  readonly roleArn?: string;
}
export const UPDATE_STATE_MACHINE: RequestSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { definition: DEFINITION, roleArn: ARN },
};

export interface ValidateDefinitionRequest {
  readonly definition: object | string;
  readonly type?: 'STANDARD' | 'EXPRESS';
}
export const VALIDATE_DEFINITION: RequestSchema = {
  type: 'object',
  required: ['definition'],
  additionalProperties: false,
  properties: { definition: DEFINITION, type: STATE_MACHINE_TYPE },
};

export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  readonly input?: JsonTextOrValue;
  readonly name?: string;
}
export const START_EXECUTION: RequestSchema = {
  type: 'object',
  required: ['stateMachineArn'],
  additionalProperties: false,
  properties: {
    stateMachineArn: ARN,
    input: { description: `The execution's input (at most 256 KiB; \`{}\` when absent): ${JSON_TEXT_OR_VALUE}` },
    name: { ...NAME, description: 'Unique per state machine; a repeat with the same input returns the same execution' },
  },
};

export interface StopExecutionRequest {
  readonly error?: string;
  readonly cause?: string;
}
export const STOP_EXECUTION: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { error: { type: 'string', maxLength: 256 }, cause: { type: 'string', maxLength: 32_768 } },
};

export interface SendTaskSuccessRequest {
  readonly taskToken: string;
  readonly output: JsonTextOrValue;
}
export const SEND_TASK_SUCCESS: RequestSchema = {
  type: 'object',
  required: ['taskToken', 'output'],
  additionalProperties: false,
  properties: {
    taskToken: TASK_TOKEN,
    output: { description: `The task's result (at most 256 KiB): ${JSON_TEXT_OR_VALUE}` },
  },
};

export interface SendTaskFailureRequest {
  readonly taskToken: string;
  readonly error?: string;
  readonly cause?: string;
}
export const SEND_TASK_FAILURE: RequestSchema = {
  type: 'object',
  required: ['taskToken'],
  additionalProperties: false,
  properties: {
    taskToken: TASK_TOKEN,
    error: { type: 'string', maxLength: 256 },
    cause: { type: 'string', maxLength: 32_768 },
  },
};

export interface SendTaskHeartbeatRequest {
  readonly taskToken: string;
}
export const SEND_TASK_HEARTBEAT: RequestSchema = {
  type: 'object',
  required: ['taskToken'],
  additionalProperties: false,
  properties: { taskToken: TASK_TOKEN },
};

export interface CreateActivityRequest {
  readonly name: string;
}
export const CREATE_ACTIVITY: RequestSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: NAME },
};

export interface PageQuery {
  readonly maxResults?: number;
  readonly nextToken?: string;
}
export const PAGE_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { maxResults: MAX_RESULTS, nextToken: NEXT_TOKEN },
};

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** The longest `search` of GET /executions. */
export const MAX_EXECUTION_SEARCH_LENGTH = 256;

export interface ListExecutionsQuery extends PageQuery {
  readonly stateMachineArn?: string;
  readonly statusFilter?: (typeof EXECUTION_STATUSES)[number];
  readonly startedAfter?: string;
  readonly startedBefore?: string;
  readonly search?: string;
}
const DATE_TIME_TEXT =
  'an ISO-8601 date-time with a time zone, such as 2030-01-31T09:30:00Z or 2030-01-31T10:30:00+01:00';
export const LIST_EXECUTIONS_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stateMachineArn: ARN,
    statusFilter: { type: 'string', enum: [...EXECUTION_STATUSES] },
    startedAfter: {
      type: 'string',
      maxLength: 64,
      description: `Executions started at or after this instant: ${DATE_TIME_TEXT}`,
    },
    startedBefore: {
      type: 'string',
      maxLength: 64,
      description: `Executions started before this instant: ${DATE_TIME_TEXT}`,
    },
    search: {
      type: 'string',
      maxLength: MAX_EXECUTION_SEARCH_LENGTH,
      description:
        'Executions whose name or ARN contains this text, ignoring case; `%`, `_` and `\\` are not wildcards. ' +
        'Empty means no search',
    },
    maxResults: MAX_RESULTS,
    nextToken: NEXT_TOKEN,
  },
};

/** The filters of GET /executions beyond the ListExecutions ones, read from its validated query. */
export function executionSearchFilter(query: ListExecutionsQuery): {
  readonly startedAfter?: Date;
  readonly startedBefore?: Date;
  readonly search?: string;
} {
  const startedAfter = query.startedAfter === undefined ? undefined : dateTime(query.startedAfter, 'startedAfter');
  const startedBefore = query.startedBefore === undefined ? undefined : dateTime(query.startedBefore, 'startedBefore');
  // An empty range (after = before) is a valid question with an empty answer; a reversed one is a mistake.
  if (startedAfter !== undefined && startedBefore !== undefined && startedAfter > startedBefore) {
    throw new ServiceException(
      ServiceExceptionCode.ValidationException,
      `Invalid request: 'startedAfter' (${query.startedAfter}) is later than 'startedBefore' (${query.startedBefore})`,
    );
  }
  return {
    ...(startedAfter === undefined ? {} : { startedAfter }),
    ...(startedBefore === undefined ? {} : { startedBefore }),
    // A search box left empty sends `search=`: no search rather than a refusal.
    ...(query.search === undefined || query.search === '' ? {} : { search: query.search }),
  };
}

export interface HistoryQuery extends PageQuery {
  readonly reverseOrder?: boolean;
}
export const HISTORY_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxResults: MAX_RESULTS,
    nextToken: NEXT_TOKEN,
    reverseOrder: { type: 'boolean', description: 'Newest event first' },
  },
};

export interface ActivityTaskQuery {
  readonly workerName?: string;
}
export const ACTIVITY_TASK_QUERY: RequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { workerName: { type: 'string', maxLength: 80, description: 'Recorded in the ActivityStarted event' } },
};

/** Request JSON text as the driver takes it: strings are JSON text already, other values are serialised. */
export function jsonText(value: JsonTextOrValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * RFC 3339's date-time, the ISO-8601 profile JSON APIs use: date, time and zone. A time without a zone would be read
 * in the server's zone, so it is refused rather than guessed.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function dateTime(text: string, field: string): Date {
  const match = DATE_TIME.exec(text);
  const date = new Date(text);
  if (match === null || Number.isNaN(date.getTime()) || !fieldsInRange(match)) {
    throw new ServiceException(
      ServiceExceptionCode.ValidationException,
      `Invalid request: '${field}' must be ${DATE_TIME_TEXT}; got '${text}'`,
    );
  }
  return date;
}

/** Date's parser rolls 2030-02-30 over to March 2 and 24:00 over to the next day: each field is checked instead. */
function fieldsInRange(match: RegExpExecArray): boolean {
  const field = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day] = [field(1), field(2), field(3)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return (
    day >= 1 && day <= days && field(4) <= 23 && field(5) <= 59 && field(6) <= 59 && field(7) <= 23 && field(8) <= 59
  );
}
