import type { JsonObject, JsonValue } from '@lib/asl';

/**
 * The shapes of the corpus files under `shared/conformance/localstack/` (see that folder's README). Only the fields
 * the runner reads are typed; everything is optional where some families of cases leave it out.
 */

/** One step of `normalization.substitutions`, applied in order to a snapshot before it is compared. */
export type Substitution =
  | { readonly kind: 'regex'; readonly regex: string; readonly replacement: string }
  | {
      readonly kind: 'jsonpath';
      readonly jsonpath: string;
      readonly replacement: string;
      /** Also replace every other occurrence of the value found at the path, wherever it appears. */
      readonly replaceReference?: boolean;
    }
  | {
      readonly kind: 'key_value';
      readonly key: string;
      readonly replacement: string;
      readonly replaceReference?: boolean;
    };

/** How a case's expected values were normalized. */
export interface CaseNormalization {
  readonly substitutions: readonly Substitution[];
  /** The events inside each Parallel block were sorted and their ids replaced (LocalStack's parallel transformer). */
  readonly parallelEventsSorted: boolean;
}

/** The names an execution case was recorded with; running with the same names makes the substitutions apply. */
export interface CaseContext {
  readonly stateMachineName: string;
  readonly executionName: string;
  readonly stateMachineType: 'STANDARD' | 'EXPRESS';
  readonly startedVia: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly roleArn: string;
}

/** One recorded call of a Lambda function, from the `LambdaFunction*` or `Task*` events of the history. */
export interface RecordedInvocation {
  readonly outcome: 'succeeded' | 'failed' | 'timedOut';
  readonly resultEventType?: string;
  readonly scheduledEventType?: string;
  /** The normalized Lambda ARN (legacy resource), or `invoke` for the `lambda:invoke` service integration. */
  readonly resource?: string;
  readonly resourceType?: string;
  /** What a legacy-resource Lambda received (`LambdaFunctionScheduled.input`, normalized). */
  readonly input?: JsonValue;
  /** What `lambda:invoke` received (`TaskScheduled.parameters`, normalized). */
  readonly parameters?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: string | null;
  readonly cause?: JsonValue;
}

/** A Lambda function a case's test deployed. */
export interface RecordedFunction {
  readonly name: string;
  readonly arn: string;
  readonly handlerFile: string;
  readonly runtime: string;
  /** One-line prose summary of the handler; the only description of a function that has no recorded call. */
  readonly behavior: string;
}

/** What an execution case expects, in LocalStack snapshot form. */
export interface ExecutionExpectation {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output: JsonValue;
  readonly outputText?: string;
  readonly error: string | null;
  readonly cause: JsonValue;
  /** `null` when the test recorded no history. */
  readonly historyEventTypes: readonly string[] | null;
  readonly history?: readonly JsonObject[] | null;
  readonly statusInferred?: boolean;
}

/** Where a case came from and what else its test did. */
export interface CaseProvenance {
  readonly testFile?: string;
  readonly test?: string;
  readonly recordedDate?: string;
  readonly otherApiCallsInTest?: readonly string[];
  readonly inputDependsOnWallClock?: boolean;
  readonly snapshotEntries?: readonly string[];
}

/** `localstack/<category>/<id>.json` for an execution (groups `engine` and `lambda`). */
export interface ExecutionCase {
  readonly id: string;
  readonly source: string;
  readonly category: string;
  readonly group: 'engine' | 'lambda';
  readonly features: readonly string[];
  readonly definition: JsonObject;
  readonly input?: JsonValue;
  readonly inputText?: string;
  readonly expected: ExecutionExpectation;
  readonly context: CaseContext;
  readonly lambda?: {
    readonly functions: readonly RecordedFunction[];
    readonly invocations?: readonly RecordedInvocation[];
  };
  readonly normalization: CaseNormalization;
  readonly provenance: CaseProvenance;
  readonly notes?: string | null;
}

/** An API the `validation/` and `test_state/` cases exercised. */
export type RecordedApi =
  | 'CreateStateMachine'
  | 'UpdateStateMachine'
  | 'StartExecution'
  | 'StartSyncExecution'
  | 'ValidateStateMachineDefinition'
  | 'TestState';

/** A `ValidateStateMachineDefinition` diagnostic as AWS returned it. */
export interface AwsDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly location?: string;
  readonly severity?: string;
}

/** `localstack/validation/*.json` and `localstack/test_state/*.json`. */
export interface ApiCase {
  readonly id: string;
  readonly source: string;
  readonly category: string;
  readonly api: RecordedApi;
  readonly definition?: JsonValue;
  /** The exact definition string sent; AWS's messages quote it. */
  readonly definitionText?: string;
  /** The execution input as sent (raw text for StartExecution cases). */
  readonly input?: JsonValue;
  readonly requestParameters?: JsonObject;
  readonly expected: {
    readonly status: string;
    readonly error?: string | null;
    readonly cause?: string | null;
    readonly result?: 'OK' | 'FAIL';
    readonly diagnostics?: readonly AwsDiagnostic[];
  };
  readonly normalization?: CaseNormalization;
  readonly notes?: string | null;
}

/** What the runner does with a case file. */
export type CaseKind = 'execution' | 'validation' | 'test_state';

/** A case file as loaded, tagged with how to run it. */
export type LoadedCase =
  | { readonly kind: 'execution'; readonly path: string; readonly data: ExecutionCase }
  | { readonly kind: 'validation' | 'test_state'; readonly path: string; readonly data: ApiCase };
