import { useMemo, useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/executions/<arn>`): the API owns the real paths (`/executions` is a REST route), so the
 * dashboard's own addresses live after the `#`, where the server never sees them.
 */
export type Route =
  | { readonly view: 'state-machines' }
  | { readonly view: 'state-machine'; readonly stateMachineArn: string }
  | { readonly view: 'executions'; readonly params: URLSearchParams }
  | { readonly view: 'execution'; readonly executionArn: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const [section, arn] = path.split('/').filter((part) => part !== '');
  const decoded = arn === undefined ? undefined : safeDecode(arn);
  if (section === 'state-machines' && decoded !== undefined) return { view: 'state-machine', stateMachineArn: decoded };
  if (section === 'executions' && decoded !== undefined) return { view: 'execution', executionArn: decoded };
  if (section === 'executions') return { view: 'executions', params: new URLSearchParams(search) };
  return { view: 'state-machines' };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const routes = {
  stateMachines: () => '#/state-machines',
  stateMachine: (arn: string) => `#/state-machines/${encodeURIComponent(arn)}`,
  executions: (params: Record<string, string | undefined> = {}) => {
    const defined = Object.entries(params).filter((entry): entry is [string, string] => !!entry[1]);
    return `#/executions${defined.length === 0 ? '' : `?${new URLSearchParams(defined).toString()}`}`;
  },
  execution: (arn: string) => `#/executions/${encodeURIComponent(arn)}`,
};

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route; re-renders on every hash change, and is the same object until the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return useMemo(() => parseRoute(hash), [hash]);
}

/** Replaces the current address's query without adding a history entry (filters typed into a list). */
export function replaceHash(hash: string): void {
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
