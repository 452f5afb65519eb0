import type { JsonObject } from '@lib/asl';
import { compareCodePoints, pythonJsonText } from './python-json.serializer';

/** Event types that close a Parallel block for the transformer (it treats Exited like the terminal events). */
const BLOCK_CLOSERS = new Set([
  'ParallelStateSucceeded',
  'ParallelStateAborted',
  'ParallelStateExited',
  'ParallelStateFailed',
]);

/**
 * Reproduces how the corpus's `parallelEventsSorted` histories were made (README step 5), so an engine's history
 * can be put in the same form. Branch events have no defined order across branches, so LocalStack's test sorted
 * them; its transformer has quirks the recorded expectations carry, and the event-type sequences only match if they
 * are reproduced exactly:
 *
 * - a `ParallelStateStarted` opens a block (an earlier open block is abandoned: its events keep their places but
 *   already lost their ids — this is what a retried Parallel looks like);
 * - every event inside a block gets `id: [0]` and `previousEventId: 0`;
 * - at a closer, the slice from the block's start up to the closer is replaced by the block's events sorted by their
 *   JSON text (keys sorted). The list is edited while it is walked, so the first closer's slice keeps its length
 *   and the next closer (usually `ParallelStateExited`) overwrites the previous closer too: `ParallelStateSucceeded`
 *   disappears, and in nested Parallels whole runs of events do.
 *
 * Works on a copy; the input events are not modified.
 */
export function sortParallelEvents(events: readonly JsonObject[]): JsonObject[] {
  const list = events.map((event) => ({ ...event }));
  let blockStart = 0; // a closer before any block starts slices from the beginning, as the original did
  let block: JsonObject[] = [];
  let inBlock = false;
  for (let index = 0; index < list.length; index++) {
    const event = list[index] as JsonObject;
    const type = event['type'];
    if (typeof type !== 'string') {
      inBlock = false;
    } else if (BLOCK_CLOSERS.has(type)) {
      const sorted = block
        .map((member) => ({ member, key: pythonJsonText(member, { sortKeys: true }) }))
        .sort((a, b) => compareCodePoints(a.key, b.key))
        .map(({ member }) => member);
      list.splice(blockStart, index - blockStart, ...sorted);
      inBlock = false;
    } else if (type === 'ParallelStateStarted') {
      inBlock = true;
      block = [];
      blockStart = index + 1;
    } else if (inBlock) {
      event['id'] = [0];
      event['previousEventId'] = 0;
      block.push(event);
    }
  }
  return list;
}
