/** The API token the user typed, kept for the browser tab's session only (never in localStorage). */
const KEY = 'asl-dashboard.api-token';

export function sessionToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function rememberSessionToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token);
}
