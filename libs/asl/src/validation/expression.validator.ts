import { isJsonObject } from '../json';
import { IntrinsicSyntaxError, isIntrinsicCall, parseIntrinsicCall } from '../intrinsics/intrinsic-parser';
import { checkJsonataSyntax, isJsonataExpression } from '../jsonata/jsonata-expression';
import { checkJsonPathSyntax } from '../paths/json-path';
import type { PathSyntaxOptions } from '../paths/json-path';
import { DiagnosticCode } from './diagnostic';
import { describeLocation } from './location';
import type { PathSegments, ValidationContext } from './validation-context';

/**
 * The kinds of JSONPath a field can hold, per the specification's "Path" and "Reference Path" and AWS's rules on
 * where the context object (`$$`) and workflow variables (`$name`) may appear.
 */
export const PathKind = {
  /** InputPath, OutputPath, payload-template values: any Path, `$$` and variables allowed. */
  Path: 'Path',
  /** ResultPath (state and catcher): a Reference Path into the state input; neither `$$` nor variables. */
  ResultPath: 'ResultPath',
  /** ItemsPath, `*SecondsPath`, TimestampPath, Choice `Variable` and `*Path` operators…: a Reference Path. */
  ReferencePath: 'ReferencePath',
  /** Fail ErrorPath/CausePath: a Reference Path or an intrinsic function call. */
  ReferencePathOrIntrinsic: 'ReferencePathOrIntrinsic',
} as const;

/** One of the {@link PathKind} values. */
export type PathKind = (typeof PathKind)[keyof typeof PathKind];

const PATH_OPTIONS: Readonly<Record<PathKind, PathSyntaxOptions>> = {
  Path: { allowContextObject: true, allowVariables: true },
  // "ResultPath ... MUST be a Reference Path" into the state's own input; AWS refuses `$$` and `$var` there.
  ResultPath: { referencePath: true, allowContextObject: false, allowVariables: false },
  ReferencePath: { referencePath: true, allowContextObject: true, allowVariables: true },
  ReferencePathOrIntrinsic: { referencePath: true, allowContextObject: true, allowVariables: true },
};

const KIND_WORDS: Readonly<Record<PathKind, string>> = {
  Path: 'JSONPath',
  ResultPath: 'reference path into the state input (no $$ or variables)',
  ReferencePath: 'reference path',
  ReferencePathOrIntrinsic: 'reference path or intrinsic function call',
};

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Checks a path-valued field (strings only: the schema reports other types). */
export function checkPathField(
  context: ValidationContext,
  value: unknown,
  segments: PathSegments,
  kind: PathKind,
): void {
  if (typeof value !== 'string') return;
  if (kind === PathKind.ReferencePathOrIntrinsic && isIntrinsicCall(value)) {
    checkIntrinsic(context, value, segments);
    return;
  }
  const problem = checkJsonPathSyntax(value, PATH_OPTIONS[kind]);
  if (problem !== undefined) {
    context.report(
      DiagnosticCode.InvalidJsonPath,
      `${capitalize(describeLocation(segments.map(String)))} is ${quote(value)}, which is not a valid ${KIND_WORDS[kind]}: ${problem}`,
      segments,
    );
  }
}

function checkIntrinsic(context: ValidationContext, text: string, segments: PathSegments): void {
  try {
    parseIntrinsicCall(text);
  } catch (error) {
    if (!(error instanceof IntrinsicSyntaxError)) throw error;
    context.report(
      DiagnosticCode.InvalidIntrinsic,
      `${capitalize(describeLocation(segments.map(String)))} is ${quote(text)}, which is not a valid intrinsic function call: ${error.message}`,
      segments,
    );
  }
}

/**
 * Checks a JSONPath-mode payload template (Parameters, ResultSelector, ItemSelector, Credentials, BatchInput…): every
 * key ending in `.$` must hold a Path or an intrinsic call, and no object may hold both `k` and `k.$`, which would
 * both produce the field `k`.
 */
export function checkPayloadTemplate(context: ValidationContext, value: unknown, segments: PathSegments): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkPayloadTemplate(context, item, [...segments, index]));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childSegments = [...segments, key];
    if (!key.endsWith('.$')) {
      checkPayloadTemplate(context, child, childSegments);
      continue;
    }
    const plainKey = key.slice(0, -2);
    if (Object.hasOwn(value, plainKey)) {
      context.report(
        DiagnosticCode.InvalidPayloadTemplate,
        `${capitalize(describeLocation(segments.map(String)))} has both '${plainKey}' and '${key}'; both produce the field '${plainKey}', keep one.`,
        childSegments,
      );
    }
    checkDynamicValue(context, key, child, childSegments);
  }
}

/** The value of a `key.$` field: a Path or an intrinsic function call, as a string. */
function checkDynamicValue(context: ValidationContext, key: string, value: unknown, segments: PathSegments): void {
  if (typeof value !== 'string') {
    context.report(
      DiagnosticCode.InvalidPayloadTemplate,
      `The value for the field '${key}' in ${describeLocation(segments.slice(0, -1).map(String))} must be a string holding a JSONPath or an intrinsic function call (a key ending in '.$' is evaluated).`,
      segments,
    );
    return;
  }
  if (isIntrinsicCall(value)) {
    checkIntrinsic(context, value, segments);
    return;
  }
  const problem = checkJsonPathSyntax(value, PATH_OPTIONS.Path);
  if (problem !== undefined) {
    context.report(
      DiagnosticCode.InvalidJsonPath,
      `The value for the field '${key}' in ${describeLocation(segments.slice(0, -1).map(String))} must be a valid JSONPath or intrinsic function call; ${quote(value)} is not: ${problem}`,
      segments,
    );
  }
}

