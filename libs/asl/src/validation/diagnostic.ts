/**
 * What the validator says about a definition: one {@link Diagnostic} per problem, each with a stable code, a message a
 * person can act on, and the JSON pointer of the offending value.
 */

/**
 * Stable diagnostic codes. They are part of the public contract (the CLI prints them, the API returns them, tests match
 * on them): add new codes, never rename or reuse one.
 */
export const DiagnosticCode = {
  /** The text is not JSON at all. */
  InvalidJson: 'INVALID_JSON',
  /** The same key appears twice in one JSON object (JSON.parse would silently keep the last one). */
  DuplicateKey: 'DUPLICATE_KEY',
  /** The definition (or a nested part of it) is not a JSON object where one is required. */
  NotAnObject: 'NOT_AN_OBJECT',
  /** A required field is absent. */
  MissingField: 'MISSING_FIELD',
  /** A field the language does not define for this object. */
  UnknownField: 'UNKNOWN_FIELD',
  /** A field holds a value of the wrong JSON type. */
  InvalidType: 'INVALID_TYPE',
  /** A field has the right type but a value the language does not allow (enum, range, format, emptiness). */
  InvalidValue: 'INVALID_VALUE',
  /** Two fields that exclude each other are both present (e.g. `Seconds` and `SecondsPath`). */
  MutuallyExclusiveFields: 'MUTUALLY_EXCLUSIVE_FIELDS',
  /** None of a set of alternatives is present (e.g. a Wait state without any duration). */
  MissingOneOfFields: 'MISSING_ONE_OF_FIELDS',
  /** `StartAt`, `Next`, `Default` or a catcher's `Next` names a state that does not exist in its scope. */
  MissingTransitionTarget: 'MISSING_TRANSITION_TARGET',
  /** A state that no path from `StartAt` reaches. */
  UnreachableState: 'UNREACHABLE_STATE',
  /** A state has both `Next` and `End: true`. */
  NextAndEnd: 'NEXT_AND_END',
  /** A Task, Pass, Wait, Parallel or Map state has neither `Next` nor `End: true`. */
  MissingNextOrEnd: 'MISSING_NEXT_OR_END',
  /** A state machine, branch or item processor has no terminal state (End, Succeed or Fail). */
  NoTerminalState: 'NO_TERMINAL_STATE',
  /** A state name used twice in one definition (names are unique across all scopes). */
  DuplicateStateName: 'DUPLICATE_STATE_NAME',
  /** A state name longer than AWS allows. */
  InvalidStateName: 'INVALID_STATE_NAME',
  /** A Choice rule that is malformed (no operator, several operators, `Next` where it must not be…). */
  InvalidChoiceRule: 'INVALID_CHOICE_RULE',
  /** A string that must be a JSONPath (Path or Reference Path) and is not. */
  InvalidJsonPath: 'INVALID_JSONPATH',
  /** A `.$` value that calls an intrinsic function incorrectly. */
  InvalidIntrinsic: 'INVALID_INTRINSIC',
  /** A `{% … %}` string that is not a well-formed JSONata expression. */
  InvalidJsonata: 'INVALID_JSONATA',
  /** A payload template (Parameters, ResultSelector, ItemSelector, Assign…) with conflicting or ill-typed keys. */
  InvalidPayloadTemplate: 'INVALID_PAYLOAD_TEMPLATE',
  /** An error name starting with `States.` that the language does not define. */
  ReservedErrorName: 'RESERVED_ERROR_NAME',
  /** `States.ALL` listed together with other error names. */
  StatesAllNotAlone: 'STATES_ALL_NOT_ALONE',
  /** A retrier or catcher for `States.ALL` that is not the last one. */
  StatesAllNotLast: 'STATES_ALL_NOT_LAST',
  /** A JSONPath-only field in a JSONata state, or the reverse. */
  FieldNotAllowedInQueryLanguage: 'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE',
  /** A state asks for JSONPath although the whole state machine is JSONata. */
  QueryLanguageDowngrade: 'QUERY_LANGUAGE_DOWNGRADE',
  /** An `Assign` key that is not a valid variable name. */
  InvalidVariableName: 'INVALID_VARIABLE_NAME',
  /** A timestamp literal that is not RFC 3339. */
  InvalidTimestamp: 'INVALID_TIMESTAMP',
  /** A Task or Map resource that is not a valid ARN or not a known service integration. */
  InvalidResource: 'INVALID_RESOURCE',
  /** A feature Express state machines do not support (`.sync`, `.waitForTaskToken`, activities). */
  UnsupportedInExpress: 'UNSUPPORTED_IN_EXPRESS',
  /** A Map `Label` that is empty, too long or contains a forbidden character. */
  InvalidMapLabel: 'INVALID_MAP_LABEL',
  /** `HeartbeatSeconds` is not smaller than `TimeoutSeconds`. */
  HeartbeatNotBelowTimeout: 'HEARTBEAT_NOT_BELOW_TIMEOUT',
} as const;

/** One of the {@link DiagnosticCode} values. */
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** One problem found in a definition. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  /** What is wrong and, where it helps, what to do about it. Names states and fields the way the definition does. */
  readonly message: string;
  /**
   * RFC 6901 JSON pointer to the offending value (`/States/Check Identity/Next`); `""` is the whole document.
   * For malformed JSON it is `""` and the message gives the line and column.
   */
  readonly location: string;
}

/** Escapes one reference token per RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON pointer from path segments: `['States', 'a/b']` → `/States/a~1b`. */
export function toJsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointerToken(segment)}`).join('');
}
