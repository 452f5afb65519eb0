import type { JsonValue } from '@lib/asl';

/**
 * The parts of the engine the conformance runner drives, declared structurally so the runner and its unit tests do
 * not depend on the engine being built (a fake engine stands in for the specs). `run-conformance.ts` wires the real
 * `LocalRunner` from `@lib/engine` and `validateDefinition` from `@lib/asl`; these shapes mirror
 * `libs/engine/src/local/local-runner.types.ts` and `libs/engine/src/tasks/task-invoker.ts`.
 */
export interface ConformanceEngine {
  /** `new LocalRunner(options)`. */
  createRunner(options: ConformanceRunnerOptions): ConformanceLocalRunner;
  /**
   * `validateDefinition` from `@lib/asl`: an empty array means the definition is valid. The type matters: Express
   * machines refuse `.sync` and `.waitForTaskToken` integrations.
   */
  validateDefinition(
    definition: unknown,
    options: { readonly stateMachineType: 'STANDARD' | 'EXPRESS' },
  ): readonly ConformanceDiagnostic[];
  /** `new TaskFailure(error, cause)`: a task failure with an explicit ASL error name and cause. */
  taskFailure(error: string, cause: string | undefined): Error;
}

/** What the runner passes to `new LocalRunner(…)`. */
export interface ConformanceRunnerOptions {
  readonly taskInvoker: ConformanceTaskInvoker;
  readonly clock: 'virtual' | 'real';
  readonly ports?: { readonly uuid?: () => string; readonly random?: () => number };
}

/** The fields of a `TaskRequest` the Lambda stub reads. */
export interface ConformanceTaskRequest {
  readonly resource: string;
  readonly input: JsonValue;
  readonly stateName: string;
  readonly signal: AbortSignal;
}

/** A `TaskInvoker`. */
export type ConformanceTaskInvoker = (request: ConformanceTaskRequest) => Promise<JsonValue>;

/** StartExecution with the names a case was recorded with. */
export interface ConformanceStartRequest {
  /** The definition object exactly as the case holds it. */
  readonly definition: object;
  readonly input: string;
  readonly stateMachineName: string;
  readonly executionName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly roleArn: string;
  readonly stateMachineType: 'STANDARD' | 'EXPRESS';
}

/** `LocalRunner`: `start` throws an error with a `code` (ExecutionStartError) when StartExecution is refused. */
export interface ConformanceLocalRunner {
  start(request: ConformanceStartRequest): ConformanceExecution;
}

/** `LocalExecution`. */
export interface ConformanceExecution {
  readonly result: Promise<ConformanceExecutionResult>;
  stop(error?: string, cause?: string): void;
}

/** `ExecutionResult`. Payloads are JSON text. */
export interface ConformanceExecutionResult {
  readonly executionArn: string;
  readonly status: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly history: readonly ConformanceHistoryEvent[];
}

/** `HistoryEvent`: `id`, `previousEventId`, `timestamp`, `type` and one `…EventDetails` object. */
export interface ConformanceHistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: string;
  readonly type: string;
}

/** `Diagnostic` from `@lib/asl`. */
export interface ConformanceDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly location?: string;
}

/** The `code` of an error `start()` threw (`ExecutionStartError`), if it has one. */
export function startErrorCode(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null || !('code' in thrown)) return undefined;
  const code = (thrown as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
