import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ArnParts,
  type DurableDriver,
  ServiceException,
  ServiceExceptionCode,
  stateMachineArn,
} from '@lib/engine';

/**
 * Creates a state machine for each `<dir>/<name>/definition.asl.json` that does not exist yet (name = folder name),
 * so `npm start` on a fresh clone has something to run. Existing machines are left as they are: a restart must not
 * overwrite a definition someone updated through the API. Returns the names created.
 */
export async function loadExampleStateMachines(
  driver: DurableDriver,
  arnParts: ArnParts,
  examplesDir: string,
): Promise<string[]> {
  let folders: string[];
  try {
    folders = (await readdir(examplesDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const created: string[] = [];
  for (const name of folders.sort()) {
    let definition: string;
    try {
      definition = await readFile(join(examplesDir, name, 'definition.asl.json'), 'utf8');
    } catch {
      continue;
    }
    if (await exists(driver, stateMachineArn(arnParts, name))) continue;
    await driver.createStateMachine({ name, definition });
    created.push(name);
  }
  return created;
}

async function exists(driver: DurableDriver, arn: string): Promise<boolean> {
  try {
    await driver.describeStateMachine(arn);
    return true;
  } catch (e) {
    if (e instanceof ServiceException && e.code === ServiceExceptionCode.StateMachineDoesNotExist) return false;
    throw e;
  }
}
