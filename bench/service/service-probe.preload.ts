/**
 * Preloaded (`node --require`) into the API and worker processes of the service benchmark; the benchmark talks to
 * it over the IPC channel it spawned them with. It can
 *
 * - count the SQL statements the process sends, by text: pg_stat_statements needs shared_preload_libraries and a
 *   Postgres restart, which a shared database server cannot be asked for, so node-postgres' Client#query is
 *   wrapped instead (the store sends every statement through it);
 * - CPU-profile a window of the run through the process's own inspector, so that a profile covers exactly one
 *   workload, not the start-up or the shutdown (`--cpu-prof` only writes at a clean exit, which Nest's shutdown
 *   hooks do not end with: they re-raise the signal).
 *
 * Nothing here changes what the service does; counting costs a Map update per statement.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';

/** A request from the benchmark, and the reply it waits for (same `id`). */
export type ProbeRequest =
  | { readonly id: number; readonly type: 'statements-reset' }
  | { readonly id: number; readonly type: 'statements-read' }
  | { readonly id: number; readonly type: 'profile-start'; readonly samplingIntervalUs: number }
  | { readonly id: number; readonly type: 'profile-stop'; readonly file: string };

export interface ProbeReply {
  readonly id: number;
  readonly error?: string;
  /** statements-read: statement text → times sent since the last reset. */
  readonly statements?: Record<string, number>;
}

const statements = new Map<string, number>();

type QueryFunction = (this: pg.Client, ...args: unknown[]) => unknown;
const prototype = pg.Client.prototype as unknown as { query: QueryFunction };
const query = prototype.query;
prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const [config] = args;
  const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
  if (typeof text === 'string') statements.set(text, (statements.get(text) ?? 0) + 1);
  return query.apply(this, args);
};

let session: Session | undefined;

async function handle(request: ProbeRequest): Promise<Omit<ProbeReply, 'id'>> {
  switch (request.type) {
    case 'statements-reset':
      statements.clear();
      return {};
    case 'statements-read':
      return { statements: Object.fromEntries(statements) };
    case 'profile-start':
      session ??= new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: request.samplingIntervalUs });
      await session.post('Profiler.start');
      return {};
    case 'profile-stop': {
      if (!session) throw new Error('profile-stop before profile-start');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      writeFileSync(request.file, JSON.stringify(profile));
      return {};
    }
  }
}

if (process.send) {
  process.on('message', (request: ProbeRequest) => {
    handle(request).then(
      (reply) => process.send?.({ id: request.id, ...reply } satisfies ProbeReply),
      (e: unknown) => process.send?.({ id: request.id, error: (e as Error).message } satisfies ProbeReply),
    );
  });
  // The channel must not keep a process alive that its own shutdown would otherwise end.
  process.channel?.unref();
  // When the benchmark dies (even by SIGKILL) its end of the channel closes: go with it rather than linger.
  process.on('disconnect', () => process.exit(0));
}
