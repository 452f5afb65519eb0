import type jsonata from 'jsonata';
import type { RandomPorts } from '../evaluation/evaluation-context';
import { isJsonObject, type JsonValue } from '../json';
import { hexDigest, isDigestAlgorithm, listDigestAlgorithms } from '../digest/message-digest';

/**
 * What the functions Step Functions adds to JSONata need from the evaluation that calls them. One per evaluation,
 * bound under {@link EVALUATION_SCOPE_BINDING}, so a compiled expression can be shared by concurrent evaluations.
 */
export interface JsonataEvaluationScope {
  readonly ports: RandomPorts;
  readonly contextObject: JsonValue;
  /** Frames (lambda calls, blocks) created so far: the budget that stops runaway recursion deterministically. */
  frames: number;
}

/** The binding name of the evaluation scope. It contains a space, so no `$name` in an expression can reach it. */
export const EVALUATION_SCOPE_BINDING = 'asl evaluation scope';

/**
 * How many frames one evaluation may create. JSONata optimises tail calls, so `$f := function(){ $f() }` would
 * otherwise loop forever; a count (not a wall-clock timeout) keeps the failure deterministic.
 */
export const MAX_FRAMES_PER_EVALUATION = 1_000_000;

/** An error raised inside a function: JSONata adds the position and rethrows it from `evaluate`. */
export interface JsonataFunctionError {
  readonly code?: string;
  readonly message: string;
}

function fail(message: string): never {
  const error: JsonataFunctionError = { message };
  throw error;
}

function scopeOf(focus: jsonata.Focus): JsonataEvaluationScope {
  const scope: unknown = focus.environment.lookup(EVALUATION_SCOPE_BINDING);
  if (scope === undefined) fail('The Step Functions JSONata functions need an evaluation scope');
  return scope as JsonataEvaluationScope;
}

/** A JSONata sequence: a singleton collapses to its item and an empty one to undefined, like a path result. */
function sequenceOf(items: unknown[]): unknown[] {
  return Object.assign(items, { sequence: true });
}

/** `$partition(array, size)`: the array cut into chunks of `size` items, the last one shorter (States.ArrayPartition). */
function partition(array: unknown[] | undefined, size: number | undefined): unknown[] | undefined {
  if (array === undefined || size === undefined) return undefined;
  if (!Number.isInteger(size) || size <= 0) {
    fail(`The chunk size of $partition must be a positive integer, got ${String(size)}`);
  }
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += size) {
    chunks.push(array.slice(start, start + size));
  }
  return chunks;
}

/** The largest array `$range` builds: JSONata's own limit for its `..` operator. */
const MAX_RANGE_ITEMS = 10_000_000;

/**
 * `$range(start, end, step)`: from `start` up to and including `end` in steps of `step`, which may be negative
 * (States.ArrayRange). AWS returns it as a sequence: `$range(1, 9, 9)` is `1`, not `[1]`.
 */
function range(start: number | undefined, end: number | undefined, step: number | undefined): unknown[] | undefined {
  if (start === undefined || end === undefined || step === undefined) return undefined;
  if (step === 0) fail('The step of $range must not be 0');
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_RANGE_ITEMS) fail(`$range would create ${count} items, more than the ${MAX_RANGE_ITEMS} allowed`);
  const items: number[] = [];
  for (let index = 0; index < count; index++) items.push(start + index * step);
  return sequenceOf(items);
}

/** `$hash(value, algorithm)`: the lower-case hex digest of the UTF-8 string (States.Hash). */
function hash(value: string | undefined, algorithm: string | undefined): string | undefined {
  if (value === undefined || algorithm === undefined) return undefined;
  if (!isDigestAlgorithm(algorithm)) {
    fail(`Unsupported hash algorithm '${algorithm}'; use one of ${listDigestAlgorithms().join(', ')}`);
  }
  return hexDigest(algorithm, value);
}

const LCG_MULTIPLIER = 0x5deece66dn;
const LCG_MASK = (1n << 48n) - 1n;

/**
 * A number in [0, 1) that only depends on `seed`: the first `nextDouble()` of a `java.util.Random(seed)`, an
 * algorithm that is fully specified and cheap. AWS documents that the same seed always gives the same number but not
 * which generator it uses, so the values are not claimed to equal AWS's. Non-integer seeds are truncated.
 */
