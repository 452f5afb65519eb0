/**
 * Benchmark child for our engine: the in-memory LocalRunner on a virtual clock, with a handler invoker whose Echo
 * function returns its input. History is always recorded by the runner; it comes back with every result.
 */
import { type StateMachineDefinition } from '@lib/asl';
import { createHandlerInvoker, LocalRunner } from '@lib/engine';
import { type EngineAdapter, type RunOutcome, runChild } from './bench-harness';
import { ECHO_FUNCTION } from './workloads';

const adapter: EngineAdapter = {
  name: 'ours',
  prepare(definition) {
    const runner = new LocalRunner({
      taskInvoker: createHandlerInvoker({ [ECHO_FUNCTION]: (input) => input }),
      clock: 'virtual',
    });
    // Passed as an object, as the CLI and an embedding application do.
    const machine = definition as unknown as StateMachineDefinition;
    return {
      async run(input): Promise<RunOutcome> {
        const result = await runner.start({ definition: machine, input: JSON.stringify(input) }).result;
        return {
          succeeded: result.status === 'SUCCEEDED',
          ...(result.status === 'SUCCEEDED'
            ? {}
            : { error: `${result.status} ${result.error ?? ''}: ${result.cause ?? ''}` }),
          output: () => (result.output === undefined ? undefined : (JSON.parse(result.output) as unknown)),
          statesEntered: () => result.history.filter((event) => event.type.endsWith('StateEntered')).length,
        };
      },
    };
  },
};

runChild(() => Promise.resolve(adapter)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
