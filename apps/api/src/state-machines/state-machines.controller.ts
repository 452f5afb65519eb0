import type { DurableDriver } from '@lib/engine';
import { DURABLE_DRIVER } from '@lib/service';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiArnParam, ApiErrors, ApiJsonBody } from '../http/api-docs.decorators';
import {
  CREATE_STATE_MACHINE,
  type CreateStateMachineRequest,
  PAGE_QUERY,
  type PageQuery,
  UPDATE_STATE_MACHINE,
  type UpdateStateMachineRequest,
  VALIDATE_DEFINITION,
  type ValidateDefinitionRequest,
} from '../http/api-request.schemas';
import { nextTokenOf, stateMachineDescription, stateMachineListItem, withExecutionCounts } from '../http/api-responses';
import { ArnValidationPipe } from '../http/arn-validation.pipe';
import {
  EMPTY,
  STATE_MACHINE_CREATED,
  STATE_MACHINE_DESCRIPTION,
  STATE_MACHINE_LIST,
  VALIDATION_RESULT,
} from '../http/openapi-schemas';
import { SchemaValidationPipe } from '../http/schema-validation.pipe';

/** CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine, ValidateStateMachineDefinition. */
@ApiTags('State machines')
@Controller('state-machines')
export class StateMachinesController {
  constructor(@Inject(DURABLE_DRIVER) private readonly driver: DurableDriver) {}

  @Post()
  @ApiOperation({
    summary:
      'CreateStateMachine: validates the definition and stores it; an invalid one is refused with every diagnostic',
  })
  @ApiJsonBody(CREATE_STATE_MACHINE)
  @ApiResponse({ status: 201, schema: STATE_MACHINE_CREATED })
  @ApiErrors(400, 401, 409)
  async create(@Body(new SchemaValidationPipe(CREATE_STATE_MACHINE, 'body')) body: CreateStateMachineRequest) {
    const machine = await this.driver.createStateMachine({
      name: body.name,
      definition: definitionText(body.definition),
      ...(body.type === undefined ? {} : { type: body.type }),
      ...(body.roleArn === undefined ? {} : { roleArn: body.roleArn }),
    });
    return { stateMachineArn: machine.stateMachineArn, creationDate: machine.creationDate.toISOString() };
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'ValidateStateMachineDefinition: every problem, each with its location; stores nothing' })
  @ApiJsonBody(VALIDATE_DEFINITION)
  @ApiResponse({ status: 200, schema: VALIDATION_RESULT })
  @ApiErrors(400, 401)
  validate(@Body(new SchemaValidationPipe(VALIDATE_DEFINITION, 'body')) body: ValidateDefinitionRequest) {
    const diagnostics = this.driver.validateDefinition(definitionText(body.definition), body.type);
    return {
      result: diagnostics.length === 0 ? ('OK' as const) : ('FAIL' as const),
      diagnostics: diagnostics.map((d) => ({
        severity: 'ERROR' as const,
        code: d.code,
        message: d.message,
        location: d.location,
      })),
    };
  }

  @Get()
  @ApiOperation({ summary: 'ListStateMachines, each with its executions counted by status' })
  @ApiQuery({ name: 'maxResults', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } })
  @ApiQuery({ name: 'nextToken', required: false, schema: { type: 'string' } })
  @ApiResponse({ status: 200, schema: STATE_MACHINE_LIST })
  @ApiErrors(400, 401)
  async list(@Query(new SchemaValidationPipe(PAGE_QUERY, 'query')) query: PageQuery) {
    const page = await this.driver.listStateMachines(query);
    // One query counts the whole page's executions.
    const counts = await this.driver.countExecutions(page.items.map((machine) => machine.stateMachineArn));
    return {
      stateMachines: page.items.map((machine) =>
        withExecutionCounts(stateMachineListItem(machine), counts.get(machine.stateMachineArn)),
      ),
      ...nextTokenOf(page),
    };
  }

  @Get(':arn')
  @ApiOperation({ summary: 'DescribeStateMachine, with its executions counted by status' })
  @ApiArnParam('state machine')
  @ApiResponse({ status: 200, schema: STATE_MACHINE_DESCRIPTION })
  @ApiErrors(400, 401, 404)
  async describe(@Param('arn', new ArnValidationPipe('stateMachine')) arn: string) {
    const machine = await this.driver.describeStateMachine(arn);
    const counts = await this.driver.countExecutions([arn]);
    return withExecutionCounts(stateMachineDescription(machine), counts.get(arn));
  }

  @Put(':arn')
  @ApiOperation({ summary: 'UpdateStateMachine: a new revision; running executions keep the one they started with' })
  @ApiArnParam('state machine')
  @ApiJsonBody(UPDATE_STATE_MACHINE)
  @ApiResponse({
    status: 200,
    schema: { type: 'object', properties: { updateDate: { type: 'string' }, revisionId: { type: 'string' } } },
  })
  @ApiErrors(400, 401, 404)
  async update(
    @Param('arn', new ArnValidationPipe('stateMachine')) arn: string,
    @Body(new SchemaValidationPipe(UPDATE_STATE_MACHINE, 'body')) body: UpdateStateMachineRequest,
  ) {
    const machine = await this.driver.updateStateMachine(arn, {
      ...(body.definition === undefined ? {} : { definition: definitionText(body.definition) }),
      ...(body.roleArn === undefined ? {} : { roleArn: body.roleArn }),
    });
    return { updateDate: machine.updateDate.toISOString(), revisionId: machine.revisionId };
  }

  @Delete(':arn')
  @ApiOperation({ summary: 'DeleteStateMachine' })
  @ApiArnParam('state machine')
  @ApiResponse({ status: 200, schema: EMPTY })
  @ApiErrors(400, 401, 404)
  async delete(@Param('arn', new ArnValidationPipe('stateMachine')) arn: string) {
    await this.driver.deleteStateMachine(arn);
    return {};
  }
}

/** A definition arrives as an object or as its JSON text; the driver stores and validates text. */
function definitionText(definition: object | string): string {
  return typeof definition === 'string' ? definition : JSON.stringify(definition);
}
