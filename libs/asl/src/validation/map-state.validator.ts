import type { QueryLanguage } from '../definition/definition.types';
import { isJsonObject } from '../json';
import type { JsonObject } from '../json';
import { DiagnosticCode } from './diagnostic';
import {
  capitalize,
  checkJsonataTemplate,
  checkPathField,
  checkPayloadTemplate,
  PathKind,
} from './expression.validator';
import type { PathSegments, ValidationContext } from './validation-context';

/** AWS: a Map Label is at most 40 characters. */
const MAX_MAP_LABEL_LENGTH = 40;
// AWS's name rules for Map labels: no whitespace, brackets, wildcards, the special characters " # % \ ^ | ~ ` $ & , ;
// : / and no control characters (U+0000–U+001F, U+007F–U+009F).
// eslint-disable-next-line no-control-regex -- control characters are exactly what AWS forbids here
const MAP_LABEL_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** Checks what is particular to a Map state: its processor, Label, ItemReader, ItemBatcher and ResultWriter. */
export function checkMap(
  context: ValidationContext,
  name: string,
  state: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (state.ItemProcessor === undefined && state.Iterator === undefined) {
    context.report(
      DiagnosticCode.MissingField,
      `Map state '${name}' is missing the required field 'ItemProcessor': it defines the states each item runs through.`,
      segments,
    );
  }
  checkMapLabel(context, name, state.Label, [...segments, 'Label']);
  checkItemReader(context, name, state.ItemReader, [...segments, 'ItemReader'], language);
  checkItemBatcher(context, name, state.ItemBatcher, [...segments, 'ItemBatcher'], language);
  checkResultWriter(context, name, state.ResultWriter, [...segments, 'ResultWriter'], language);
}

function checkMapLabel(context: ValidationContext, name: string, label: unknown, segments: PathSegments): void {
  if (typeof label !== 'string') return;
  let problem: string | undefined;
  if (label.length === 0) problem = 'it cannot be empty';
  else if ([...label].length > MAX_MAP_LABEL_LENGTH) problem = `it cannot exceed ${MAX_MAP_LABEL_LENGTH} characters`;
  else {
    const bad = MAP_LABEL_FORBIDDEN.exec(label)?.[0];
    if (bad !== undefined) {
      problem = `it contains the character ${JSON.stringify(bad)}; labels cannot contain whitespace, brackets, wildcards, control characters or any of " # % \\ ^ | ~ \` $ & , ; : /`;
    }
  }
  if (problem !== undefined) {
    context.report(
      DiagnosticCode.InvalidMapLabel,
      `The Label of Map state '${name}' is invalid: ${problem}.`,
      segments,
    );
  }
}

function checkSubFieldLanguage(
  context: ValidationContext,
  owner: string,
  object: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
  jsonPathOnly: readonly string[],
  jsonataOnly: readonly string[],
): void {
  const forbidden = language === 'JSONata' ? jsonPathOnly : jsonataOnly;
  for (const field of forbidden) {
    if (object[field] === undefined) continue;
    context.report(
      DiagnosticCode.FieldNotAllowedInQueryLanguage,
      `'${field}' in ${owner} is a ${language === 'JSONata' ? 'JSONPath' : 'JSONata'} field, but the state uses ${language}.`,
      [...segments, field],
    );
  }
}

function checkExclusive(
  context: ValidationContext,
  owner: string,
  object: JsonObject,
  segments: PathSegments,
  pairs: readonly (readonly [string, string])[],
): void {
  for (const [first, second] of pairs) {
    if (object[first] === undefined || object[second] === undefined) continue;
    context.report(
      DiagnosticCode.MutuallyExclusiveFields,
      `${capitalize(owner)} has both '${first}' and '${second}'; use only one of them.`,
      [...segments, second],
    );
  }
}

function checkParametersOrArguments(
  context: ValidationContext,
  object: JsonObject,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (language === 'JSONPath' && object.Parameters !== undefined) {
    checkPayloadTemplate(context, object.Parameters, [...segments, 'Parameters']);
  }
  if (language === 'JSONata' && object.Arguments !== undefined) {
    checkJsonataTemplate(context, object.Arguments, [...segments, 'Arguments']);
  }
}

function checkItemReader(
  context: ValidationContext,
  name: string,
  reader: unknown,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (!isJsonObject(reader)) return;
  const owner = `the ItemReader of Map state '${name}'`;
  checkSubFieldLanguage(context, owner, reader, segments, language, ['Parameters'], ['Arguments']);
  checkParametersOrArguments(context, reader, segments, language);
  const config = reader.ReaderConfig;
  if (!isJsonObject(config)) return;
  const configSegments = [...segments, 'ReaderConfig'];
  const configOwner = `the ReaderConfig of Map state '${name}'`;
  checkSubFieldLanguage(context, configOwner, config, configSegments, language, ['MaxItemsPath'], []);
  checkExclusive(context, configOwner, config, configSegments, [['MaxItems', 'MaxItemsPath']]);
  if (language === 'JSONPath')
    checkPathField(context, config.MaxItemsPath, [...configSegments, 'MaxItemsPath'], PathKind.ReferencePath);
  else checkJsonataTemplate(context, config.MaxItems, [...configSegments, 'MaxItems']);
}

function checkItemBatcher(
  context: ValidationContext,
  name: string,
  batcher: unknown,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (!isJsonObject(batcher)) return;
  const owner = `the ItemBatcher of Map state '${name}'`;
  const pathFields = ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath'];
  checkSubFieldLanguage(context, owner, batcher, segments, language, pathFields, []);
  checkExclusive(context, owner, batcher, segments, [
    ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'],
    ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'],
  ]);
  if (language === 'JSONPath') {
    for (const field of pathFields)
      checkPathField(context, batcher[field], [...segments, field], PathKind.ReferencePath);
    if (batcher.BatchInput !== undefined)
      checkPayloadTemplate(context, batcher.BatchInput, [...segments, 'BatchInput']);
  } else {
    for (const field of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput']) {
      if (batcher[field] !== undefined) checkJsonataTemplate(context, batcher[field], [...segments, field]);
    }
  }
}

function checkResultWriter(
  context: ValidationContext,
  name: string,
  writer: unknown,
  segments: PathSegments,
  language: QueryLanguage,
): void {
  if (!isJsonObject(writer)) return;
  const owner = `the ResultWriter of Map state '${name}'`;
  checkSubFieldLanguage(context, owner, writer, segments, language, ['Parameters'], ['Arguments']);
  checkParametersOrArguments(context, writer, segments, language);
}
