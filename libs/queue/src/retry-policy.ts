/**
 * How a job whose handler rejected is tried again. A rejection means the infrastructure failed (the store was
 * unreachable, a commit conflicted too often): ASL task failures never reject, they become inbox entries. So the
 * default keeps trying for about a quarter of an hour, long enough to ride out a database or Redis restart.
 */
export interface RetryPolicy {
  /** Runs in all, the first included; after the last failed run the job is dropped and reported. */
  readonly attempts: number;
  /** Wait before the second run; each further wait doubles. */
  readonly initialDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
  /**
   * Each wait is shortened by up to this fraction, at random, so that jobs which failed together (a database
   * outage) do not all come back in the same instant. 0 makes waits exact.
   */
  readonly jitter: number;
}

/** 20 runs, 1 s doubling up to 1 min between runs: about 15 minutes before a job is given up. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 20,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitter: 0.2,
};

/**
 * The wait before the next run, after `failedRuns` failed runs (1 after the first failure): capped exponential
 * back-off. Returns undefined when the policy's attempts are spent.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedRuns: number,
  random: () => number = Math.random,
): number | undefined {
  if (failedRuns >= policy.attempts) return undefined;
  // 2 ** n overflows to Infinity for large n; the cap keeps the result finite either way.
  const exact = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failedRuns - 1));
  return Math.round(exact * (1 - policy.jitter * random()));
}

/** Fills a partial policy from the default and refuses values that would make the queue misbehave. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be an integer of at least 1, not ${policy.attempts}`);
  }
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new RangeError(
      `retry delays must satisfy 0 <= initialDelayMs <= maxDelayMs, not ${policy.initialDelayMs} and ${policy.maxDelayMs}`,
    );
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1))
    throw new RangeError(`retry.jitter must be within [0, 1], not ${policy.jitter}`);
  return policy;
}
