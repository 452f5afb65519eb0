import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildServiceBundles, REPO_ROOT, ServiceHarness } from '../../service/support/service-processes';
import { launchChromium } from './chromium';

/**
 * The dashboard as a user reaches it: the built API (which serves dist/dashboard at `/`) and one worker on a fresh
 * Postgres database and a private Redis — the service suites' harness — and one headless Chromium to look at it.
 */

/** What `npm run build` writes and the API serves; DASHBOARD_DIR points the suites at another build. */
export const DASHBOARD_DIR = process.env['DASHBOARD_DIR'] ?? join(REPO_ROOT, 'dist/dashboard');
/** Screenshots of a run, for a person to look at; test-output/ is not committed. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output/dashboard');
/** The worker's handlers: the banking example's, writing the manual review's task token to the scratch dir. */
const HANDLERS_MODULE = join(REPO_ROOT, 'test/service/fixtures/banking-service-handlers.js');
/** Wide enough for the graph beside the step panel and the event table, as on a laptop. */
const VIEWPORT = { width: 1440, height: 900 };
/** How long a page action or wait may take by default: a refresh cycle of the dashboard or two, and then some. */
const ACTION_TIMEOUT_MS = 15_000;

/**
 * The suites test the dashboard as built; they do not build it themselves: two files run side by side, and Vite
 * empties dist/dashboard before it writes, so a build in one would pull the files from under the other's browser.
 */
export function requireBuiltDashboard(dir: string = DASHBOARD_DIR): void {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${join(dir, 'index.html')} is missing: run \`npm run build\` before the dashboard suites.`);
  }
}

export interface DashboardStackOptions {
  /** API_TOKEN of the API process: the dashboard must then ask for it. */
  readonly apiToken?: string;
  /** Whether a worker runs the executions' tasks (default true); a suite that only reads can do without. */
  readonly worker?: boolean;
}

/** One service and one browser for a spec file; every page gets a context of its own (storage, downloads). */
export class DashboardStack {
  private readonly contexts: BrowserContext[] = [];
  /** Uncaught errors and console errors of every page, for the suites to assert there were none. */
  readonly pageErrors: string[] = [];

  private constructor(
    readonly service: ServiceHarness,
    private readonly browser: Browser,
  ) {}

  /** Where the API (and so the dashboard) answers. */
  get url(): string {
    return this.service.api.url;
  }

  /**
   * Builds the API and worker bundles from the current source (as the service suites do), starts them and Chromium.
   * Whatever started before a failure is stopped again before the failure is rethrown.
   */
  static async start(options: DashboardStackOptions = {}): Promise<DashboardStack> {
    requireBuiltDashboard();
    await buildServiceBundles();
    const service = await ServiceHarness.start({
      handlersModule: HANDLERS_MODULE,
      env: { DASHBOARD_DIR, ...(options.apiToken === undefined ? {} : { API_TOKEN: options.apiToken }) },
    });
    try {
      if (options.worker ?? true) await service.startWorker();
      return new DashboardStack(service, await launchChromium());
    } catch (e) {
      await service.dispose();
      throw e;
    }
  }

  /** A browser context of its own: no stored token, an empty cache; closed by dispose(). */
  async newContext(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    // Shorter than a test's timeout, so that a missing element fails the test naming it rather than timing it out.
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    this.contexts.push(context);
    return context;
  }

  /** A new page opened at `route` of the dashboard, in `context` or else in a fresh one. */
  async openPage(route = '/', context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await this.newContext())).newPage();
    page.on('pageerror', (error) => this.pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      // A refused request (the 401 before the token is given) is logged by the browser itself; it is no app error.
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
        this.pageErrors.push(`${page.url()}: console.error ${message.text()}`);
      }
    });
    await page.goto(`${this.url}${route}`);
    return page;
  }

  /** A full-page PNG at test-output/dashboard/<name>.png. */
  async screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  /** Closes the browser and ends the service; never throws. */
  async dispose(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close().catch(() => undefined)));
    await this.browser.close().catch(() => undefined);
    await this.service.dispose();
  }
}

/** The dashboard's route of an execution or a state machine: ARNs travel URL-encoded in the hash. */
export function dashboardRoute(kind: 'executions' | 'state-machines', arn?: string): string {
  return `/#/${kind}${arn === undefined ? '' : `/${encodeURIComponent(arn)}`}`;
}
