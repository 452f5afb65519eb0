import type { ApiCase } from './conformance-case.types';
import type { CaseReport } from './conformance-report.types';
import { startErrorCode, type ConformanceDiagnostic, type ConformanceEngine } from './engine.ports';
import { sequentialUuids } from './execution-case.runner';

/** A minimal valid machine, for StartExecution cases whose point is the input, not the definition. */
const PASS_MACHINE = { StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } };

/**
 * Judges a `validation/` case:
 *
 * - `CreateStateMachine`/`UpdateStateMachine` refused with `InvalidDefinition`: `validateDefinition` must report at
 *   least one problem (AWS's message is shown next to ours, not required to match);
 * - `ValidateStateMachineDefinition`: our verdict (OK when no diagnostics) must equal AWS's `result`;
 * - `StartExecution` refused with `InvalidExecutionInput`: the runner's `start` must refuse the input with that code;
 * - refusals that are not about the definition or input (names, ARNs, logging, versions, sync on a Standard
 *   machine) have no counterpart in the engine and are skipped, saying why.
 *
 * `test_state/` cases are skipped: the runner has no TestState API.
 */
export function runApiCase(
  testCase: ApiCase,
  path: string,
  kind: 'validation' | 'test_state',
  engine: ConformanceEngine,
): CaseReport {
  const startedAt = performance.now();
  const report = (fields: Pick<CaseReport, 'verdict' | 'resultMatch' | 'reason'>): CaseReport => ({
    id: testCase.id,
    path,
    category: testCase.category,
    group: 'api',
    kind,
    eventsMatch: null,
    ...fields,
    durationMs: Math.round(performance.now() - startedAt),
  });
  const skip = (reason: string): CaseReport => report({ verdict: 'skipped', resultMatch: null, reason });

  if (kind === 'test_state') return skip('TestState is not supported by the conformance runner');
  const expected = testCase.expected;

  switch (testCase.api) {
    case 'CreateStateMachine':
    case 'UpdateStateMachine': {
      if (expected.error !== 'InvalidDefinition') {
        return skip(
          `${testCase.api} refused with ${expected.error ?? 'no error'}: an API-level check, not a definition check`,
        );
      }
      if (testCase.definition === undefined && testCase.definitionText === undefined) {
        return skip(`${testCase.api} refused a request without a definition`);
      }
      const diagnostics = validate(engine, definitionOf(testCase), machineType(testCase));
      if (diagnostics instanceof Error)
        return report({
          verdict: 'failed',
          resultMatch: false,
          reason: `validateDefinition threw: ${diagnostics.message}`,
        });
      const refused = diagnostics.length > 0;
      return report({
        verdict: refused ? 'passed' : 'failed',
        resultMatch: refused,
        reason: refused
          ? `refused: ${describe(diagnostics)} | AWS: ${expected.cause ?? ''}`
          : `accepted a definition AWS refused: ${expected.cause ?? ''}`,
      });
    }
    case 'ValidateStateMachineDefinition': {
      const diagnostics = validate(engine, definitionOf(testCase), machineType(testCase));
      if (diagnostics instanceof Error)
        return report({
          verdict: 'failed',
          resultMatch: false,
          reason: `validateDefinition threw: ${diagnostics.message}`,
        });
      const ours = diagnostics.length > 0 ? 'FAIL' : 'OK';
      const matched = ours === expected.result;
      const aws = (expected.diagnostics ?? []).map((d) => `${d.code} at ${d.location ?? '/'}: ${d.message}`).join('; ');
      return report({
        verdict: matched ? 'passed' : 'failed',
        resultMatch: matched,
        reason: `result ${ours}, AWS ${expected.result ?? '?'}${diagnostics.length ? ` | ours: ${describe(diagnostics)}` : ''}${aws ? ` | AWS: ${aws}` : ''}`,
      });
    }
    case 'StartExecution': {
      if (expected.error !== 'InvalidExecutionInput') {
        return skip(
          `StartExecution refused with ${expected.error ?? 'no error'}: an API-level check the runner does not model`,
        );
      }
      const inputText = typeof testCase.input === 'string' ? testCase.input : JSON.stringify(testCase.input ?? {});
      const runner = engine.createRunner({
        taskInvoker: () => Promise.reject(engine.taskFailure('ConformanceRunner.UnexpectedTask', 'no task expected')),
        clock: 'virtual',
        ports: { uuid: sequentialUuids() },
      });
      try {
        const execution = runner.start({
          definition: PASS_MACHINE,
          input: inputText,
          stateMachineName: 'statemachine_uid00001',
          executionName: 'exec0001',
          accountId: '111111111111',
          region: 'us-east-1',
          partition: 'aws',
          roleArn: 'arn:aws:iam::111111111111:role/sfn_role',
          stateMachineType: 'STANDARD',
        });
        execution.stop();
        return report({
          verdict: 'failed',
          resultMatch: false,
          reason: `started with input ${JSON.stringify(inputText)}; AWS refused: ${expected.cause ?? ''}`,
        });
      } catch (thrown) {
        const code = startErrorCode(thrown);
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        const matched = code === 'InvalidExecutionInput';
        const sameMessage = message === expected.cause;
        return report({
          verdict: matched ? 'passed' : 'failed',
          resultMatch: matched,
          reason: `refused with ${code ?? 'no code'}: ${message}${sameMessage ? '' : ` | AWS: ${expected.cause ?? ''}`}`,
        });
      }
    }
    case 'StartSyncExecution':
      return skip(
        `StartSyncExecution refused with ${expected.error ?? 'no error'}: the runner has no synchronous start API`,
      );
    case 'TestState':
      return skip('TestState is not supported by the conformance runner');
  }
}

/**
 * The definition as the validator should see it: the parsed object, or the exact text when the text was not JSON
 * (AWS's "not a definition" and empty-string cases).
 */
function definitionOf(testCase: ApiCase): unknown {
  if (testCase.definition !== undefined && testCase.definition !== null) return testCase.definition;
  if (testCase.definitionText === undefined) return testCase.definition;
  try {
    return JSON.parse(testCase.definitionText) as unknown;
  } catch {
    return testCase.definitionText;
  }
}

/** The state machine type the request named (`type` of CreateStateMachine and ValidateStateMachineDefinition). */
function machineType(testCase: ApiCase): 'STANDARD' | 'EXPRESS' {
  return testCase.requestParameters?.['type'] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}

/** The validator's diagnostics, or the error it threw: a validator must report problems, never throw on them. */
function validate(
  engine: ConformanceEngine,
  definition: unknown,
  stateMachineType: 'STANDARD' | 'EXPRESS',
): readonly ConformanceDiagnostic[] | Error {
  try {
    return engine.validateDefinition(definition, { stateMachineType });
  } catch (thrown) {
    return thrown instanceof Error ? thrown : new Error(String(thrown));
  }
}

function describe(diagnostics: readonly ConformanceDiagnostic[]): string {
  const shown = diagnostics.slice(0, 3).map((d) => `${d.code} at ${d.location || '/'}: ${d.message}`);
  return diagnostics.length > 3 ? `${shown.join('; ')} (+${diagnostics.length - 3} more)` : shown.join('; ');
}
