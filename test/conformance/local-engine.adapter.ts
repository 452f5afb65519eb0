import { validateDefinition, type StateMachineDefinition } from '@lib/asl';
import { LocalRunner, TaskFailure } from '@lib/engine';
import type { ConformanceEngine } from './engine.ports';

/** The real engine behind the conformance runner's ports: the in-memory `LocalRunner` and the ASL validator. */
export const localEngine: ConformanceEngine = {
  createRunner(options) {
    const runner = new LocalRunner({ taskInvoker: options.taskInvoker, clock: options.clock, ports: options.ports });
    return {
      // The corpus holds definitions as plain JSON objects; whether they are valid ASL is the engine's call.
      start: (request) => runner.start({ ...request, definition: request.definition as StateMachineDefinition }),
    };
  },
  validateDefinition: (definition, options) => validateDefinition(definition, options),
  taskFailure: (error, cause) => new TaskFailure(error, cause),
};
