/**
 * `npm run bench:service`: builds the API and the worker, starts them against a fresh Postgres database and a
 * private Redis, and measures in one run the queue and database limits, then W1 (a 1,000-Pass chain), W2 (Pass →
 * Choice → Task → Pass → Succeed with 100 in flight, on one worker process and on two, interleaved; then a steady
 * 100/s), W4 (an inline Map of 1,000 Tasks) and W4′ (the same Map with a small execution input) — every figure
 * beside its limit and its goal from the issue. Then, unless BENCH_PROFILE=0, where the time goes: CPU profiles of
 * the API and the worker, and the round trips per execution. See bench/README.md.
 *
 * Env: BENCH_SCALE (default 1) scales run counts and durations; BENCH_WORKER_CONCURRENCY (default 10);
 * BENCH_PROFILE=0; BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * Everything it starts — processes, database, Redis — is gone when it ends, failed or interrupted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeProfile } from './cpu-profile-summary';
import { type CpuGroupPids, type CpuUsage, postgresPids, redisPid, startCpuMeter } from './process-cpu';
import { type RoundTrips, startRoundTripCount } from './round-trips';
import { readServiceBenchSettings, scaled, type ServiceBenchSettings } from './service-bench-settings';
import { buildServiceBundles, SERVICE_CACHE_DIR, type ServiceBundles } from './service-bundles';
import { measureInsertLimit, measureQueueLimit } from './service-limits';
import {
  type DiagnosisWindow,
  formatDiagnosis,
  formatServiceResults,
  type ProcessProfile,
  type ServiceBenchResults,
  type ServiceDiagnosis,
} from './service-results-table';
import { buildServiceApps, ServiceStack } from './service-stack';
import {
  DEFINITIONS,
  runInFlight,
  runInlineMap,
  runPassChain,
  runSteadyRate,
  type ThroughputFigures,
} from './service-workloads';

/** W2's concurrency and offered rate, from the issue. */
const IN_FLIGHT = 100;
const OFFERED_PER_SECOND = 100;

