import { randomUUID } from 'node:crypto';
import { ExecutionStoreError, httpStatusOf, ServiceException, ServiceExceptionCode } from '@lib/engine';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AWS_JSON_CONTENT_TYPE, AWS_REQUEST_ID_HEADER, isAwsJsonRequest } from '../aws-protocol/aws-json.protocol';
import { ApiRequestException } from './api-request.exception';

/** The JSON body of every error response: AWS's `__type` and `message`, and every diagnostic of a definition. */
export interface ApiErrorBody {
  readonly __type: string;
  readonly message: string;
  readonly diagnostics?: readonly { code: string; message: string; location: string }[];
}

const SERVICE_CODES: ReadonlySet<string> = new Set(Object.values(ServiceExceptionCode));

/**
 * The one place where errors become HTTP responses. A refused call keeps its AWS error name and its status
 * ({@link httpStatusOf}); anything unexpected is a 500 with a generic message — its details go to the log, not to the
 * client. Calls of the AWS JSON protocol get that protocol's shape ({@link awsJsonError}).
 */
@Catch()
export class ServiceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const awsJson = isAwsJsonRequest(host.switchToHttp().getRequest<Request>());
    const { status, body } = awsJson ? awsJsonError(exception, this.toResponse(exception)) : this.toResponse(exception);
    // A long poll whose client went away has nobody left to answer.
    if (response.headersSent || response.destroyed) return;
    if (awsJson) {
      response.setHeader('Content-Type', AWS_JSON_CONTENT_TYPE);
      // Refused before the controller ran (credentials, body): the SDKs still report a request id.
      if (!response.hasHeader(AWS_REQUEST_ID_HEADER)) response.setHeader(AWS_REQUEST_ID_HEADER, randomUUID());
    }
    response.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ApiErrorBody } {
    if (exception instanceof ServiceException) {
      const body: ApiErrorBody = {
        __type: exception.code,
        message: exception.message,
        ...(exception.diagnostics.length === 0 ? {} : { diagnostics: exception.diagnostics }),
      };
      return { status: httpStatusOf(exception.code), body };
    }
    if (exception instanceof ExecutionStoreError) {
      // The driver translates the store's refusals it expects; one that slips through is still the client's doing.
      if (SERVICE_CODES.has(exception.code)) {
        return {
          status: httpStatusOf(exception.code as ServiceExceptionCode),
          body: { __type: exception.code, message: exception.message },
        };
      }
      return {
        status: 409,
        body: { __type: exception.code, message: 'The execution changed while this request ran; retry it' },
      };
    }
    if (exception instanceof ApiRequestException) {
      return { status: exception.getStatus(), body: { __type: exception.type, message: exception.message } };
    }
    if (exception instanceof NotFoundException) {
      return { status: 404, body: { __type: 'UnknownOperationException', message: exception.message } };
    }
    if (exception instanceof HttpException) {
      return { status: exception.getStatus(), body: { __type: exception.name, message: exception.message } };
    }
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`Unexpected error: ${error.message}`, error.stack);
    return {
      status: 500,
      body: { __type: 'InternalFailure', message: 'The server failed to process the request; the error is in its log' },
    };
  }
}

/**
 * An error in the AWS JSON protocol's shape: `__type` and `message` only, and HTTP 400 for every client error —
 * the SDKs pick the exception by `__type`. A concurrent change the client may simply retry is a 500, which the
 * SDKs retry by themselves; a body too large or in an unsupported encoding keeps its 413 or 415.
 */
export function awsJsonError(
  exception: unknown,
  rest: { status: number; body: ApiErrorBody },
): { status: number; body: ApiErrorBody } {
  const body = { __type: rest.body.__type, message: rest.body.message };
  if (exception instanceof ExecutionStoreError && exception.code === 'ConcurrentModification')
    return { status: 500, body };
  if (rest.status >= 500 || rest.status === 413 || rest.status === 415) return { status: rest.status, body };
  return { status: 400, body };
}
