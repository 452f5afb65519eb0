import { intrinsicFailure, type StatesError } from '../errors/states-error';
import type { RandomPorts } from '../evaluation/evaluation-context';
import { isJsonObject, type JsonValue } from '../json';

/** The type an intrinsic declares for an argument. `any` accepts every JSON value. */
export type IntrinsicArgumentType = 'any' | 'string' | 'number' | 'boolean' | 'array' | 'object';

/** One declared parameter of an intrinsic function. */
export interface IntrinsicParameter {
  /** The name AWS's documentation gives it; used in error messages. */
  readonly name: string;
  readonly type: IntrinsicArgumentType;
}

/**
 * An intrinsic function declared as data: its name, its parameters (and so its arity) and its body. The parser
 * checks arity and literal arguments against the declaration; the evaluator checks every argument's type before
 * calling {@link IntrinsicFunctionDefinition.evaluate}, which can therefore trust them.
 */
export interface IntrinsicFunctionDefinition {
  readonly name: `States.${string}`;
  /** Positional parameters, required unless counted in {@link optional}. */
  readonly parameters: readonly IntrinsicParameter[];
  /** How many trailing {@link parameters} may be left out. */
  readonly optional?: number;
  /** A parameter that may repeat any number of times after the positional ones. */
  readonly rest?: IntrinsicParameter;
  /**
   * A further check of literal arguments at parse time (`undefined`: not a literal), e.g. Format's `{}` count.
   * Returns the reason the call is invalid, or undefined.
   */
  readonly checkLiterals?: (
    literals: readonly (JsonValue | undefined)[],
    placeholderCounts: readonly (number | undefined)[],
  ) => string | undefined;
  /** The function itself, on arguments already checked against the declared types. */
  readonly evaluate: (args: readonly JsonValue[], runtime: IntrinsicRuntime) => JsonValue;
}

/** What an intrinsic may use besides its arguments. */
export interface IntrinsicRuntime {
  readonly ports: RandomPorts;
  /**
   * For `States.Format` with a literal template: the offsets of the `{}` placeholders in it (escaped braces are
   * not placeholders). Undefined when every `{}` counts, as in a template read from a path.
   */
  readonly templatePlaceholders: readonly number[] | undefined;
}

/** The type name of a JSON value, as the error messages use it. */
export function jsonTypeOf(value: JsonValue): Exclude<IntrinsicArgumentType, 'any'> | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  return typeof value as 'string' | 'number' | 'boolean';
}

/** True when `value` has the declared type. */
export function hasIntrinsicType(value: JsonValue, type: IntrinsicArgumentType): boolean {
  return type === 'any' || jsonTypeOf(value) === type;
}

/** `States.IntrinsicFailure` naming the function, e.g. `States.ArrayGetItem: index 9 is out of bounds (length 3)`. */
export function intrinsicError(name: string, reason: string): StatesError {
  return intrinsicFailure(`${name}: ${reason}`);
}

/**
 * A whole number from a numeric argument. "If you specify a non-integer value for one or both the arguments, Step
 * Functions will round it off to the nearest whole number" (AWS, States.MathAdd). AWS rounds halves up, like Java's
 * Math.round and JavaScript's: 1.5 → 2, -1.5 → -1, -0.5 → 0 (corpus: math_operations.math_add__*).
 */
export function roundHalfUp(value: number): number {
  const rounded = Math.round(value);
  return rounded === 0 ? 0 : rounded;
}
