import { useCallback } from 'react';
import { EXECUTION_STATUSES, listStateMachines, type StateMachineListItem } from '../api/rest-client';
import { ExecutionStatusBadge } from '../components/status-badge';
import { formatDate, LoadProblem } from '../components/page-status';
import { routes } from '../routing';
import { useResource } from '../use-resource';

/** Every state machine (all pages) with its executions counted by status; counts refresh while you watch. */
export function StateMachineListView() {
  const load = useCallback(async () => {
    const machines: StateMachineListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listStateMachines(nextToken);
      machines.push(...page.stateMachines);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return machines.sort((a, b) => a.name.localeCompare(b.name));
  }, []);
  const { data, error } = useResource(load, 5000);

  return (
    <section>
      <h1>State machines</h1>
      <LoadProblem error={error} />
      {data?.length === 0 ? <p className="page-message">No state machines yet: create one through the API.</p> : null}
      <table className="grid" data-testid="state-machine-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Created</th>
            {EXECUTION_STATUSES.map((status) => (
              <th key={status} className="count">
                <ExecutionStatusBadge status={status} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data?.map((machine) => (
            <tr key={machine.stateMachineArn} data-testid="state-machine-row" data-name={machine.name}>
              <td>
                <a href={routes.stateMachine(machine.stateMachineArn)}>{machine.name}</a>
                <div className="arn">{machine.stateMachineArn}</div>
              </td>
              <td>{machine.type}</td>
              <td>{formatDate(machine.creationDate)}</td>
              {EXECUTION_STATUSES.map((status) => (
                <td key={status} className="count" data-testid={`count-${status}`}>
                  <a href={routes.executions({ stateMachineArn: machine.stateMachineArn, status })}>
                    {machine.executionCounts?.[status] ?? 0}
                  </a>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
