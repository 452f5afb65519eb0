/**
 * Profiles our side of W1, W2 (sequential) and W5: runs our benchmark child under `node --cpu-prof`, then sums
 * self time per function, mapped back through the bundle's source map to libs/**.ts lines, and prints the top
 * entries. `npx tsx bench/profile-ours.ts [CASE...] [--top N]`; honours BENCH_SCALE.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_CACHE_DIR, buildChildBundles, PROJECT_ROOT } from './child-bundles';
import { CASE_IDS, type CaseId } from './workloads';

/** The parts of V8's .cpuprofile format this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

interface HotSpot {
  readonly name: string;
  readonly location: string;
  selfMs: number;
  /** Sample ticks per source line inside the function, to point at the hottest line. */
  readonly lines: Map<string, number>;
}

const DEFAULT_CASES: readonly CaseId[] = ['W1', 'W2-seq', 'W5'];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  const cases = positionals.length > 0 ? (positionals as CaseId[]) : DEFAULT_CASES;
  const unknown = cases.filter((id) => !CASE_IDS.includes(id));
  if (unknown.length > 0) throw new Error(`Unknown case ${unknown.join(', ')}; known: ${CASE_IDS.join(', ')}.`);
  const top = Number(values.top);

  const bundles = await buildChildBundles();
  const sourceMap = new SourceMap(
    JSON.parse(readFileSync(`${bundles.ours}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
  );
  const profileDir = join(BENCH_CACHE_DIR, 'profiles');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });

  for (const id of cases) {
    const file = `${id}.cpuprofile`;
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${file}`, bundles.ours, id],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: process.env },
    );
    if (run.status !== 0) {
      process.stderr.write(`${id}: the child failed:\n${run.stderr}\n`);
      continue;
    }
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
    process.stdout.write(`\n${id}: self time by function (${join(relative(PROJECT_ROOT, profileDir), file)})\n`);
    process.stdout.write(`${summarize(profile, sourceMap, top)}\n`);
  }
}

function summarize(profile: CpuProfile, sourceMap: SourceMap, top: number): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

  const spots = new Map<string, HotSpot>();
  for (const [id, ms] of selfMs) {
    const node = byNode.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    const name = frame.functionName || '(anonymous)';
    const location = locate(frame.url, frame.lineNumber, frame.columnNumber, sourceMap);
    const key = `${name}@${location}`;
    let spot = spots.get(key);
    if (!spot) spots.set(key, (spot = { name, location, selfMs: 0, lines: new Map() }));
    spot.selfMs += ms;
    for (const tick of node.positionTicks ?? []) {
      // positionTicks lines are 1-based, source-map lookups 0-based.
      const line = locate(frame.url, tick.line - 1, 0, sourceMap);
      spot.lines.set(line, (spot.lines.get(line) ?? 0) + tick.ticks);
    }
  }
  const rows = [...spots.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  return rows
    .map((spot) => {
      const hottest = [...spot.lines].sort((a, b) => b[1] - a[1])[0]?.[0];
      const share = ((100 * spot.selfMs) / total).toFixed(1).padStart(5);
      return `${share}% ${spot.selfMs.toFixed(0).padStart(6)} ms  ${spot.name}  ${spot.location}${hottest && hottest !== spot.location ? `  (hottest line ${hottest})` : ''}`;
    })
    .join('\n');
}

/** A bundle position as `libs/…/file.ts:line`; node internals and V8 pseudo-frames keep their own names. */
function locate(url: string, line: number, column: number, sourceMap: SourceMap): string {
  if (!url.endsWith('.cjs')) return url || '(native)';
  const entry = sourceMap.findEntry(line, column) as { originalSource?: string; originalLine?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) return `${url}:${line + 1}`;
  const source = entry.originalSource.startsWith('file:')
    ? fileURLToPath(entry.originalSource)
    : join(BENCH_CACHE_DIR, entry.originalSource);
  return `${relative(PROJECT_ROOT, source)}:${entry.originalLine + 1}`;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
