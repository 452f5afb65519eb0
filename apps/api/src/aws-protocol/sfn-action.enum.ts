/**
 * The Step Functions API actions this engine answers over the AWS JSON 1.0 protocol, by the names that follow
 * `AWSStepFunctions.` in the `X-Amz-Target` header. Any other target is refused with UnknownOperationException.
 */
export const SfnAction = {
  CreateStateMachine: 'CreateStateMachine',
  DescribeStateMachine: 'DescribeStateMachine',
  UpdateStateMachine: 'UpdateStateMachine',
  DeleteStateMachine: 'DeleteStateMachine',
  ListStateMachines: 'ListStateMachines',
  DescribeStateMachineForExecution: 'DescribeStateMachineForExecution',
  ValidateStateMachineDefinition: 'ValidateStateMachineDefinition',
  StartExecution: 'StartExecution',
  StartSyncExecution: 'StartSyncExecution',
  DescribeExecution: 'DescribeExecution',
  ListExecutions: 'ListExecutions',
  GetExecutionHistory: 'GetExecutionHistory',
  StopExecution: 'StopExecution',
  SendTaskSuccess: 'SendTaskSuccess',
  SendTaskFailure: 'SendTaskFailure',
  SendTaskHeartbeat: 'SendTaskHeartbeat',
  CreateActivity: 'CreateActivity',
  DescribeActivity: 'DescribeActivity',
  DeleteActivity: 'DeleteActivity',
  ListActivities: 'ListActivities',
  GetActivityTask: 'GetActivityTask',
  TagResource: 'TagResource',
  UntagResource: 'UntagResource',
  ListTagsForResource: 'ListTagsForResource',
} as const;

export type SfnAction = (typeof SfnAction)[keyof typeof SfnAction];

const ACTIONS: ReadonlySet<string> = new Set(Object.values(SfnAction));

/** The service name the AWS SDKs put before the action in `X-Amz-Target`. */
export const SFN_TARGET_PREFIX = 'AWSStepFunctions.';

/** The action an `X-Amz-Target` header names, or undefined when it names none this engine answers. */
export function sfnActionOf(target: string | undefined): SfnAction | undefined {
  if (target === undefined || !target.startsWith(SFN_TARGET_PREFIX)) return undefined;
  const action = target.slice(SFN_TARGET_PREFIX.length);
  return ACTIONS.has(action) ? (action as SfnAction) : undefined;
}
