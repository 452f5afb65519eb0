import { ServiceException, ServiceExceptionCode } from '@lib/engine';
import { Injectable, type PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/** A JSON Schema (the subset OpenAPI 3 shares with it): validates a request part and documents it in /docs. */
export type RequestSchema = Record<string, unknown>;

// Query strings carry only text: their schemas coerce "10" and "true". Bodies are JSON and get no coercion.
const bodies = new Ajv({ allErrors: true, strict: false });
const queries = new Ajv({ allErrors: true, strict: false, coerceTypes: true });

/**
 * Validates a request body or query against its schema, refusing with 400 ValidationException that names every
 * wrong field. Pipes are built with their schema, not found through decorator metadata (none is emitted here).
 */
@Injectable()
export class SchemaValidationPipe implements PipeTransform<unknown, unknown> {
  private readonly validate: ValidateFunction;

  constructor(
    schema: RequestSchema,
    private readonly part: 'body' | 'query',
  ) {
    this.validate = (part === 'body' ? bodies : queries).compile(schema);
  }

  transform(value: unknown): unknown {
    // An empty body is an empty request: its required fields are then reported by name.
    const candidate = value === undefined ? {} : this.part === 'query' && isObject(value) ? { ...value } : value;
    if (this.validate(candidate)) return candidate;
    throw new ServiceException(
      ServiceExceptionCode.ValidationException,
      describeErrors(this.validate.errors ?? [], this.part),
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One sentence per problem, each naming its field, as a person fixing the request needs it. */
export function describeErrors(errors: readonly ErrorObject[], part: 'body' | 'query'): string {
  const what = part === 'body' ? 'the request body' : 'the query string';
  const messages = new Set<string>();
  // A field that may be one of several types (oneOf) fails once per type: one sentence names them all.
  const types = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword !== 'type') continue;
    const field = error.instancePath.slice(1).replaceAll('/', '.');
    types.set(field, [...(types.get(field) ?? []), String((error.params as Record<string, unknown>)['type'])]);
  }
  for (const error of errors) {
    const field = error.instancePath.slice(1).replaceAll('/', '.');
    const subject = field === '' ? what : `'${field}'`;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        messages.add(`'${joinField(field, String(params['missingProperty']))}' is required`);
        break;
      case 'additionalProperties':
        messages.add(
          `'${joinField(field, String(params['additionalProperty']))}' is not a field of ${field === '' ? what : `'${field}'`}`,
        );
        break;
      case 'type':
        messages.add(`${subject} must be ${article((types.get(field) ?? [String(params['type'])]).join(','))}`);
        break;
      case 'enum':
        messages.add(
          `${subject} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        );
        break;
      case 'oneOf':
        // The branches' own type errors already say what was expected.
        break;
      default:
        messages.add(`${subject} ${error.message ?? 'is invalid'}`);
    }
  }
  if (messages.size === 0) messages.add(`${what} is invalid`);
  return `Invalid request: ${[...messages].join('; ')}`;
}

function joinField(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

function article(type: string): string {
  const names = type
    .split(',')
    .map((t) =>
      t === 'object' ? 'a JSON object' : t === 'array' ? 'an array' : t === 'integer' ? 'an integer' : `a ${t}`,
    );
  return names.join(' or ');
}
