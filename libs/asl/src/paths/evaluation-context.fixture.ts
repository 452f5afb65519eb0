import type { EvaluationContext } from '../evaluation/evaluation-context';
import type { JsonValue } from '../json';

/**
 * An {@link EvaluationContext} for tests: a fixed context object, variables from a plain record, and deterministic
 * ports (UUIDs count up, `random()` returns the given sequence round-robin).
 */
export function evaluationContextFixture(
  options: { contextObject?: JsonValue; variables?: Record<string, JsonValue>; randoms?: readonly number[] } = {},
): EvaluationContext {
  const variables = options.variables ?? {};
  const randoms = options.randoms ?? [0.5];
  let uuids = 0;
  let draws = 0;
  return {
    contextObject: options.contextObject ?? {},
    variables: { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) },
    ports: {
      uuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`,
      random: () => randoms[draws++ % randoms.length] as number,
    },
  };
}
