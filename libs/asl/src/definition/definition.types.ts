import type { JsonObject, JsonValue } from '../json';

/**
 * The raw shapes of an Amazon States Language document, field for field as the specification and AWS name them.
 * These types describe a definition that `validate()` accepted; the interpreter reads them directly.
 */

/** `JSONPath` (the default) or `JSONata`, set at the top level and overridable per state. */
export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A state machine, or the body of a Parallel branch or a Map's ItemProcessor. */
export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, StateDefinition>;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: QueryLanguage;
}

/** Fields every state may have. */
export interface CommonStateFields {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: JsonValue;
  ResultPath?: string | null;
  ResultSelector?: JsonValue;
  Result?: JsonValue;
  Arguments?: JsonValue;
  Output?: JsonValue;
  Assign?: JsonObject;
}

/** The eight state types. */
export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

/** A Retry entry ("retrier"). */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

/** A Catch entry ("catcher"). */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: JsonValue;
  Assign?: JsonObject;
  Comment?: string;
}

export interface PassState extends CommonStateFields {
  Type: 'Pass';
}

export interface TaskState extends CommonStateFields {
  Type: 'Task';
  Resource: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: JsonValue;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

/** A Choice rule in JSONPath mode (a boolean tree of comparisons) or JSONata mode (`Condition`). */
export interface ChoiceRule {
  Next?: string;
  Condition?: JsonValue;
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Assign?: JsonObject;
  Output?: JsonValue;
  Comment?: string;
  [operator: string]: JsonValue | ChoiceRule | ChoiceRule[] | undefined;
}

export interface ChoiceState extends CommonStateFields {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends CommonStateFields {
  Type: 'Wait';
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface SucceedState extends CommonStateFields {
  Type: 'Succeed';
}

export interface FailState extends CommonStateFields {
  Type: 'Fail';
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface ParallelState extends CommonStateFields {
  Type: 'Parallel';
  Branches: StateMachineDefinition[];
  Retry?: Retrier[];
  Catch?: Catcher[];
}

/** The processor of a Map state: `ItemProcessor` (current) or `Iterator` (legacy). */
export interface ItemProcessorDefinition extends StateMachineDefinition {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

export interface MapState extends CommonStateFields {
  Type: 'Map';
  ItemProcessor?: ItemProcessorDefinition;
  Iterator?: ItemProcessorDefinition;
  ItemsPath?: string;
  Items?: JsonValue;
  ItemSelector?: JsonValue;
  ItemReader?: JsonValue;
  ItemBatcher?: JsonValue;
  ResultWriter?: JsonValue;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  Label?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

/** Any state. */
export type StateDefinition =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;
