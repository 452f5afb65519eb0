import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinition, validateDefinition } from './definition.validator';
import type { ValidationOptions } from './validation-context';

/** The conformance corpus sits beside the repository: <repo>/../shared/conformance. */
const CONFORMANCE_DIR = resolve(__dirname, '../../../../../shared/conformance');
const VALIDATOR_DIR = join(CONFORMANCE_DIR, 'validator');
const LOCALSTACK_DIR = join(CONFORMANCE_DIR, 'localstack');

interface ValidatorIndex {
  readonly files: readonly { readonly file: string; readonly shouldValidate: boolean }[];
}

/**
 * asl-validator verdicts this validator does not follow, and why. Everything else in its corpus must match.
 * AWS's own recorded verdicts (localstack/validation) outrank asl-validator's; users outrank both where AWS is silent.
 */
const ASL_VALIDATOR_DISAGREEMENTS: Readonly<Record<string, string>> = {
  // AWS refuses Credentials without RoleArn: credentials_base.invalid_credentials_field__{EMPTY_CREDENTIALS,
  // INVALID_CREDENTIALS_FIELD} — "The field 'RoleArn' is required but was missing at /States/State0/Credentials".
  'valid/valid-task-credentials.json': 'AWS requires Credentials.RoleArn',
  // The state machine is JSONata and a state inside the Map sets "QueryLanguage": "JSONPath". AWS refuses that:
  // sfn_api_validation.*INVALID_DOWNGRADE_QUERY_LANGUAGE — "'QueryLanguage' can not be 'JSONPath' if set to
  // 'JSONata' for whole state machine".
  'valid/valid-map-with-item-batcher-jsonata.json': 'AWS refuses a JSONPath state in a JSONata state machine',
  // Assigns the variable "top-level". AWS documents variable names as Unicode identifiers (ID_Start ID_Continue*),
  // and `$top-level` could not be referenced anyway: JSONata reads it as `$top - level`.
  'valid/valid-assign.asl.json': "AWS variable-name rules refuse 'top-level'",
  // "{% \n10         %}": asl-validator's pattern /\{% .* %\}/ does not let '.' match the line break. AWS evaluates
  // the text between the delimiters as JSONata, where line breaks are whitespace, and multi-line expressions are
  // common in YAML-authored templates; refusing them would fail users for no reason.
  'invalid/invalid-json-surround-syntax-extra-spaces.json': 'multi-line JSONata expressions are accepted',
};

/**
 * Files whose verdict depends on how far `checkJsonPathSyntax` (paths/json-path.ts, not this folder) goes beyond
 * AWS's documented JSONPath subset. asl-validator accepts them; the path parser currently refuses them. `it.fails`
 * keeps them visible: when the parser changes its mind, the test fails and the entry should go.
 */
const PENDING_ON_PATH_SYNTAX: Readonly<Record<string, string>> = {
  // `[?(@.OutputKey == FooBar)]`: a filter comparing with a bare word instead of a quoted string.
  'valid/valid-current-value-predicate.json': 'filter compares with an unquoted word',
  // `$[(@.length-1)].bar`: a script expression, which jsonpath-plus only runs with eval enabled (we never do).
  'valid/valid-path-array-context.json': 'script expression (@.length-1)',
};

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function listJsonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listJsonFiles(path);
    return entry.name.endsWith('.json') && entry.name !== 'index.json' ? [path] : [];
  });
}

describe(`${validateDefinition.name} on the asl-validator corpus`, () => {
  const index = readJson<ValidatorIndex>(join(VALIDATOR_DIR, 'index.json'));

  it('covers every file of the corpus', () => {
    expect(index.files.length).toBe(112);
  });

  describe.each(index.files.map((entry) => [entry.file, entry] as const))('%s', (file, entry) => {
    const disagreement = ASL_VALIDATOR_DISAGREEMENTS[file];
    const expected = disagreement === undefined ? entry.shouldValidate : !entry.shouldValidate;
    const pending = PENDING_ON_PATH_SYNTAX[file];
    const test = pending === undefined ? it : it.fails;
    const name = expected ? 'validates' : `is refused${disagreement ? ` (${disagreement})` : ''}`;
    test(pending === undefined ? name : `${name} — pending on the path parser: ${pending}`, () => {
      const { diagnostics } = parseDefinition(readFileSync(join(VALIDATOR_DIR, file), 'utf8'));
      if (expected) expect(diagnostics).toEqual([]);
      else expect(diagnostics.length).toBeGreaterThan(0);
    });
  });
});

interface ValidationCase {
  readonly id: string;
  readonly api: string;
  readonly definition?: unknown;
  readonly definitionText?: string;
  readonly requestParameters?: { readonly type?: 'STANDARD' | 'EXPRESS' };
  readonly expected: { readonly error?: string; readonly cause?: string; readonly result?: 'OK' | 'FAIL' };
}

/**
 * Cases AWS rejected for reasons that are not about the definition. The engine's API and StartExecution handle them
 * (names, existence, logging configuration, versioning, execution input); the validator must *accept* their
 * definitions, which are valid.
 */
