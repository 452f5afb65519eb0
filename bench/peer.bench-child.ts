/**
 * Benchmark child for the peer, aws-local-stepfunctions. It records its history as an event log that callers
 * read through an async generator; draining it into an array on every execution is the peer's "history on".
 */
import { installPromiseWithResolvers } from './promise-with-resolvers.polyfill';
import { type EngineAdapter, type RunOutcome, runChild } from './bench-harness';
import { type Json } from './workloads';

async function loadPeer(): Promise<EngineAdapter> {
  // The peer targets Node 22; its Task state calls Promise.withResolvers, missing on Node 20. Installed before the
  // peer's modules are loaded (hence the dynamic import) so it never sees a runtime without it.
  installPromiseWithResolvers();
  const { StateMachine } = await import('aws-local-stepfunctions');
  // The peer keys local task handlers by state name; every Task state of the workloads is named Echo.
  const overrides = { taskResourceLocalHandlers: { Echo: (input: Json) => input } };
  return {
    name: 'peer',
    prepare(definition) {
      const machine = new StateMachine(definition as never);
      return {
        async run(input): Promise<RunOutcome> {
          const execution = machine.run(input, { overrides });
          const history: { type: string }[] = [];
          const drained = (async () => {
            for await (const event of execution.eventLogs) history.push(event);
          })();
          try {
            const output: unknown = await execution.result;
            await drained;
            return {
              succeeded: true,
              output: () => output,
              statesEntered: () => history.filter((event) => event.type === 'StateEntered').length,
            };
          } catch (e) {
            await drained;
            return {
              succeeded: false,
              error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
              output: () => undefined,
              statesEntered: () => history.filter((event) => event.type === 'StateEntered').length,
            };
          }
        },
      };
    },
  };
}

runChild(loadPeer).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
