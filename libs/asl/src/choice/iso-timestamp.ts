/**
 * The timestamps Step Functions compares and waits for. The spec: "timestamps … must conform to RFC3339 profile
 * ISO 8601, with the further restrictions that an uppercase T must separate the date and time portions, and an
 * uppercase Z must denote that a numeric time zone offset is not present". AWS's recorded errors show what it
 * refuses: no offset (`2016-12-05T21:29:29`), a space separator, month 13, hour 25. What it accepts beyond the
 * spec's examples (minutes without seconds, up to nine fraction digits, `+01:00`) follows the ISO offset date-time
 * form those errors name ("ISO-8601 extended offset date-time format").
 */

/** A point in time with nanosecond precision: epoch seconds plus the nanoseconds of that second. */
export interface TimestampInstant {
  readonly epochSeconds: number;
  readonly nanos: number;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2})(?::(\d{2}))?)$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), with no Date object. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The instant a timestamp denotes, or undefined when it is not one Step Functions accepts. */
export function parseTimestampInstant(text: string): TimestampInstant | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zulu, sign, offsetHourText] =
    match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (zulu === undefined) {
    const offsetHour = Number(offsetHourText);
    const offsetMinute = Number(match[11]);
    const offsetSecond = Number(match[12] ?? '0');
    if (offsetMinute > 59 || offsetSecond > 59) return undefined;
    offsetSeconds = offsetHour * 3600 + offsetMinute * 60 + offsetSecond;
    if (offsetSeconds > 18 * 3600) return undefined;
    if (sign === '-') offsetSeconds = -offsetSeconds;
  }
  const epochSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  const nanos = fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'));
  return { epochSeconds, nanos };
}

/** True for a timestamp Step Functions accepts (what `IsTimestamp` tests). */
export function isStatesTimestamp(value: unknown): value is string {
  return typeof value === 'string' && parseTimestampInstant(value) !== undefined;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareTimestampInstants(a: TimestampInstant, b: TimestampInstant): number {
  return a.epochSeconds !== b.epochSeconds ? a.epochSeconds - b.epochSeconds : a.nanos - b.nanos;
}
