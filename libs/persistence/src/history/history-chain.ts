import { createHash } from 'node:crypto';
import type { HistoryEvent } from '@lib/asl';
import { canonicalJson } from './canonical-json';

/** The `previousHash` of an execution's first event. */
export const GENESIS_HASH = '';

/**
 * The hash of one link of an execution's history: SHA-256 (hex) of the previous event's hash followed by the
 * canonical JSON of the event. The previous hash is 64 hex digits (or empty before the first event), so the
 * concatenation is unambiguous.
 */
export function hashHistoryEvent(previousHash: string, event: HistoryEvent): string {
  return createHash('sha256').update(previousHash).update(canonicalJson(event)).digest('hex');
}

/** An event and its link in the chain, ready to be stored. */
export interface ChainedHistoryEvent {
  readonly event: HistoryEvent;
  readonly previousHash: string;
  readonly hash: string;
}

/** Links new events onto the chain whose head is `headHash`. */
export function chainHistoryEvents(headHash: string, events: readonly HistoryEvent[]): ChainedHistoryEvent[] {
  const chained: ChainedHistoryEvent[] = [];
  let previousHash = headHash;
  for (const event of events) {
    const hash = hashHistoryEvent(previousHash, event);
    chained.push({ event, previousHash, hash });
    previousHash = hash;
  }
  return chained;
}

/**
 * Refuses a batch of events that would leave a gap or a duplicate in the history: ids must follow on from the
 * last committed one, one by one, and every timestamp must read back exactly as written (the databases store it
 * as an instant, and the hash covers its text).
 */
export function checkEventsFollowOn(lastEventId: number, events: readonly HistoryEvent[]): void {
  let expected = lastEventId + 1;
  for (const event of events) {
    if (event.id !== expected) {
      throw new Error(
        `History event ids must follow on from ${lastEventId} without gaps: got ${event.id} where ${expected} was due`,
      );
    }
    if (!isCanonicalTimestamp(event.timestamp)) {
      throw new Error(
        `History event ${event.id} has timestamp '${event.timestamp}': expected ISO-8601 UTC with milliseconds`,
      );
    }
    expected++;
  }
}

function isCanonicalTimestamp(timestamp: string): boolean {
  const millis = Date.parse(timestamp);
  return !Number.isNaN(millis) && new Date(millis).toISOString() === timestamp;
}

/** The fields an event is stored as: the four AWS scalar fields in columns, everything else in `details`. */
export interface HistoryEventColumns {
  readonly id: number;
  readonly previousEventId: number;
  readonly type: HistoryEvent['type'];
  readonly timestamp: string;
  /** The event's `…EventDetails` member(s), under their own names: `{}` for an event without details. */
  readonly details: Record<string, unknown>;
}

/** Splits an event into its stored columns. */
export function historyEventToColumns(event: HistoryEvent): HistoryEventColumns {
  const { id, previousEventId, type, timestamp, ...details } = event;
  return { id, previousEventId, type, timestamp, details };
}

/** Rebuilds the event from its stored columns, members in the order the interpreter writes them. */
export function historyEventFromColumns(columns: HistoryEventColumns): HistoryEvent {
  return {
    timestamp: columns.timestamp,
    type: columns.type,
    id: columns.id,
    previousEventId: columns.previousEventId,
    ...columns.details,
  } as HistoryEvent;
}

/** The outcome of re-computing an execution's chain, as VerifyHistory reports it. */
export interface HistoryVerification {
  readonly valid: boolean;
  readonly eventCount: number;
  readonly brokenAtEventId?: number;
}

/**
 * Re-computes a chain, event by event, in id order. Feed it every stored event, then ask for the result with the
 * execution's recorded head (its last event id and hash), which catches a history cut short. `eventCount` is the
 * number of events stored, broken chain or not.
 */
export class HistoryChainVerifier {
  private previousHash = GENESIS_HASH;
  private count = 0;
  private brokenAt: number | undefined;

  /** Checks the next stored event, and counts it. Returns false once the chain is broken. */
  add(stored: ChainedHistoryEvent): boolean {
    this.count++;
    if (this.brokenAt !== undefined) return false;
    if (stored.event.id !== this.count) {
      // A missing event: the chain breaks where it should have been.
      this.brokenAt = this.count;
      return false;
    }
    if (
      stored.previousHash !== this.previousHash ||
      hashHistoryEvent(this.previousHash, stored.event) !== stored.hash
    ) {
      this.brokenAt = stored.event.id;
      return false;
    }
    this.previousHash = stored.hash;
    return true;
  }

  result(head: { readonly lastEventId: number; readonly lastEventHash: string }): HistoryVerification {
    if (this.brokenAt !== undefined) return { valid: false, eventCount: this.count, brokenAtEventId: this.brokenAt };
    if (this.count !== head.lastEventId) {
      // Events missing after the last one read (or more events than the execution records).
      return { valid: false, eventCount: this.count, brokenAtEventId: Math.min(this.count + 1, head.lastEventId) };
    }
    if (this.previousHash !== head.lastEventHash) {
      return { valid: false, eventCount: this.count, brokenAtEventId: head.lastEventId };
    }
    return { valid: true, eventCount: this.count };
  }
}
