/**
 * CPU time per process group over a phase, from /proc (Linux): how much of the machine's two cores the API, the
 * workers, Postgres (every process of the server: backends, WAL writer, checkpointer), Redis and the benchmark
 * itself used, and how much went to processes outside the run. Without /proc (not Linux) the groups read 0 and the
 * machine n/a.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The groups a phase's CPU is split into. */
export const CPU_GROUPS = ['api', 'workers', 'postgres', 'redis', 'bench'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number];

/** Which processes make up each group, looked up again at every sample (Postgres backends come and go). */
export type CpuGroupPids = () => Record<CpuGroup, readonly number[]>;

export interface CpuUsage {
  readonly wallMs: number;
  /** CPU milliseconds per group; `other` is the machine's busy time not accounted for by any group. */
  readonly cpuMs: Record<CpuGroup | 'other', number>;
  /** Busy CPU milliseconds of the whole machine, and its capacity (wall × cores). */
  readonly machineBusyMs: number;
  readonly machineCapacityMs: number;
}

interface Snapshot {
  readonly at: number;
  readonly perPid: Map<number, number>;
  readonly machine: { readonly busy: number; readonly total: number } | undefined;
}

/** 10 ms: USER_HZ is 100 on every Linux the benchmark is likely to meet. */
const MS_PER_TICK = 10;

/** Starts measuring; the returned function ends the phase and gives its usage. */
export function startCpuMeter(groups: CpuGroupPids): () => CpuUsage {
  const before = snapshot(groups);
  return () => {
    const after = snapshot(groups);
    const pidsNow = groups();
    const cpuMs = {} as Record<CpuGroup | 'other', number>;
    let accounted = 0;
    for (const group of CPU_GROUPS) {
      let ticks = 0;
      for (const pid of pidsNow[group]) {
        const end = after.perPid.get(pid);
        // A process that started during the phase spent all of its time in it.
        if (end !== undefined) ticks += end - (before.perPid.get(pid) ?? 0);
      }
      cpuMs[group] = ticks * MS_PER_TICK;
      accounted += cpuMs[group];
    }
    const wallMs = after.at - before.at;
    const machineBusyMs =
      before.machine && after.machine ? (after.machine.busy - before.machine.busy) * MS_PER_TICK : Number.NaN;
    const cores =
      before.machine && after.machine
        ? ((after.machine.total - before.machine.total) * MS_PER_TICK) / wallMs
        : Number.NaN;
    cpuMs.other = Math.max(0, machineBusyMs - accounted);
    return { wallMs, cpuMs, machineBusyMs, machineCapacityMs: Math.round(cores) * wallMs };
  };
}

/** The pids of every Postgres server process (the benchmark's database shares the server's WAL writer and more). */
export function postgresPids(): number[] {
  return processesNamed('postgres');
}

/** The pid of the redis-server listening on `port` (it rewrites its command line to `redis-server HOST:PORT`). */
export function redisPid(port: number): number[] {
  return processesNamed('redis-server').filter((pid) =>
    readText(`/proc/${pid}/cmdline`)
      .split(/[\0\s]+/)
      .some((arg) => arg === String(port) || arg.endsWith(`:${port}`)),
  );
}

function snapshot(groups: CpuGroupPids): Snapshot {
  const perPid = new Map<number, number>();
  for (const pids of Object.values(groups())) {
    for (const pid of pids) {
      const ticks = processTicks(pid);
      if (ticks !== undefined) perPid.set(pid, ticks);
    }
  }
  return { at: performance.now(), perPid, machine: machineTicks() };
}

/** utime + stime of one process, in clock ticks. */
function processTicks(pid: number): number | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

function machineTicks(): { busy: number; total: number } | undefined {
  const line = readText('/proc/stat').split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  // idle and iowait are the time no process ran.
  return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
}

function processesNamed(name: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry) && readText(`/proc/${entry}/comm`).trim() === name).map(Number);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