async function main(): Promise<void> {
  const settings = readServiceBenchSettings(process.env);
  log(`Node ${process.version}, BENCH_SCALE=${settings.scale}, WORKER_CONCURRENCY=${settings.workerConcurrency}`);
  log('Building dist/api and dist/worker, and the benchmark probe…');
  const apps = buildServiceApps();
  const bundles = await buildServiceBundles();

  let stack: ServiceStack | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= stack?.close() ?? Promise.resolve());
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the service and dropping its database…`);
    void close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  process.once('exit', () => stack?.closeAtExit());
  // A reader that stops reading (`| head`) must not end the run before it cleans up.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  try {
    log('Starting a private redis-server, a fresh database, the API and one worker…');
    stack = await ServiceStack.start(
      { apps, bundles, adminUrl: settings.adminUrl, workerConcurrency: settings.workerConcurrency, log },
      1,
    );
    log(`  database ${stack.databaseName}, Redis ${stack.redis.url}, API ${stack.apiUrl}`);
    const results = await measure(stack, settings, bundles);
    const diagnosis = settings.diagnose ? await diagnose(stack, settings) : undefined;
    mkdirSync(SERVICE_CACHE_DIR, { recursive: true });
    const resultsFile = join(SERVICE_CACHE_DIR, 'results.json');
    writeFileSync(resultsFile, `${JSON.stringify({ node: process.version, results, diagnosis }, replacer, 2)}\n`);
    process.stdout.write(`\n${formatServiceResults(results)}\n`);
    if (diagnosis) process.stdout.write(`\n${formatDiagnosis(diagnosis)}\n`);
    process.stdout.write(`\nRaw figures: ${join('node_modules', '.cache', 'asl-bench', 'service', 'results.json')}\n`);
  } finally {
    log('Stopping the service, Redis, and dropping the database…');
    await close();
  }
}

async function measure(
  stack: ServiceStack,
  settings: ServiceBenchSettings,
  bundles: ServiceBundles,
): Promise<ServiceBenchResults> {
  const { client } = stack;
  log(`Limit: raw BullMQ no-op jobs through one worker process, concurrency ${settings.workerConcurrency}…`);
  const queueLimit = await measureQueueLimit(
    stack.redis.url,
    bundles.noopWorker,
    settings.workerConcurrency,
    scaled(20_000, settings, 2_000),
  );
  log(`  ${Math.round(queueLimit.jobsPerSecond)} jobs/s; one hop p50 ${queueLimit.hopMs.p50.toFixed(2)} ms`);
  log('Limit: batched Postgres inserts of history-like rows…');
  const insertLimit = await measureInsertLimit(stack.databaseUrl, scaled(200_000, settings, 20_000));
  log(`  ${Math.round(insertLimit.rowsPerSecond)} rows/s`);

  const machine = (name: string, definition: unknown): Promise<string> => client.createStateMachine(name, definition);
  const w1 = await machine('w1-pass-chain', DEFINITIONS.passChain);
  const w2Warmup = await machine('w2-warm-up', DEFINITIONS.smallMachine);
  const w2Steady = await machine('w2-steady-rate', DEFINITIONS.smallMachine);
  const w4 = await machine('w4-inline-map', DEFINITIONS.inlineMap);
  const w4FromPass = await machine('w4-items-from-pass', DEFINITIONS.inlineMapFromPass);

  log('Warming up (W1 ×2, W2 ×300, W4 ×1, W4′ ×1)…');
  await runPassChain(client, w1, 2);
  await runInFlight(client, w2Warmup, 300, IN_FLIGHT);
  await runInlineMap(client, w4, 1);
  await runInlineMap(client, w4FromPass, 1, {});

  const groups = cpuGroups(stack);
  const metered = async <T>(run: () => Promise<T>): Promise<T & { cpu: CpuUsage }> => {
    const stop = startCpuMeter(groups);
    const figures = await run();
    return { ...figures, cpu: stop() };
  };

  const w1Runs = scaled(10, settings, 3);
  log(`W1: ${w1Runs} executions of the 1,000-Pass chain, one at a time…`);
  const passChain = await metered(() => runPassChain(client, w1, w1Runs));
  log(`  ${Math.round(passChain.transitionsPerSecond)} transitions/s`);

  // One worker process, then two, then both again: the machine is shared, and whatever else runs on it slows
  // one run or another, never speeds one up; interleaving and keeping each setting's better run is what keeps the
  // one-versus-two comparison from measuring the neighbours instead.
  const w2Executions = scaled(2_000, settings, 200);
  const w2Runs: Record<'one' | 'two', (ThroughputFigures & { cpu: CpuUsage })[]> = { one: [], two: [] };
  for (const round of ['a', 'b']) {
    for (const workers of ['one', 'two'] as const) {
      log(
        `W2: ${w2Executions} executions, ${IN_FLIGHT} in flight, ${workers} worker process${workers === 'one' ? '' : 'es'}…`,
      );
      if (workers === 'two') await stack.addWorker();
      const arn = await machine(`w2-in-flight-${workers}-${round}`, DEFINITIONS.smallMachine);
      const figures = await metered(() => runInFlight(client, arn, w2Executions, IN_FLIGHT));
      if (workers === 'two') await stack.removeWorker();
      w2Runs[workers].push(figures);
      log(`  ${Math.round(figures.executionsPerSecond)} executions/s`);
    }
  }
  const better = (runs: (ThroughputFigures & { cpu: CpuUsage })[]) =>
    runs.reduce((a, b) => (b.executionsPerSecond > a.executionsPerSecond ? b : a));
  const inFlight = { ...better(w2Runs.one), runsPerSecond: w2Runs.one.map((r) => r.executionsPerSecond) };
  const twoWorkers = { ...better(w2Runs.two), runsPerSecond: w2Runs.two.map((r) => r.executionsPerSecond) };

  const steadyMs = scaled(20_000, settings, 3_000);
  log(`W2: ${OFFERED_PER_SECOND} executions/s offered for ${steadyMs / 1000} s…`);
  const steadyRate = await metered(() => runSteadyRate(client, w2Steady, OFFERED_PER_SECOND, steadyMs));
  log(`  p50 ${steadyRate.observedMs.p50.toFixed(1)} ms, p99 ${steadyRate.observedMs.p99.toFixed(1)} ms`);

  const w4Runs = scaled(3, settings, 1);
  log(`W4: ${w4Runs} executions of the inline Map over 1,000 Tasks, one at a time…`);
  const inlineMap = await metered(() => runInlineMap(client, w4, w4Runs));
  log(`  ${(inlineMap.medianMs / 1000).toFixed(2)} s`);
  log(`W4′: the same Map, its items from a Pass state (the execution's input is {}), ${w4Runs} executions…`);
  const inlineMapFromPass = await metered(() => runInlineMap(client, w4FromPass, w4Runs, {}));
  log(`  ${(inlineMapFromPass.medianMs / 1000).toFixed(2)} s`);

  return {
    settings,
    queueLimit,
    insertLimit,
    passChain,
    inFlight,
    steadyRate,
    inlineMap,
    inlineMapFromPass,
    twoWorkers,
  };
}

