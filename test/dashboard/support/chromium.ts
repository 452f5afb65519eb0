import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The Chromium the browser suites and the dashboard benchmark drive: the distribution's package (`apt-get install
 * chromium`, which .ci/run does), not a Playwright download — `npx playwright install` cannot reach its CDN here.
 * CHROMIUM_PATH points at another build.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container: no sandbox (CI runs as root), /tmp instead of a small /dev/shm, no GPU
 * process, and none of the browser's own background requests competing with the page for two cores.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking'];

/** Starts a headless Chromium; fails with one line naming the fix when the binary is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the dashboard suites need it. ` +
        'Install it (apt-get install -y --no-install-recommends chromium; .ci/run does) or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
