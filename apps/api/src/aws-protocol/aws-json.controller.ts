import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { hangUpSignal } from '../activities/activity-task.poller';
import { ApiRequestException } from '../http/api-request.exception';
import { AWS_JSON_CONTENT_TYPE, AWS_REQUEST_ID_HEADER } from './aws-json.protocol';
import { SFN_TARGET_PREFIX, sfnActionOf } from './sfn-action.enum';
import { SfnActionsService } from './sfn-actions.service';

/**
 * The Step Functions API in the AWS JSON 1.0 protocol, on the API's port: what the AWS SDKs, the AWS CLI and the
 * tools built on them send (`POST /`, `X-Amz-Target: AWSStepFunctions.<Action>`). The host is ignored, so calls the
 * SDK sends to a `sync-` host prefix (StartSyncExecution) are answered like any other once they arrive. Errors are
 * answered by the one exception filter, in this protocol's shape (HTTP 400, `__type` and `message`).
 *
 * Left out of the OpenAPI document: its clients are the AWS SDKs, which know the protocol.
 */
@ApiExcludeController()
@Controller()
export class AwsJsonController {
  constructor(@Inject(SfnActionsService) private readonly actions: SfnActionsService) {}

  @Post()
  @HttpCode(200)
  async call(
    @Headers('x-amz-target') target: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    res.setHeader(AWS_REQUEST_ID_HEADER, randomUUID());
    res.setHeader('Content-Type', AWS_JSON_CONTENT_TYPE);
    const action = sfnActionOf(target);
    if (action === undefined) {
      throw new ApiRequestException(
        400,
        'UnknownOperationException',
        target === undefined
          ? 'The X-Amz-Target header is missing: it names the action, as in AWSStepFunctions.StartExecution'
          : `Unknown operation '${target}': this engine answers ${SFN_TARGET_PREFIX}<Action> for the Step Functions actions listed in its README`,
      );
    }
    return this.actions.call(action, body, { hungUp: hangUpSignal(res) });
  }
}
