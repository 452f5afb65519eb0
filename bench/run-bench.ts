/**
 * `npm run bench`: runs every workload on our in-memory driver and on aws-local-stepfunctions, one fresh process
 * per engine per case (so peak RSS belongs to that case and engine alone), then the two CLIs' cold starts, and
 * prints the figures side by side.
 *
 * Env: BENCH_SCALE (default 1) scales sizes and repetitions, e.g. 0.1 for a quick look; BENCH_CASES=W1,W5 runs a
 * subset; BENCH_COLD_RUNS (default 10) sets the cold-start runs per CLI, 0 to skip them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseReport, type EngineName, REPORT_PREFIX } from './bench-harness';
import { BENCH_CACHE_DIR, buildChildBundles, type ChildBundles, PROJECT_ROOT } from './child-bundles';
import { type ColdStartReport, measureColdStart } from './cold-start';
import { type CaseReports, formatResults } from './results-table';
import { benchCase, CASE_IDS, type CaseId, readBenchSettings } from './workloads';

/** A case that takes longer than this has hung; the run goes on without it. */
const CHILD_TIMEOUT_MS = 5 * 60_000;

interface DriverSettings {
  readonly cases: readonly CaseId[];
  readonly coldStartRuns: number;
}

function readDriverSettings(env: NodeJS.ProcessEnv): DriverSettings {
  const wanted = env['BENCH_CASES']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted?.filter((id) => !(CASE_IDS as readonly string[]).includes(id)) ?? [];
  if (unknown.length > 0)
    throw new Error(`BENCH_CASES: unknown case ${unknown.join(', ')}; known: ${CASE_IDS.join(', ')}.`);
  const runs =
    env['BENCH_COLD_RUNS'] === undefined || env['BENCH_COLD_RUNS'] === '' ? 10 : Number(env['BENCH_COLD_RUNS']);
  if (!Number.isInteger(runs) || runs < 0)
    throw new Error(`BENCH_COLD_RUNS must be a whole number, not "${env['BENCH_COLD_RUNS']}".`);
  return { cases: (wanted as CaseId[] | undefined) ?? CASE_IDS, coldStartRuns: runs };
}

async function main(): Promise<void> {
  const settings = readBenchSettings(process.env);
  const driver = readDriverSettings(process.env);
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  log(`Node ${process.version}, BENCH_SCALE=${settings.scale}; building the benchmark children…`);
  const bundles = await buildChildBundles();

  const reports: CaseReports = {};
  for (const id of driver.cases) {
    log(`${id}: ${benchCase(id, settings).title}`);
    const pair: Partial<Record<EngineName, CaseReport>> = {};
    // Our side first, then the peer, case by case: drift over the run affects both sides of each row alike.
    for (const engine of ['ours', 'peer'] as const) {
      const report = runChildCase(bundles, engine, id, settings.scale);
      if (report) {
        pair[engine] = report;
        log(
          `  ${engine.padEnd(4)} ${(report.elapsedMs / 1000).toFixed(2)} s timed, peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(1)} MB`,
        );
      }
    }
    reports[id] = pair;
  }

  let coldStart: Record<EngineName, ColdStartReport> | undefined;
  if (driver.coldStartRuns > 0) {
    log('Building the asl CLI (npm run build) for the cold-start runs…');
    const built = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-cli.mjs')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    if (built.status === 0) {
      log(`Cold start: ${driver.coldStartRuns} runs of each CLI on a one-state machine…`);
      coldStart = measureColdStart(driver.coldStartRuns);
    } else {
      log(`  skipped: the CLI build failed:\n${built.stderr.trim().split('\n').slice(0, 5).join('\n')}`);
    }
  }

  const resultsFile = join(BENCH_CACHE_DIR, 'results.json');
  writeFileSync(resultsFile, `${JSON.stringify({ node: process.version, settings, reports, coldStart }, null, 2)}\n`);
  process.stdout.write(`\n${formatResults(reports, coldStart)}\n\nRaw figures: ${resultsFile}\n`);
}

function runChildCase(bundles: ChildBundles, engine: EngineName, id: CaseId, scale: number): CaseReport | undefined {
  const result = spawnSync(process.execPath, ['--expose-gc', bundles[engine], id], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BENCH_SCALE: String(scale) },
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 2 ** 20,
  });
  const line = result.stdout?.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  if (result.status !== 0 || !line) {
    const why =
      result.error?.message ??
      (result.stderr.trim().split('\n').slice(0, 8).join('\n') || `exit status ${result.status}`);
    log(`  ${engine} failed on ${id}:\n${why}`);
    return undefined;
  }
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as CaseReport;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
