import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiParam, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { ERROR_RESPONSE } from './openapi-schemas';
import type { RequestSchema } from './schema-validation.pipe';

/** Documents a request body by the schema that validates it. */
export function ApiJsonBody(schema: RequestSchema, required = true) {
  return ApiBody({ schema: schema as SchemaObject, required });
}

/** Documents a URL-encoded ARN path parameter. */
export function ApiArnParam(what: string) {
  return ApiParam({ name: 'arn', description: `The ${what} ARN, URL-encoded`, schema: { type: 'string' } });
}

/** Documents the error responses a route can give, each with the `__type` body. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Refused', schema: ERROR_RESPONSE }),
    ),
  );
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (ValidationException, InvalidArn, InvalidDefinition, InvalidExecutionInput, SerializationException…)',
  401: 'Missing or wrong bearer token (when API_TOKEN is set)',
  404: 'No such state machine, execution, activity or task token',
  409: 'Conflicts with what exists (ExecutionAlreadyExists, StateMachineAlreadyExists)',
  413: 'Request body too large',
};
