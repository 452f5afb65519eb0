/**
 * Counts the round trips a workload makes to its backends, for "where the time goes":
 *
 * - Postgres statements, by kind, from the probe preloaded into each service process (it counts what node-postgres
 *   sends; pg_stat_statements would need a server restart with shared_preload_libraries);
 * - Redis commands, from INFO commandstats before and after on the run's private redis-server, and MONITOR for the
 *   same window to tell BullMQ's Lua scripts apart (EVALSHA carries only the script's SHA-1, which is matched
 *   against the scripts of the installed bullmq).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { type ServiceProcess } from './service-stack';

/** A count by kind, for one process or summed. */
export type Tally = Map<string, number>;

export interface RoundTrips {
  /** Statements per kind, per process name (`api`, `worker-1`…). */
  readonly statements: Map<string, Tally>;
  /** Rows inserted per table, summed over processes (multi-row INSERTs counted by their rows). */
  readonly rowsInserted: Tally;
  /** Redis commands sent by clients (round trips), per name, EVALSHA split by BullMQ script. */
  readonly redisCommands: Tally;
  /** Commands run inside those scripts (MONITOR shows them with source `lua`): Redis work, not round trips. */
  readonly redisScriptCommands: number;
  /** Every command Redis executed, scripts' included, by INFO commandstats: MONITOR's two counts should sum to it. */
  readonly redisTotal: number;
}

/** Starts counting: resets the probes' counters, records commandstats, opens a MONITOR. */
export async function startRoundTripCount(
  redisUrl: string,
  processes: readonly ServiceProcess[],
): Promise<() => Promise<RoundTrips>> {
  await Promise.all(processes.map((p) => p.probe({ type: 'statements-reset' })));
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const before = parseCommandStats(await admin.info('commandstats'));
  const redisCommands: Tally = new Map();
  let redisScriptCommands = 0;
  const scripts = bullmqScriptsBySha();
  // monitor() opens a connection of its own beside the one it is called on: both are closed at the end.
  const monitorOwner = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const monitor = await monitorOwner.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      redisScriptCommands++;
      return;
    }
    const command = (args[0] ?? '?').toLowerCase();
    const key = command === 'evalsha' ? `evalsha ${scripts.get(args[1] ?? '') ?? 'unknown script'}` : command;
    add(redisCommands, key, 1);
  });
  return async () => {
    // MONITOR lines trail the commands a little; a moment lets the last ones of the window arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    monitor.disconnect();
    monitorOwner.disconnect();
    const after = parseCommandStats(await admin.info('commandstats'));
    admin.disconnect();
    // The INFO calls and the MONITOR itself are the counter's own commands, not the workload's.
    let redisTotal = 0;
    for (const [command, calls] of after) {
      if (command === 'info' || command === 'monitor') continue;
      redisTotal += calls - (before.get(command) ?? 0);
    }
    redisCommands.delete('info');
    const statements = new Map<string, Tally>();
    const rowsInserted: Tally = new Map();
    for (const service of processes) {
      const reply = await service.probe({ type: 'statements-read' });
      const tally: Tally = new Map();
      for (const [text, count] of Object.entries(reply.statements ?? {})) {
        const kind = statementKind(text);
        add(tally, kind.label, count);
        if (kind.insertedRows !== undefined) add(rowsInserted, kind.table, count * kind.insertedRows);
      }
      statements.set(service.name, tally);
    }
    return { statements, rowsInserted, redisCommands, redisScriptCommands, redisTotal };
  };
}

/** Adds `n` to a tally. */
export function add(tally: Tally, key: string, n: number): void {
  tally.set(key, (tally.get(key) ?? 0) + n);
}

interface StatementKind {
  readonly label: string;
  readonly table: string;
  readonly insertedRows?: number;
}

/**
 * A short name for a statement: verb and table, plus what tells the store's statements on one table apart
 * (a row lock, the inbox read with the execution, a listing). Multi-row INSERTs are one kind whatever their size.
 */
export function statementKind(text: string): StatementKind {
  const sql = text.replace(/\s+/g, ' ').trim();
  const verb = sql.split(' ')[0]?.toUpperCase() ?? '';
  if (verb === 'BEGIN' || verb === 'COMMIT' || verb === 'ROLLBACK') return { label: verb, table: '' };
  if (verb === 'INSERT') {
    const table = /^INSERT INTO "?(\w+)"?/i.exec(sql)?.[1] ?? '?';
    const tuples = sql.slice(sql.search(/ VALUES /i)).split(/\),\s*\(/).length;
    return { label: `INSERT ${table}`, table, insertedRows: tuples };
  }
  if (verb === 'UPDATE' || verb === 'DELETE') {
    const table = /^(?:UPDATE|DELETE FROM) "?(\w+)"?/i.exec(sql)?.[1] ?? '?';
    return { label: `${verb} ${table}`, table };
  }
  if (verb === 'SELECT') {
    const table = / FROM "?(\w+)"?/i.exec(sql)?.[1] ?? '';
    const notes = [
      / FOR UPDATE/i.test(sql) ? 'FOR UPDATE' : '',
      /json_agg|json_group_array/i.test(sql) ? '+ inbox' : '',
      /ORDER BY start_date/i.test(sql) ? 'listing' : '',
      /^SELECT 1 AS ok$/i.test(sql) ? 'ping' : '',
    ].filter(Boolean);
    return { label: `SELECT ${table}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`.trim(), table };
  }
  return { label: sql.slice(0, 40), table: '' };
}

function parseCommandStats(info: string): Map<string, number> {
  const stats = new Map<string, number>();
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match?.[1] !== undefined) stats.set(match[1].toLowerCase(), Number(match[2]));
  }
  return stats;
}

/** ioredis names a defined command's script by the SHA-1 of its Lua text; so do we. */
function bullmqScriptsBySha(): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bullmq publishes no types for its scripts
  const scripts = require('bullmq/dist/cjs/scripts/index.js') as Record<string, { name: string; content: string }>;
  return new Map(
    Object.values(scripts).map((script) => [createHash('sha1').update(script.content).digest('hex'), script.name]),
  );
}
