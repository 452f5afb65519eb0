import type { HistoryEvent } from '@lib/asl';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const PARALLEL_END = /^ParallelState(Succeeded|Failed|Aborted)$/;

/** One event as text, without what legitimately differs between two runs: its time, and the random task tokens. */
function masked(event: HistoryEvent): string {
  const { timestamp: _timestamp, id: _id, previousEventId: _previous, ...rest } = event;
  return JSON.stringify(rest).replace(UUID, '<uuid>');
}

/**
 * What must be identical between two histories of one execution: every event but its timestamp and ids, task
 * tokens masked. The branches of a Parallel state run concurrently, so the order of their events depends on who
 * finished first: the events between ParallelStateStarted and the Parallel's end are compared as a multiset. Ids are
 * left to {@link chainProblems}, since the interleaving of branches shifts them.
 */
export function comparableHistory(events: readonly HistoryEvent[]): unknown[] {
  const out: unknown[] = [];
  let block: string[] | undefined;
  for (const event of events) {
    if (block !== undefined && !PARALLEL_END.test(event.type)) {
      block.push(masked(event));
      continue;
    }
    if (block !== undefined) {
      out.push(block.sort());
      block = undefined;
    }
    out.push(masked(event));
    if (event.type === 'ParallelStateStarted') block = [];
  }
  if (block !== undefined) out.push(block.sort());
  return out;
}

/**
 * What is wrong with a history's shape, as readable lines (none when it is whole): ids must run 1..n without a gap
 * or a repeat, and every event must point back to an earlier one (ExecutionStarted to 0).
 */
export function chainProblems(events: readonly HistoryEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    if (event.id !== index + 1) problems.push(`event #${index + 1} (${event.type}) has id ${event.id}`);
    if (!(event.previousEventId >= 0 && event.previousEventId < event.id)) {
      problems.push(`event ${event.id} (${event.type}) points back to ${event.previousEventId}`);
    }
  });
  return problems;
}
