import type { HistoryEvent } from '@lib/asl';
import { InMemoryExecutionStore } from './memory/in-memory-execution-store';
import { describeExecutionStoreContract } from './testing/execution-store.contract';

/** The in-memory store with a back door to its events, standing in for a database superuser. */
class TamperableInMemoryExecutionStore extends InMemoryExecutionStore {
  tamperWithEvent(executionArn: string, eventId: number, details: Record<string, unknown>): void {
    const history = this.histories.get(executionArn) ?? [];
    const index = history.findIndex((stored) => stored.event.id === eventId);
    const stored = history[index];
    if (!stored) throw new Error(`No event ${eventId} in ${executionArn}`);
    const { id, previousEventId, type, timestamp } = stored.event;
    history[index] = { ...stored, event: { timestamp, type, id, previousEventId, ...details } as HistoryEvent };
  }
}

describeExecutionStoreContract(
  'in memory',
  async (clock) => {
    const store = new TamperableInMemoryExecutionStore(clock);
    return {
      store,
      tamperWithEvent: async (executionArn, eventId, details) => store.tamperWithEvent(executionArn, eventId, details),
      close: () => store.close(),
    };
  },
  { database: false },
);
