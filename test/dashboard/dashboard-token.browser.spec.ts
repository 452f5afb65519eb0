import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../service/support/service-processes';
import { byTestId, stateNode } from './support/dashboard-page';
import { DashboardStack } from './support/dashboard-stack';

/**
 * The dashboard of an API started with API_TOKEN: its files are served to anyone, but it shows nothing until the
 * token is typed, refuses a wrong one, and then carries the token on every call. Nothing runs an execution here, so
 * the file starts no worker.
 */

const API_TOKEN = 'dashboard-suite-token';
const MACHINE_NAME = 'banking-account-opening';
const DEFINITION_TEXT = readFileSync(
  join(REPO_ROOT, 'asl-examples/banking-account-opening/definition.asl.json'),
  'utf8',
);

describe('The dashboard of an API that requires a token', () => {
  let stack: DashboardStack | undefined;
  const sut = (): DashboardStack => stack as DashboardStack;

  beforeAll(async () => {
    stack = await DashboardStack.start({ apiToken: API_TOKEN, worker: false });
    const created = await stack.service.api.request(
      'POST',
      '/state-machines',
      { name: MACHINE_NAME, definition: DEFINITION_TEXT },
      { headers: { authorization: `Bearer ${API_TOKEN}` } },
    );
    expect(created.status, created.text).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  it('asks for the token, refuses a wrong one, and then shows the state machines', async () => {
    expect((await sut().service.api.request('GET', '/state-machines')).status).toBe(401);

    const page = await sut().openPage('/');
    const form = byTestId(page, 'token-form');
    await form.waitFor();
    expect(await byTestId(page, 'state-machine-list').count()).toBe(0);

    await byTestId(form, 'token-input').fill('not-the-token');
    await form.locator('[type="submit"]').click();
    await form.getByRole('alert').waitFor();
    expect(await byTestId(page, 'state-machine-list').count()).toBe(0);

    await byTestId(page, 'token-input').fill(API_TOKEN);
    await byTestId(page, 'token-form').locator('[type="submit"]').click();
    const row = page.locator(`[data-testid="state-machine-row"][data-name="${MACHINE_NAME}"]`);
    await row.waitFor();
    await form.waitFor({ state: 'detached' });

    // Every later call carries it: the state machine's own page loads, and so does the list after a reload.
    await row.getByRole('link', { name: MACHINE_NAME, exact: true }).click();
    await stateNode(page, 'Manual Review').waitFor();
    await page.reload();
    await stateNode(page, 'Manual Review').waitFor();
    expect(await byTestId(page, 'token-form').count()).toBe(0);
    expect(sut().pageErrors).toEqual([]);
  });
});
