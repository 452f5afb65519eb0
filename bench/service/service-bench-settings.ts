/** The env knobs of `npm run bench:service`, read and checked once. */
import { readBenchSettings } from '../workloads';
import { DEFAULT_ADMIN_URL } from './service-stack';

export interface ServiceBenchSettings {
  /** BENCH_SCALE (default 1): multiplies run counts and durations; the workloads' sizes stay the issue's. */
  readonly scale: number;
  /** BENCH_WORKER_CONCURRENCY (default 10, the service's own default): WORKER_CONCURRENCY of each worker. */
  readonly workerConcurrency: number;
  /** BENCH_PROFILE=0 skips "where the time goes" (profiles and round-trip counts). */
  readonly diagnose: boolean;
  /** BENCH_POSTGRES_URL: where the run's database is created (and dropped). */
  readonly adminUrl: string;
}

export function readServiceBenchSettings(env: NodeJS.ProcessEnv): ServiceBenchSettings {
  const { scale } = readBenchSettings(env);
  const rawConcurrency = env['BENCH_WORKER_CONCURRENCY'];
  const workerConcurrency = rawConcurrency === undefined || rawConcurrency === '' ? 10 : Number(rawConcurrency);
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 1 || workerConcurrency > 1_000)
    throw new Error(`BENCH_WORKER_CONCURRENCY must be an integer from 1 to 1000, not "${rawConcurrency}".`);
  const profile = env['BENCH_PROFILE'];
  if (profile !== undefined && profile !== '' && profile !== '0' && profile !== '1')
    throw new Error(`BENCH_PROFILE must be 0 or 1, not "${profile}".`);
  return {
    scale,
    workerConcurrency,
    diagnose: profile !== '0',
    adminUrl: env['BENCH_POSTGRES_URL'] || DEFAULT_ADMIN_URL,
  };
}

/** Scales a count, keeping at least `min` so a quick run still measures something. */
export function scaled(count: number, settings: ServiceBenchSettings, min = 1): number {
  return Math.max(min, Math.round(count * settings.scale));
}
