import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';

/** Where the dashboard's hashed files are served: `<DASHBOARD_DIR>/assets/` at `/assets/`. */
export const DASHBOARD_ASSETS_PATH = '/assets/';

/** The dashboard Vite builds: `index.html` and the `assets/` it loads. */
const INDEX_FILE = 'index.html';

/** A year: the longest max-age caches honour. */
const ONE_YEAR = '365d';

/**
 * Serves the dashboard built into `dir` (DASHBOARD_DIR): `GET /` is its index.html, `GET /assets/…` its files, and
 * nothing else of the directory is reachable — no listing, no dotfiles, no path out of `assets/` (the static server
 * refuses `..` even when encoded). Only GET and HEAD: `POST /` stays the AWS JSON protocol's.
 *
 * Mounted on Express before Nest's middleware, so the files are served without the bearer token: they hold no data,
 * and the dashboard asks its user for the token. An asset that is not there falls through to Nest, which answers 404
 * in the API's error shape (the bearer middleware lets `/assets/` pass for that).
 */
export function serveDashboard(app: INestApplication, dir: string): void {
  (app as NestExpressApplication).useStaticAssets(join(dir, 'assets'), {
    prefix: DASHBOARD_ASSETS_PATH,
    // Vite names each asset after a hash of its content: a new build makes new names, so a cached copy never goes
    // stale and browsers need not even revalidate.
    maxAge: ONE_YEAR,
    immutable: true,
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
  });
  const logger = new Logger('Dashboard');
  app.getHttpAdapter().get('/', (_req: Request, res: Response) => {
    // The index names the current build's assets: revalidated at every load, so a new build shows at once.
    res.sendFile(
      INDEX_FILE,
      { root: dir, dotfiles: 'deny', cacheControl: false, headers: { 'Cache-Control': 'no-cache' } },
      (error?: Error) => {
        if (error === undefined || res.headersSent) return;
        if ((error as { status?: number }).status === 404) {
          res.status(404).json({
            __type: 'DashboardNotBuilt',
            message:
              'The dashboard is not built: run `npm run build` (it builds into dist/dashboard), or set DASHBOARD_DIR ' +
              'to the directory a build put its index.html in',
          });
          return;
        }
        logger.error(`Could not serve ${join(dir, INDEX_FILE)}: ${error.message}`);
        res.status(500).json({
          __type: 'InternalFailure',
          message: 'The server failed to process the request; the error is in its log',
        });
      },
    );
  });
}

/** For the start-up log: where the dashboard is served from, or that it is not built. */
export function describeDashboard(dir: string, url: string): string {
  return existsSync(join(dir, INDEX_FILE))
    ? `Dashboard at ${url}/ (from ${dir})`
    : `Dashboard not built (no ${INDEX_FILE} in ${dir}): \`npm run build\` builds it`;
}
