import type { DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJsonBody } from '../http/api-docs.decorators';
import {
  jsonText,
  SEND_TASK_FAILURE,
  SEND_TASK_HEARTBEAT,
  SEND_TASK_SUCCESS,
  type SendTaskFailureRequest,
  type SendTaskHeartbeatRequest,
  type SendTaskSuccessRequest,
} from '../http/api-request.schemas';
import { EMPTY } from '../http/openapi-schemas';
import { SchemaValidationPipe } from '../http/schema-validation.pipe';

/** SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: complete `.waitForTaskToken` and activity tasks. */
@ApiTags('Task tokens')
@Controller('tasks')
export class TasksController {
  constructor(@Inject(DURABLE_DRIVER) private readonly driver: DurableDriver) {}

  @Post('success')
  @HttpCode(200)
  @ApiOperation({ summary: 'SendTaskSuccess' })
  @ApiJsonBody(SEND_TASK_SUCCESS)
  @ApiResponse({ status: 200, schema: EMPTY })
  @ApiErrors(400, 401, 404)
  async success(@Body(new SchemaValidationPipe(SEND_TASK_SUCCESS, 'body')) body: SendTaskSuccessRequest) {
    // An output over 256 KiB is refused by the driver (InvalidOutput) and the task stays open, as in Step Functions.
    await this.driver.sendTaskSuccess(body.taskToken, jsonText(body.output));
    return {};
  }

  @Post('failure')
  @HttpCode(200)
  @ApiOperation({ summary: 'SendTaskFailure' })
  @ApiJsonBody(SEND_TASK_FAILURE)
  @ApiResponse({ status: 200, schema: EMPTY })
  @ApiErrors(400, 401, 404)
  async failure(@Body(new SchemaValidationPipe(SEND_TASK_FAILURE, 'body')) body: SendTaskFailureRequest) {
    await this.driver.sendTaskFailure(body.taskToken, body.error, body.cause);
    return {};
  }

  @Post('heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'SendTaskHeartbeat' })
  @ApiJsonBody(SEND_TASK_HEARTBEAT)
  @ApiResponse({ status: 200, schema: EMPTY })
  @ApiErrors(400, 401, 404)
  async heartbeat(@Body(new SchemaValidationPipe(SEND_TASK_HEARTBEAT, 'body')) body: SendTaskHeartbeatRequest) {
    await this.driver.sendTaskHeartbeat(body.taskToken);
    return {};
  }
}
