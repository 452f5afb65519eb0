import type { JsonValue } from '../json';

/**
 * Sources of non-determinism an evaluation may need (States.UUID, States.MathRandom, JSONata `$uuid()`/`$random()`).
 * They are injected so that the same snapshot and inbox always give the same result.
 */
export interface RandomPorts {
  /** A new RFC 4122 version-4 UUID, lower case. */
  uuid(): string;
  /** A number in [0, 1), like Math.random(). */
  random(): number;
}

/** Read access to the workflow variables visible from the current state (its own scope, then outer scopes). */
export interface VariableLookup {
  /** The variable's value, or `undefined` when no visible scope declares it. */
  get(name: string): JsonValue | undefined;
}

/** Everything a path, intrinsic, template, Choice rule or JSONata expression can read besides the state input. */
export interface EvaluationContext {
  /** The context object, `$$` in JSONPath and `$states.context` in JSONata. */
  readonly contextObject: JsonValue;
  /** Workflow variables (`$name` in JSONPath, `$name` in JSONata). */
  readonly variables: VariableLookup;
  readonly ports: RandomPorts;
}
