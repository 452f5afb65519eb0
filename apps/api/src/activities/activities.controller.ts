import { setTimeout as sleep } from 'node:timers/promises';
import type { DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Body, Controller, Get, Inject, type OnModuleDestroy, Param, Post, Query, Res } from '@nestjs/common';
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
import { ACTIVITY_POLL_OPTIONS, type ActivityPollOptions } from './activity-poll.options';

/** CreateActivity and GetActivityTask: activities are worked by external programs that poll over HTTP. */
@ApiTags('Activities')
@Controller('activities')
export class ActivitiesController implements OnModuleDestroy {
  /** Aborted at shutdown: a poll that could last a minute must not hold the process (or its HTTP server) open. */
  private readonly shuttingDown = new AbortController();

  constructor(
    @Inject(DURABLE_DRIVER) private readonly driver: DurableDriver,
    @Inject(ACTIVITY_POLL_OPTIONS) private readonly poll: ActivityPollOptions,
  ) {}

  @Post()
  @ApiOperation({ summary: 'CreateActivity (idempotent: an existing activity of that name is returned)' })
  @ApiJsonBody(CREATE_ACTIVITY)
  @ApiResponse({ status: 201, schema: ACTIVITY_DESCRIPTION })
  @ApiErrors(400, 401)
  async create(@Body(new SchemaValidationPipe(CREATE_ACTIVITY, 'body')) body: CreateActivityRequest) {
    return activityDescription(await this.driver.createActivity(body.name));
  }

  /**
   * GetActivityTask: a long poll. The store is asked again every `intervalMs` until a task is claimed, the poll
   * times out (an empty answer, as AWS gives), the client hangs up (nothing is claimed for a worker that left), or
   * the process shuts down.
   */
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
    const hungUp = new AbortController();
    const onClose = (): void => hungUp.abort();
    res.once('close', onClose);
    const stop = AbortSignal.any([hungUp.signal, this.shuttingDown.signal]);
    try {
      const deadline = Date.now() + this.poll.timeoutMs;
      for (;;) {
        const task = await this.driver.claimActivityTask(arn, query.workerName ?? '');
        if (task) return { taskToken: task.taskToken, input: task.input };
        const wait = Math.min(this.poll.intervalMs, deadline - Date.now());
        if (wait <= 0 || stop.aborted) return {};
        await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
        if (stop.aborted) return {};
      }
    } finally {
      res.removeListener('close', onClose);
    }
  }

  onModuleDestroy(): void {
    this.shuttingDown.abort();
  }
}