// "Variable names follow the rules for Unicode identifiers (UAX #31): an ID_Start character, then ID_Continue
// characters, at most 80 characters." ($states is reserved: it is how JSONata states read their input.)
const VARIABLE_NAME = /^\p{ID_Start}\p{ID_Continue}*$/u;
const MAX_VARIABLE_NAME_LENGTH = 80;

function checkVariableName(context: ValidationContext, name: string, segments: PathSegments): void {
  let problem: string | undefined;
  if ([...name].length > MAX_VARIABLE_NAME_LENGTH) problem = `it is longer than ${MAX_VARIABLE_NAME_LENGTH} characters`;
  else if (name === 'states')
    problem = "'states' is reserved ($states holds a JSONata state's input, result and context)";
  else if (!VARIABLE_NAME.test(name)) {
    problem =
      'a variable name must start with a letter and continue with letters, digits or underscores (Unicode identifier rules), so that $name can refer to it';
  }
  if (problem !== undefined) {
    context.report(
      DiagnosticCode.InvalidVariableName,
      `'${name}' in ${describeLocation(segments.slice(0, -1).map(String))} is not a valid variable name: ${problem}.`,
      segments,
    );
  }
}

/**
 * Checks an `Assign` block: its keys are variable names (with `.$` in JSONPath states when the value is a path or
 * intrinsic), its values payload templates (JSONPath) or JSONata templates.
 */
export function checkAssign(
  context: ValidationContext,
  assign: unknown,
  segments: PathSegments,
  language: 'JSONPath' | 'JSONata',
): void {
  if (!isJsonObject(assign)) return;
  for (const [key, value] of Object.entries(assign)) {
    const childSegments = [...segments, key];
    if (language === 'JSONPath' && key.endsWith('.$')) {
      checkVariableName(context, key.slice(0, -2), childSegments);
      if (Object.hasOwn(assign, key.slice(0, -2))) {
        context.report(
          DiagnosticCode.InvalidPayloadTemplate,
          `${capitalize(describeLocation(segments.map(String)))} assigns the variable '${key.slice(0, -2)}' twice (as '${key.slice(0, -2)}' and '${key}').`,
          childSegments,
        );
      }
      checkDynamicValue(context, key, value, childSegments);
      continue;
    }
    checkVariableName(context, key, childSegments);
    if (language === 'JSONPath') checkPayloadTemplate(context, value, childSegments);
    else checkJsonataTemplate(context, value, childSegments);
  }
}

/** Checks every string of a JSONata-mode template (Arguments, Output, Items…) at any depth. */
export function checkJsonataTemplate(context: ValidationContext, value: unknown, segments: PathSegments): void {
  if (typeof value === 'string') {
    checkJsonataString(context, value, segments);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkJsonataTemplate(context, item, [...segments, index]));
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) checkJsonataTemplate(context, child, [...segments, key]);
  }
}

/**
 * "{% <JSONata expression> %}": the delimiters are separated from the expression by whitespace. `{%10%}` is refused,
 * as asl-validator does (AWS has no recorded verdict; it is almost always a typo and costs nothing to fix). Line
 * breaks count as whitespace: multi-line expressions are common in YAML-authored templates, although asl-validator's
 * single-line pattern refuses them (see the validator spec's list of disagreements).
 */
function isDelimiterSpacing(whitespace: string): boolean {
  return whitespace.length > 0;
}

/**
 * Checks one string of a JSONata state. A string that is wholly `{% … %}` is an expression and must parse; a string
 * that only starts with `{%` or only ends with `%}` is a broken expression rather than a literal. (A string with
 * anything outside the delimiters, even a space, is a literal: AWS runs `" {% x %} "` as text.)
 */
export function checkJsonataString(context: ValidationContext, text: string, segments: PathSegments): void {
  const where = describeLocation(segments.map(String));
  if (isJsonataExpression(text) && text.length >= 4) {
    const leading = /^\{%(\s*)/.exec(text)?.[1] ?? '';
    const trailing = /(\s*)%\}$/.exec(text)?.[1] ?? '';
    if (text.slice(2, -2).trim() === '') {
      context.report(DiagnosticCode.InvalidJsonata, `${capitalize(where)} is an empty JSONata expression.`, segments);
      return;
    }
    if (!isDelimiterSpacing(leading) || !isDelimiterSpacing(trailing)) {
      context.report(
        DiagnosticCode.InvalidJsonata,
        `${capitalize(where)} is ${quote(text)}; write JSONata expressions as '{% <expression> %}', with whitespace after '{%' and before '%}'.`,
        segments,
      );
    }
    const problem = checkJsonataSyntax(text);
    if (problem !== undefined) {
      context.report(
        DiagnosticCode.InvalidJsonata,
        `${capitalize(where)} is not a valid JSONata expression: ${problem}`,
        segments,
      );
    }
    return;
  }
  if (text.startsWith('{%')) {
    context.report(
      DiagnosticCode.InvalidJsonata,
      `${capitalize(where)} starts with '{%' but does not end with '%}': close the JSONata expression, or remove '{%' if the text is meant literally.`,
      segments,
    );
  } else if (text.endsWith('%}')) {
    context.report(
      DiagnosticCode.InvalidJsonata,
      `${capitalize(where)} ends with '%}' but does not start with '{%': open the JSONata expression, or remove '%}' if the text is meant literally.`,
      segments,
    );
  }
}

/** True when a JSONata-mode value is an expression string rather than a literal. */
export function isExpressionString(value: unknown): value is string {
  return isJsonataExpression(value);
}

/** Upper-cases the first character, for messages that start with a location. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
