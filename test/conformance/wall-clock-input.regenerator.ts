import type { Substitution } from './conformance-case.types';

/**
 * When the corpus was captured (2026-11-26T20:57:52Z): the `wait_timestamppath` cases send exactly this instant (their
 * test used `datetime.now()`), and the boundary case sends it plus 24,856 days. Offsets are taken in whole days from
 * here, so a corpus re-captured at another time of day still maps "now" to now and "now + N days" to the same N days.
 */
const CORPUS_CAPTURE_INSTANT = Date.UTC(2026, 10, 26, 20, 57, 52);
const DAY_MS = 86_400_000;

/** A wall-clock literal as the tests wrote it: `YYYY-MM-DDTHH:MM:SS` and a suffix (`Z`, `.000Z`, `.000000`, none). */
const WALL_CLOCK_LITERAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(.*)$/s;

/** A case's input text and substitutions, with the wall-clock timestamps moved to the time of this run. */
export interface RegeneratedInput {
  readonly inputText: string;
  readonly substitutions: readonly Substitution[];
  /** Old literal → new literal, for the report. */
  readonly replaced: ReadonlyMap<string, string>;
}

/**
 * `provenance.inputDependsOnWallClock`: the test built its input from the clock (`now`, or `now + 24856 days`), and
 * the result depends on it (a Wait until a time in the past ends at once; one beyond ~68 years fails). The timestamps
 * are the literals the case's `<timestamp>` substitutions name; each is moved by the same number of days it was from
 * the capture, relative to `now`, keeping its format, and the substitution is rewritten to match the new text so the
 * result still normalizes to `<timestamp>`.
 */
export function regenerateWallClockInput(
  inputText: string,
  substitutions: readonly Substitution[],
  now: number,
): RegeneratedInput {
  const replaced = new Map<string, string>();
  const rewritten = substitutions.map((substitution): Substitution => {
    if (substitution.kind !== 'regex' || substitution.replacement !== '<timestamp>') return substitution;
    const literal = substitution.regex;
    const parts = WALL_CLOCK_LITERAL.exec(literal);
    if (!parts || !inputText.includes(literal)) return substitution;
    const [, year, month, day, hour, minute, second, suffix] = parts as unknown as [string, ...string[]];
    const captured = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
    );
    const days = Math.round((captured - CORPUS_CAPTURE_INSTANT) / DAY_MS);
    // Whole seconds, as the tests formatted them (`%Y-%m-%dT%H:%M:%S`); truncating keeps "now" at or before now.
    const moved = new Date(Math.floor(now / 1000) * 1000 + days * DAY_MS).toISOString().slice(0, 19);
    const regenerated = `${moved}${suffix ?? ''}`;
    replaced.set(literal, regenerated);
    return { ...substitution, regex: regenerated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
  });
  let text = inputText;
  for (const [literal, regenerated] of replaced) text = text.split(literal).join(regenerated);
  return { inputText: text, substitutions: rewritten, replaced };
}
