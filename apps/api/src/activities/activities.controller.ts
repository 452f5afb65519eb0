import type { DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiArnParam, ApiErrors, ApiJsonBody } from '../http/api-docs.decorators';
import {
  ACTIVITY_TASK_QUERY,
  type ActivityTaskQuery,
  CREATE_ACTIVITY,
  type CreateActivityRequest,
} from '../http/api-request.schemas';
import { activityDescription } from '../http/api-responses';
import { ArnValidationPipe } from '../http/arn-validation.pipe';
import { ACTIVITY_DESCRIPTION, ACTIVITY_TASK } from '../http/openapi-schemas';
import { SchemaValidationPipe } from '../http/schema-validation.pipe';
import { ActivityTaskPoller, hangUpSignal } from './activity-task.poller';

/** CreateActivity and GetActivityTask: activities are worked by external programs that poll over HTTP. */
@ApiTags('Activities')
@Controller('activities')
export class ActivitiesController {
  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(ActivityTaskPoller) private readonly poller: ActivityTaskPoller,
  ) {}

  @Post()
  @ApiOperation({ summary: 'CreateActivity (idempotent: an existing activity of that name is returned)' })
  @ApiJsonBody(CREATE_ACTIVITY)
  @ApiResponse({ status: 201, schema: ACTIVITY_DESCRIPTION })
  @ApiErrors(400, 401)
  async create(@Body(new SchemaValidationPipe(CREATE_ACTIVITY, 'body')) body: CreateActivityRequest) {
    return activityDescription(await this.driver.createActivity(body.name));
  }

  /** GetActivityTask: a long poll ({@link ActivityTaskPoller}). */
  @Get(':arn/task')
  @ApiOperation({ summary: 'GetActivityTask: waits up to 60 s for a task; {} when none arrived' })
  @ApiArnParam('activity')
  @ApiQuery({ name: 'workerName', required: false, schema: { type: 'string' } })
  @ApiResponse({ status: 200, schema: ACTIVITY_TASK })
  @ApiErrors(400, 401, 404)
  async task(
    @Param('arn', new ArnValidationPipe('activity')) arn: string,
    @Query(new SchemaValidationPipe(ACTIVITY_TASK_QUERY, 'query')) query: ActivityTaskQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const task = await this.poller.claim(arn, query.workerName ?? '', hangUpSignal(res));
    return task ? { taskToken: task.taskToken, input: task.input } : {};
  }
}
