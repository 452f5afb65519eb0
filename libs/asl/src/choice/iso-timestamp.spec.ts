import { describe, expect, it } from 'vitest';
import { compareTimestampInstants, isStatesTimestamp, parseTimestampInstant } from './iso-timestamp';

describe(parseTimestampInstant.name, () => {
  it('reads UTC and offset timestamps as the same instant', () => {
    expect(parseTimestampInstant('2012-10-09T19:00:55Z')).toEqual({ epochSeconds: 1349809255, nanos: 0 });
    expect(parseTimestampInstant('2012-10-09T20:00:55+01:00')).toEqual({ epochSeconds: 1349809255, nanos: 0 });
    expect(parseTimestampInstant('2012-10-09T18:30:55-00:30')).toEqual({ epochSeconds: 1349809255, nanos: 0 });
  });

  it('keeps fractions down to the nanosecond', () => {
    expect(parseTimestampInstant('2012-10-09T19:00:55.123456789Z')).toEqual({
      epochSeconds: 1349809255,
      nanos: 123456789,
    });
    expect(parseTimestampInstant('2012-10-09T19:00:55.5Z')?.nanos).toBe(500_000_000);
  });

  it('handles dates before the epoch and far in the future', () => {
    expect(parseTimestampInstant('1969-12-31T23:59:59Z')?.epochSeconds).toBe(-1);
    expect(parseTimestampInstant('0001-01-01T00:00:00Z')?.epochSeconds).toBe(-62135596800);
    expect(parseTimestampInstant('9999-12-31T23:59:59Z')?.epochSeconds).toBe(253402300799);
  });

  // The refusals AWS recorded for Wait timestamps, plus calendar checks.
  it.each([
    '2016-12-05T21:29:29',
    '2016-12-05 21:29:29Z',
    '05-12-2016T21:29:29Z',
    '2016-13-05T21:29:29Z',
    '2016-12-05T25:29:29Z',
    '2023-02-29T00:00:00Z',
    '2016-12-05T21:29:60Z',
    '2016-12-05T21:29:29+0100',
    '2016-12-05t21:29:29z',
    '2023-02-24 12:15:56.832957',
    '',
  ])('refuses %j', (text) => {
    expect(parseTimestampInstant(text)).toBeUndefined();
    expect(isStatesTimestamp(text)).toBe(false);
  });
});

describe(compareTimestampInstants.name, () => {
  it('orders by second, then nanosecond', () => {
    const at = (text: string) => parseTimestampInstant(text)!;
    expect(compareTimestampInstants(at('2024-01-01T00:00:00Z'), at('2024-01-01T00:00:01Z'))).toBeLessThan(0);
    expect(compareTimestampInstants(at('2024-01-01T00:00:00.2Z'), at('2024-01-01T00:00:00.1Z'))).toBeGreaterThan(0);
    expect(compareTimestampInstants(at('2024-01-01T01:00:00+01:00'), at('2024-01-01T00:00:00Z'))).toBe(0);
  });
});
