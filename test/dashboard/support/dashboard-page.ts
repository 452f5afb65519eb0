import type { Locator, Page } from 'playwright-core';

/**
 * The dashboard's parts as the suites find them: by the `data-testid`s the UI promises (its test contract), never by
 * CSS classes or wording, which are the UI's to change.
 */

export function byTestId(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`[data-testid="${testId}"]`);
}

/** A state's node in a graph, by its name in the definition. */
export function stateNode(page: Page, stateName: string): Locator {
  return page.locator(`[data-testid="state-node"][data-state-name="${stateName}"]`);
}

/** Resolves once the execution view has its whole history and its graph laid out (`data-ready="true"`). */
export async function executionViewReady(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.locator('[data-testid="execution-detail"][data-ready="true"]').waitFor({ timeout: timeoutMs });
}

/**
 * An attribute of every element the locator matches, read in one go in the page: reading row by row would wait for
 * a row that a refresh or a filter has just removed.
 */
export async function attributeOfAll(locator: Locator, attribute: string): Promise<(string | null)[]> {
  return locator.evaluateAll((elements, name) => elements.map((element) => element.getAttribute(name)), attribute);
}

/** What the event table shows now: only the rows in view are in the DOM, so this is the visible part. */
export async function shownEventRows(page: Page): Promise<{ id: number; type: string }[]> {
  const rows = byTestId(page, 'event-row');
  const [ids, types] = await Promise.all([
    attributeOfAll(rows, 'data-event-id'),
    attributeOfAll(rows, 'data-event-type'),
  ]);
  return ids.map((id, i) => ({ id: Number(id), type: types[i] ?? '' })).sort((a, b) => a.id - b.id);
}

/** The execution ARN of the execution view the page shows (`#/executions/<URL-encoded ARN>`). */
export function executionArnOf(page: Page): string {
  const match = /#\/executions\/([^?]+)$/.exec(page.url());
  if (match?.[1] === undefined) throw new Error(`${page.url()} is not an execution's page`);
  return decodeURIComponent(match[1]);
}

/** The text of a <pre> of pretty-printed JSON, parsed. */
export async function jsonIn(locator: Locator): Promise<unknown> {
  const text = await locator.textContent();
  try {
    return JSON.parse(text ?? '');
  } catch {
    throw new Error(`expected JSON in ${locator.toString()}, found: ${text ?? '(nothing)'}`);
  }
}
