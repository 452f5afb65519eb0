import { type FormEvent, useState } from 'react';

/** Asks for the API token (the service runs with API_TOKEN set); the app keeps it for the tab's session. */
export function TokenPrompt({ onSubmit, refused }: { onSubmit: (token: string) => void; refused: boolean }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') onSubmit(token.trim());
  };
  return (
    <div className="token-page">
      <form className="card token-form" data-testid="token-form" onSubmit={submit}>
        <h1>API token</h1>
        <p>This service requires a token. It is kept for this browser tab only.</p>
        {refused ? (
          <p className="field-error" role="alert">
            The API refused that token.
          </p>
        ) : null}
        <input
          type="password"
          autoFocus
          autoComplete="current-password"
          aria-label="API token"
          data-testid="token-input"
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" className="primary" disabled={token.trim() === ''}>
          Continue
        </button>
      </form>
    </div>
  );
}