const NOT_DEFINITION_PROBLEMS: Readonly<Record<string, string>> = {
  'sfn_api.create_duplicate_definition_format_sm': 'StateMachineAlreadyExists (CreateStateMachine)',
  'sfn_api.create_duplicate_sm_name': 'StateMachineAlreadyExists (CreateStateMachine)',
  'sfn_api.create_update_state_machine_base_update_none': 'MissingRequiredParameter (UpdateStateMachine)',
  'sfn_api.invalid_start_execution_arn': 'StateMachineDoesNotExist (StartExecution)',
  'sfn_api.invalid_start_execution_input__0': 'InvalidExecutionInput (StartExecution)',
  'sfn_api.invalid_start_execution_input__1': 'InvalidExecutionInput (StartExecution)',
  'sfn_api.invalid_start_execution_input__2': 'InvalidExecutionInput (StartExecution)',
  'sfn_api.start_sync_execution': 'StateMachineTypeNotSupported (StartSyncExecution)',
  'sfn_api_logs.invalid_logging_configuration__logging_configuration0': 'InvalidLoggingConfiguration',
  'sfn_api_logs.invalid_logging_configuration__logging_configuration1': 'InvalidLoggingConfiguration',
  'sfn_api_logs.invalid_logging_configuration__logging_configuration2': 'InvalidLoggingConfiguration',
  'sfn_api_logs.update_logging_configuration__0': 'InvalidLoggingConfiguration (UpdateStateMachine)',
  'sfn_api_versioning.create_with_version_description_no_publish': 'ValidationException (versioning parameters)',
  'sfn_api_versioning.update_state_machine__0': 'StateMachineDoesNotExist (UpdateStateMachine)',
  'sfn_api_versioning.update_state_machine__1': 'StateMachineDoesNotExist (UpdateStateMachine)',
};

function validateCase(testCase: ValidationCase) {
  const options: ValidationOptions = testCase.requestParameters?.type
    ? { stateMachineType: testCase.requestParameters.type }
    : {};
  // The exact text AWS received, so that JSON errors and duplicate keys are judged as AWS judged them.
  if (typeof testCase.definitionText === 'string') return parseDefinition(testCase.definitionText, options).diagnostics;
  return validateDefinition(testCase.definition, options);
}

describe(`${validateDefinition.name} on AWS's recorded verdicts (localstack/validation)`, () => {
  const cases = listJsonFiles(join(LOCALSTACK_DIR, 'validation')).map((path) => readJson<ValidationCase>(path));

  it('sorts every case into definition problems and others', () => {
    expect(cases.length).toBe(130);
    const definitionCases = cases.filter((testCase) => NOT_DEFINITION_PROBLEMS[testCase.id] === undefined);
    expect(definitionCases.length).toBe(115);
    for (const testCase of definitionCases) {
      const verdictIsAboutDefinition =
        testCase.api === 'ValidateStateMachineDefinition' || testCase.expected.error === 'InvalidDefinition';
      expect(verdictIsAboutDefinition, testCase.id).toBe(true);
    }
  });

  const definitionCases = cases.filter((testCase) => NOT_DEFINITION_PROBLEMS[testCase.id] === undefined);
  it.each(definitionCases.map((testCase) => [testCase.id, testCase] as const))('%s', (_id, testCase) => {
    const diagnostics = validateCase(testCase);
    const refusedByAws = testCase.api === 'ValidateStateMachineDefinition' ? testCase.expected.result === 'FAIL' : true;
    if (refusedByAws) expect(diagnostics.length, testCase.expected.cause ?? 'FAIL').toBeGreaterThan(0);
    else expect(diagnostics).toEqual([]);
  });

  const otherCases = cases.filter(
    (testCase) => NOT_DEFINITION_PROBLEMS[testCase.id] !== undefined && testCase.definition !== undefined,
  );
  it.each(otherCases.map((testCase) => [testCase.id, testCase] as const))(
    '%s is not a definition problem: its definition is valid',
    (_id, testCase) => {
      expect(validateCase(testCase)).toEqual([]);
    },
  );
});

interface ExecutionCase {
  readonly id: string;
  readonly definition?: unknown;
  readonly context?: { readonly stateMachineType?: 'STANDARD' | 'EXPRESS' };
}

describe(`${validateDefinition.name} on every definition AWS accepted and ran (localstack executions)`, () => {
  const executionDirs = readdirSync(LOCALSTACK_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'validation' && entry.name !== 'test_state')
    .map((entry) => join(LOCALSTACK_DIR, entry.name));
  const cases = executionDirs
    .flatMap(listJsonFiles)
    .map((path) => readJson<ExecutionCase>(path))
    .filter((testCase) => testCase.definition !== undefined);

  it('finds all 1,020 execution cases', () => {
    expect(cases.length).toBe(1020);
  });

  it.each(cases.map((testCase) => [testCase.id, testCase] as const))('%s', (_id, testCase) => {
    const type = testCase.context?.stateMachineType;
    expect(validateDefinition(testCase.definition, type ? { stateMachineType: type } : {})).toEqual([]);
  });
});
