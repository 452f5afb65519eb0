import { describe, expect, it } from 'vitest';
import { isRfc3339Timestamp } from './rfc3339-timestamp';

describe(isRfc3339Timestamp.name, () => {
  it.each([
    '2016-03-14T01:59:00Z',
    '2016-03-05T21:29:29.243167252Z',
    '2016-03-14T01:59:00+05:30',
    '2016-02-29t00:00:00z',
  ])('accepts %s', (text) => expect(isRfc3339Timestamp(text)).toBe(true));

  // The first six are the timestamps AWS refused at CreateStateMachine (base_scenarios.wait_timestamp_invalid__*).
  it.each([
    '05-12-2016T21:29:29Z',
    '2016-12-05 21:29:29Z',
    '2016-12-05T21:29:29',
    '2016-12-05T25:29:29Z',
    '2016-13-05T21:29:29Z',
    "{% '2016-03-14T01:59:00Z' %}",
    '2015-02-29T00:00:00Z',
    '2016-03-14T01:60:00Z',
    '2016-03-14T01:59:00+24:00',
  ])('refuses %s', (text) => expect(isRfc3339Timestamp(text)).toBe(false));
});
