import { useState } from 'react';
import type { WaitingTask } from '../api/rest-client';
import { stateDataFlow } from '../model/data-flow';
import type { StateRun, StateSummary } from '../model/state-runs';
import { JsonBlock } from './json-text';
import { formatDate } from './page-status';
import { StateStatusBadge } from './status-badge';
import { TaskAnswerForm } from './task-answer-form';

/**
 * The console's step details for one state: name, status, resource, input, output, exception, retries and the
 * data flow through the state's paths. A state that ran many times (inside a Map) shows one run at a time.
 */
export function StepDetails(props: {
  stateName: string;
  stateType: string | undefined;
  stateDefinition: Record<string, unknown> | undefined;
  summary: StateSummary | undefined;
  waitingTasks: readonly WaitingTask[];
  onAnswered: () => void;
  onClose: () => void;
}) {
  const runs = props.summary?.runs ?? [];
  const [chosen, setChosen] = useState<number>();
  const index = Math.min(chosen ?? runs.length - 1, runs.length - 1);
  const run = index >= 0 ? runs[index] : undefined;
  const [tab, setTab] = useState<'io' | 'flow'>('io');
  // The definition's Resource is the full ARN; the history records service integrations in parts.
  const defined = props.stateDefinition?.Resource;
  const resource =
    typeof defined === 'string'
      ? defined
      : run?.resourceType === undefined
        ? run?.resource
        : `${run.resourceType}:${run.resource ?? ''}`;
  const exception = run === undefined ? undefined : exceptionOf(run, props.stateDefinition);

  return (
    <aside className="step-details card" data-testid="step-details" aria-label={`Step ${props.stateName}`}>
      <div className="step-head">
        <h2 data-testid="step-name">{props.stateName}</h2>
        <button className="close" aria-label="Close step details" onClick={props.onClose}>
          ×
        </button>
      </div>
      <dl className="facts compact">
        <div>
          <dt>Status</dt>
          <dd data-testid="step-status">
            <StateStatusBadge status={run?.status ?? 'not-run'} />
          </dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{props.stateType ?? '—'}</dd>
        </div>
        <div className="wide">
          <dt>Resource</dt>
          <dd className="arn" data-testid="step-resource">
            {resource ?? '—'}
          </dd>
        </div>
        {run === undefined ? null : (
          <>
            <div>
              <dt>Entered</dt>
              <dd>{formatDate(run.enteredAt)}</dd>
            </div>
            <div>
              <dt>Exited</dt>
              <dd>{formatDate(run.exitedAt)}</dd>
            </div>
          </>
        )}
      </dl>
      {runs.length > 1 ? (
        <div className="run-picker">
          <button disabled={index <= 0} onClick={() => setChosen(index - 1)} aria-label="Previous run">
            ‹
          </button>
          <label>
            Run
            <input
              type="number"
              min={1}
              max={runs.length}
              value={index + 1}
              onChange={(e) => setChosen(Math.max(0, Math.min(runs.length - 1, Number(e.target.value) - 1)))}
            />
            of {runs.length}
            {run?.mapIterationIndex === undefined ? '' : ` · Map iteration ${run.mapIterationIndex}`}
          </label>
          <button disabled={index >= runs.length - 1} onClick={() => setChosen(index + 1)} aria-label="Next run">
            ›
          </button>
        </div>
      ) : null}
      {props.waitingTasks.map((task) => (
        <TaskAnswerForm key={task.taskToken} task={task} onAnswered={props.onAnswered} />
      ))}
      {run === undefined ? (
        <p className="page-message">This state has not run.</p>
      ) : (
        <>
          <div className="tabs small" role="tablist">
            <button role="tab" aria-selected={tab === 'io'} onClick={() => setTab('io')}>
              Input and output
            </button>
            <button
              role="tab"
              aria-selected={tab === 'flow'}
              data-testid="tab-data-flow"
              onClick={() => setTab('flow')}
            >
              Data flow
            </button>
          </div>
          {tab === 'io' ? (
            <>
              <h3>Input</h3>
              <JsonBlock text={run.input} testId="step-input" />
              <h3>Output</h3>
              <JsonBlock text={run.output} testId="step-output" empty={run.status === 'running' ? 'Running…' : '—'} />
            </>
          ) : (
            <ol className="data-flow" data-testid="step-data-flow">
              {stateDataFlow(run, props.stateDefinition).map((step) => (
                <li key={step.label}>
                  <h3>{step.label}</h3>
                  {step.note === undefined ? null : <p className="hint">{step.note}</p>}
                  {step.value === undefined ? null : <pre className="json">{step.value}</pre>}
                </li>
              ))}
            </ol>
          )}
          <h3>Exception</h3>
          <pre className={`json${exception === undefined ? '' : ' exception'}`} data-testid="step-exception">
            {exception ?? '—'}
          </pre>
          <h3>Retries</h3>
          {run.attempts.length <= 1 ? (
            <p className="hint" data-testid="step-retries">
              {run.attempts.length === 0 ? 'Not a task.' : 'No retries.'}
            </p>
          ) : (
            <ol className="attempts" data-testid="step-retries">
              {run.attempts.map((attempt) => (
                <li key={attempt.scheduledEventId}>
                  Attempt scheduled at event {attempt.scheduledEventId}: {attempt.status}
                  {attempt.error === undefined ? '' : ` — ${attempt.error}`}
                  {attempt.cause === undefined ? '' : `: ${attempt.cause}`}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </aside>
  );
}

/**
 * The run's error and cause. Inside a Map or Parallel, AWS records a Fail state's error on no event (the iteration
 * and the Map fail without details), so a Fail state that failed falls back to its definition's Error and Cause.
 */
function exceptionOf(run: StateRun, state: Record<string, unknown> | undefined): string | undefined {
  const fromDefinition = run.status === 'failed' && state?.Type === 'Fail';
  const error = run.error ?? (fromDefinition && typeof state.Error === 'string' ? state.Error : undefined);
  const cause = run.cause ?? (fromDefinition && typeof state.Cause === 'string' ? state.Cause : undefined);
  if (error === undefined && cause === undefined) return undefined;
  return [error, cause].filter((part) => part !== undefined).join('\n\n');
}
