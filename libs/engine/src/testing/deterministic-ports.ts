import type { InterpreterPorts } from '@lib/asl';

/**
 * Ports that make an execution reproducible: a clock that starts at a fixed instant (and only moves when a
 * virtual clock skips ahead), UUIDs from a counter, and a fixed pseudo-random sequence. Recorded example
 * histories are produced and replayed with these.
 */
export function deterministicPorts(startAt = Date.UTC(2026, 0, 1)): Required<InterpreterPorts> {
  let uuids = 0;
  let seed = 0x2545f491;
  return {
    now: () => startAt,
    uuid: () => `00000000-0000-4000-8000-${(++uuids).toString(16).padStart(12, '0')}`,
    random: () => {
      // xorshift32: deterministic and good enough for jitter.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    },
  };
}
