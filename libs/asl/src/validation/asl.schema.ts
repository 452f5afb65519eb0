/**
 * The JSON Schema (draft-07) of an Amazon States Language definition, written for this project from the ASL
 * specification (states-language.net/spec.html) and the AWS Step Functions developer guide.
 *
 * The schema owns the *shape*: which fields each state type has, their JSON types, enums and numeric ranges. Whatever
 * depends on more than one value — transitions, reachability, query-language rules, Choice rules, path and expression
 * syntax, mutually exclusive fields — is checked in code (`definition.validator.ts`), where messages can name states.
 *
 * It is built from small tables rather than written out longhand so that a field is declared once, and so that the
 * field lists double as the catalogue the semantic checks use.
 */

/** A JSON Schema node. Kept structural so the module has no dependency on ajv's types. */
export type SchemaNode = { readonly [keyword: string]: unknown };

// Step Functions caps every "seconds" field at 99999999; retries have their own caps (MaxDelaySeconds: one year).
const MAX_SECONDS = 99_999_999;

const anyJson: SchemaNode = {};
const string: SchemaNode = { type: 'string' };
const boolean: SchemaNode = { type: 'boolean' };
const stringOrNull: SchemaNode = { type: ['string', 'null'] };
const object: SchemaNode = { type: 'object' };
const queryLanguage: SchemaNode = { type: 'string', enum: ['JSONPath', 'JSONata'] };

/** A whole number in a range, or (in JSONata states) a `{% %}` string; the validator decides which is allowed. */
function integerOrExpression(minimum: number, maximum?: number): SchemaNode {
  return maximum === undefined
    ? { type: ['integer', 'string'], minimum }
    : { type: ['integer', 'string'], minimum, maximum };
}

function closedObject(properties: Record<string, SchemaNode>, required: readonly string[] = []): SchemaNode {
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}

const retrier = closedObject(
  {
    ErrorEquals: { $ref: '#/definitions/errorEquals' },
    IntervalSeconds: { type: 'integer', minimum: 1, maximum: MAX_SECONDS },
    MaxAttempts: { type: 'integer', minimum: 0, maximum: MAX_SECONDS },
    BackoffRate: { type: 'number', minimum: 1 },
    MaxDelaySeconds: { type: 'integer', minimum: 1, maximum: 31_622_401 },
    JitterStrategy: { type: 'string', enum: ['FULL', 'NONE'] },
    Comment: string,
  },
  ['ErrorEquals'],
);

const catcher = closedObject(
  {
    ErrorEquals: { $ref: '#/definitions/errorEquals' },
    Next: string,
    ResultPath: stringOrNull,
    Output: anyJson,
    Assign: object,
    Comment: string,
  },
  ['ErrorEquals', 'Next'],
);

const commonFields: Record<string, SchemaNode> = { Type: string, Comment: string, QueryLanguage: queryLanguage };
const transitionFields: Record<string, SchemaNode> = { Next: string, End: boolean };
const inputOutputPathFields: Record<string, SchemaNode> = { InputPath: stringOrNull, OutputPath: stringOrNull };
const resultFields: Record<string, SchemaNode> = { ResultSelector: anyJson, ResultPath: stringOrNull };
const errorHandlingFields: Record<string, SchemaNode> = {
  Retry: { type: 'array', items: { $ref: '#/definitions/retrier' } },
  Catch: { type: 'array', items: { $ref: '#/definitions/catcher' } },
};
const jsonataFields: Record<string, SchemaNode> = { Output: anyJson, Assign: object };

/**
 * Every field each state type may carry, in either query language. Which of them a JSONPath or a JSONata state may
 * actually use is the validator's business (it gives a better message than "additional property").
 */
