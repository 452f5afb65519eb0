import { ExecutionStoreError } from '@lib/engine';

/** Step Functions' default page size for List* and GetExecutionHistory. */
export const DEFAULT_PAGE_SIZE = 100;
/** Step Functions' largest page. */
export const MAX_PAGE_SIZE = 1000;

/** The page size a request asks for: 0 or absent means the default, as in the AWS APIs; capped at 1000. */
export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined || !Number.isFinite(maxResults) || maxResults <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.floor(maxResults));
}

/** Where a listing stopped. `kind` names the listing, so a token from one listing is refused by another. */
export type PagePosition = Readonly<Record<string, string | number | boolean>> & { readonly kind: string };

/** An opaque token: the position, as base64url JSON. Callers must not look inside. */
export function encodePageToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Reads a token back. Anything that is not a token this listing wrote — garbage, a token of another listing or
 * of other filters — is an InvalidToken error, never a wrong page.
 */
export function decodePageToken<P extends PagePosition>(
  token: string,
  kind: P['kind'],
  shape: Readonly<Record<string, 'string' | 'number' | 'boolean'>>,
): P {
  const refuse = (): never => {
    throw new ExecutionStoreError(
      'InvalidToken',
      `Invalid Token: '${token.length > 64 ? `${token.slice(0, 64)}…` : token}' is not a token of this listing`,
    );
  };
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return refuse();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (typeof position !== 'object' || position === null || Array.isArray(position)) return refuse();
  const record = position as Record<string, unknown>;
  if (record['kind'] !== kind) return refuse();
  for (const [key, type] of Object.entries(shape)) if (typeof record[key] !== type) return refuse();
  return record as P;
}
