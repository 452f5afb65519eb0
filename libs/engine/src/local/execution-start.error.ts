/** Why StartExecution (or a task-token call) was refused, with Step Functions' error code. */
export type ExecutionStartErrorCode = 'InvalidDefinition' | 'InvalidExecutionInput' | 'InvalidName' | 'TaskDoesNotExist';

/** A refused request: a client error, never an ASL failure of a running execution. */
export class ExecutionStartError extends Error {
  constructor(
    readonly code: ExecutionStartErrorCode,
    message: string,
    /** For InvalidDefinition: every problem found, with its JSON location. */
    readonly diagnostics: readonly { code: string; message: string; location: string }[] = [],
  ) {
    super(message);
    this.name = 'ExecutionStartError';
  }
}
