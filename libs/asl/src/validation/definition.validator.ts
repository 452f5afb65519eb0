import type { StateMachineDefinition } from '../definition/definition.types';
import { isJsonObject } from '../json';
import { DiagnosticCode, escapePointerToken, toJsonPointer } from './diagnostic';
import type { Diagnostic } from './diagnostic';
import { parseJsonText } from './json-text.parser';
import { validateAgainstSchema } from './schema.validator';
import { checkStateMachine } from './state-machine.validator';
import { ValidationContext } from './validation-context';
import type { ValidationOptions } from './validation-context';

export type { StateMachineType, ValidationOptions } from './validation-context';

/** Step Functions refuses definitions larger than 1 MiB (`definition` is limited to 1,048,576 bytes). */
export const MAX_DEFINITION_BYTES = 1_048_576;

/**
 * Validates a parsed state machine definition and lists every problem found, or returns `[]` when the definition is
 * valid ASL. Two layers run every time, so that one call reports everything at once:
 * - the JSON Schema (`asl.schema.ts`): fields, types, enums, ranges;
 * - the semantic checks a schema cannot express: transitions and reachability per scope, Next/End, Choice rules,
 *   Retry/Catch error names, query-language rules, JSONPath/intrinsic/JSONata syntax, resources, Map labels.
 * Pure: no I/O, no clock.
 */
export function validateDefinition(definition: unknown, options: ValidationOptions = {}): Diagnostic[] {
  if (!isJsonObject(definition)) {
    return [
      {
        code: DiagnosticCode.NotAnObject,
        message: `A state machine definition must be a JSON object with "StartAt" and "States", not ${describeJsonType(definition)}.`,
        location: '',
      },
    ];
  }
  const context = new ValidationContext(options, definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath');
  checkStateMachine(context, definition);
  return inDocumentOrder(definition, deduplicate([...validateAgainstSchema(definition), ...context.diagnostics]));
}

/** Alias of {@link validateDefinition}, the name the CLI and API use (`asl validate`). */
export const validate = validateDefinition;

/** The outcome of {@link parseDefinition}: a definition and no diagnostics, or diagnostics and no definition. */
export type ParseDefinitionResult =
  | { readonly definition: StateMachineDefinition; readonly diagnostics: [] }
  | { readonly definition?: undefined; readonly diagnostics: Diagnostic[] };

/**
 * Parses definition text (what `CreateStateMachine` receives) and validates it. Malformed JSON gives one
 * `INVALID_JSON` diagnostic whose message carries the line and column; keys repeated in one object are refused
 * (`DUPLICATE_KEY`) because JSON.parse would silently drop all but the last — two states with the same name, say.
 */
export function parseDefinition(text: string, options: ValidationOptions = {}): ParseDefinitionResult {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_DEFINITION_BYTES) {
    return {
      diagnostics: [
        {
          code: DiagnosticCode.InvalidValue,
          message: `The definition is ${bytes} bytes long; Step Functions accepts definitions of at most ${MAX_DEFINITION_BYTES} bytes (1 MiB).`,
          location: '',
        },
      ],
    };
  }
  if (text.trim() === '') {
    return {
      diagnostics: [
        {
          code: DiagnosticCode.InvalidJson,
          message: 'The definition is empty; it must be a JSON object with "StartAt" and "States".',
          location: '',
        },
      ],
    };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column } = parsed.position;
    return {
      diagnostics: [
        {
          code: DiagnosticCode.InvalidJson,
          message: `The definition is not valid JSON: ${parsed.message} at line ${line}, column ${column}.`,
          location: '',
        },
      ],
    };
  }
  const duplicates: Diagnostic[] = parsed.duplicateKeys.map((segments) => ({
    code: DiagnosticCode.DuplicateKey,
    message: `The key '${String(segments.at(-1))}' appears more than once in the same object; JSON parsers keep only one of them, so remove or rename the others.`,
    location: toJsonPointer(segments),
  }));
  const diagnostics = [...duplicates, ...validateDefinition(parsed.value, options)];
  if (diagnostics.length > 0) return { diagnostics };
  // validateDefinition accepted it, so it has the shape StateMachineDefinition describes.
  return { definition: parsed.value as unknown as StateMachineDefinition, diagnostics: [] };
}

/**
 * Sorts diagnostics the way a reader meets the problems in the file (the schema and the semantic checks find them in
 * different orders); diagnostics about the same value keep their relative order.
 */
function inDocumentOrder(definition: unknown, diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length < 2) return diagnostics;
  const order = new Map<string, number>();
  const visit = (value: unknown, pointer: string): void => {
    order.set(pointer, order.size);
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${pointer}/${index}`));
    else if (isJsonObject(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, `${pointer}/${escapePointerToken(key)}`);
    }
  };
  visit(definition, '');
  const rank = (diagnostic: Diagnostic): number => order.get(diagnostic.location) ?? order.size;
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index, rank: rank(diagnostic) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
}

function deduplicate(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.code}\u0000${diagnostic.location}\u0000${diagnostic.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}