export const STATE_FIELDS: Readonly<Record<string, Readonly<Record<string, SchemaNode>>>> = {
  Pass: {
    ...commonFields,
    ...transitionFields,
    ...inputOutputPathFields,
    Parameters: anyJson,
    ResultPath: stringOrNull,
    Result: anyJson,
    ...jsonataFields,
  },
  Task: {
    ...commonFields,
    ...transitionFields,
    ...inputOutputPathFields,
    Parameters: anyJson,
    ...resultFields,
    ...errorHandlingFields,
    // A string ARN; its type is checked with the ARN itself because a definition embedded in a CloudFormation
    // template may hold {"Ref": …} or {"Fn::GetAtt": …} there until deployment resolves it.
    Resource: anyJson,
    TimeoutSeconds: integerOrExpression(1, MAX_SECONDS),
    TimeoutSecondsPath: string,
    HeartbeatSeconds: integerOrExpression(1, MAX_SECONDS),
    HeartbeatSecondsPath: string,
    Credentials: object,
    Arguments: anyJson,
    ...jsonataFields,
  },
  Choice: {
    ...commonFields,
    ...inputOutputPathFields,
    Choices: { type: 'array', minItems: 1, items: object },
    Default: string,
    ...jsonataFields,
  },
  Wait: {
    ...commonFields,
    ...transitionFields,
    ...inputOutputPathFields,
    Seconds: integerOrExpression(0, MAX_SECONDS),
    SecondsPath: string,
    Timestamp: string,
    TimestampPath: string,
    ...jsonataFields,
  },
  Succeed: { ...commonFields, ...inputOutputPathFields, Output: anyJson },
  Fail: { ...commonFields, Error: string, ErrorPath: string, Cause: string, CausePath: string },
  Parallel: {
    ...commonFields,
    ...transitionFields,
    ...inputOutputPathFields,
    Parameters: anyJson,
    ...resultFields,
    ...errorHandlingFields,
    Branches: { type: 'array', minItems: 1, items: { $ref: '#/definitions/branch' } },
    Arguments: anyJson,
    ...jsonataFields,
  },
  Map: {
    ...commonFields,
    ...transitionFields,
    ...inputOutputPathFields,
    ...resultFields,
    ...errorHandlingFields,
    ItemsPath: string,
    Items: { type: ['array', 'string'] },
    ItemSelector: anyJson,
    Parameters: anyJson,
    ItemProcessor: { $ref: '#/definitions/itemProcessor' },
    Iterator: { $ref: '#/definitions/itemProcessor' },
    ItemReader: { $ref: '#/definitions/itemReader' },
    ItemBatcher: { $ref: '#/definitions/itemBatcher' },
    ResultWriter: { $ref: '#/definitions/resultWriter' },
    MaxConcurrency: integerOrExpression(0),
    MaxConcurrencyPath: string,
    ToleratedFailurePercentage: { type: ['number', 'string'], minimum: 0, maximum: 100 },
    ToleratedFailurePercentagePath: string,
    ToleratedFailureCount: integerOrExpression(0),
    ToleratedFailureCountPath: string,
    Label: string,
    ...jsonataFields,
  },
};

/** The eight state types, in the order AWS lists them in its messages. */
export const STATE_TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'] as const;

const REQUIRED_STATE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Task: ['Resource'],
  Choice: ['Choices'],
  Parallel: ['Branches'],
};

const stateSchema: SchemaNode = {
  type: 'object',
  required: ['Type'],
  properties: { Type: { type: 'string', enum: [...STATE_TYPES] } },
  // if/then keyed on Type rather than oneOf: with oneOf, one bad field in a Task yields an error per state type.
  allOf: STATE_TYPES.map((type) => ({
    if: { type: 'object', properties: { Type: { const: type } }, required: ['Type'] },
    then: closedObject(STATE_FIELDS[type] ?? {}, REQUIRED_STATE_FIELDS[type] ?? []),
  })),
};

const statesMap: SchemaNode = {
  type: 'object',
  minProperties: 1,
  additionalProperties: { $ref: '#/definitions/state' },
};

/** The JSON Schema of a whole state machine definition. Compile it once (see `schema.validator.ts`). */
export const ASL_SCHEMA: SchemaNode = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://asl-engine.local/schemas/state-machine.json',
  title: 'Amazon States Language state machine',
  ...closedObject(
    {
      Comment: string,
      StartAt: string,
      States: statesMap,
      Version: string,
      TimeoutSeconds: { type: 'integer', minimum: 1, maximum: MAX_SECONDS },
      QueryLanguage: queryLanguage,
    },
    ['StartAt', 'States'],
  ),
  definitions: {
    state: stateSchema,
    errorEquals: { type: 'array', minItems: 1, items: string },
    retrier,
    catcher,
    branch: closedObject({ Comment: string, StartAt: string, States: statesMap }, ['StartAt', 'States']),
    itemProcessor: closedObject(
      {
        Comment: string,
        StartAt: string,
        States: statesMap,
        ProcessorConfig: closedObject({
          Mode: { type: 'string', enum: ['INLINE', 'DISTRIBUTED'] },
          ExecutionType: { type: 'string', enum: ['STANDARD', 'EXPRESS'] },
        }),
      },
      ['StartAt', 'States'],
    ),
    itemReader: closedObject(
      {
        Resource: string,
        Parameters: anyJson,
        Arguments: anyJson,
        // Left open: AWS keeps adding reader options (input types, manifest kinds); typos here are rare and cheap.
        ReaderConfig: {
          type: 'object',
          properties: {
            MaxItems: integerOrExpression(0),
            MaxItemsPath: string,
            InputType: string,
            CSVHeaderLocation: { type: 'string', enum: ['FIRST_ROW', 'GIVEN'] },
            CSVHeaders: { type: 'array', items: string },
          },
        },
      },
      ['Resource'],
    ),
    itemBatcher: closedObject({
      MaxItemsPerBatch: integerOrExpression(0),
      MaxItemsPerBatchPath: string,
      MaxInputBytesPerBatch: integerOrExpression(0, 262_144),
      MaxInputBytesPerBatchPath: string,
      BatchInput: anyJson,
    }),
    // Left open for the same reason as ReaderConfig (WriterConfig, new output formats).
    resultWriter: { type: 'object', properties: { Resource: string, Parameters: anyJson, Arguments: anyJson } },
  },
};
