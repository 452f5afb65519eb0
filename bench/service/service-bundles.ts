/**
 * Bundles the small programs the service benchmark loads into other processes: the probe preloaded into the API
 * and worker processes, the Task handlers module, and the raw BullMQ worker of the queue limit. They run on plain
 * `node` beside the built service (dist/), so they are CommonJS files; packages stay external so that the probe's
 * `pg` is the very module the service loads.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_CACHE_DIR, PROJECT_ROOT } from '../child-bundles';

export const SERVICE_CACHE_DIR = join(BENCH_CACHE_DIR, 'service');

export interface ServiceBundles {
  /** `--require`d by the API and worker processes: statement counts and CPU profiles on request. */
  readonly probe: string;
  /** HANDLERS_MODULE: `Echo` returns its input. */
  readonly handlers: string;
  /** The raw BullMQ no-op worker of the queue limit. */
  readonly noopWorker: string;
}

export async function buildServiceBundles(): Promise<ServiceBundles> {
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: {
      probe: 'bench/service/service-probe.preload.ts',
      handlers: 'bench/service/echo.handlers.ts',
      'noop-worker': 'bench/service/bullmq-noop.worker.ts',
    },
    outdir: SERVICE_CACHE_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
  return {
    probe: join(SERVICE_CACHE_DIR, 'probe.cjs'),
    handlers: join(SERVICE_CACHE_DIR, 'handlers.cjs'),
    noopWorker: join(SERVICE_CACHE_DIR, 'noop-worker.cjs'),
  };
}
