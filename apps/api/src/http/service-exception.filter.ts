import { ExecutionStoreError, httpStatusOf, ServiceException, ServiceExceptionCode } from '@lib/engine';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Response } from 'express';
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
 * client.
 */
@Catch()
export class ServiceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    // A long poll whose client went away has nobody left to answer.
    if (response.headersSent || response.destroyed) return;
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
