import type { Request } from 'express';

/**
 * The AWS JSON 1.0 protocol as the Step Functions SDKs and CLI speak it: every call is `POST /` with the action in
 * `X-Amz-Target` and a JSON body. The REST API has no `POST /`, so the path and method alone tell the two apart —
 * before a byte of the body is read, which the credential check needs.
 */
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** The header the SDKs read into `$metadata.requestId`. */
export const AWS_REQUEST_ID_HEADER = 'x-amzn-RequestId';

/** Whether a request is a call of the AWS JSON protocol (and not of the REST API). */
export function isAwsJsonRequest(req: Pick<Request, 'method' | 'originalUrl'>): boolean {
  // originalUrl, not path: a middleware's mount point is stripped from req.path.
  return req.method === 'POST' && (req.originalUrl.split('?')[0] ?? '') === '/';
}
