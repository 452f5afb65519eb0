/** How GetActivityTask waits for work: Step Functions holds the request up to 60 seconds. */
export interface ActivityPollOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

export const ACTIVITY_POLL_OPTIONS = Symbol('ActivityPollOptions');

export const DEFAULT_ACTIVITY_POLL: ActivityPollOptions = { timeoutMs: 60_000, intervalMs: 250 };
