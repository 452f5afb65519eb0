import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@lib/service';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiRequestException } from '../http/api-request.exception';
import { isAwsJsonRequest } from './aws-json.protocol';

/**
 * Credentials of AWS JSON protocol calls. Without API_TOKEN any request is accepted, signed or not, with any
 * credentials, as Step Functions Local accepts them. With API_TOKEN the access key id of the SigV4 signature must
 * equal it: the AWS SDKs and CLI then work unchanged with `accessKeyId: $API_TOKEN` and any secret key. The
 * signature itself is not verified — the server knows no secret key to verify it with — so the access key id is
 * the shared secret, and belongs on a private network or behind TLS like the REST API's bearer token.
 *
 * Runs before the body is read, so an unauthenticated caller cannot make the server buffer a body. Refusals are
 * the errors AWS answers with (HTTP 400 and `__type`), so the SDK throws them by name.
 */
@Injectable()
export class AwsCredentialMiddleware implements NestMiddleware {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.apiToken === undefined ? undefined : digest(config.apiToken);
  }

  use(req: Request, _res: Response, next: NextFunction): void {
    if (this.expected === undefined || !isAwsJsonRequest(req)) return next();
    const accessKeyId = accessKeyIdOf(req);
    if (accessKeyId === undefined) {
      return next(
        new ApiRequestException(
          400,
          'MissingAuthenticationTokenException',
          'Request is missing Authentication Token: sign it with SigV4, with API_TOKEN as the access key id',
        ),
      );
    }
    // Comparing digests of equal length in constant time tells an attacker nothing about how much of a guess matched.
    if (timingSafeEqual(digest(accessKeyId), this.expected)) return next();
    next(
      new ApiRequestException(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid: the access key id must be the API_TOKEN',
      ),
    );
  }
}

/**
 * The access key id of a SigV4-signed request: from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/
 * service/aws4_request, …`, or from a presigned URL's `X-Amz-Credential`.
 */
export function accessKeyIdOf(req: Pick<Request, 'headers' | 'originalUrl'>): string | undefined {
  const header = /^AWS4-HMAC-SHA256\s.*?\bCredential=([^/,\s]+)\//.exec(req.headers.authorization ?? '');
  if (header?.[1] !== undefined) return header[1];
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const credential = new URLSearchParams(query).get('X-Amz-Credential');
  const key = credential?.split('/')[0];
  return key === undefined || key === '' ? undefined : key;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
