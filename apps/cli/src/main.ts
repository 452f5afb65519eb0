/**
 * `asl` — validate and run Amazon States Language state machines offline.
 *
 * Loads only the pure interpreter and the in-memory driver: no Nest, no database or queue client, so a run
 * starts in a few tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Diagnostic, parseDefinition, type StateMachineDefinition } from '@lib/asl';
import {
  createHandlerInvoker,
  createMockInvoker,
  HTTP_INVOKE_RESOURCE,
  withHttpInvoker,
  ExecutionStartError,
  LocalRunner,
  MockConfigError,
  mockedStateMachines,
  parseMockConfig,
  resourcesWithoutHandler,
  type TaskHandlers,
  type TaskInvoker,
} from '@lib/engine';
import { formatHistoryTable } from './history-table';

/** Exit codes: the execution's verdict, or a problem with what the user asked for. */
export const ExitCode = { Succeeded: 0, Failed: 1, Usage: 2 } as const;

const USAGE = `Usage:
  asl validate FILE...
  asl run FILE [--input JSON | --input-file PATH] [--handlers MODULE]
               [--mock-config PATH --test-case NAME [--state-machine NAME]]
               [--name EXECUTION_NAME] [--fast-wait] [--json]

  validate   check definitions; prints "FILE LOCATION: message" for each problem
  run        run a definition offline and print its output and history
    --input JSON         execution input (default {})
    --input-file PATH    read the execution input from a file
    --handlers MODULE    a JS module exporting task handlers keyed by resource or function name
    --mock-config PATH   a Step Functions Local MockConfigFile; needs --test-case
    --test-case NAME     the test case of the mock config to run
    --state-machine NAME the mock config's state machine (default: the only one, or the file's base name)
    --fast-wait          skip Wait states, retry back-off and timeouts on a virtual clock
    --json               print one JSON object: {"status","output","error","cause","history"}

Exit status: 0 succeeded, 1 failed/timed out/aborted or invalid (validate), 2 invalid definition or usage.`;

/** A problem with the command line or its files: reported in one line, exit code 2. */
class UsageError extends Error {}

/** Runs the CLI with the given arguments; resolves with the exit code. Writes to the given streams. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return validateCommand(rest, out, err);
      case 'run':
        return await runCommand(rest, out, err);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out.write(`${USAGE}\n`);
        return command === undefined ? ExitCode.Usage : ExitCode.Succeeded;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof MockConfigError) {
      err.write(`asl: ${e.message}\n`);
      if (e instanceof UsageError) err.write(`Run "asl --help" for usage.\n`);
      return ExitCode.Usage;
    }
    if (e instanceof ExecutionStartError) {
      err.write(`asl: ${e.code}: ${e.message}\n`);
      return ExitCode.Usage;
    }
    throw e;
  }
}

function validateCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE.');
  let invalid = 0;
  for (const file of positionals) {
    const { diagnostics } = loadDefinition(file);
    if (diagnostics.length === 0) {
      out.write(`${file}: valid\n`);
      continue;
    }
    invalid++;
    for (const d of diagnostics) err.write(`${file} ${d.location || '/'}: ${d.message}\n`);
  }
  return invalid === 0 ? ExitCode.Succeeded : ExitCode.Failed;
}

async function runCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseOptions(args);
  if (positionals.length !== 1) throw new UsageError('run needs exactly one FILE.');
  const file = positionals[0] as string;
  const { definition, diagnostics } = loadDefinition(file);
  if (!definition) {
    for (const d of diagnostics) err.write(`${file} ${d.location || '/'}: ${d.message}\n`);
    return ExitCode.Usage;
  }
  if (values.input !== undefined && values['input-file'] !== undefined) throw new UsageError('Give --input or --input-file, not both.');
  const input = values['input-file'] !== undefined ? readTextOrFail(values['input-file'], 'input file') : values.input;
  if (input !== undefined) checkJson(input, values['input-file'] ?? '--input');

  const handlers = values.handlers === undefined ? {} : await loadHandlers(values.handlers);
  let invoker: TaskInvoker = withHttpInvoker(createHandlerInvoker(handlers));
  const stateMachineName = values['state-machine'] ?? basename(file).replace(/(\.asl)?\.json$/i, '');
  const mocked = new Set<string>();
  if (values['mock-config'] !== undefined) {
    if (values['test-case'] === undefined) throw new UsageError('--mock-config needs --test-case NAME.');
    const config = parseMockConfig(parseJsonOrFail(readTextOrFail(values['mock-config'], 'mock config'), values['mock-config']));
    const machines = mockedStateMachines(config);
    const machineName = values['state-machine'] ?? (machines.length === 1 ? (machines[0] as string) : stateMachineName);
    invoker = createMockInvoker(config, machineName, values['test-case'], invoker);
    for (const state of Object.keys(config.StateMachines[machineName]?.TestCases[values['test-case']] ?? {})) mocked.add(state);
  } else if (values['test-case'] !== undefined) {
    throw new UsageError('--test-case needs --mock-config PATH.');
  }

  // Without a mock config every Task must have a handler; with one, a test case may leave states it never
  // reaches unmocked, so those fail at run time (Lambda.ResourceNotFoundException) only if they are reached.
  const unanswered =
    values['mock-config'] === undefined
      ? resourcesWithoutHandler(taskResources(definition, mocked), handlers).filter((r) => !HTTP_INVOKE_RESOURCE.test(r))
      : [];
  if (unanswered.length > 0) {
    throw new UsageError(
      `No handler or mock for Task resource${unanswered.length > 1 ? 's' : ''}: ${unanswered.join(', ')}. ` +
        'Register one with --handlers MODULE, or mock the state with --mock-config.',
    );
  }

  const runner = new LocalRunner({ taskInvoker: invoker, clock: values['fast-wait'] ? 'virtual' : 'real' });
  const execution = runner.start({
    definition,
    stateMachineName,
    ...(input === undefined ? {} : { input }),
    ...(values.name === undefined ? {} : { executionName: values.name }),
  });
  const result = await untilSettledOrStuck(execution.result);
  if (values.json) {
    out.write(
      `${JSON.stringify({
        status: result.status,
        output: result.output === undefined ? null : (JSON.parse(result.output) as unknown),
        error: result.error ?? null,
        cause: result.cause ?? null,
        history: result.history,
      })}\n`,
    );
  } else {
    out.write(`Execution ${result.executionArn}\nStatus: ${result.status}\n`);
    if (result.output !== undefined) out.write(`Output: ${result.output}\n`);
    if (result.error !== undefined) out.write(`Error: ${result.error}\n`);
    if (result.cause !== undefined) out.write(`Cause: ${result.cause}\n`);
    out.write(`\n${formatHistoryTable(result.history)}\n`);
  }
  return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
}

/**
 * Waits for the execution; if the process runs out of things to do first (a `.waitForTaskToken` task that no
 * handler will ever complete), that is reported instead of exiting silently.
 */
