import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy, retryDelayMs } from './retry-policy';

describe(retryDelayMs.name, () => {
  const policy = resolveRetryPolicy({ attempts: 5, initialDelayMs: 100, maxDelayMs: 500, jitter: 0 });

  it('doubles from the initial delay up to the cap, and stops when the attempts are spent', () => {
    expect([1, 2, 3, 4, 5].map((failed) => retryDelayMs(policy, failed))).toEqual([100, 200, 400, 500, undefined]);
  });

  it('stays finite for a huge run count', () => {
    expect(retryDelayMs({ ...policy, attempts: Number.MAX_SAFE_INTEGER }, 5_000)).toBe(500);
  });

  it('shortens each wait by at most the jitter fraction', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(retryDelayMs(jittered, 2, () => 0)).toBe(200);
    expect(retryDelayMs(jittered, 2, () => 0.999_999)).toBe(160);
  });

  it('by default rides out about a quarter of an hour of failures', () => {
    let total = 0;
    for (let failed = 1; failed < DEFAULT_RETRY_POLICY.attempts; failed += 1) {
      total += retryDelayMs({ ...DEFAULT_RETRY_POLICY, jitter: 0 }, failed)!;
    }
    expect(total / 60_000).toBeGreaterThan(10);
    expect(total / 60_000).toBeLessThan(20);
  });
});

describe(resolveRetryPolicy.name, () => {
  it('refuses values that would stall or never retry', () => {
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ initialDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ jitter: 2 })).toThrow(RangeError);
  });
});
