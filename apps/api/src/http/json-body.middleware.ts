import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiRequestException } from './api-request.exception';

/**
 * The largest request body accepted. Step Functions caps an execution's input at 256 KiB of JSON; sent as a JSON
 * string inside the request it grows by its escapes, and a definition may be up to 1 MiB. Anything past this is
 * refused with 413 while it is still arriving, before a byte of it is parsed.
 */
export const MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Reads request bodies as JSON, whatever their Content-Type: the API speaks only JSON, and `curl -d` sends form
 * encoding by default. Runs as Nest middleware (not Express's body parser) so that an unreadable or oversized body
 * is refused through the one exception filter, with a 4xx and `__type`, never as an HTML page.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const declared = req.headers['content-length'];
    if (declared === undefined && req.headers['transfer-encoding'] === undefined) return next();
    if (declared !== undefined && Number(declared) > MAX_REQUEST_BODY_BYTES) return next(tooLarge());
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') {
      return next(
        new ApiRequestException(
          415,
          'UnsupportedMediaType',
          `Content-Encoding ${encoding} is not supported; send plain JSON`,
        ),
      );
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      // Whatever is still arriving is read and dropped, so the refusal can be answered on a clean connection.
      req.removeListener('data', onData);
      next(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) return settle(tooLarge());
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', (e) =>
      settle(
        new ApiRequestException(400, 'SerializationException', `The request body could not be read: ${e.message}`),
      ),
    );
    req.once('end', () => {
      if (settled) return;
      try {
        req.body = parseJsonBody(Buffer.concat(chunks, size));
        settle();
      } catch (e) {
        settle(e);
      }
    });
  }
}

/** The body as JSON, or undefined when it is empty. */
export function parseJsonBody(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ApiRequestException(400, 'SerializationException', 'The request body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiRequestException(
      400,
      'SerializationException',
      `The request body is not valid JSON: ${(e as Error).message}`,
    );
  }
}

function tooLarge(): ApiRequestException {
  return new ApiRequestException(
    413,
    'RequestEntityTooLarge',
    `The request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`,
  );
}
