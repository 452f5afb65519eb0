import type { RequestSchema } from '../http/schema-validation.pipe';
import { SfnAction } from './sfn-action.enum';

/**
 * The request members of each action, as the Step Functions API reference names them, and the JSON Schemas that
 * check their types. Members the engine has no use for (loggingConfiguration, tracingConfiguration, traceHeader,
 * encryptionConfiguration, includedData…) are accepted and ignored, and so is any member a newer SDK may send:
 * the AWS JSON protocol lets a client send what an older server does not know.
 *
 * Only types and the API's enums and ranges are checked here; names, ARNs, JSON payloads and task tokens are
 * checked by the driver and the ARN check, which answer with their own error names (InvalidName, InvalidArn,
 * InvalidExecutionInput, InvalidToken…), as Step Functions does.
 */

export interface Tag {
  readonly key: string;
  readonly value?: string;
}

export interface SfnRequests {
  CreateStateMachine: {
    readonly name: string;
    readonly definition: string;
    readonly roleArn?: string;
    readonly type?: 'STANDARD' | 'EXPRESS';
    readonly tags?: readonly Tag[];
  };
  DescribeStateMachine: { readonly stateMachineArn: string };
  UpdateStateMachine: { readonly stateMachineArn: string; readonly definition?: string; readonly roleArn?: string };
  DeleteStateMachine: { readonly stateMachineArn: string };
  ListStateMachines: PageRequest;
  DescribeStateMachineForExecution: { readonly executionArn: string };
  ValidateStateMachineDefinition: {
    readonly definition: string;
    readonly type?: 'STANDARD' | 'EXPRESS';
    readonly severity?: 'ERROR' | 'WARNING';
    readonly maxResults?: number;
  };
  StartExecution: StartRequest;
  StartSyncExecution: StartRequest;
  DescribeExecution: { readonly executionArn: string };
  ListExecutions: PageRequest & {
    readonly stateMachineArn?: string;
    readonly statusFilter?: ExecutionStatusFilter;
    readonly mapRunArn?: string;
  };
  GetExecutionHistory: PageRequest & {
    readonly executionArn: string;
    readonly reverseOrder?: boolean;
    readonly includeExecutionData?: boolean;
  };
  StopExecution: { readonly executionArn: string; readonly error?: string; readonly cause?: string };
  SendTaskSuccess: { readonly taskToken: string; readonly output: string };
  SendTaskFailure: { readonly taskToken: string; readonly error?: string; readonly cause?: string };
  SendTaskHeartbeat: { readonly taskToken: string };
  CreateActivity: { readonly name: string; readonly tags?: readonly Tag[] };
  DescribeActivity: { readonly activityArn: string };
  DeleteActivity: { readonly activityArn: string };
  ListActivities: PageRequest;
  GetActivityTask: { readonly activityArn: string; readonly workerName?: string };
  TagResource: { readonly resourceArn: string; readonly tags: readonly Tag[] };
  UntagResource: { readonly resourceArn: string; readonly tagKeys: readonly string[] };
  ListTagsForResource: { readonly resourceArn: string };
}

export interface PageRequest {
  /** 0 means the default page size, as in the Step Functions API. */
  readonly maxResults?: number;
  readonly nextToken?: string;
}

export interface StartRequest {
  readonly stateMachineArn: string;
  readonly name?: string;
  /** JSON text. */
  readonly input?: string;
}

export const EXECUTION_STATUS_FILTERS = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
] as const;
export type ExecutionStatusFilter = (typeof EXECUTION_STATUS_FILTERS)[number];

const STRING = { type: 'string' };
const BOOLEAN = { type: 'boolean' };
const MAX_RESULTS = { type: 'integer', minimum: 0, maximum: 1000 };
const NEXT_TOKEN = { type: 'string', minLength: 1, maxLength: 1024 };
const STATE_MACHINE_TYPE = { type: 'string', enum: ['STANDARD', 'EXPRESS'] };
const TAGS = {
  type: 'array',
  items: { type: 'object', required: ['key'], properties: { key: STRING, value: STRING } },
};
const ERROR = { type: 'string', maxLength: 256 };
const CAUSE = { type: 'string', maxLength: 32_768 };

