import { isJsonObject, type JsonValue } from '@lib/asl';
import { TaskFailure, type TaskInvoker } from './task-invoker';

/**
 * Step Functions Local's MockConfigFile: test cases name, per state, a mocked response; a mocked response lists
 * what successive invocations return or throw, keyed by zero-based invocation index ("0") or range ("1-2").
 */
export interface MockConfigFile {
  readonly StateMachines: Record<string, { readonly TestCases: Record<string, Record<string, string>> }>;
  readonly MockedResponses: Record<string, Record<string, MockedResponseStep>>;
}

/** One entry of a mocked response: `Return` a result or `Throw` an error. */
export interface MockedResponseStep {
  readonly Return?: JsonValue;
  readonly Throw?: { readonly Error: string; readonly Cause?: string };
}

/** A mock-config file that does not have the documented shape, or a test case it does not define. */
export class MockConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockConfigError';
  }
}

/** Checks a parsed mock-config file against the documented structure, naming the first misplaced field. */
export function parseMockConfig(value: unknown): MockConfigFile {
  if (!isJsonObject(value)) throw new MockConfigError('The mock config must be a JSON object with StateMachines and MockedResponses.');
  const { StateMachines: machines, MockedResponses: responses } = value;
  if (!isJsonObject(machines)) throw new MockConfigError('The mock config needs a "StateMachines" object.');
  if (!isJsonObject(responses)) throw new MockConfigError('The mock config needs a "MockedResponses" object.');
  for (const [machine, body] of Object.entries(machines)) {
    if (!isJsonObject(body) || !isJsonObject(body['TestCases'])) {
      throw new MockConfigError(`StateMachines.${machine} needs a "TestCases" object.`);
    }
    for (const [testCase, states] of Object.entries(body['TestCases'])) {
      if (!isJsonObject(states)) throw new MockConfigError(`StateMachines.${machine}.TestCases.${testCase} must map state names to mocked response names.`);
      for (const [state, response] of Object.entries(states)) {
        if (typeof response !== 'string' || !(response in responses)) {
          throw new MockConfigError(
            `StateMachines.${machine}.TestCases.${testCase}.${state} names mocked response ${JSON.stringify(response)}, which MockedResponses does not define.`,
          );
        }
      }
    }
  }
  for (const [name, steps] of Object.entries(responses)) {
    if (!isJsonObject(steps)) throw new MockConfigError(`MockedResponses.${name} must be an object keyed by invocation index.`);
    for (const [key, entry] of Object.entries(steps)) {
      if (!/^\d+(-\d+)?$/.test(key)) throw new MockConfigError(`MockedResponses.${name}: "${key}" is not an invocation index ("0") or range ("1-2").`);
      if (!isJsonObject(entry) || ('Return' in entry) === ('Throw' in entry)) {
        throw new MockConfigError(`MockedResponses.${name}.${key} needs exactly one of "Return" or "Throw".`);
      }
      if ('Throw' in entry && (!isJsonObject(entry['Throw']) || typeof entry['Throw']['Error'] !== 'string')) {
        throw new MockConfigError(`MockedResponses.${name}.${key}.Throw needs an "Error" string.`);
      }
    }
  }
  return value as unknown as MockConfigFile;
}

/** The names of the state machines a mock-config file defines test cases for. */
export function mockedStateMachines(config: MockConfigFile): string[] {
  return Object.keys(config.StateMachines);
}

/**
 * A TaskInvoker answering from one test case: mocked states get their responses in invocation order (retries
 * count), other states go to `fallback` (Step Functions Local calls the real service for them). For
 * `.waitForTaskToken` states the mocked Return completes the callback, as Step Functions Local does.
 */
export function createMockInvoker(
  config: MockConfigFile,
  stateMachineName: string,
  testCaseName: string,
  fallback?: TaskInvoker,
): TaskInvoker {
  const machine = config.StateMachines[stateMachineName];
  if (!machine) {
    throw new MockConfigError(
      `The mock config has no state machine "${stateMachineName}" (it has: ${mockedStateMachines(config).join(', ') || 'none'}).`,
    );
  }
  const testCase = machine.TestCases[testCaseName];
  if (!testCase) {
    throw new MockConfigError(
      `State machine "${stateMachineName}" has no test case "${testCaseName}" (it has: ${Object.keys(machine.TestCases).join(', ')}).`,
    );
  }
  const invocations = new Map<string, number>();
  return async (request) => {
    const responseName = testCase[request.stateName];
    if (responseName === undefined) {
      if (fallback) return fallback(request);
      throw new TaskFailure(
        'States.TaskFailed',
        `Test case "${testCaseName}" mocks no response for state "${request.stateName}", and no handler is registered.`,
      );
    }
    const index = invocations.get(request.stateName) ?? 0;
    invocations.set(request.stateName, index + 1);
    const mocked = responseFor(config.MockedResponses[responseName] ?? {}, index);
    if (!mocked) {
      throw new TaskFailure(
        'States.TaskFailed',
        `Mocked response "${responseName}" defines no response for invocation ${index} of state "${request.stateName}".`,
      );
    }
    if (request.callbacks) {
      const { callbacks } = request;
      // The submission is recorded first, then the mocked callback arrives, as with a real worker.
      setImmediate(() =>
        mocked.Throw ? callbacks.failure(mocked.Throw.Error, mocked.Throw.Cause) : callbacks.success(mocked.Return ?? null),
      );
      return null;
    }
    if (mocked.Throw) throw new TaskFailure(mocked.Throw.Error, mocked.Throw.Cause ?? '');
    return mocked.Return ?? null;
  };
}

function responseFor(steps: Record<string, MockedResponseStep>, index: number): MockedResponseStep | undefined {
  for (const [key, step] of Object.entries(steps)) {
    const [from, to = from] = key.split('-').map(Number) as [number, number?];
    if (index >= from && index <= (to as number)) return step;
  }
  return undefined;
}