export function seededRandom(seed: number): number {
  let state = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ LCG_MULTIPLIER) & LCG_MASK;
  const next = (bits: bigint): bigint => {
    state = (state * LCG_MULTIPLIER + 0xbn) & LCG_MASK;
    return state >> (48n - bits);
  };
  const high = next(26n);
  const low = next(27n);
  return Number((high << 27n) + low) / 2 ** 53;
}

/** `$random([seed])`: without a seed it draws from the injected port, so executions replay identically. */
function random(this: jsonata.Focus, seed?: number): number {
  return seed === undefined ? scopeOf(this).ports.random() : seededRandom(seed);
}

/** `$uuid()`: a version-4 UUID from the injected port (States.UUID). */
function uuid(this: jsonata.Focus): string {
  return scopeOf(this).ports.uuid();
}

/** `$parse(text)`: JSON text to a value; AWS offers it in place of `$eval`. */
function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(`The argument of $parse is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The instant `$now()` and `$millis()` report. JSONata reads the wall clock, which would make a replay differ; the
 * context object's `State.EnteredTime` (else `Execution.StartTime`) is recorded in the snapshot, so it is used instead.
 */
function evaluationMillis(focus: jsonata.Focus): number {
  const context = scopeOf(focus).contextObject;
  const state = isJsonObject(context) ? context['State'] : undefined;
  const execution = isJsonObject(context) ? context['Execution'] : undefined;
  const candidates = [
    isJsonObject(state) ? state['EnteredTime'] : undefined,
    isJsonObject(execution) ? execution['StartTime'] : undefined,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string') {
      const millis = Date.parse(candidate);
      if (!Number.isNaN(millis)) return millis;
    }
  }
  return fail('$now() and $millis() need State.EnteredTime or Execution.StartTime in the context object');
}

/** `$now([picture[, timezone]])`, formatted by JSONata's own `$fromMillis`. */
function now(this: jsonata.Focus, picture?: string, timezone?: string): unknown {
  const fromMillis = this.environment.lookup('fromMillis') as
    { implementation: (this: jsonata.Focus, ...args: unknown[]) => unknown } | undefined;
  if (fromMillis === undefined) fail('$fromMillis is not available');
  return fromMillis.implementation.call(this, evaluationMillis(this), picture, timezone);
}

/** `$millis()`. */
function millis(this: jsonata.Focus): number {
  return evaluationMillis(this);
}

/**
 * Installs on a compiled expression the functions Step Functions adds (`$partition`, `$range`, `$hash`, `$random`,
 * `$uuid`, `$parse`), the deterministic `$now`/`$millis`, and removes `$eval`: "All built-in JSONata functions … are
 * supported, with one exception: $eval is not available—use $parse instead." Calling it fails as any unknown
 * function does (T1006), as AWS does for a name it does not define.
 */
export function installStepFunctionsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction('partition', partition, '<an:a>');
  expression.registerFunction('range', range, '<nnn:a>');
  expression.registerFunction('hash', hash, '<ss:s>');
  expression.registerFunction('random', random, '<n?:n>');
  expression.registerFunction('uuid', uuid, '<:s>');
  expression.registerFunction('parse', parse, '<s:x>');
  expression.registerFunction('now', now, '<s?s?:s>');
  expression.registerFunction('millis', millis, '<:n>');
  expression.assign('eval', undefined);
  // JSONata calls this hook (an undocumented extension point keyed by a registered symbol) whenever it creates a
  // frame; counting them bounds the work of one evaluation.
  const framePush = (enclosing: jsonata.Environment): void => {
    const scope = enclosing.lookup(EVALUATION_SCOPE_BINDING) as JsonataEvaluationScope | undefined;
    if (scope === undefined) return;
    scope.frames += 1;
    if (scope.frames > MAX_FRAMES_PER_EVALUATION) {
      fail(`The expression exceeded ${MAX_FRAMES_PER_EVALUATION} function calls and blocks (endless recursion?)`);
    }
  };
  (expression.assign as (name: string | symbol, value: unknown) => void)(
    Symbol.for('jsonata.__createFrame_push'),
    framePush,
  );
}
