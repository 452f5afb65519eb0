/**
 * Turning JSON pointers into words: diagnostics carry a pointer for tools, and a message that says "state 'Check
 * Identity'" for people.
 */

/** Splits an RFC 6901 pointer into its unescaped segments (array indexes stay strings). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Owner {
  /** Human description of the innermost state, branch, item processor or state machine. */
  readonly description: string;
  /** The segments below that owner. */
  readonly rest: readonly string[];
}

/**
 * Finds the innermost state, Parallel branch, Map item processor or the state machine that holds the value at
 * `segments`, following the structure of the language so that a Parameters key called "States" is not mistaken for
 * a scope.
 */
function findOwner(segments: readonly string[]): Owner {
  let description = 'the state machine';
  let index = 0;
  let inState = false;
  while (index < segments.length) {
    const segment = segments[index];
    const next = segments[index + 1];
    if (!inState) {
      if (segment === 'States' && next !== undefined) {
        description = `state '${next}'`;
        inState = true;
        index += 2;
        continue;
      }
      break;
    }
    if (segment === 'Branches' && next !== undefined && /^\d+$/.test(next)) {
      description = `branch ${Number(next) + 1} of ${description}`;
      inState = false;
      index += 2;
      continue;
    }
    if ((segment === 'ItemProcessor' || segment === 'Iterator') && next === 'States') {
      description = `the ${segment} of ${description}`;
      inState = false;
      index += 1;
      continue;
    }
    break;
  }
  return { description, rest: segments.slice(index) };
}

/** `['Retry', '0', 'ErrorEquals']` → `Retry[0].ErrorEquals`. */
function joinFieldPath(rest: readonly string[]): string {
  let label = '';
  for (const segment of rest) {
    if (/^\d+$/.test(segment)) label += `[${segment}]`;
    else label += label === '' ? segment : `.${segment}`;
  }
  return label;
}

/** The innermost state, branch, item processor or state machine holding the value, in words. */
export function describeOwner(segments: readonly string[]): string {
  return findOwner(segments).description;
}

/** The field path below its owner (`Retry[0].ErrorEquals`), or `''` when the value is the owner itself. */
export function fieldLabel(segments: readonly string[]): string {
  return joinFieldPath(findOwner(segments).rest);
}

/** The value at `segments` in words: `state 'A'`, `'Retry[0]' of state 'A'`, `'States' of the state machine`. */
export function describeLocation(segments: readonly string[]): string {
  const { description, rest } = findOwner(segments);
  return rest.length === 0 ? description : `'${joinFieldPath(rest)}' of ${description}`;
}

/**
 * The candidate closest to `name` when it is plausibly a typo or a prefixed variant of it ("bugInputPath" →
 * "InputPath", "Error Equals" → "ErrorEquals"), or undefined.
 */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const normalized = name.toLowerCase().replace(/[\s_-]/g, '');
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const target = candidate.toLowerCase();
    if (normalized === target) return candidate;
    const containment =
      normalized.includes(target) && target.length >= 4 ? normalized.length - target.length : Infinity;
    const score = Math.min(editDistance(normalized, target), containment);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return bestScore <= tolerance ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