/**
 * Profiles, then counts, one W2 window and one W4 execution on one API and one worker process; then counts W2 on two
 * worker processes. Profiling and counting are kept apart: MONITOR slows Redis down, which would show in a profile.
 */
async function diagnose(stack: ServiceStack, settings: ServiceBenchSettings): Promise<ServiceDiagnosis> {
  const { client } = stack;
  const profileDir = join(SERVICE_CACHE_DIR, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const w2 = await client.createStateMachine('w2-diagnosis', DEFINITIONS.smallMachine);
  const w4 = await client.createStateMachine('w4-diagnosis', DEFINITIONS.inlineMap);

  const profiled = async (label: string, run: () => Promise<unknown>): Promise<ProcessProfile[]> => {
    const processes = stack.processes;
    await Promise.all(processes.map((p) => p.probe({ type: 'profile-start', samplingIntervalUs: 500 })));
    try {
      await run();
    } finally {
      for (const p of processes)
        await p.probe({ type: 'profile-stop', file: join(profileDir, `${label}-${p.name}.cpuprofile`) });
    }
    return processes.map((p) => {
      const file = join(profileDir, `${label}-${p.name}.cpuprofile`);
      return { process: p.name, file, summary: summarizeProfile(file, p.bundle) };
    });
  };
  const counted = async (run: () => Promise<unknown>): Promise<RoundTrips> => {
    const stop = await startRoundTripCount(stack.redis.url, stack.processes);
    await run();
    return stop();
  };

  const w2Executions = scaled(1_000, settings, 200);
  const w2Counted = scaled(200, settings, 100);
  log(`Where the time goes: W2 (${w2Executions} executions, ${IN_FLIGHT} in flight) and W4 (1 execution), profiled…`);
  const w2Profiles = await profiled('w2', () => runInFlight(client, w2, w2Executions, IN_FLIGHT));
  const w4Profiles = await profiled('w4', () => runInlineMap(client, w4, 1));
  log(`  … and counted: W2 (${w2Counted} executions) and W4 (1 execution), Redis MONITOR on`);
  const w2Trips = await counted(() => runInFlight(client, w2, w2Counted, IN_FLIGHT));
  const w4Trips = await counted(() => runInlineMap(client, w4, 1));
  const w2Window: DiagnosisWindow = {
    profiledExecutions: w2Executions,
    profiles: w2Profiles,
    countedExecutions: w2Counted,
    roundTrips: w2Trips,
  };
  const w4Window: DiagnosisWindow = {
    profiledExecutions: 1,
    profiles: w4Profiles,
    countedExecutions: 1,
    roundTrips: w4Trips,
  };
  // What a second worker process changes per execution (its idle fetches), counted only.
  log(`  … and W2 (${w2Counted} executions) on two worker processes, counted`);
  await stack.addWorker();
  const w2TwoTrips = await counted(() => runInFlight(client, w2, w2Counted, IN_FLIGHT));
  await stack.removeWorker();
  const w2TwoWorkers: DiagnosisWindow = {
    profiledExecutions: 0,
    profiles: [],
    countedExecutions: w2Counted,
    roundTrips: w2TwoTrips,
  };
  return { w2: w2Window, w4: w4Window, w2TwoWorkers };
}

function cpuGroups(stack: ServiceStack): CpuGroupPids {
  const redisPort = Number(new URL(stack.redis.url).port);
  return () => ({
    api: [stack.api.pid],
    workers: stack.workers.map((w) => w.pid),
    postgres: postgresPids(),
    redis: redisPid(redisPort),
    bench: [process.pid],
  });
}

/** Maps become objects in the JSON file. */
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
