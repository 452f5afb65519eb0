import type { HistoryEvent } from '@lib/asl';

/**
 * The console's execution event history table: ID, Type, Step, Resource, and the time elapsed since the
 * execution started. Events that name no state (TaskScheduled, MapIterationStarted…) belong to the state of the
 * event they follow, which `previousEventId` points at.
 */
export function formatHistoryTable(history: readonly HistoryEvent[]): string {
  const stepOf = new Map<number, string>();
  const resourceOf = new Map<number, string>();
  // Parallel and Map states enclose their branches' events: their closing events belong to the enclosing state.
  const enclosing: string[] = [];
  const start = history[0] ? Date.parse(history[0].timestamp) : 0;
  const rows = history.map((event) => {
    const details = detailsOf(event);
    const named = typeof details?.['name'] === 'string' && !event.type.startsWith('MapIteration') ? details['name'] : undefined;
    let step: string;
    if (event.type.startsWith('Execution')) step = '';
    else if (/^(Parallel|Map)State(Succeeded|Failed|Aborted)$|^MapRun/.test(event.type)) step = enclosing.at(-1) ?? '';
    else step = named ?? stepOf.get(event.previousEventId) ?? '';
    if (event.type === 'ParallelStateEntered' || event.type === 'MapStateEntered') enclosing.push(step);
    if (event.type === 'ParallelStateExited' || event.type === 'MapStateExited') enclosing.pop();
    stepOf.set(event.id, step);
    const taskEvent = /^(Task|LambdaFunction|Activity)(?!State)/.test(event.type);
    const ownResource = typeof details?.['resource'] === 'string' ? details['resource'] : undefined;
    const resource = taskEvent ? (ownResource ?? resourceOf.get(event.previousEventId) ?? '') : '';
    if (resource) resourceOf.set(event.id, resource);
    return [String(event.id), event.type, step, resource, `${Date.parse(event.timestamp) - start} ms`];
  });
  const header = ['ID', 'Type', 'Step', 'Resource', 'Elapsed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 || i === 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function detailsOf(event: HistoryEvent): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(event)) if (key.endsWith('EventDetails')) return value as Record<string, unknown>;
  return undefined;
}
