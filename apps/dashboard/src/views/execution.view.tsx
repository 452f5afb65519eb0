import { useCallback, useMemo, useState } from 'react';
import { stopExecution } from '../api/rest-client';
import { EventTable } from '../components/event-table';
import { parseJsonOrUndefined } from '../components/json-text';
import { formatDate, formatDuration, LoadProblem } from '../components/page-status';
import { ExecutionStatusBadge, STATE_LOOK } from '../components/status-badge';
import { StepDetails } from '../components/step-details';
import { WorkflowGraph } from '../components/workflow-graph';
import { findStateDefinition } from '../model/find-state';
import { executionTimeline, type StateStatus } from '../model/state-runs';
import { routes } from '../routing';
import { asError } from '../use-resource';
import { useExecution } from './use-execution';

/**
 * One execution as the console shows it: the header, the graph coloured by what happened to each state, the step
 * details of the state clicked, and the event history. Stop, download and task answers act on it in place.
 */
export function ExecutionView({ executionArn }: { executionArn: string }) {
  const data = useExecution(executionArn);
  const { execution, stateMachine, events, historyComplete, waitingTasks, refresh } = data;
  const [selectedState, setSelectedState] = useState<string>();
  const [graphReady, setGraphReady] = useState(false);
  const [confirmingStop, setConfirmingStop] = useState(false);
  const [actionError, setActionError] = useState<Error>();

  const definitionText = stateMachine?.definition;
  const definition = useMemo(() => parseJsonOrUndefined(definitionText), [definitionText]);
  const status = execution?.status;
  const timeline = useMemo(
    () => (status === undefined ? undefined : executionTimeline(events, status)),
    [events, status],
  );
  const statuses = useMemo(() => {
    const byState = new Map<string, StateStatus>();
    timeline?.states.forEach((summary, name) => byState.set(name, summary.status));
    return byState;
  }, [timeline]);
  const onLaidOut = useCallback(() => setGraphReady(true), []);

  const stop = async () => {
    setConfirmingStop(false);
    try {
      await stopExecution(executionArn);
      refresh();
    } catch (error) {
      setActionError(asError(error));
    }
  };

  const download = () => {
    const blob = new Blob([JSON.stringify({ events }, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${execution?.name ?? 'execution'}-history.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  const stateDefinition = selectedState === undefined ? undefined : findStateDefinition(definition, selectedState);
  const ready = execution !== undefined && historyComplete && graphReady;
  const stateTransitions = timeline?.events.filter((indexed) => indexed.event.type.endsWith('StateEntered')).length;

  return (
    <section className="execution" data-testid="execution-detail" data-ready={ready}>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <a href={routes.executions()}>Executions</a> /
            {execution === undefined ? null : (
              <>
                {' '}
                <a href={routes.stateMachine(execution.stateMachineArn)}>
                  {execution.stateMachineArn.split(':').pop()}
                </a>{' '}
                /
              </>
            )}
          </p>
          <h1>
            {execution?.name ?? '…'}{' '}
            {execution === undefined ? null : (
              <ExecutionStatusBadge status={execution.status} testId="execution-status" />
            )}
          </h1>
        </div>
        <div className="actions">
          <button data-testid="download-history" disabled={!historyComplete} onClick={download}>
            Download history
          </button>
          <button
            className="danger"
            data-testid="stop-execution"
            disabled={execution?.status !== 'RUNNING'}
            onClick={() => setConfirmingStop(true)}
          >
            Stop execution
          </button>
        </div>
      </div>
      <LoadProblem error={data.error ?? actionError} />
      {execution === undefined ? null : (
        <dl className="facts">
          <div className="wide">
            <dt>Execution ARN</dt>
            <dd className="arn">{execution.executionArn}</dd>
          </div>
          <div className="wide">
            <dt>State machine ARN</dt>
            <dd className="arn">
              <a href={routes.stateMachine(execution.stateMachineArn)}>{execution.stateMachineArn}</a>
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDate(execution.startDate)}</dd>
          </div>
          <div>
            <dt>Stopped</dt>
            <dd>{formatDate(execution.stopDate)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>
              {formatDuration(
                (execution.stopDate === undefined ? Date.now() : Date.parse(execution.stopDate)) -
                  Date.parse(execution.startDate),
              )}
            </dd>
          </div>
          <div>
            <dt>State transitions</dt>
            <dd data-testid="state-transitions">{historyComplete ? stateTransitions : '…'}</dd>
          </div>
          {execution.error === undefined && execution.cause === undefined ? null : (
            <div className="wide exception">
              <dt>Error</dt>
              <dd data-testid="execution-error">
                <strong>{execution.error}</strong>
                {execution.cause === undefined ? null : <pre className="json">{execution.cause}</pre>}
              </dd>
            </div>
          )}
        </dl>
      )}
      <div className={`execution-body${selectedState === undefined ? '' : ' with-details'}`}>
        <div className="card graph-card">
          {stateMachine === undefined ? (
            <p className="page-message">Loading the definition…</p>
          ) : (
            <WorkflowGraph
              definition={definition}
              statuses={statuses}
              {...(selectedState === undefined ? {} : { selectedState })}
              onSelectState={setSelectedState}
              onLaidOut={onLaidOut}
              testId="execution-graph"
            />
          )}
          <Legend />
        </div>
        {selectedState === undefined ? null : (
          <StepDetails
            key={selectedState}
            stateName={selectedState}
            stateType={stateDefinition?.Type as string | undefined}
            stateDefinition={stateDefinition}
            summary={timeline?.states.get(selectedState)}
            waitingTasks={waitingTasks.filter((task) => task.stateName === selectedState)}
            onAnswered={refresh}
            onClose={() => setSelectedState(undefined)}
          />
        )}
      </div>
      {historyComplete ? null : (
        <p className="page-message" role="status">
          Loading the history… {events.length} events so far
        </p>
      )}
      <EventTable
        events={timeline?.events ?? []}
        eventTypes={timeline?.eventTypes ?? []}
        onSelectState={setSelectedState}
      />
      {confirmingStop ? (
        <div className="dialog-backdrop" role="presentation" onClick={() => setConfirmingStop(false)}>
          <div
            className="dialog card"
            role="alertdialog"
            aria-label="Stop execution"
            onClick={(e) => e.stopPropagation()}
          >
            <h2>Stop this execution?</h2>
            <p>Running states are aborted and the execution ends as ABORTED. This cannot be undone.</p>
            <div className="dialog-actions">
              <button onClick={() => setConfirmingStop(false)}>Cancel</button>
              <button className="danger" data-testid="confirm-stop" onClick={() => void stop()}>
                Stop execution
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}

const LEGEND: readonly StateStatus[] = ['not-run', 'running', 'succeeded', 'failed', 'caught', 'aborted'];

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {LEGEND.map((status) => (
        <li key={status} className={`status-${status}`}>
          <span className="swatch" aria-hidden="true">
            {STATE_LOOK[status].icon}
          </span>
          {STATE_LOOK[status].label}
        </li>
      ))}
    </ul>
  );
}
