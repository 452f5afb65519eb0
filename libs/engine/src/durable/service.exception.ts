/**
 * Why a Step Functions API call was refused, by the error name AWS uses (`__type` in the AWS JSON protocol, the
 * `name` of the SDK's exception). Every one is a client error; ASL failures of running executions are never these.
 */
export const ServiceExceptionCode = {
  InvalidDefinition: 'InvalidDefinition',
  InvalidName: 'InvalidName',
  InvalidArn: 'InvalidArn',
  InvalidExecutionInput: 'InvalidExecutionInput',
  InvalidOutput: 'InvalidOutput',
  InvalidToken: 'InvalidToken',
  StateMachineDoesNotExist: 'StateMachineDoesNotExist',
  StateMachineAlreadyExists: 'StateMachineAlreadyExists',
  StateMachineTypeNotSupported: 'StateMachineTypeNotSupported',
  ExecutionDoesNotExist: 'ExecutionDoesNotExist',
  ExecutionAlreadyExists: 'ExecutionAlreadyExists',
  ExecutionNotRunning: 'ExecutionNotRunning',
  TaskDoesNotExist: 'TaskDoesNotExist',
  TaskTimedOut: 'TaskTimedOut',
  ActivityDoesNotExist: 'ActivityDoesNotExist',
  ActivityAlreadyExists: 'ActivityAlreadyExists',
  ValidationException: 'ValidationException',
  /** TagResource and friends on a state machine or activity that does not exist. */
  ResourceNotFound: 'ResourceNotFound',
  /** More than 50 tags on one resource. */
  TooManyTags: 'TooManyTags',
} as const;

/** One of the API error names. */
export type ServiceExceptionCode = (typeof ServiceExceptionCode)[keyof typeof ServiceExceptionCode];

/** A refused API call, with its AWS error name and, for InvalidDefinition, every diagnostic. */
export class ServiceException extends Error {
  constructor(
    readonly code: ServiceExceptionCode,
    message: string,
    readonly diagnostics: readonly { code: string; message: string; location: string }[] = [],
  ) {
    super(message);
    this.name = code;
  }
}

/** The HTTP status of a refused call: 404 for what does not exist, 409 for conflicts, 400 otherwise. */
export function httpStatusOf(code: ServiceExceptionCode): number {
  switch (code) {
    case 'StateMachineDoesNotExist':
    case 'ExecutionDoesNotExist':
    case 'TaskDoesNotExist':
    case 'ActivityDoesNotExist':
    case 'ResourceNotFound':
      return 404;
    case 'StateMachineAlreadyExists':
    case 'ExecutionAlreadyExists':
    case 'ActivityAlreadyExists':
    case 'ExecutionNotRunning':
      return 409;
    case 'InvalidDefinition':
    case 'InvalidName':
    case 'InvalidArn':
    case 'InvalidExecutionInput':
    case 'InvalidOutput':
    case 'InvalidToken':
    case 'StateMachineTypeNotSupported':
    case 'TaskTimedOut':
    case 'ValidationException':
    case 'TooManyTags':
      return 400;
  }
}
