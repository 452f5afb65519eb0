import { useCallback, useEffect, useState } from 'react';
import { EXECUTION_STATUSES, type ExecutionFilter, type ExecutionStatus, listExecutions } from '../api/rest-client';
import { formatDate, formatDuration, LoadProblem } from '../components/page-status';
import { ExecutionStatusBadge } from '../components/status-badge';
import { replaceHash, routes } from '../routing';
import { useResource } from '../use-resource';

const PAGE_SIZE = 50;

/** Filters live in the address (`#/executions?status=FAILED&search=…`) so a filtered list can be shared. */
const FILTER_KEYS = ['stateMachineArn', 'status', 'search', 'after', 'before'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * Executions across state machines (or one), newest first, filtered by status, start time and name/ARN, a page at
 * a time; the page on screen refreshes every few seconds so running executions move on by themselves.
 */
export function ExecutionListView({ params }: { params: URLSearchParams }) {
  const values = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Record<
    FilterKey,
    string
  >;
  const { stateMachineArn, status, search, after, before } = values;
  // Tokens of the pages before the current one; the current page's token is the last.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [searchText, setSearchText] = useState(search);
  const filterKey = FILTER_KEYS.map((key) => values[key]).join('\u0000');
  const [pagedFilter, setPagedFilter] = useState(filterKey);
  if (pagedFilter !== filterKey) {
    // A new filter starts again from the first page.
    setPagedFilter(filterKey);
    setTokens([undefined]);
  }
  const currentToken = tokens[tokens.length - 1];

  const setFilter = useCallback(
    (changes: Partial<Record<FilterKey, string>>) => {
      const next = { ...Object.fromEntries(params.entries()), ...changes };
      replaceHash(routes.executions(next));
    },
    [params],
  );

  // Typing in the search box filters once the typing pauses, not at every key.
  useEffect(() => {
    if (searchText === search) return;
    const timer = setTimeout(() => setFilter({ search: searchText }), 300);
    return () => clearTimeout(timer);
  }, [searchText, search, setFilter]);

  const load = useCallback(() => {
    const filter: ExecutionFilter = {
      ...(stateMachineArn ? { stateMachineArn } : {}),
      ...(status ? { statusFilter: status as ExecutionStatus } : {}),
      ...(search ? { search } : {}),
      ...(after ? { startedAfter: new Date(after).toISOString() } : {}),
      ...(before ? { startedBefore: new Date(before).toISOString() } : {}),
    };
    return listExecutions(filter, PAGE_SIZE, currentToken);
  }, [stateMachineArn, status, search, after, before, currentToken]);
  const { data, error, loading } = useResource(load, 3000);

  return (
    <section>
      <div className="page-head">
        <div>
          <h1>Executions</h1>
          {stateMachineArn ? (
            <p className="crumbs">
              of <a href={routes.stateMachine(stateMachineArn)}>{stateMachineArn.split(':').pop()}</a> ·{' '}
              <a href={routes.executions({ ...values, stateMachineArn: '' })}>all state machines</a>
            </p>
          ) : null}
        </div>
      </div>
      <div className="filters card">
        <label>
          Status
          <select data-testid="status-filter" value={status} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">All</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Name or ARN
          <input
            type="search"
            data-testid="search-input"
            placeholder="Search executions"
            value={searchText}
            maxLength={256}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        <label>
          Started after
          <input
            type="datetime-local"
            data-testid="started-after"
            value={after}
            onChange={(e) => setFilter({ after: e.target.value })}
          />
        </label>
        <label>
          Started before
          <input
            type="datetime-local"
            data-testid="started-before"
            value={before}
            onChange={(e) => setFilter({ before: e.target.value })}
          />
        </label>
      </div>
      <LoadProblem error={error} />
      <table className="grid" data-testid="execution-list" aria-busy={loading}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>State machine</th>
            <th>Started</th>
            <th>Stopped</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {data?.executions.map((execution) => (
            <tr
              key={execution.executionArn}
              data-testid="execution-row"
              data-status={execution.status}
              data-name={execution.name}
            >
              <td>
                <a href={routes.execution(execution.executionArn)}>{execution.name}</a>
              </td>
              <td>
                <ExecutionStatusBadge status={execution.status} />
              </td>
              <td>
                <a href={routes.stateMachine(execution.stateMachineArn)}>
                  {execution.stateMachineArn.split(':').pop()}
                </a>
              </td>
              <td>{formatDate(execution.startDate)}</td>
              <td>{formatDate(execution.stopDate)}</td>
              <td>
                {execution.stopDate === undefined
                  ? '—'
                  : formatDuration(Date.parse(execution.stopDate) - Date.parse(execution.startDate))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.executions.length === 0 ? <p className="page-message">No executions match.</p> : null}
      <div className="pager">
        <button
          data-testid="previous-page"
          disabled={tokens.length === 1}
          onClick={() => setTokens((stack) => stack.slice(0, -1))}
        >
          ← Newer
        </button>
        <span>Page {tokens.length}</span>
        <button
          data-testid="next-page"
          disabled={data?.nextToken === undefined}
          onClick={() => data?.nextToken !== undefined && setTokens((stack) => [...stack, data.nextToken])}
        >
          Older →
        </button>
      </div>
    </section>
  );
}
