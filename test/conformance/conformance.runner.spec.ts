import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCase } from './case-files.loader';
import type { LoadedCase } from './conformance-case.types';
import { buildReport, formatSummary, runCases } from './conformance.runner';
import { CORPUS_DIR, corpusAvailable } from './corpus.location';
import type {
  ConformanceDiagnostic,
  ConformanceEngine,
  ConformanceExecutionResult,
  ConformanceStartRequest,
} from './engine.ports';
import { replayedResult } from './replayed-result.fixture';

function load(path: string): LoadedCase {
  const loaded = classifyCase(path, JSON.parse(readFileSync(join(CORPUS_DIR, path), 'utf8')));
  if (typeof loaded === 'string') throw new Error(`${path}: ${loaded}`);
  return loaded;
}

/** An engine double: answers each execution from `answer`, records StopExecution calls, validates with `diagnose`. */
function fakeEngine(options: {
  readonly answer: (request: ConformanceStartRequest) => ConformanceExecutionResult | 'hang' | 'refuse';
  readonly diagnose?: (definition: unknown) => ConformanceDiagnostic[];
}): ConformanceEngine & { readonly stops: string[] } {
  const stops: string[] = [];
  return {
    stops,
    createRunner: () => ({
      start(request) {
        const answer = options.answer(request);
        if (answer === 'refuse') throw Object.assign(new Error('bad input'), { code: 'InvalidExecutionInput' });
        return {
          result:
            answer === 'hang' ? new Promise<ConformanceExecutionResult>(() => undefined) : Promise.resolve(answer),
          stop: () => void stops.push(request.executionName),
        };
      },
    }),
    validateDefinition: options.diagnose ?? (() => []),
    taskFailure: (error, cause) => Object.assign(new Error(error), { error, cause }),
  };
}

describe.skipIf(!corpusAvailable)(runCases.name, () => {
  const stopCase = load('api/sfn_api.stop_execution.json');
  const lambdaCase = load('lambda/error_handling.task_lambda.raise_exception_catch.json');
  const choiceCase = load('choice_operators/boolean_equals.boolean_equals__13.json');
  const refusedDefinition = load('validation/sfn_api_map_run.map_state_label_empty_fail.json');
  const validOk = load(
    'validation/sfn_api_validation.validate_state_machine_definition_type_standard__VALID_BASE_PASS.json',
  );
  const badInput = load('validation/sfn_api.invalid_start_execution_input__0.json');
  const duplicateName = load('validation/sfn_api.create_duplicate_sm_name.json');
  const testState = load('test_state/' + readTestStateFileName());

  const byExecution = new Map(
    [stopCase, lambdaCase, choiceCase].flatMap((loaded) =>
      loaded.kind === 'execution'
        ? [[loaded.data.context.executionName + loaded.data.context.stateMachineName, loaded.data]]
        : [],
    ),
  );
  const echo = (request: ConformanceStartRequest): ConformanceExecutionResult => {
    const testCase = byExecution.get(request.executionName + request.stateMachineName);
    if (!testCase) throw new Error(`no case for ${request.stateMachineName}`);
    return replayedResult(testCase);
  };

  it('passes executions that reproduce the recording and replays StopExecution where the test called it', async () => {
    const engine = fakeEngine({ answer: echo });

    const reports = await runCases([stopCase, lambdaCase, choiceCase], engine);

    expect(reports.map((r) => [r.id, r.verdict, r.resultMatch, r.eventsMatch])).toEqual([
      ['sfn_api.stop_execution', 'passed', true, true],
      ['error_handling.task_lambda.raise_exception_catch', 'passed', true, true],
      ['boolean_equals.boolean_equals__13', 'passed', true, null],
    ]);
    expect(engine.stops).toEqual(['exec0001']);
  });

  it('fails an execution that runs past the case timeout, and one whose start is refused', async () => {
    const hanging = await runCases([choiceCase], fakeEngine({ answer: () => 'hang' }), { caseTimeoutMs: 50 });
    const refused = await runCases([choiceCase], fakeEngine({ answer: () => 'refuse' }));

    expect(hanging[0]).toMatchObject({ verdict: 'failed', resultMatch: false, reason: 'did not finish within 50 ms' });
    expect(refused[0]).toMatchObject({
      verdict: 'failed',
      reason: 'StartExecution refused (InvalidExecutionInput): bad input',
    });
  });

  it('judges validation cases by refusal, skips API-level refusals and TestState, and says why', async () => {
    const refusing = fakeEngine({
      answer: () => 'refuse',
      diagnose: () => [
        { code: 'INVALID_MAP_LABEL', message: 'Label cannot be empty', location: '/States/MapState/Label' },
      ],
    });
    const accepting = fakeEngine({ answer: () => 'refuse' });

    const withRefusals = await runCases([refusedDefinition, validOk, badInput, duplicateName, testState], refusing);
    const withAcceptance = await runCases([refusedDefinition, validOk], accepting);

    expect(withRefusals.map((r) => r.verdict)).toEqual(['passed', 'failed', 'passed', 'skipped', 'skipped']);
    expect(withAcceptance.map((r) => r.verdict)).toEqual(['failed', 'passed']);
    expect(withRefusals[3]?.reason).toContain('StateMachineAlreadyExists');
    expect(withAcceptance[0]?.reason).toContain('accepted a definition AWS refused');
  });

  it('summarizes per category and ends with the totals line', async () => {
    const reports = await runCases([stopCase, choiceCase, refusedDefinition, testState], fakeEngine({ answer: echo }));

    const summary = formatSummary(buildReport('corpus', new Date(0), 1234, reports));
    const lines = summary.split('\n');

    expect(lines.at(-1)).toBe('2 passed, 1 failed, 1 skipped');
    expect(summary).toMatch(/engine\/api\s+1\s+1\s+0\s+0\s+1\s+1/);
    expect(summary).toContain(
      'execution (engine+lambda): 2 cases; passed (result) 2 = 100.0%; passed (result+events) 2 = 100.0%',
    );
  });
});

/** Any one TestState case file. */
function readTestStateFileName(): string {
  const index = JSON.parse(readFileSync(join(CORPUS_DIR, 'index.json'), 'utf8')) as {
    cases: { path: string; kind: string }[];
  };
  const entry = index.cases.find((c) => c.kind === 'TestState');
  if (!entry) throw new Error('no TestState case in the corpus index');
  return entry.path.split('/').at(-1) as string;
}