function untilSettledOrStuck<T>(result: Promise<T>): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const stuck = (): void =>
      reject(
        new UsageError(
          'The execution is waiting for a task token that nothing will send: give the .waitForTaskToken state a handler that calls context.callbacks.success(...), or mock it with --mock-config.',
        ),
      );
    process.once('beforeExit', stuck);
    result.then(
      (value) => {
        process.off('beforeExit', stuck);
        resolvePromise(value);
      },
      (e: unknown) => {
        process.off('beforeExit', stuck);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function parseOptions(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        'input-file': { type: 'string' },
        handlers: { type: 'string' },
        'mock-config': { type: 'string' },
        'test-case': { type: 'string' },
        'state-machine': { type: 'string' },
        name: { type: 'string' },
        'fast-wait': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function loadDefinition(file: string): { definition?: StateMachineDefinition; diagnostics: readonly Diagnostic[] } {
  const parsed = parseDefinition(readTextOrFail(file, 'definition'));
  return parsed.definition ? { definition: parsed.definition, diagnostics: [] } : { diagnostics: parsed.diagnostics };
}

function readTextOrFail(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `Cannot read ${what} "${path}": no such file.` : `Cannot read ${what} "${path}": ${(e as Error).message}`);
  }
}

function parseJsonOrFail(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
}

function checkJson(text: string, source: string): void {
  parseJsonOrFail(text, source === '--input' ? 'The --input value' : source);
}

async function loadHandlers(modulePath: string): Promise<TaskHandlers> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`Cannot load handlers module "${modulePath}": ${(e as Error).message}`);
  }
  // ESM `export default {...}`, CommonJS `module.exports = {...}`, or named exports all work.
  const candidate = (loaded['default'] && typeof loaded['default'] === 'object' ? loaded['default'] : loaded) as Record<string, unknown>;
  const handlers: Record<string, TaskHandlers[string]> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (typeof value === 'function') handlers[key] = value as TaskHandlers[string];
  }
  if (Object.keys(handlers).length === 0) throw new UsageError(`Handlers module "${modulePath}" exports no functions.`);
  return handlers;
}

/** Every Task Resource of a definition, nested scopes included, except states a mock answers. */
function taskResources(definition: StateMachineDefinition, mocked: ReadonlySet<string>): Set<string> {
  const resources = new Set<string>();
  const visit = (body: StateMachineDefinition): void => {
    for (const [name, state] of Object.entries(body.States)) {
      if (state.Type === 'Task' && !mocked.has(name)) resources.add(state.Resource);
      if (state.Type === 'Parallel') state.Branches.forEach(visit);
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor) visit(processor);
      }
    }
  };
  visit(definition);
  return resources;
}

/** Entry point of the `asl` binary. */
export function cli(): void {
  main(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`asl: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = ExitCode.Usage;
    },
  );
}
