/**
 * `npm run conformance -- DIR [--report FILE] [--filter TEXT] [--concurrency N] [--timeout MS]`
 *
 * Runs every case file under DIR (recursively, `index.json` skipped) on the in-memory engine, prints pass counts per
 * category and ends with `N passed, M failed, K skipped`. `--report` writes the JSON report (why each case failed or
 * was skipped, with diffs). `--filter` keeps the cases whose id or path contains TEXT. Exits 0 when the run
 * completed, whatever the verdicts (the baseline spec guards against regressions), 2 on bad arguments.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatSummary, runConformance } from './conformance.runner';
import { localEngine } from './local-engine.adapter';

interface CliArguments {
  readonly dir: string;
  readonly report?: string;
  readonly filter?: string;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

function parseArguments(argv: readonly string[]): CliArguments | string {
  let dir: string | undefined;
  const options: { report?: string; filter?: string; concurrency?: number; timeoutMs?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    switch (arg) {
      case '--report': {
        const file = value();
        if (!file) return '--report needs a file name';
        options.report = file;
        break;
      }
      case '--filter': {
        const text = value();
        if (!text) return '--filter needs a text';
        options.filter = text;
        break;
      }
      case '--concurrency':
      case '--timeout': {
        const number = Number(value());
        if (!Number.isInteger(number) || number <= 0) return `${arg} needs a positive integer`;
        if (arg === '--concurrency') options.concurrency = number;
        else options.timeoutMs = number;
        break;
      }
      default:
        if (arg.startsWith('--')) return `unknown option ${arg}`;
        if (dir !== undefined) return `only one DIR, got ${dir} and ${arg}`;
        dir = arg;
    }
  }
  if (dir === undefined) return 'missing DIR (e.g. ../shared/conformance/localstack)';
  return { dir, ...options };
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(
      `${parsed}\nusage: npm run conformance -- DIR [--report FILE] [--filter TEXT] [--concurrency N] [--timeout MS]\n`,
    );
    return 2;
  }
  const filterText = parsed.filter;
  const report = await runConformance(resolve(parsed.dir), localEngine, {
    ...(parsed.concurrency ? { concurrency: parsed.concurrency } : {}),
    ...(parsed.timeoutMs ? { caseTimeoutMs: parsed.timeoutMs } : {}),
    ...(filterText
      ? { filter: (loaded) => loaded.data.id.includes(filterText) || loaded.path.includes(filterText) }
      : {}),
  });
  if (parsed.report) {
    const file = resolve(parsed.report);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`${formatSummary(report)}\n`);
  return 0;
}

main().then(
  (code) => {
    // Executions left running (a timed-out case's timers) must not keep the process alive after the summary; exit
    // once stdout has flushed, so a piped summary is not cut short.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
