import type { DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiArnParam, ApiErrors, ApiJsonBody } from '../http/api-docs.decorators';
import {
  EXECUTION_STATUSES,
  executionSearchFilter,
  HISTORY_QUERY,
  type HistoryQuery,
  jsonText,
  LIST_EXECUTIONS_QUERY,
  type ListExecutionsQuery,
  MAX_EXECUTION_SEARCH_LENGTH,
  START_EXECUTION,
  type StartExecutionRequest,
  STOP_EXECUTION,
  type StopExecutionRequest,
} from '../http/api-request.schemas';
import {
  executionDescription,
  executionListItem,
  historyEvent,
  nextTokenOf,
  stateMachineForExecution,
  waitingTask,
} from '../http/api-responses';
import { ArnValidationPipe, checkArn } from '../http/arn-validation.pipe';
import {
  EXECUTION_DESCRIPTION,
  EXECUTION_HISTORY,
  EXECUTION_LIST,
  EXECUTION_STARTED,
  EXECUTION_STATE_MACHINE,
  STOP_RESULT,
  VERIFY_RESULT,
  WAITING_TASKS,
} from '../http/openapi-schemas';
import { SchemaValidationPipe } from '../http/schema-validation.pipe';

/**
 * StartExecution, ListExecutions, DescribeExecution, GetExecutionHistory, StopExecution, the history's audit, and the
 * tasks an execution waits on.
 */
@ApiTags('Executions')
@Controller('executions')
export class ExecutionsController {
  constructor(@Inject(DURABLE_DRIVER) private readonly driver: DurableDriver) {}

  /**
   * A new execution answers 201; repeating a start (same name, same input) answers 200 with the same execution:
   * nothing was created, and the status tells a client replaying a request that its first attempt went through.
   */
  @Post()
  @ApiOperation({
    summary: 'StartExecution: runs the first step at once; a Pass/Choice-only machine has finished when this returns',
  })
  @ApiJsonBody(START_EXECUTION)
  @ApiResponse({ status: 201, description: 'Started', schema: EXECUTION_STARTED })
  @ApiResponse({
    status: 200,
    description: 'Already started with this name and the same input',
    schema: EXECUTION_STARTED,
  })
  @ApiErrors(400, 401, 404, 409)
  async start(
    @Body(new SchemaValidationPipe(START_EXECUTION, 'body')) body: StartExecutionRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { execution, created } = await this.driver.startExecution({
      stateMachineArn: checkArn('stateMachine', body.stateMachineArn, 'stateMachineArn'),
      ...(body.input === undefined ? {} : { input: jsonText(body.input) }),
      ...(body.name === undefined ? {} : { name: body.name }),
    });
    res.status(created ? 201 : 200);
    return { executionArn: execution.executionArn, startDate: execution.startDate.toISOString() };
  }

