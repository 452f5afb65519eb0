import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from '@lib/asl';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionDescription } from '../service/support/service-api.client';
import { eventually, REPO_ROOT } from '../service/support/service-processes';
import { DashboardStack, dashboardRoute } from './support/dashboard-stack';
import {
  attributeOfAll,
  byTestId,
  executionArnOf,
  executionViewReady,
  jsonIn,
  shownEventRows,
  stateNode,
} from './support/dashboard-page';

/**
 * The dashboard in Chromium, served by the built API, with a worker running the banking example on Postgres and
 * BullMQ: what a person sees and does — the state machines and their counts, starting an execution, answering its
 * manual review, reading a state's input and output, the event table, the executions list and stopping an execution.
 * Everything the page shows is checked against what the REST API says.
 */

const EXAMPLE = join(REPO_ROOT, 'asl-examples/banking-account-opening');
const DEFINITION_TEXT = readFileSync(join(EXAMPLE, 'definition.asl.json'), 'utf8');
const MACHINE_NAME = 'banking-account-opening';
/** The reviewer's answer that approves (Review Decision goes on to Open Account when `$.review.approved` is true). */
const APPROVAL: unknown = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test/service/fixtures/review-decision.json'), 'utf8'),
);

/**
 * A sample input of the example. The review one loses its simulatedReviewer: the example's handler would answer
 * the review with it at once, and here a person answers it in the dashboard.
 */
function sampleInput(name: string): Record<string, unknown> {
  const input = JSON.parse(readFileSync(join(EXAMPLE, 'inputs', `${name}.json`), 'utf8')) as Record<string, unknown>;
  delete input['simulatedReviewer'];
  return input;
}

/** Executions started through the API before the suite, by name: one of each outcome the example has. */
const STARTED_BEFORE = {
  'approved-1': 'approved',
  'denied-1': 'denied',
  'transient-failure-1': 'transient-failure',
  'open-account-fails-1': 'open-account-fails',
} as const;
type StartedName = keyof typeof STARTED_BEFORE;
/** How long the suite waits for the page to show what it should: a refresh cycle or two of the dashboard. */
const ON_SCREEN = { timeout: 10_000 } as const;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

