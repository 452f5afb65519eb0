/** Where an execution lives, for building ARNs in AWS's format. */
export interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Defaults for local runs: the account id LocalStack and Step Functions Local use. */
export const LOCAL_ARN_PARTS: ArnParts = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };

/** `arn:aws:states:us-east-1:123456789012:stateMachine:NAME` */
export function stateMachineArn(parts: ArnParts, name: string): string {
  return `arn:${parts.partition}:states:${parts.region}:${parts.accountId}:stateMachine:${name}`;
}

/**
 * `arn:aws:states:…:execution:MACHINE:EXECUTION` for Standard executions; Express executions use the
 * `express:` resource type, as AWS returns them.
 */
export function executionArn(
  parts: ArnParts,
  stateMachineName: string,
  executionName: string,
  type: 'STANDARD' | 'EXPRESS' = 'STANDARD',
): string {
  const kind = type === 'EXPRESS' ? 'express' : 'execution';
  return `arn:${parts.partition}:states:${parts.region}:${parts.accountId}:${kind}:${stateMachineName}:${executionName}`;
}

/** The default role a local execution reports as `$$.Execution.RoleArn`. */
export function defaultRoleArn(parts: ArnParts): string {
  return `arn:${parts.partition}:iam::${parts.accountId}:role/StepFunctionsLocalRole`;
}
