import type { QueryLanguage } from '../definition/definition.types';
import { isPredefinedErrorName, PredefinedErrorName } from '../errors/states-error';
import { isJsonObject } from '../json';
import type { JsonObject } from '../json';
import type { TransitionSink } from './choice-rule.validator';
import { DiagnosticCode } from './diagnostic';
import { capitalize, checkAssign, checkJsonataTemplate, checkPathField, PathKind } from './expression.validator';
import type { PathSegments, ValidationContext } from './validation-context';

/** Error names AWS defines beyond the core table in `states-error.ts` (the HTTP Task's socket failure). */
const EXTRA_PREDEFINED_ERROR_NAMES = new Set(['States.Http.Socket']);

/**
 * Checks `Retry` and `Catch`: error names (the reserved `States.` prefix, `States.ALL` alone and last), catcher
 * targets, and catcher fields for the state's query language.
 */
export function checkErrorHandling(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
  addTransition: TransitionSink,
): void {
  for (const field of ['Retry', 'Catch'] as const) {
    const entries = state[field];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!isJsonObject(entry)) return;
      const entrySegments = [...segments, field, index];
      checkErrorEquals(context, name, field, entry.ErrorEquals, entrySegments, index === entries.length - 1);
      if (field === 'Catch') {
        addTransition(entry.Next, [...entrySegments, 'Next']);
        checkCatcherFields(context, name, entry, entrySegments, language);
      }
    });
  }
}

function checkErrorEquals(
  context: ValidationContext,
  name: string,
  field: 'Retry' | 'Catch',
  errorEquals: unknown,
  segments: PathSegments,
  isLast: boolean,
): void {
  if (!Array.isArray(errorEquals)) return;
  const entry = `${field}[${String(segments.at(-1))}] of state '${name}'`;
  const noun = field === 'Retry' ? 'retrier' : 'catcher';
  errorEquals.forEach((errorName, index) => {
    if (typeof errorName !== 'string' || !errorName.startsWith('States.')) return;
    if (isPredefinedErrorName(errorName) || EXTRA_PREDEFINED_ERROR_NAMES.has(errorName)) return;
    context.report(
      DiagnosticCode.ReservedErrorName,
      `${capitalize(entry)} lists '${errorName}', but the 'States.' prefix is reserved for the errors Step Functions defines (States.ALL, States.Timeout, States.TaskFailed…) and this is not one of them.`,
      [...segments, 'ErrorEquals', index],
    );
  });
  if (!errorEquals.includes(PredefinedErrorName.All)) return;
  if (errorEquals.length > 1) {
    context.report(
      DiagnosticCode.StatesAllNotAlone,
      `${capitalize(entry)} lists 'States.ALL' together with other error names; States.ALL matches every error and must appear alone in its ErrorEquals.`,
      [...segments, 'ErrorEquals'],
    );
  }
  if (!isLast) {
    context.report(
      DiagnosticCode.StatesAllNotLast,
      `${capitalize(entry)} matches 'States.ALL' but is not the last ${noun}; the ${noun}s after it could never apply. Move it to the end.`,
      [...segments, 'ErrorEquals'],
    );
  }
}

function checkCatcherFields(
  context: ValidationContext,
  name: string,
  catcher: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  const entry = `Catch[${String(segments.at(-1))}] of state '${name}'`;
  const forbidden = language === 'JSONata' ? 'ResultPath' : 'Output';
  if (catcher[forbidden] !== undefined) {
    context.report(
      DiagnosticCode.FieldNotAllowedInQueryLanguage,
      language === 'JSONata'
        ? `'ResultPath' is a JSONPath field, but ${entry} belongs to a JSONata state: shape the error output with 'Output' ($states.errorOutput).`
        : `'Output' is a JSONata field, but ${entry} belongs to a JSONPath state: use 'ResultPath'.`,
      [...segments, forbidden],
    );
  }
  if (language === 'JSONPath')
    checkPathField(context, catcher.ResultPath, [...segments, 'ResultPath'], PathKind.ResultPath);
  else if (catcher.Output !== undefined) checkJsonataTemplate(context, catcher.Output, [...segments, 'Output']);
  if (catcher.Assign !== undefined) checkAssign(context, catcher.Assign, [...segments, 'Assign'], language);
}
