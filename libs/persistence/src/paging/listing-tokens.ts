import { type ExecutionListFilter, ExecutionStoreError, type Page } from '@lib/engine';
import { decodePageToken, encodePageToken } from './page-token';

/**
 * The positions each listing of the store pages by, shared by every implementation so that their tokens mean
 * the same thing. Each position is keyset (the last item's sort key), not an offset: a page stays right while
 * executions are being added.
 */

type ExecutionsPosition = { kind: 'executions'; filter: string; startDate: string; executionArn: string };
type HistoryPosition = { kind: 'history'; executionArn: string; reverse: boolean; eventId: number };
type ArnPosition = { kind: ArnListing; arn: string };

/** Listings ordered by ARN. */
export type ArnListing = 'state-machines' | 'activities';

/** ListExecutions' filters; a token continues only the listing with the same filters. */
export type ExecutionsFilter = ExecutionListFilter;

function filterKey(filter: ExecutionsFilter): string {
  const key: (string | null)[] = [filter.stateMachineArn ?? null, filter.statusFilter ?? null];
  const { startedAfter, startedBefore, search } = filter;
  // The key grows only when the newer filters are used, so tokens written before they existed still continue.
  if (startedAfter !== undefined || startedBefore !== undefined || search !== undefined) {
    key.push(startedAfter?.toISOString() ?? null, startedBefore?.toISOString() ?? null, search ?? null);
  }
  return JSON.stringify(key);
}

/** ListExecutions (newest first): the (startDate, executionArn) the previous page ended with. */
export function executionsAfter(
  token: string,
  filter: ExecutionsFilter,
): { readonly startDate: Date; readonly executionArn: string } {
  const position = decodePageToken<ExecutionsPosition>(token, 'executions', {
    filter: 'string',
    startDate: 'string',
    executionArn: 'string',
  });
  const startDate = new Date(position.startDate);
  if (position.filter !== filterKey(filter) || Number.isNaN(startDate.getTime())) {
    throw new ExecutionStoreError('InvalidToken', 'Invalid Token: the token belongs to a listing with other filters');
  }
  return { startDate, executionArn: position.executionArn };
}

/** The token after `last` in ListExecutions. */
export function executionsToken(
  filter: ExecutionsFilter,
  last: { readonly startDate: Date; readonly executionArn: string },
): string {
  return encodePageToken({
    kind: 'executions',
    filter: filterKey(filter),
    startDate: last.startDate.toISOString(),
    executionArn: last.executionArn,
  } satisfies ExecutionsPosition);
}

/** GetExecutionHistory: the id of the last event of the previous page, for this execution and direction only. */
export function historyAfter(token: string, executionArn: string, reverse: boolean): number {
  const position = decodePageToken<HistoryPosition>(token, 'history', {
    executionArn: 'string',
    reverse: 'boolean',
    eventId: 'number',
  });
  if (position.executionArn !== executionArn || position.reverse !== reverse) {
    throw new ExecutionStoreError('InvalidToken', 'Invalid Token: the token belongs to another history listing');
  }
  return position.eventId;
}

/** The token after event `eventId` in GetExecutionHistory. */
export function historyToken(executionArn: string, reverse: boolean, eventId: number): string {
  return encodePageToken({ kind: 'history', executionArn, reverse, eventId } satisfies HistoryPosition);
}

/** ListStateMachines, ListActivities: the ARN the previous page ended with. */
export function arnAfter(token: string, listing: ArnListing): string {
  return decodePageToken<ArnPosition>(token, listing, { arn: 'string' }).arn;
}

/** The token after `arn` in an ARN-ordered listing. */
export function arnToken(listing: ArnListing, arn: string): string {
  return encodePageToken({ kind: listing, arn } satisfies ArnPosition);
}

/**
 * A page from up to `limit + 1` items read in order: the extra item only says that there is a next page, whose
 * token is made from the last item kept.
 */
export function pageOf<T>(read: readonly T[], limit: number, tokenAfter: (last: T) => string): Page<T> {
  const items = read.slice(0, limit);
  const last = items.at(-1);
  if (read.length <= limit || last === undefined) return { items };
  return { items, nextToken: tokenAfter(last) };
}