function members(required: readonly string[], properties: Record<string, unknown>): RequestSchema {
  return { type: 'object', required: [...required], properties };
}

const START = members(['stateMachineArn'], { stateMachineArn: STRING, name: STRING, input: STRING });

/** One schema per action: the compiler sees to it that none is missing. */
export const SFN_REQUEST_SCHEMAS: { readonly [A in SfnAction]: RequestSchema } = {
  [SfnAction.CreateStateMachine]: members(['name', 'definition'], {
    name: STRING,
    definition: STRING,
    roleArn: STRING,
    type: STATE_MACHINE_TYPE,
    tags: TAGS,
  }),
  [SfnAction.DescribeStateMachine]: members(['stateMachineArn'], { stateMachineArn: STRING }),
  [SfnAction.UpdateStateMachine]: members(['stateMachineArn'], {
    stateMachineArn: STRING,
    definition: STRING,
    roleArn: STRING,
  }),
  [SfnAction.DeleteStateMachine]: members(['stateMachineArn'], { stateMachineArn: STRING }),
  [SfnAction.ListStateMachines]: members([], { maxResults: MAX_RESULTS, nextToken: NEXT_TOKEN }),
  [SfnAction.DescribeStateMachineForExecution]: members(['executionArn'], { executionArn: STRING }),
  [SfnAction.ValidateStateMachineDefinition]: members(['definition'], {
    definition: STRING,
    type: STATE_MACHINE_TYPE,
    severity: { type: 'string', enum: ['ERROR', 'WARNING'] },
    maxResults: { type: 'integer', minimum: 0, maximum: 100 },
  }),
  [SfnAction.StartExecution]: START,
  [SfnAction.StartSyncExecution]: START,
  [SfnAction.DescribeExecution]: members(['executionArn'], { executionArn: STRING }),
  [SfnAction.ListExecutions]: members([], {
    stateMachineArn: STRING,
    statusFilter: { type: 'string', enum: [...EXECUTION_STATUS_FILTERS] },
    mapRunArn: STRING,
    maxResults: MAX_RESULTS,
    nextToken: NEXT_TOKEN,
  }),
  [SfnAction.GetExecutionHistory]: members(['executionArn'], {
    executionArn: STRING,
    maxResults: MAX_RESULTS,
    nextToken: NEXT_TOKEN,
    reverseOrder: BOOLEAN,
    includeExecutionData: BOOLEAN,
  }),
  [SfnAction.StopExecution]: members(['executionArn'], { executionArn: STRING, error: ERROR, cause: CAUSE }),
  [SfnAction.SendTaskSuccess]: members(['taskToken', 'output'], { taskToken: STRING, output: STRING }),
  [SfnAction.SendTaskFailure]: members(['taskToken'], { taskToken: STRING, error: ERROR, cause: CAUSE }),
  [SfnAction.SendTaskHeartbeat]: members(['taskToken'], { taskToken: STRING }),
  [SfnAction.CreateActivity]: members(['name'], { name: STRING, tags: TAGS }),
  [SfnAction.DescribeActivity]: members(['activityArn'], { activityArn: STRING }),
  [SfnAction.DeleteActivity]: members(['activityArn'], { activityArn: STRING }),
  [SfnAction.ListActivities]: members([], { maxResults: MAX_RESULTS, nextToken: NEXT_TOKEN }),
  [SfnAction.GetActivityTask]: members(['activityArn'], {
    activityArn: STRING,
    workerName: { ...STRING, maxLength: 80 },
  }),
  [SfnAction.TagResource]: members(['resourceArn', 'tags'], { resourceArn: STRING, tags: TAGS }),
  [SfnAction.UntagResource]: members(['resourceArn', 'tagKeys'], {
    resourceArn: STRING,
    tagKeys: { type: 'array', items: STRING },
  }),
  [SfnAction.ListTagsForResource]: members(['resourceArn'], { resourceArn: STRING }),
};
