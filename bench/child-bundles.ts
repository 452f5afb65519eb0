/**
 * Bundles each engine's benchmark child into one CommonJS file, as `npm run build` does for the CLI. Children run
 * on plain `node`: under tsx, its loader thread and on-the-fly transpiling would add the same megabytes and
 * start-up work to both sides and blur the memory figures.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { type EngineName } from './bench-harness';

export const PROJECT_ROOT = join(__dirname, '..');
/** Inside node_modules so the peer, left external, resolves from there; and nothing here is ever committed. */
export const BENCH_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'asl-bench');

export type ChildBundles = Readonly<Record<EngineName, string>>;

export async function buildChildBundles(): Promise<ChildBundles> {
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { ours: 'bench/ours.bench-child.ts', peer: 'bench/peer.bench-child.ts' },
    outdir: BENCH_CACHE_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: 'tsconfig.json',
    // The peer runs from its own published build, exactly as its users get it.
    external: ['aws-local-stepfunctions'],
    // Source maps let the profiler summary point at libs/**/*.ts lines rather than bundle offsets.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return { ours: join(BENCH_CACHE_DIR, 'ours.cjs'), peer: join(BENCH_CACHE_DIR, 'peer.cjs') };
}
