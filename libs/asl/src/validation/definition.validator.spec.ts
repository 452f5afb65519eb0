import { describe, expect, it } from 'vitest';
import { parseDefinition, validate, validateDefinition } from './definition.validator';
import type { Diagnostic } from './diagnostic';
import { DiagnosticCode } from './diagnostic';

type Json = Record<string, unknown>;

/** A one-state machine around `state`, so each test shows only what it is about. */
function machine(state: Json, extra: Json = {}): Json {
  return { StartAt: 'S', States: { S: state }, ...extra };
}

function codesOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.location}`);
}

describe(validateDefinition.name, () => {
  const sut = validateDefinition;

  it('accepts a minimal state machine', () => {
    expect(sut(machine({ Type: 'Pass', End: true }))).toEqual([]);
  });

  it('is exported as validate too', () => {
    expect(validate).toBe(validateDefinition);
  });

  it('refuses a definition that is not an object', () => {
    expect(sut([])).toEqual([
      expect.objectContaining({ code: DiagnosticCode.NotAnObject, location: '' }) as Diagnostic,
    ]);
  });

  describe('schema', () => {
    it('names missing top-level fields', () => {
      expect(codesOf(sut({}))).toEqual(['MISSING_FIELD ', 'MISSING_FIELD ']);
      expect(sut({ StartAt: 'A' })[0]?.message).toBe("The state machine is missing the required field 'States'.");
    });

    it('points at unknown fields and suggests the field that was meant', () => {
      const [diagnostic] = sut(machine({ Type: 'Pass', bugInputPath: '$.a', End: true }));
      expect(diagnostic).toEqual({
        code: DiagnosticCode.UnknownField,
        location: '/States/S/bugInputPath',
        message: "Field 'bugInputPath' is not allowed in state 'S' (a Pass state). Did you mean 'InputPath'?",
      });
    });

    it('explains why Choice, Succeed and Fail states take no Next or End', () => {
      const diagnostics = sut({
        StartAt: 'A',
        States: { A: { Type: 'Succeed', End: true } },
      });
      expect(diagnostics).toEqual([
        {
          code: DiagnosticCode.UnknownField,
          location: '/States/A/End',
          message: "State 'A' is a Succeed state, which ends its execution path by itself and cannot have 'End'.",
        },
      ]);
    });

    it('reports wrong types, ranges and enums with the offending value', () => {
      const diagnostics = sut(
        machine({
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f',
          TimeoutSeconds: 0,
          Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5, JitterStrategy: 'SOME' }],
          End: 'yes',
        }),
      );
      expect(codesOf(diagnostics)).toEqual(
        expect.arrayContaining([
          'INVALID_VALUE /States/S/TimeoutSeconds',
          'INVALID_VALUE /States/S/Retry/0/BackoffRate',
          'INVALID_VALUE /States/S/Retry/0/JitterStrategy',
          'INVALID_TYPE /States/S/End',
        ]),
      );
      expect(diagnostics.find((d) => d.location === '/States/S/Retry/0/JitterStrategy')?.message).toBe(
        `'Retry[0].JitterStrategy' of state 'S' is "SOME"; it must be one of "FULL", "NONE".`,
      );
    });

    it('lists the state types when Type is unknown', () => {
      expect(sut(machine({ Type: 'Lambda', End: true }))[0]?.message).toContain(
        'must be one of Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map',
      );
    });

    it('escapes state names in locations per RFC 6901', () => {
      const diagnostics = sut({ StartAt: 'a/b~c', States: { 'a/b~c': { Type: 'Pass', End: true, Foo: 1 } } });
      expect(diagnostics[0]?.location).toBe('/States/a~1b~0c/Foo');
    });
  });

  describe('transitions', () => {
    it('refuses a Next to a state that does not exist, naming both', () => {
      const diagnostics = sut({
        StartAt: 'Check Identity',
        States: { 'Check Identity': { Type: 'Pass', Next: 'Foo' }, Done: { Type: 'Succeed' } },
      });
      expect(diagnostics).toContainEqual({
        code: DiagnosticCode.MissingTransitionTarget,
        location: '/States/Check Identity/Next',
        message: "State 'Check Identity' has Next 'Foo', but no state named 'Foo' exists in the state machine.",
      });
    });

    it('refuses a StartAt that names no state', () => {
      expect(codesOf(sut({ StartAt: 'X', States: { A: { Type: 'Succeed' } } }))).toContain(
        'MISSING_TRANSITION_TARGET /StartAt',
      );
    });

    it('checks Choice, Default and Catch targets', () => {
      const diagnostics = sut({
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Nope1' }], Default: 'Nope2' },
          T: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Nope3' }],
            End: true,
          },
        },
      });
      expect(codesOf(diagnostics)).toEqual(
        expect.arrayContaining([
          'MISSING_TRANSITION_TARGET /States/C/Choices/0/Next',
          'MISSING_TRANSITION_TARGET /States/C/Default',
          'MISSING_TRANSITION_TARGET /States/T/Catch/0/Next',
        ]),
      );
    });

    it('does not let a branch transition out of its scope, and says where the target lives', () => {
      const diagnostics = sut({
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'In', States: { In: { Type: 'Pass', Next: 'Out' } } }],
            Next: 'Out',
          },
          Out: { Type: 'Succeed' },
        },
      });
      const crossing = diagnostics.find((d) => d.location === '/States/P/Branches/0/States/In/Next');
      expect(crossing?.code).toBe(DiagnosticCode.MissingTransitionTarget);
      expect(crossing?.message).toContain("branch 1 of Parallel state 'P'");
      expect(crossing?.message).toContain("A state 'Out' exists at /States/Out, in another scope");
    });

    it('reports states that StartAt never reaches', () => {
      const diagnostics = sut({
        StartAt: 'A',
        States: { A: { Type: 'Succeed' }, Orphan: { Type: 'Pass', End: true } },
      });
      expect(codesOf(diagnostics)).toEqual(['UNREACHABLE_STATE /States/Orphan']);
    });

    it('counts Catch transitions as reaching their target', () => {
      const diagnostics = sut({
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }],
            End: true,
          },
          Handle: { Type: 'Fail' },
        },
      });
      expect(diagnostics).toEqual([]);
    });

    it('requires exactly one of Next and End', () => {
      expect(codesOf(sut(machine({ Type: 'Pass', Next: 'S', End: true })))).toEqual(['NEXT_AND_END /States/S']);
      expect(codesOf(sut(machine({ Type: 'Wait', Seconds: 1 })))).toEqual([
        'NO_TERMINAL_STATE /States',
        'MISSING_NEXT_OR_END /States/S',
      ]);
    });

    it('refuses a scope without any terminal state', () => {
      const diagnostics = sut({
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } },
      });
      expect(codesOf(diagnostics)).toEqual(['NO_TERMINAL_STATE /States']);
    });

    it('refuses a state name used twice anywhere in the definition', () => {
      const diagnostics = sut({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      });
      expect(codesOf(diagnostics)).toEqual(['DUPLICATE_STATE_NAME /States/Done']);
    });

    it('refuses blank state names', () => {
      expect(codesOf(sut({ StartAt: ' ', States: { ' ': { Type: 'Succeed' } } }))).toEqual([
        'INVALID_STATE_NAME /States/ ',
      ]);
    });

    it('limits state names to 80 characters', () => {
      const name = 'n'.repeat(81);
      expect(codesOf(sut({ StartAt: name, States: { [name]: { Type: 'Succeed' } } }))).toEqual([
        `INVALID_STATE_NAME /States/${name}`,
      ]);
    });
  });

  describe('Choice rules', () => {
    const choice = (rule: Json, extra: Json = {}): Json => ({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [rule], Default: 'D', ...extra }, D: { Type: 'Succeed' } },
    });

    it('accepts nested boolean rules', () => {
      const rule = {
        And: [
          { Variable: '$.a', NumericGreaterThan: 1 },
          { Not: { Variable: '$.b', StringMatches: 'x*' } },
          {
            Or: [
              { Variable: '$$.Execution.Id', IsPresent: true },
              { Variable: '$v', BooleanEqualsPath: '$.c' },
            ],
          },
        ],
        Next: 'D',
      };
      expect(sut(choice(rule))).toEqual([]);
    });

    it('requires Next on top-level rules and refuses it on nested ones', () => {
      expect(codesOf(sut(choice({ Variable: '$.a', IsNull: true })))).toEqual(['MISSING_FIELD /States/C/Choices/0']);
      const nested = { Not: { Variable: '$.a', IsNull: true, Next: 'D' }, Next: 'D' };
      expect(codesOf(sut(choice(nested)))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0/Not/Next']);
    });

    it('requires exactly one operator', () => {
      expect(codesOf(sut(choice({ Variable: '$.a', Next: 'D' })))).toEqual(['INVALID_CHOICE_RULE /States/C/Choices/0']);
      const two = { Variable: '$.a', StringEquals: 'x', IsPresent: true, Next: 'D' };
      expect(sut(choice(two))[0]?.message).toContain('has several operators (StringEquals, IsPresent)');
    });

    it('checks operand types and timestamps', () => {
      expect(codesOf(sut(choice({ Variable: '$.a', NumericEquals: '1', Next: 'D' })))).toEqual([
        'INVALID_TYPE /States/C/Choices/0/NumericEquals',
      ]);
      expect(codesOf(sut(choice({ Variable: '$.a', TimestampEquals: '2016-03-14 01:59:00Z', Next: 'D' })))).toEqual([
        'INVALID_TIMESTAMP /States/C/Choices/0/TimestampEquals',
      ]);
    });

    it('refuses End in a rule with a hint', () => {
      const diagnostics = sut(choice({ Variable: '$.a', IsNull: true, End: true }));
      expect(diagnostics.find((d) => d.location.endsWith('/End'))?.message).toContain(
        "point the rule's Next at a Succeed",
      );
    });

    it('uses Condition in JSONata states and refuses JSONPath operators there', () => {
      const jsonata = { QueryLanguage: 'JSONata' };
      expect(sut(choice({ Condition: '{% $states.input.a > 1 %}', Next: 'D' }, jsonata))).toEqual([]);
      expect(codesOf(sut(choice({ Variable: '$.a', IsNull: true, Next: 'D' }, jsonata)))).toEqual([
        'MISSING_FIELD /States/C/Choices/0',
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/C/Choices/0/Variable',
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/C/Choices/0/IsNull',
      ]);
      expect(codesOf(sut(choice({ Condition: '{% $x %}', Next: 'D' })))).toEqual([
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/C/Choices/0/Condition',
      ]);
    });
  });

  describe('Retry and Catch', () => {
    const task = (extra: Json): Json =>
      machine({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f', End: true, ...extra });

    it('keeps States.ALL alone and last', () => {
      const diagnostics = sut(task({ Retry: [{ ErrorEquals: ['States.ALL', 'Custom'] }, { ErrorEquals: ['Other'] }] }));
      expect(codesOf(diagnostics)).toEqual([
        'STATES_ALL_NOT_ALONE /States/S/Retry/0/ErrorEquals',
        'STATES_ALL_NOT_LAST /States/S/Retry/0/ErrorEquals',
      ]);
    });

    it('reserves the States. prefix for predefined errors', () => {
      const diagnostics = sut(task({ Retry: [{ ErrorEquals: ['States.Timeout', 'States.Tiemout'] }] }));
      expect(codesOf(diagnostics)).toEqual(['RESERVED_ERROR_NAME /States/S/Retry/0/ErrorEquals/1']);
    });

    it('checks a catcher ResultPath as a reference path without variables', () => {
      const diagnostics = sut(task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S', ResultPath: '$var' }] }));
      expect(codesOf(diagnostics)).toEqual(['INVALID_JSONPATH /States/S/Catch/0/ResultPath']);
    });
  });

  describe('paths, payload templates and intrinsics', () => {
    it('checks every JSONPath field', () => {
      const diagnostics = sut(
        machine({ Type: 'Pass', InputPath: 'bug$.a', OutputPath: '$..a', ResultPath: '$.a[*]', End: true }),
      );
      expect(codesOf(diagnostics)).toEqual([
        'INVALID_JSONPATH /States/S/InputPath',
        'INVALID_JSONPATH /States/S/ResultPath',
      ]);
    });

    it('allows null InputPath, OutputPath and ResultPath', () => {
      expect(sut(machine({ Type: 'Pass', InputPath: null, OutputPath: null, ResultPath: null, End: true }))).toEqual(
        [],
      );
    });

    it('requires a path or an intrinsic in every .$ field, and no k / k.$ pair', () => {
      const diagnostics = sut(
        machine({
          Type: 'Pass',
          Parameters: { 'a.$': 'not a path', b: 1, 'b.$': '$.b', 'c.$': 3, nested: [{ 'd.$': '$$.Execution.Id' }] },
          End: true,
        }),
      );
      expect(codesOf(diagnostics)).toEqual([
        'INVALID_JSONPATH /States/S/Parameters/a.$',
        'INVALID_PAYLOAD_TEMPLATE /States/S/Parameters/b.$',
        'INVALID_PAYLOAD_TEMPLATE /States/S/Parameters/c.$',
      ]);
    });

    it('parses intrinsic calls', () => {
      const ok = sut(machine({ Type: 'Pass', Parameters: { 'x.$': "States.Format('{}', $.a)" }, End: true }));
      expect(ok).toEqual([]);
      const bad = sut(machine({ Type: 'Pass', Parameters: { 'x.$': 'States.Format(' }, End: true }));
      expect(codesOf(bad)).toEqual(['INVALID_INTRINSIC /States/S/Parameters/x.$']);
    });

    it('accepts intrinsics in Fail ErrorPath and CausePath', () => {
      const fail = { Type: 'Fail', ErrorPath: "States.Format('E{}', $.code)", CausePath: '$$.State.Name' };
      expect(sut(machine(fail))).toEqual([]);
    });

    it('checks Assign variable names', () => {
      const diagnostics = sut(
        machine({ Type: 'Pass', Assign: { ok: 1, 'alsoOk.$': '$.a', 'top-level': 2, '1st': 3, states: 4 }, End: true }),
      );
      expect(codesOf(diagnostics)).toEqual([
        'INVALID_VARIABLE_NAME /States/S/Assign/top-level',
        'INVALID_VARIABLE_NAME /States/S/Assign/1st',
        'INVALID_VARIABLE_NAME /States/S/Assign/states',
      ]);
    });
  });

  describe('query languages', () => {
    it('refuses JSONPath fields in JSONata states, inherited from the top level', () => {
      const diagnostics = sut(
        machine({ Type: 'Pass', Parameters: {}, ResultPath: '$.x', End: true }, { QueryLanguage: 'JSONata' }),
      );
      expect(codesOf(diagnostics)).toEqual([
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/S/Parameters',
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/S/ResultPath',
      ]);
      expect(diagnostics[0]?.message).toBe(
        "'Parameters' is a JSONPath field, but state 'S' uses JSONata (inherited from the state machine): use 'Arguments'.",
      );
    });

    it('refuses JSONata fields in JSONPath states', () => {
      expect(codesOf(sut(machine({ Type: 'Pass', Output: {}, End: true })))).toEqual([
        'FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE /States/S/Output',
      ]);
    });

    it('refuses a JSONPath state inside a JSONata state machine', () => {
      const diagnostics = sut(
        machine({ Type: 'Pass', QueryLanguage: 'JSONPath', End: true }, { QueryLanguage: 'JSONata' }),
      );
      expect(codesOf(diagnostics)).toEqual(['QUERY_LANGUAGE_DOWNGRADE /States/S/QueryLanguage']);
    });

    it('checks every {% %} string at any depth', () => {
      const diagnostics = sut(
        machine({
          Type: 'Pass',
          QueryLanguage: 'JSONata',
          Output: { a: ['{% 1 + %}'], b: '{%1%}', c: '{% 1', d: ' {% literal %} ', e: '{% $states.input\n %}' },
          End: true,
        }),
      );
      expect(codesOf(diagnostics)).toEqual([
        'INVALID_JSONATA /States/S/Output/a/0',
        'INVALID_JSONATA /States/S/Output/b',
        'INVALID_JSONATA /States/S/Output/c',
      ]);
    });

    it('lets JSONata states compute numbers and refuses strings in JSONPath states', () => {
      const jsonata = machine({ Type: 'Wait', QueryLanguage: 'JSONata', Seconds: '{% $states.input.s %}', End: true });
      expect(sut(jsonata)).toEqual([]);
      expect(codesOf(sut(machine({ Type: 'Wait', Seconds: '{% 1 %}', End: true })))).toEqual([
        'INVALID_TYPE /States/S/Seconds',
      ]);
    });
  });

  describe('state-specific rules', () => {
    it('wants exactly one Wait duration and RFC 3339 timestamps', () => {
      expect(codesOf(sut(machine({ Type: 'Wait', End: true })))).toEqual(['MISSING_ONE_OF_FIELDS /States/S']);
      expect(codesOf(sut(machine({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true })))).toEqual([
        'MUTUALLY_EXCLUSIVE_FIELDS /States/S/SecondsPath',
      ]);
      expect(codesOf(sut(machine({ Type: 'Wait', Timestamp: '2016-12-05T21:29:29', End: true })))).toEqual([
        'INVALID_TIMESTAMP /States/S/Timestamp',
      ]);
    });

    it('keeps HeartbeatSeconds below TimeoutSeconds', () => {
      const state = {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        TimeoutSeconds: 10,
        HeartbeatSeconds: 10,
        End: true,
      };
      expect(codesOf(sut(machine(state)))).toEqual(['HEARTBEAT_NOT_BELOW_TIMEOUT /States/S/HeartbeatSeconds']);
    });

    it('requires RoleArn in Credentials', () => {
      const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Credentials: {}, End: true };
      expect(codesOf(sut(machine(state)))).toEqual(['MISSING_FIELD /States/S/Credentials']);
      const withRole = { ...state, Credentials: { 'RoleArn.$': '$.role' } };
      expect(sut(machine(withRole))).toEqual([]);
    });

    it('checks resources: ARN shape, Lambda qualifiers, optimized integrations, CloudFormation placeholders', () => {
      const task = (Resource: unknown): Json => machine({ Type: 'Task', Resource, End: true });
      expect(codesOf(sut(task('lambda')))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
      expect(codesOf(sut(task('arn:aws:lambda:us-east-1:1:function:f:')))).toEqual([
        'INVALID_RESOURCE /States/S/Resource',
      ]);
      expect(codesOf(sut(task('arn:aws:states:::dynamodb:query')))).toEqual(['INVALID_RESOURCE /States/S/Resource']);
      expect(sut(task('arn:aws:states:::aws-sdk:dynamodb:query'))).toEqual([]);
      expect(sut(task('arn:aws:states:::ecs:runTask.sync'))).toEqual([]);
      expect(sut(task('${LambdaArn}'))).toEqual([]);
      expect(sut(task({ 'Fn::GetAtt': ['Fn', 'Arn'] }))).toEqual([]);
      expect(codesOf(sut(task(42)))).toEqual(['INVALID_TYPE /States/S/Resource']);
    });

    it('applies the Express restrictions when asked to', () => {
      const definition = machine({
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        End: true,
      });
      expect(sut(definition)).toEqual([]);
      expect(codesOf(sut(definition, { stateMachineType: 'EXPRESS' }))).toEqual([
        'UNSUPPORTED_IN_EXPRESS /States/S/Resource',
      ]);
    });

    it('checks Map processors, labels and tolerated failures', () => {
      const map = (extra: Json): Json =>
        machine({
          Type: 'Map',
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
          ...extra,
        });
      expect(sut(map({ Label: 'ok_label', ToleratedFailurePercentage: 5, MaxConcurrency: 0 }))).toEqual([]);
      expect(codesOf(sut(map({ Label: 'bad label' })))).toEqual(['INVALID_MAP_LABEL /States/S/Label']);
      expect(codesOf(sut(map({ Label: 'x'.repeat(41) })))).toEqual(['INVALID_MAP_LABEL /States/S/Label']);
      expect(codesOf(sut(map({ ToleratedFailurePercentage: 101 })))).toEqual([
        'INVALID_VALUE /States/S/ToleratedFailurePercentage',
      ]);
      expect(codesOf(sut(machine({ Type: 'Map', End: true })))).toEqual(['MISSING_FIELD /States/S']);
    });

    it('validates Parallel branches as their own scopes', () => {
      const diagnostics = sut(
        machine({
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Missing' } } }],
          End: true,
        }),
      );
      // No NO_TERMINAL_STATE on top: the missing 'Missing' state is probably the terminal one.
      expect(codesOf(diagnostics)).toEqual(['MISSING_TRANSITION_TARGET /States/S/Branches/0/States/B/Next']);
    });
  });
});

describe('diagnostic order', () => {
  it('follows the document, whichever check found the problem', () => {
    const diagnostics = validateDefinition({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'Missing' },
        B: { Type: 'Pass', Typo: 1, End: true },
      },
      Extra: true,
    });
    expect(codesOf(diagnostics)).toEqual([
      'MISSING_TRANSITION_TARGET /States/A/Next',
      'UNREACHABLE_STATE /States/B',
      'UNKNOWN_FIELD /States/B/Typo',
      'UNKNOWN_FIELD /Extra',
    ]);
  });
});

describe(parseDefinition.name, () => {
  const sut = parseDefinition;

  it('returns the definition when it is valid', () => {
    const result = sut('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}');
    expect(result).toEqual({ definition: { StartAt: 'A', States: { A: { Type: 'Succeed' } } }, diagnostics: [] });
  });

  it('reports malformed JSON once, with line and column', () => {
    const result = sut('{\n  "StartAt": "A",\n  "States": {,}\n}');
    expect(result.definition).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        code: DiagnosticCode.InvalidJson,
        location: '',
        message:
          'The definition is not valid JSON: unexpected character ",", expected a quoted key at line 3, column 14.',
      },
    ]);
  });

  it('reports an empty definition', () => {
    expect(sut('  ').diagnostics.map((d) => d.code)).toEqual([DiagnosticCode.InvalidJson]);
  });

  it('refuses duplicate keys, which JSON.parse would silently drop', () => {
    const result = sut('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Fail"}}}');
    expect(codesOf(result.diagnostics)).toEqual(['DUPLICATE_KEY /States/A']);
  });

  it('validates what it parsed', () => {
    expect(codesOf(sut('{"StartAt": "A", "States": {}}').diagnostics)).toEqual([
      'MISSING_TRANSITION_TARGET /StartAt',
      'INVALID_VALUE /States',
    ]);
  });

  it('refuses definitions over 1 MiB', () => {
    const result = sut(`{"Comment": "${'x'.repeat(1_048_576)}"}`);
    expect(result.diagnostics[0]?.message).toContain('at most 1048576 bytes');
  });
});
