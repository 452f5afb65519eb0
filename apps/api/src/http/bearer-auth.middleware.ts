import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@lib/service';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isAwsJsonRequest } from '../aws-protocol/aws-json.protocol';
import { ApiRequestException } from './api-request.exception';

/** Paths open without a token: the readiness probe, and the OpenAPI document (it describes the API, holds no data). */
const OPEN_PATHS = /^\/(health|docs)(\/|-json$|-yaml$|$)/;

/**
 * The dashboard's files, open to GET and HEAD: they hold no data, and the dashboard asks its user for the token.
 * They are served ahead of this middleware (`dashboard-static.ts`); what reaches it here is a file that is not there,
 * which then gets its 404 rather than a 401. Plain names only, nothing encoded and no `..`.
 */
const DASHBOARD_PATHS = /^\/(assets\/(?!.*\.\.)[\w.\-/]+)?$/;

/**
 * With API_TOKEN set, a request without `Authorization: Bearer <API_TOKEN>` is refused with 401 before its body is
 * read. Without API_TOKEN the API is open, as Step Functions Local is. Calls of the AWS JSON protocol carry a SigV4
 * signature instead, which AwsCredentialMiddleware checks.
 */
@Injectable()
export class BearerAuthMiddleware implements NestMiddleware {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.apiToken === undefined ? undefined : digest(config.apiToken);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    // originalUrl, not path: a middleware's mount point is stripped from req.path.
    const path = req.originalUrl.split('?')[0] ?? '';
    if (this.expected === undefined || isAwsJsonRequest(req) || OPEN_PATHS.test(path)) return next();
    if ((req.method === 'GET' || req.method === 'HEAD') && DASHBOARD_PATHS.test(path)) return next();
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    // Comparing digests of equal length in constant time tells an attacker nothing about how much of a guess matched.
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), this.expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer');
    next(
      new ApiRequestException(
        401,
        'UnrecognizedClientException',
        'A valid "Authorization: Bearer <token>" header is required',
      ),
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
