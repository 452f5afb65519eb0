import { useCallback, useMemo, useState } from 'react';
import { describeStateMachine, EXECUTION_STATUSES } from '../api/rest-client';
import { parseJsonOrUndefined, prettyJson } from '../components/json-text';
import { formatDate, LoadProblem } from '../components/page-status';
import { StartExecutionDialog } from '../components/start-execution-dialog';
import { ExecutionStatusBadge } from '../components/status-badge';
import { WorkflowGraph } from '../components/workflow-graph';
import { routes } from '../routing';
import { useResource } from '../use-resource';

/** One state machine: its definition as a graph and as JSON, its executions by status, and StartExecution. */
export function StateMachineView({ stateMachineArn }: { stateMachineArn: string }) {
  const load = useCallback(() => describeStateMachine(stateMachineArn), [stateMachineArn]);
  const { data: machine, error } = useResource(load, 5000);
  const [tab, setTab] = useState<'graph' | 'definition'>('graph');
  const [starting, setStarting] = useState(false);
  const definitionText = machine?.definition;
  const definition = useMemo(() => parseJsonOrUndefined(definitionText), [definitionText]);

  return (
    <section data-testid="state-machine-detail">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <a href={routes.stateMachines()}>State machines</a> /
          </p>
          <h1>{machine?.name ?? '…'}</h1>
          <div className="arn">{stateMachineArn}</div>
        </div>
        <div className="actions">
          <a className="button" href={routes.executions({ stateMachineArn })}>
            Executions
          </a>
          <button
            className="primary"
            data-testid="start-execution-button"
            disabled={machine === undefined}
            onClick={() => setStarting(true)}
          >
            Start execution
          </button>
        </div>
      </div>
      <LoadProblem error={error} />
      {machine === undefined ? null : (
        <>
          <dl className="facts">
            <div>
              <dt>Type</dt>
              <dd>{machine.type}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDate(machine.creationDate)}</dd>
            </div>
            <div>
              <dt>Updated</dt>
              <dd>{formatDate(machine.updateDate)}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd className="arn">{machine.roleArn}</dd>
            </div>
            {EXECUTION_STATUSES.map((status) => (
              <div key={status}>
                <dt>
                  <ExecutionStatusBadge status={status} />
                </dt>
                <dd data-testid={`count-${status}`}>
                  <a href={routes.executions({ stateMachineArn, status })}>{machine.executionCounts?.[status] ?? 0}</a>
                </dd>
              </div>
            ))}
          </dl>
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'graph'} data-testid="tab-graph" onClick={() => setTab('graph')}>
              Graph
            </button>
            <button
              role="tab"
              aria-selected={tab === 'definition'}
              data-testid="tab-definition"
              onClick={() => setTab('definition')}
            >
              Definition
            </button>
          </div>
          {tab === 'graph' ? (
            <div className="card graph-card">
              <WorkflowGraph definition={definition} testId="definition-graph" />
            </div>
          ) : (
            <pre className="json card definition" data-testid="definition-json">
              {prettyJson(machine.definition)}
            </pre>
          )}
        </>
      )}
      {starting ? (
        <StartExecutionDialog
          stateMachineArn={stateMachineArn}
          onClose={() => setStarting(false)}
          onStarted={(executionArn) => {
            window.location.hash = routes.execution(executionArn);
          }}
        />
      ) : null}
    </section>
  );
}
