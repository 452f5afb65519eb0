import { HttpException } from '@nestjs/common';

/**
 * A request refused before it reached the driver — unreadable body, too large, no credentials — with the error
 * name the response's `__type` carries, as AWS names these (SerializationException, UnrecognizedClientException…).
 */
export class ApiRequestException extends HttpException {
  constructor(
    status: number,
    readonly type: string,
    message: string,
  ) {
    super(message, status);
  }
}
