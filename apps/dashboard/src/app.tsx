import { useCallback, useEffect, useState } from 'react';
import { ApiError, checkAccess, onUnauthorized } from './api/rest-client';
import { rememberSessionToken, sessionToken } from './api/session-token';
import { TokenPrompt } from './components/token-prompt';
import { routes, useRoute } from './routing';
import { ExecutionView } from './views/execution.view';
import { ExecutionListView } from './views/execution-list.view';
import { StateMachineView } from './views/state-machine.view';
import { StateMachineListView } from './views/state-machine-list.view';

type Access = 'checking' | 'granted' | 'token-needed' | 'token-refused';

export function App() {
  const [access, setAccess] = useState<Access>('checking');

  const check = useCallback(async () => {
    // Read before asking: a refusal clears the token (onUnauthorized below) before this catch runs.
    const hadToken = sessionToken() !== undefined;
    try {
      await checkAccess();
      setAccess('granted');
    } catch (error) {
      if (!(error instanceof ApiError && error.isUnauthorized)) return setAccess('granted'); // the views show it
      rememberSessionToken(undefined);
      setAccess(hadToken ? 'token-refused' : 'token-needed');
    }
  }, []);

  useEffect(() => {
    void check();
    // A token that stops working (the service restarted with another one) brings the prompt back.
    return onUnauthorized(() => {
      rememberSessionToken(undefined);
      setAccess('token-refused');
    });
  }, [check]);

  if (access === 'checking') return <p className="page-message">Connecting…</p>;
  if (access !== 'granted')
    return (
      <TokenPrompt
        refused={access === 'token-refused'}
        onSubmit={(token) => {
          rememberSessionToken(token);
          setAccess('checking');
          void check();
        }}
      />
    );
  return <Shell />;
}

function Shell() {
  const route = useRoute();
  return (
    <div className="shell">
      <header className="top-bar">
        <a className="brand" href={routes.stateMachines()}>
          ASL engine
        </a>
        <nav>
          <a
            href={routes.stateMachines()}
            data-testid="nav-state-machines"
            className={route.view.startsWith('state-machine') ? 'active' : ''}
          >
            State machines
          </a>
          <a
            href={routes.executions()}
            data-testid="nav-executions"
            className={route.view.startsWith('execution') ? 'active' : ''}
          >
            Executions
          </a>
        </nav>
      </header>
      <main>
        {route.view === 'state-machines' ? <StateMachineListView /> : null}
        {route.view === 'state-machine' ? (
          <StateMachineView key={route.stateMachineArn} stateMachineArn={route.stateMachineArn} />
        ) : null}
        {route.view === 'executions' ? <ExecutionListView params={route.params} /> : null}
        {route.view === 'execution' ? (
          <ExecutionView key={route.executionArn} executionArn={route.executionArn} />
        ) : null}
      </main>
    </div>
  );
}
