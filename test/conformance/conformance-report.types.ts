import type { CaseKind } from './conformance-case.types';
import type { Mismatch } from './snapshot.comparator';

/** The verdict on one case. A case passes only when its result and its event types (where recorded) both match. */
export type Verdict = 'passed' | 'failed' | 'skipped';

/** One case in the JSON report. */
export interface CaseReport {
  readonly id: string;
  /** The file, relative to the corpus folder given on the command line. */
  readonly path: string;
  readonly category: string;
  /** `engine` or `lambda` for executions; `api` for validation and TestState cases. */
  readonly group: string;
  readonly kind: CaseKind;
  readonly verdict: Verdict;
  /** Status, output, error and cause (executions); the refusal or the validation result (validation cases). */
  readonly resultMatch: boolean | null;
  /** The sequence of history event types; `null` when the case recorded no history. */
  readonly eventsMatch: boolean | null;
  /** Informational: every recorded history event with its details (not part of the verdict). */
  readonly historyMatch?: boolean | null;
  /** Why the case failed or was skipped; for passes, anything worth knowing (e.g. a message that differs). */
  readonly reason: string;
  /** The differences, labelled by what was compared (`output`, `events`, `history`…). */
  readonly diff?: readonly LabelledMismatch[];
  readonly durationMs: number;
}

/** A mismatch with the part of the result it belongs to. */
export interface LabelledMismatch extends Mismatch {
  readonly part: string;
}

/** Counts for one category (or one group, or everything). */
export interface CategorySummary {
  readonly name: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Cases whose result matched (executions: status, output, error, cause; others: as `passed`). */
  readonly passedResult: number;
  /** Cases whose result and event types matched (cases without a recorded history count on their result). */
  readonly passedResultAndEvents: number;
}

/** The whole JSON report written by `--report`. */
export interface ConformanceReport {
  readonly corpus: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: { readonly passed: number; readonly failed: number; readonly skipped: number };
  /** Engine + Lambda execution cases: the targets are stated on these. */
  readonly executions: CategorySummary;
  readonly categories: readonly CategorySummary[];
  readonly ignoredFiles: readonly { readonly path: string; readonly why: string }[];
  readonly cases: readonly CaseReport[];
}