  @Get()
  @ApiOperation({
    summary:
      'ListExecutions, newest first; all state machines unless stateMachineArn is given. Beyond the Step Functions ' +
      'filters: a start-date range and a search of names and ARNs. A nextToken continues only the listing with the ' +
      'same filters',
  })
  @ApiQuery({ name: 'stateMachineArn', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'statusFilter', required: false, schema: { type: 'string', enum: [...EXECUTION_STATUSES] } })
  @ApiQuery({
    name: 'startedAfter',
    required: false,
    description: 'Executions started at or after this instant (ISO-8601 date-time with a time zone)',
    schema: { type: 'string', format: 'date-time', example: '2030-01-31T00:00:00Z' },
  })
  @ApiQuery({
    name: 'startedBefore',
    required: false,
    description:
      'Executions started before this instant (ISO-8601 date-time with a time zone); not before startedAfter',
    schema: { type: 'string', format: 'date-time', example: '2030-02-01T00:00:00Z' },
  })
  @ApiQuery({
    name: 'search',
    required: false,
    description:
      'Executions whose name or ARN contains this text, ignoring case; `%`, `_` and `\\` match only themselves. ' +
      'Empty means no search',
    schema: { type: 'string', maxLength: MAX_EXECUTION_SEARCH_LENGTH },
  })
  @ApiQuery({ name: 'maxResults', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } })
  @ApiQuery({ name: 'nextToken', required: false, schema: { type: 'string' } })
  @ApiResponse({ status: 200, schema: EXECUTION_LIST })
  @ApiErrors(400, 401, 404)
  async list(@Query(new SchemaValidationPipe(LIST_EXECUTIONS_QUERY, 'query')) query: ListExecutionsQuery) {
    const { stateMachineArn, statusFilter, maxResults, nextToken } = query;
    const found = await this.driver.listExecutions(
      {
        ...(stateMachineArn === undefined
          ? {}
          : { stateMachineArn: checkArn('stateMachine', stateMachineArn, 'stateMachineArn') }),
        ...(statusFilter === undefined ? {} : { statusFilter }),
        ...executionSearchFilter(query),
      },
      { ...(maxResults === undefined ? {} : { maxResults }), ...(nextToken === undefined ? {} : { nextToken }) },
    );
    return { executions: found.items.map(executionListItem), ...nextTokenOf(found) };
  }

  @Get(':arn')
  @ApiOperation({ summary: 'DescribeExecution' })
  @ApiArnParam('execution')
  @ApiResponse({ status: 200, schema: EXECUTION_DESCRIPTION })
  @ApiErrors(400, 401, 404)
  async describe(@Param('arn', new ArnValidationPipe('execution')) arn: string) {
    return executionDescription(await this.driver.describeExecution(arn));
  }

  @Get(':arn/state-machine')
  @ApiOperation({
    summary:
      'DescribeStateMachineForExecution: the definition the execution runs, which later updates and the state ' +
      "machine's deletion leave as it was",
  })
  @ApiArnParam('execution')
  @ApiResponse({ status: 200, schema: EXECUTION_STATE_MACHINE })
  @ApiErrors(400, 401, 404)
  async stateMachine(@Param('arn', new ArnValidationPipe('execution')) arn: string) {
    return stateMachineForExecution(await this.driver.describeStateMachineForExecution(arn));
  }

  @Get(':arn/waiting-tasks')
  @ApiOperation({
    summary:
      'The tasks the execution waits on by task token right now (.waitForTaskToken callbacks and activity tasks), ' +
      'each answerable with POST /tasks/success, /tasks/failure or /tasks/heartbeat; none once it has finished',
  })
  @ApiArnParam('execution')
  @ApiResponse({ status: 200, schema: WAITING_TASKS })
  @ApiErrors(400, 401, 404)
  async waitingTasks(@Param('arn', new ArnValidationPipe('execution')) arn: string) {
    return { tasks: (await this.driver.listWaitingTasks(arn)).map(waitingTask) };
  }

  @Get(':arn/history')
  @ApiOperation({ summary: 'GetExecutionHistory: the events as Step Functions records them' })
  @ApiArnParam('execution')
  @ApiQuery({ name: 'maxResults', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } })
  @ApiQuery({ name: 'nextToken', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'reverseOrder', required: false, schema: { type: 'boolean' } })
  @ApiResponse({ status: 200, schema: EXECUTION_HISTORY })
  @ApiErrors(400, 401, 404)
  async history(
    @Param('arn', new ArnValidationPipe('execution')) arn: string,
    @Query(new SchemaValidationPipe(HISTORY_QUERY, 'query')) query: HistoryQuery,
  ) {
    const page = await this.driver.getExecutionHistory(arn, query);
    return { events: page.items.map(historyEvent), ...nextTokenOf(page) };
  }

  @Post(':arn/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'StopExecution: aborts a running execution; a finished one is left as it is' })
  @ApiArnParam('execution')
  @ApiJsonBody(STOP_EXECUTION, false)
  @ApiResponse({ status: 200, schema: STOP_RESULT })
  @ApiErrors(400, 401, 404)
  async stop(
    @Param('arn', new ArnValidationPipe('execution')) arn: string,
    @Body(new SchemaValidationPipe(STOP_EXECUTION, 'body')) body: StopExecutionRequest,
  ) {
    const { stopDate } = await this.driver.stopExecution(arn, body);
    return { stopDate: stopDate.toISOString() };
  }

  @Get(':arn/verify')
  @ApiOperation({ summary: "Recomputes the history's hash chain: valid, or the first event that does not match" })
  @ApiArnParam('execution')
  @ApiResponse({ status: 200, schema: VERIFY_RESULT })
  @ApiErrors(400, 401, 404)
  async verify(@Param('arn', new ArnValidationPipe('execution')) arn: string) {
    return this.driver.verifyExecutionHistory(arn);
  }
}
