// Times `asl run` on a one-Pass-state machine from spawn to exit, as a user feels it: the median of fresh `node`
// processes, after warm-up runs that fill the page cache. It times bin/asl.js, so run `npm run build` first.
// Usage: node scripts/measure-cli-cold-start.mjs [RUNS=15] [BIN…]
//   Several BINs (e.g. a copy of bin/ + dist/ from before a change) are run in turn, so that drift in CPU frequency
//   or load hits all of them alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [runsArgument, ...binArguments] = process.argv.slice(2);
const runs = Number(runsArgument ?? 15);
const bins = binArguments.length > 0 ? binArguments : [join(root, 'bin', 'asl.js')];
const warmUpRuns = 3;

const file = join(mkdtempSync(join(tmpdir(), 'asl-cold-start-')), 'one-pass.asl.json');
writeFileSync(
  file,
  JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { hello: 'world' }, End: true } } }),
);

const times = new Map(bins.map((bin) => [bin, []]));
for (let i = 0; i < warmUpRuns + runs; i++) {
  for (const bin of bins) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, 'run', file], { encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0 || !result.stdout.includes('SUCCEEDED')) {
      throw new Error(`${bin} run failed (exit ${result.status}): ${result.stderr || result.stdout}`);
    }
    if (i >= warmUpRuns) times.get(bin).push(elapsed);
  }
}

for (const [bin, samples] of times) {
  samples.sort((a, b) => a - b);
  const middle = samples.length / 2;
  const median = samples.length % 2 ? samples[Math.floor(middle)] : (samples[middle - 1] + samples[middle]) / 2;
  console.log(
    `${bin}: asl run (one Pass state) median ${median.toFixed(1)} ms over ${runs} runs ` +
      `(min ${samples[0].toFixed(1)}, max ${samples.at(-1).toFixed(1)})`,
  );
}
