/**
 * Cold start of each CLI on a one-state machine: a fresh `node` process per run, timed from spawn to exit, as
 * hyperfine would. Runs alternate between the two CLIs so that drift (page cache, CPU frequency) hits both alike.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EngineName } from './bench-harness';
import { BENCH_CACHE_DIR, PROJECT_ROOT } from './child-bundles';
import { median } from './statistics';

export interface ColdStartReport {
  readonly engine: EngineName;
  readonly medianMs: number;
  readonly runs: number;
  readonly problems: readonly string[];
}

/** A Pass state: the smallest machine both CLIs accept, and one the peer runs on Node 20 without a polyfill. */
const ONE_STATE_MACHINE = {
  StartAt: 'Hello',
  States: { Hello: { Type: 'Pass', Result: { hello: 'world' }, End: true } },
};
const WARMUP_RUNS = 2;

export function measureColdStart(runs: number): Record<EngineName, ColdStartReport> {
  const file = join(BENCH_CACHE_DIR, 'one-state.asl.json');
  writeFileSync(file, JSON.stringify(ONE_STATE_MACHINE));
  // When its stdin is not a terminal, the peer's CLI reads its inputs from there (and would append an empty one
  // to an input given as an argument), so its input goes through stdin.
  const commands: Record<EngineName, { args: string[]; stdin?: string; expect: string }> = {
    ours: { args: [join(PROJECT_ROOT, 'bin', 'asl.js'), 'run', file], expect: 'SUCCEEDED' },
    peer: {
      args: [join(PROJECT_ROOT, 'node_modules', 'aws-local-stepfunctions', 'bin', 'CLI.cjs'), '-f', file],
      stdin: '{}\n',
      expect: 'world',
    },
  };
  const times: Record<EngineName, number[]> = { ours: [], peer: [] };
  const problems: Record<EngineName, string[]> = { ours: [], peer: [] };
  for (let i = 0; i < WARMUP_RUNS + runs; i++) {
    for (const engine of ['ours', 'peer'] as const) {
      const { args, stdin, expect } = commands[engine];
      const start = performance.now();
      const result = spawnSync(process.execPath, args, {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        ...(stdin === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input: stdin }),
      });
      const elapsed = performance.now() - start;
      if (result.status !== 0 || !result.stdout.includes(expect)) {
        if (problems[engine].length === 0) {
          problems[engine].push(
            `exit ${result.status}: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`,
          );
        }
        continue;
      }
      if (i >= WARMUP_RUNS) times[engine].push(elapsed);
    }
  }
  const report = (engine: EngineName): ColdStartReport => ({
    engine,
    medianMs: median(times[engine]),
    runs: times[engine].length,
    problems: problems[engine],
  });
  return { ours: report('ours'), peer: report('peer') };
}
