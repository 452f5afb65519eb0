import type { HistoryEvent } from '@lib/asl';
import { describe, expect, it } from 'vitest';
import {
  chainHistoryEvents,
  checkEventsFollowOn,
  GENESIS_HASH,
  HistoryChainVerifier,
  historyEventFromColumns,
  historyEventToColumns,
} from './history-chain';

const event = (id: number, details: Record<string, unknown> = { name: `S${id}` }): HistoryEvent =>
  ({
    timestamp: '2030-01-01T00:00:00.000Z',
    type: 'PassStateEntered',
    id,
    previousEventId: id - 1,
    stateEnteredEventDetails: details,
  }) as HistoryEvent;

describe(HistoryChainVerifier.name, () => {
  const chain = chainHistoryEvents(GENESIS_HASH, [event(1), event(2), event(3)]);
  const head = { lastEventId: 3, lastEventHash: chain[2]?.hash ?? '' };
  const verify = (stored: typeof chain, recorded = head) => {
    const sut = new HistoryChainVerifier();
    for (const link of stored) sut.add(link);
    return sut.result(recorded);
  };

  it('accepts an intact chain', () => {
    expect(verify(chain)).toEqual({ valid: true, eventCount: 3 });
  });

  it('names the first changed event, the first missing one, and a cut-off tail', () => {
    const [one, two, three] = chain as [(typeof chain)[0], (typeof chain)[0], (typeof chain)[0]];
    expect(verify([one, { ...two, event: event(2, { name: 'forged' }) }, three])).toEqual({
      valid: false,
      eventCount: 3,
      brokenAtEventId: 2,
    });
    expect(verify([one, three])).toEqual({ valid: false, eventCount: 2, brokenAtEventId: 2 });
    expect(verify([one, two])).toEqual({ valid: false, eventCount: 2, brokenAtEventId: 3 });
    // A rehashed forgery still breaks at the head the execution recorded.
    const forged = chainHistoryEvents(GENESIS_HASH, [event(1), event(2), event(3, { name: 'forged' })]);
    expect(verify(forged)).toEqual({ valid: false, eventCount: 3, brokenAtEventId: 3 });
  });
});

describe(checkEventsFollowOn.name, () => {
  it('accepts ids that follow on and refuses gaps, repeats and non-canonical timestamps', () => {
    expect(() => checkEventsFollowOn(4, [event(5), event(6)])).not.toThrow();
    expect(() => checkEventsFollowOn(4, [event(6)])).toThrow(/got 6 where 5 was due/);
    expect(() => checkEventsFollowOn(4, [event(4)])).toThrow(/got 4 where 5 was due/);
    expect(() => checkEventsFollowOn(0, [{ ...event(1), timestamp: '2030-01-01T00:00:00Z' }])).toThrow(
      /ISO-8601 UTC with milliseconds/,
    );
  });
});

describe(historyEventToColumns.name, () => {
  it('round-trips an event, keeping the order of its members', () => {
    const original = event(7, { name: 'S', input: '{}', inputDetails: { truncated: false } });
    const rebuilt = historyEventFromColumns(JSON.parse(JSON.stringify(historyEventToColumns(original))));
    expect(rebuilt).toEqual(original);
    expect(Object.keys(rebuilt)).toEqual(Object.keys(original));
  });
});
