import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiCase, ExecutionCase } from './conformance-case.types';

/**
 * Where the LocalStack corpus lives: `CONFORMANCE_DIR`, or `shared/conformance/localstack` next to the repository
 * (it is data from other projects, kept outside the source tree with its licences).
 */
export const CORPUS_DIR = resolve(
  process.env['CONFORMANCE_DIR'] ?? join(__dirname, '../../../shared/conformance/localstack'),
);

/** True when the corpus is on this machine; the specs that read it are skipped otherwise. */
export const corpusAvailable = existsSync(join(CORPUS_DIR, 'index.json'));

/** Reads one execution case file by its path under the corpus (`api/sfn_api.stop_execution.json`). */
export function readExecutionCase(path: string): ExecutionCase {
  return JSON.parse(readFileSync(join(CORPUS_DIR, path), 'utf8')) as ExecutionCase;
}

/** Reads one validation or TestState case file by its path under the corpus. */
export function readApiCase(path: string): ApiCase {
  return JSON.parse(readFileSync(join(CORPUS_DIR, path), 'utf8')) as ApiCase;
}
