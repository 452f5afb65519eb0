import type { ExecutionStatus } from '../api/rest-client';
import type { StateStatus } from '../model/state-runs';

/**
 * Every status is shown with an icon and a word as well as a colour, so it reads the same without colour vision
 * and in a screenshot.
 */
const EXECUTION_LOOK: Record<ExecutionStatus, { icon: string; label: string; tone: string }> = {
  RUNNING: { icon: '◐', label: 'Running', tone: 'running' },
  SUCCEEDED: { icon: '✓', label: 'Succeeded', tone: 'succeeded' },
  FAILED: { icon: '✕', label: 'Failed', tone: 'failed' },
  TIMED_OUT: { icon: '◷', label: 'Timed out', tone: 'failed' },
  ABORTED: { icon: '⊘', label: 'Aborted', tone: 'aborted' },
};

export const STATE_LOOK: Record<StateStatus, { icon: string; label: string }> = {
  'not-run': { icon: '○', label: 'Not run' },
  running: { icon: '◐', label: 'In progress' },
  succeeded: { icon: '✓', label: 'Succeeded' },
  failed: { icon: '✕', label: 'Failed' },
  caught: { icon: '⚠', label: 'Caught error' },
  aborted: { icon: '⊘', label: 'Aborted' },
};

export function ExecutionStatusBadge({ status, testId }: { status: ExecutionStatus; testId?: string }) {
  const look = EXECUTION_LOOK[status];
  return (
    <span className={`badge tone-${look.tone}`} data-status={status} data-testid={testId}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}

export function StateStatusBadge({ status, testId }: { status: StateStatus; testId?: string }) {
  const look = STATE_LOOK[status];
  return (
    <span className={`badge tone-${status}`} data-status={status} data-testid={testId}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}
