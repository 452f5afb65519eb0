import type { ErrorObject } from 'ajv';
import { STATE_TYPES } from './asl.schema';
import { DiagnosticCode, escapePointerToken } from './diagnostic';
import type { Diagnostic } from './diagnostic';
import { validateAslSchema } from './generated/asl-schema.validate';
import { describeLocation, describeOwner, parsePointer, suggestName } from './location';

/**
 * The ajv options the ASL schema is written for: `generateSchemaValidatorModule` compiles it with them, and the
 * schema's spec checks it under them with meta-validation on.
 *
 * allErrors: report every problem at once, as the design brief asks. verbose: keep the failing data and parent schema
 * on each error so that messages can quote the value and suggest the field the author meant.
 */
export const ASL_SCHEMA_AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true, strict: true } as const;

/**
 * What this module relies on of ajv's generated validate function. Declared here because the generated module is not
 * type-checked (see its header): the assignment below checks the call signature, and ajv's documented contract (it
 * sets `errors` on the function after each call) supplies the rest.
 */
interface SchemaValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// The schema is compiled ahead of time (`npm run generate:schema`): compiling it here cost ~40 ms per process.
const validateShape: SchemaValidateFunction = validateAslSchema;

/**
 * Checks the shape of a definition against the ASL JSON Schema and turns ajv's errors into diagnostics with
 * JSON-pointer locations and messages written for people (ajv's own texts such as "must NOT have additional
 * properties" never reach the user).
 */
export function validateAgainstSchema(definition: unknown): Diagnostic[] {
  if (validateShape(definition)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const error of validateShape.errors ?? []) {
    const diagnostic = translate(error);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  return diagnostics;
}

const NO_TRANSITION_TYPES = new Set(['Choice', 'Succeed', 'Fail']);

function translate(error: ErrorObject): Diagnostic | undefined {
  const segments = parsePointer(error.instancePath);
  // The value the error is about, in words: "state 'A'", "'Retry[0].IntervalSeconds' of state 'A'".
  const where = describeLocation(segments);
  switch (error.keyword) {
    case 'if':
      // The failing `then` branch reports the actual problem.
      return undefined;
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return {
        code: DiagnosticCode.MissingField,
        message: `${capitalize(where)} is missing the required field '${missing}'.`,
        location: error.instancePath,
      };
    }
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const location = `${error.instancePath}/${escapePointerToken(extra)}`;
      const type = stateTypeOf(error.data);
      if (type && NO_TRANSITION_TYPES.has(type) && (extra === 'Next' || extra === 'End')) {
        return {
          code: DiagnosticCode.UnknownField,
          message:
            type === 'Choice'
              ? `${capitalize(where)} is a Choice state, which cannot have '${extra}': it moves on through its Choices and Default.`
              : `${capitalize(where)} is a ${type} state, which ends its execution path by itself and cannot have '${extra}'.`,
          location,
        };
      }
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = suggestName(extra, allowed);
      const subject = type ? `${describeOwner(segments)} (a ${type} state)` : where;
      return {
        code: DiagnosticCode.UnknownField,
        message:
          `Field '${extra}' is not allowed in ${subject}.` +
          (suggestion ? ` Did you mean '${suggestion}'?` : ` Allowed fields: ${allowed.join(', ')}.`),
        location,
      };
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      return {
        code: DiagnosticCode.InvalidType,
        message: `${capitalize(where)} must be ${typeWords(expected)}, but it is ${jsonTypeOf(error.data)}.`,
        location: error.instancePath,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      if (segments.at(-1) === 'Type' && allowed.length === STATE_TYPES.length) {
        return {
          code: DiagnosticCode.InvalidValue,
          message: `${capitalize(where)} has Type ${JSON.stringify(error.data)}; the type must be one of ${STATE_TYPES.join(', ')}.`,
          location: error.instancePath,
        };
      }
      return {
        code: DiagnosticCode.InvalidValue,
        message: `${capitalize(where)} is ${JSON.stringify(error.data)}; it must be one of ${allowed
          .map((value) => JSON.stringify(value))
          .join(', ')}.`,
        location: error.instancePath,
      };
    }
    case 'minimum':
    case 'maximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      return {
        code: DiagnosticCode.InvalidValue,
        message: `${capitalize(where)} is ${JSON.stringify(error.data)}; it must be ${COMPARISON_WORDS[comparison] ?? comparison} ${limit}.`,
        location: error.instancePath,
      };
    }
    case 'minItems':
      return {
        code: DiagnosticCode.InvalidValue,
        message: `${capitalize(where)} must not be empty.`,
        location: error.instancePath,
      };
    case 'minProperties':
      return {
        code: DiagnosticCode.InvalidValue,
        message: `${capitalize(where)} must contain at least one state.`,
        location: error.instancePath,
      };
    default:
      // A keyword this translation does not know yet: still say where and what, in ajv's words as a last resort.
      return {
        code: DiagnosticCode.InvalidValue,
        message: `${capitalize(where)} is invalid: ${error.message ?? error.keyword}.`,
        location: error.instancePath,
      };
  }
}

function stateTypeOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { Type?: unknown }).Type;
  return typeof type === 'string' && (STATE_TYPES as readonly string[]).includes(type) ? type : undefined;
}

const COMPARISON_WORDS: Readonly<Record<string, string>> = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'greater than',
  '<': 'less than',
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
  null: 'null',
};

function typeWords(expected: string | string[]): string {
  const types = (Array.isArray(expected) ? expected : expected.split(',')).map((type) => type.trim());
  // A string alternative to a number only exists for JSONata expressions; say so rather than "integer or string".
  if (types.length === 2 && types.includes('string') && (types.includes('integer') || types.includes('number'))) {
    const numeric = types.find((type) => type !== 'string') ?? 'number';
    return `${TYPE_WORDS[numeric] ?? numeric} (or a JSONata expression '{% … %}' in a JSONata state)`;
  }
  return types.map((type) => TYPE_WORDS[type] ?? type).join(' or ');
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `the number ${value}` : `the number ${value} (not a whole number)`;
  }
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
