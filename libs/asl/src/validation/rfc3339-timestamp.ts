const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True for an RFC 3339 date-time (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+01:00`), the only timestamp form
 * Step Functions accepts in Wait `Timestamp` and Choice `Timestamp*` literals. AWS refuses a missing `T`, a missing
 * offset, and out-of-range fields (`2016-13-05…`, `…T25:29:29Z`), so this checks ranges, not just the shape.
 */
export function isRfc3339Timestamp(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return false;
  if (day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  const offsetHours = match[9];
  const offsetMinutes = match[10];
  if (offsetHours !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return false;
  return true;
}
