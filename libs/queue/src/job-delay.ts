/** A delay in whole milliseconds; absent, zero or negative (a timer already due) means now. */
export function checkedDelay(delayMs: number | undefined): number {
  if (delayMs === undefined) return 0;
  if (!Number.isFinite(delayMs))
    throw new RangeError(`delayMs must be a finite number of milliseconds, not ${delayMs}`);
  return Math.max(0, Math.ceil(delayMs));
}
