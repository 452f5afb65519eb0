/** Response schemas for the OpenAPI document (requests are documented by their validation schemas). */
import type { SchemaObject } from '@nestjs/swagger';

const DATE: SchemaObject = { type: 'string', format: 'date-time' };

export const DIAGNOSTIC: SchemaObject = {
  type: 'object',
  properties: {
    severity: { type: 'string', enum: ['ERROR'] },
    code: { type: 'string' },
    message: { type: 'string' },
    location: { type: 'string', description: 'JSON Pointer into the definition' },
  },
};

export const ERROR_RESPONSE: SchemaObject = {
  type: 'object',
  required: ['__type', 'message'],
  properties: {
    __type: { type: 'string', description: "AWS's error name, e.g. StateMachineDoesNotExist, ValidationException" },
    message: { type: 'string' },
    diagnostics: { type: 'array', items: DIAGNOSTIC },
  },
};

export const STATE_MACHINE_CREATED: SchemaObject = {
  type: 'object',
  properties: { stateMachineArn: { type: 'string' }, creationDate: DATE },
};

const COUNT: SchemaObject = { type: 'integer', minimum: 1 };

/** The REST API's own addition to a state machine (the AWS protocol has no such member). */
export const EXECUTION_COUNTS: SchemaObject = {
  type: 'object',
  description: "The state machine's executions by status; a status without executions is left out ({} for none)",
  properties: { RUNNING: COUNT, SUCCEEDED: COUNT, FAILED: COUNT, TIMED_OUT: COUNT, ABORTED: COUNT },
  additionalProperties: false,
};

export const STATE_MACHINE_DESCRIPTION: SchemaObject = {
  type: 'object',
  properties: {
    stateMachineArn: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['ACTIVE'] },
    definition: { type: 'string' },
    roleArn: { type: 'string' },
    type: { type: 'string', enum: ['STANDARD', 'EXPRESS'] },
    creationDate: DATE,
    updateDate: DATE,
    revisionId: { type: 'string' },
    executionCounts: EXECUTION_COUNTS,
  },
};

export const EXECUTION_STATE_MACHINE: SchemaObject = {
  type: 'object',
  properties: {
    stateMachineArn: { type: 'string' },
    name: { type: 'string' },
    definition: { type: 'string' },
    roleArn: { type: 'string' },
    revisionId: { type: 'string' },
    updateDate: DATE,
  },
};

export const STATE_MACHINE_LIST: SchemaObject = {
  type: 'object',
  properties: {
    stateMachines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stateMachineArn: { type: 'string' },
          name: { type: 'string' },
          type: { type: 'string' },
          creationDate: DATE,
          executionCounts: EXECUTION_COUNTS,
        },
      },
    },
    nextToken: { type: 'string' },
  },
};

export const VALIDATION_RESULT: SchemaObject = {
  type: 'object',
  properties: { result: { type: 'string', enum: ['OK', 'FAIL'] }, diagnostics: { type: 'array', items: DIAGNOSTIC } },
};

export const EXECUTION_STARTED: SchemaObject = {
  type: 'object',
  properties: { executionArn: { type: 'string' }, startDate: DATE },
};

const EXECUTION_ITEM_PROPERTIES = {
  executionArn: { type: 'string' },
  stateMachineArn: { type: 'string' },
  name: { type: 'string' },
  status: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
  startDate: DATE,
  stopDate: DATE,
};

export const EXECUTION_LIST: SchemaObject = {
  type: 'object',
  properties: {
    executions: { type: 'array', items: { type: 'object', properties: EXECUTION_ITEM_PROPERTIES } },
    nextToken: { type: 'string' },
  },
};

export const EXECUTION_DESCRIPTION: SchemaObject = {
  type: 'object',
  properties: {
    ...EXECUTION_ITEM_PROPERTIES,
    input: { type: 'string', description: 'JSON text' },
    output: { type: 'string', description: 'JSON text, once SUCCEEDED' },
    error: { type: 'string' },
    cause: { type: 'string' },
  },
};

export const EXECUTION_HISTORY: SchemaObject = {
  type: 'object',
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        description: 'A GetExecutionHistory event: timestamp, type, id, previousEventId and one …EventDetails member',
        properties: {
          timestamp: DATE,
          type: { type: 'string' },
          id: { type: 'integer' },
          previousEventId: { type: 'integer' },
        },
        additionalProperties: true,
      },
    },
    nextToken: { type: 'string' },
  },
};

export const WAITING_TASKS: SchemaObject = {
  type: 'object',
  required: ['tasks'],
  properties: {
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['taskToken', 'stateName', 'resource'],
        properties: {
          taskToken: {
            type: 'string',
            description: 'What POST /tasks/success, /tasks/failure and /tasks/heartbeat take',
          },
          stateName: {
            type: 'string',
            description: 'The Task state (inside a Map or Parallel, its iteration or branch)',
          },
          resource: { type: 'string', description: 'A .waitForTaskToken integration, or an activity ARN' },
          scheduledAt: {
            ...DATE,
            description: 'When the task was scheduled; absent when it completed while the list was being read',
          },
        },
      },
    },
  },
};

export const STOP_RESULT: SchemaObject = { type: 'object', properties: { stopDate: DATE } };

export const VERIFY_RESULT: SchemaObject = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    eventCount: { type: 'integer' },
    brokenAtEventId: { type: 'integer', description: 'The first event whose hash does not match' },
  },
};

export const EMPTY: SchemaObject = { type: 'object', properties: {} };

export const ACTIVITY_DESCRIPTION: SchemaObject = {
  type: 'object',
  properties: { activityArn: { type: 'string' }, name: { type: 'string' }, creationDate: DATE },
};

export const ACTIVITY_TASK: SchemaObject = {
  type: 'object',
  description: 'Empty when no task arrived before the poll ended',
  properties: { taskToken: { type: 'string' }, input: { type: 'string', description: 'JSON text' } },
};

export const HEALTH: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    store: { type: 'string', enum: ['up', 'down'] },
    queue: { type: 'string', enum: ['up', 'down'] },
  },
};
