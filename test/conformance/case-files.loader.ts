import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ApiCase, ExecutionCase, LoadedCase } from './conformance-case.types';

/** The cases found under a folder, and the JSON files that were not cases (reported, not counted). */
export interface LoadedCorpus {
  readonly cases: LoadedCase[];
  readonly ignored: { readonly path: string; readonly why: string }[];
}

/**
 * Loads every case file under `root`, recursively, in a stable (sorted) order. `index.json` files are skipped, as are
 * JSON files that are not cases (e.g. the `validator/` definitions), which are listed in `ignored`.
 */
export async function loadCaseFiles(root: string): Promise<LoadedCorpus> {
  const paths = (await listJsonFiles(root)).sort();
  const cases: LoadedCase[] = [];
  const ignored: { path: string; why: string }[] = [];
  await Promise.all(
    paths.map(async (path, index) => {
      const text = await readFile(path, 'utf8');
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        ignored[index] = { path: relative(root, path), why: `not JSON: ${(error as Error).message}` };
        return;
      }
      const loaded = classifyCase(relative(root, path) || path, data);
      if (typeof loaded === 'string') ignored[index] = { path: relative(root, path), why: loaded };
      else cases[index] = loaded;
    }),
  );
  return { cases: cases.filter(Boolean), ignored: ignored.filter(Boolean) };
}

async function listJsonFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && entry.name !== 'index.json')
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Decides how to run a parsed file: API cases carry `api` (`TestState` or a definition/StartExecution API), execution
 * cases carry a definition, a context and expected values. Returns why a file is not a case otherwise.
 */
export function classifyCase(path: string, data: unknown): LoadedCase | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not a JSON object';
  const record = data as Record<string, unknown>;
  if (typeof record['id'] !== 'string' || typeof record['expected'] !== 'object' || record['expected'] === null) {
    return 'no id or expected values: not a case file';
  }
  if (typeof record['api'] === 'string') {
    return { kind: record['api'] === 'TestState' ? 'test_state' : 'validation', path, data: data as ApiCase };
  }
  if (typeof record['definition'] === 'object' && typeof record['context'] === 'object' && record['context'] !== null) {
    return { kind: 'execution', path, data: data as ExecutionCase };
  }
  return 'neither an API case nor an execution case';
}