describe('The dashboard in Chromium, on the built API and a worker on Postgres and BullMQ', () => {
  let stack: DashboardStack | undefined;
  let machineArn: string;
  const started = new Map<StartedName, string>();

  /** The stack of a test (beforeAll set it, or failed the file). */
  const sut = (): DashboardStack => stack as DashboardStack;

  beforeAll(async () => {
    stack = await DashboardStack.start();
    machineArn = await stack.service.api.createStateMachine(MACHINE_NAME, DEFINITION_TEXT);
    for (const [name, sample] of Object.entries(STARTED_BEFORE) as [StartedName, string][]) {
      started.set(name, await stack.service.api.startExecution(machineArn, JSON.stringify(sampleInput(sample)), name));
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  /** Waits for an execution to end and returns its description. */
  async function finished(executionArn: string, timeoutMs = 40_000): Promise<ExecutionDescription> {
    return eventually(
      'the execution to finish',
      () => sut().service.api.describeExecution(executionArn),
      (execution) => execution.status !== 'RUNNING',
      { timeoutMs, intervalMs: 250 },
    );
  }

  async function statusShown(page: Page): Promise<string | null> {
    return byTestId(page, 'execution-status').getAttribute('data-status');
  }

  it(
    'starts an execution with a JSON input, shows it wait for the manual review, takes the answer and shows it succeed',
    { timeout: 90_000 },
    async () => {
      const page = await sut().openPage(dashboardRoute('state-machines', machineArn));
      await byTestId(page, 'state-machine-detail').waitFor();
      const graph = byTestId(page, 'definition-graph');
      await stateNode(page, 'Manual Review').waitFor();
      expect(await graph.locator('[data-testid="state-node"]').count()).toBe(14);
      await byTestId(page, 'tab-definition').click();
      expect(await jsonIn(byTestId(page, 'definition-json'))).toEqual(JSON.parse(DEFINITION_TEXT));
      await byTestId(page, 'tab-graph').click();
      await stateNode(page, 'Manual Review').waitFor();
      await sut().screenshot(page, 'state-machine-detail');

      await byTestId(page, 'start-execution-button').click();
      await byTestId(page, 'execution-name-input').fill('reviewed-in-dashboard');
      const editor = byTestId(page, 'execution-input-editor');
      const submit = byTestId(page, 'start-execution-submit');
      // Half an object: refused before anything is sent.
      await editor.fill('{ "applicationId": "APP-1003", ');
      await byTestId(page, 'input-error').waitFor();
      expect(await submit.isDisabled()).toBe(true);
      await editor.fill(JSON.stringify(sampleInput('review'), null, 2));
      await byTestId(page, 'input-error').waitFor({ state: 'detached' });
      expect(await submit.isEnabled()).toBe(true);
      await submit.click();

      await page.waitForURL(/#\/executions\/.+/);
      const executionArn = executionArnOf(page);
      expect(executionArn).toMatch(/:execution:banking-account-opening:reviewed-in-dashboard$/);
      expect(JSON.parse((await sut().service.api.describeExecution(executionArn)).input)).toEqual(
        sampleInput('review'),
      );

      // The automated checks score 35 (a large deposit): the review is a person's.
      const review = stateNode(page, 'Manual Review');
      await expect.poll(() => review.getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
      expect(await statusShown(page)).toBe('RUNNING');
      expect(await stateNode(page, 'Check Identity').getAttribute('data-status')).toBe('succeeded');
      expect(await stateNode(page, 'Open Account').getAttribute('data-status')).toBe('not-run');

      await review.click();
      const details = byTestId(page, 'step-details');
      expect(await byTestId(details, 'step-name').textContent()).toBe('Manual Review');
      expect(await byTestId(details, 'step-status').locator('[data-status]').getAttribute('data-status')).toBe(
        'running',
      );
      expect(await byTestId(details, 'step-resource').textContent()).toBe(
        'arn:aws:states:::lambda:invoke.waitForTaskToken',
      );
      await byTestId(details, 'task-answer').waitFor();
      await executionViewReady(page);
      await sut().screenshot(page, 'execution-detail-waiting');
      await byTestId(details, 'task-success-output').fill(JSON.stringify(APPROVAL, null, 2));
      await byTestId(details, 'send-task-success').click();

      await expect.poll(() => statusShown(page), { timeout: 20_000 }).toBe('SUCCEEDED');
      const done = await sut().service.api.describeExecution(executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect((JSON.parse(done.output ?? 'null') as { review: unknown }).review).toEqual(APPROVAL);
      await expect
        .poll(() => stateNode(page, 'Account Opened').getAttribute('data-status'), ON_SCREEN)
        .toBe('succeeded');
      expect(await review.getAttribute('data-status')).toBe('succeeded');
      expect(await stateNode(page, 'Notify Denial').getAttribute('data-status')).toBe('not-run');

      // A state's input and output, as the history recorded them.
      const history = await sut().service.api.history(executionArn, 1_000);
      const entered = history.find(
        (e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.['name'] === 'Check Identity',
      );
      const exited = history.find(
        (e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.['name'] === 'Check Identity',
      );
      await stateNode(page, 'Check Identity').click();
      await expect.poll(() => byTestId(details, 'step-name').textContent(), ON_SCREEN).toBe('Check Identity');
      expect(await byTestId(details, 'step-status').locator('[data-status]').getAttribute('data-status')).toBe(
        'succeeded',
      );
      expect(await byTestId(details, 'step-resource').textContent()).toBe(
        'arn:aws:lambda:us-east-1:123456789012:function:CheckIdentity',
      );
      expect(await jsonIn(byTestId(details, 'step-input'))).toEqual(
        JSON.parse(String(entered?.stateEnteredEventDetails?.['input'])),
      );
      expect(await jsonIn(byTestId(details, 'step-output'))).toEqual(
        JSON.parse(String(exited?.stateExitedEventDetails?.['output'])),
      );
      expect((await byTestId(details, 'step-exception').textContent())?.trim()).toBe('—');

      // The data flow: what came in, the parameters the function was given, what it returned, what went on.
      await byTestId(details, 'tab-data-flow').click();
      const flow = await byTestId(details, 'step-data-flow')
        .locator('li')
        .evaluateAll((items) =>
          items.map((item) => [item.querySelector('h3')?.textContent, item.querySelector('pre')?.textContent]),
        );
      // One attempt here: the one scheduling of CheckIdentity, and the result its Exited event follows.
      const scheduled = history.find(
        (e) =>
          e.type === 'LambdaFunctionScheduled' &&
          String(e.lambdaFunctionScheduledEventDetails?.['resource']).endsWith(':function:CheckIdentity'),
      );
      const succeeded = history.find((e) => e.id === exited?.previousEventId);
      expect(succeeded?.type).toBe('LambdaFunctionSucceeded');
      expect(flow.map(([label]) => label)).toEqual(['Input', 'Parameters', 'Result', 'Output']);
      const flowValue = (label: string) => JSON.parse(String(flow.find(([l]) => l === label)?.[1])) as unknown;
      expect(flowValue('Input')).toEqual(JSON.parse(String(entered?.stateEnteredEventDetails?.['input'])));
      expect(flowValue('Parameters')).toEqual(
        JSON.parse(String(scheduled?.lambdaFunctionScheduledEventDetails?.['input'])),
      );
      expect(flowValue('Result')).toEqual(
        JSON.parse(String(succeeded?.lambdaFunctionSucceededEventDetails?.['output'])),
      );
      expect(flowValue('Output')).toEqual(JSON.parse(String(exited?.stateExitedEventDetails?.['output'])));
      await executionViewReady(page);
      await sut().screenshot(page, 'execution-detail-succeeded');
      expect(sut().pageErrors).toEqual([]);
    },
  );

  it('stops a running execution from its page, after asking to confirm', async () => {
    const executionArn = await sut().service.api.startExecution(
      machineArn,
      JSON.stringify(sampleInput('review')),
      'stopped-in-dashboard',
    );
    const page = await sut().openPage(dashboardRoute('executions', executionArn));
    const review = stateNode(page, 'Manual Review');
    await expect.poll(() => review.getAttribute('data-status'), { timeout: 20_000 }).toBe('running');

    await byTestId(page, 'stop-execution').click();
    await byTestId(page, 'confirm-stop').click();
    await expect.poll(() => statusShown(page), { timeout: 15_000 }).toBe('ABORTED');
    expect((await sut().service.api.describeExecution(executionArn)).status).toBe('ABORTED');
    await expect.poll(() => review.getAttribute('data-status'), ON_SCREEN).toBe('aborted');
    expect(await byTestId(page, 'stop-execution').isDisabled()).toBe(true);

    // From the keyboard: focus the state in the graph, press Enter, read its step details.
    const reviewNode = page.locator('.react-flow__node', { has: review });
    expect(await reviewNode.getAttribute('aria-label')).toBe('Manual Review, Task state, Aborted');
    await reviewNode.focus();
    await page.keyboard.press('Enter');
    const details = byTestId(page, 'step-details');
    expect(await byTestId(details, 'step-name').textContent()).toBe('Manual Review');
    expect(await byTestId(details, 'step-status').locator('[data-status]').getAttribute('data-status')).toBe('aborted');
    expect(await byTestId(details, 'task-answer').count()).toBe(0);
    expect(sut().pageErrors).toEqual([]);
  });

  it(
    'filters the event table by type and by failures, opens an event and downloads the history',
    { timeout: 60_000 },
    async () => {
      const executionArn = started.get('transient-failure-1') as string;
      expect((await finished(executionArn)).status).toBe('SUCCEEDED');
      const history: HistoryEvent[] = await sut().service.api.history(executionArn, 1_000);
      const page = await sut().openPage(dashboardRoute('executions', executionArn));
      await executionViewReady(page);
      const count = byTestId(page, 'event-count');
      expect(await count.textContent()).toBe(`${history.length} events`);

      // Two outages of the core banking system before the third attempt opens the account.
      const lambdaFailures = history.filter((e) => e.type === 'LambdaFunctionFailed');
      expect(lambdaFailures).toHaveLength(2);
      await byTestId(page, 'event-type-filter').selectOption('LambdaFunctionFailed');
      await expect
        .poll(() => shownEventRows(page), ON_SCREEN)
        .toEqual(lambdaFailures.map((e) => ({ id: e.id, type: e.type })));
      expect(await count.textContent()).toBe(`2 of ${history.length} events`);

      await byTestId(page, 'event-type-filter').selectOption('');
      await byTestId(page, 'failed-only').check();
      const failures = history.filter((e) => /(Failed|TimedOut|Aborted)$/.test(e.type));
      await expect
        .poll(() => shownEventRows(page), ON_SCREEN)
        .toEqual(failures.map((e) => ({ id: e.id, type: e.type })));

      // A row opens to the event as the API recorded it.
      const first = byTestId(page, 'event-row').first();
      // At its left edge: the ID, not the state's link further along the row.
      await first.click({ position: { x: 8, y: 8 } });
      expect(await jsonIn(byTestId(first, 'event-details'))).toEqual(lambdaFailures[0]);
      await byTestId(page, 'failed-only').uncheck();
      await expect.poll(() => count.textContent(), ON_SCREEN).toBe(`${history.length} events`);

      const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'download-history').click()]);
      const file = await download.path();
      const downloaded = JSON.parse(readFileSync(file, 'utf8')) as { events?: unknown[] } | unknown[];
      const events = Array.isArray(downloaded) ? downloaded : downloaded.events;
      expect(events).toHaveLength(history.length);
      expect(events).toEqual(history);
      expect(sut().pageErrors).toEqual([]);
    },
  );

  it('lists the state machines with their executions counted by status', { timeout: 60_000 }, async () => {
    // open-account-fails waits out three retries (2 + 4 + 8 s) before it fails; the tests above ran meanwhile.
    const outcomes = await Promise.all([...started.values()].map((arn) => finished(arn)));
    expect(outcomes.map((execution) => execution.status).sort()).toEqual([
      'FAILED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const api = sut().service.api;
    const expected = Object.fromEntries(
      await Promise.all(
        STATUSES.map(async (status) => [status, String(await api.countExecutions(machineArn, status))] as const),
      ),
    );
    expect(expected['RUNNING']).toBe('0');

    const page = await sut().openPage('/');
    const row = page.locator(`[data-testid="state-machine-row"][data-name="${MACHINE_NAME}"]`);
    await row.waitFor();
    const counts = async (): Promise<Record<string, string | undefined>> => {
      const shown = await Promise.all(STATUSES.map((status) => byTestId(row, `count-${status}`).textContent()));
      return Object.fromEntries(STATUSES.map((status, i) => [status, shown[i]?.trim()]));
    };
    // The list refreshes by itself: it may first show executions as they were a moment ago.
    await expect.poll(counts, { timeout: 15_000 }).toEqual(expected);
    await sut().screenshot(page, 'state-machine-list');

    await row.getByRole('link', { name: MACHINE_NAME, exact: true }).click();
    await byTestId(page, 'state-machine-detail').waitFor();
    expect(page.url()).toContain(dashboardRoute('state-machines', machineArn));
    expect(sut().pageErrors).toEqual([]);
  });

  it('lists executions filtered by status, by name and by start time', { timeout: 60_000 }, async () => {
    await Promise.all([...started.values()].map((arn) => finished(arn)));
    const page = await sut().openPage(dashboardRoute('executions'));
    const rows = byTestId(page, 'execution-row');
    const names = async (): Promise<string[]> => (await attributeOfAll(rows, 'data-name')).map(String).sort();
    await expect.poll(names, ON_SCREEN).toEqual(expect.arrayContaining([...started.keys()].sort()));
    await sut().screenshot(page, 'execution-list');

    await byTestId(page, 'status-filter').selectOption('FAILED');
    await expect.poll(names, ON_SCREEN).toEqual(['open-account-fails-1']);
    expect(await attributeOfAll(rows, 'data-status')).toEqual(['FAILED']);

    await byTestId(page, 'status-filter').selectOption('');
    await byTestId(page, 'search-input').fill('denied');
    await expect.poll(names, ON_SCREEN).toEqual(['denied-1']);
    // By ARN too: the whole ARN of one execution finds that one.
    await byTestId(page, 'search-input').fill(started.get('approved-1') as string);
    await expect.poll(names, ON_SCREEN).toEqual(['approved-1']);

    await byTestId(page, 'search-input').fill('');
    await byTestId(page, 'started-after').fill('2099-01-01T00:00');
    await expect.poll(names, ON_SCREEN).toEqual([]);
    await byTestId(page, 'started-after').fill('');
    await expect.poll(names, ON_SCREEN).toEqual(expect.arrayContaining([...started.keys()].sort()));
    expect(sut().pageErrors).toEqual([]);
  });
});
