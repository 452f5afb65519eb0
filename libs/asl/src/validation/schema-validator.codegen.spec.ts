import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ASL_SCHEMA } from './asl.schema';
import { validateAslSchema } from './generated/asl-schema.validate';
import { GENERATED_SCHEMA_VALIDATOR_PATH, generateSchemaValidatorModule } from './schema-validator.codegen';
import { ASL_SCHEMA_AJV_OPTIONS } from './schema.validator';

describe(generateSchemaValidatorModule.name, () => {
  it('produced the checked-in validator (after a schema or ajv change, run `npm run generate:schema`)', async () => {
    const target = join(__dirname, GENERATED_SCHEMA_VALIDATOR_PATH);
    const checkedIn = readFileSync(target, 'utf8');
    const regenerated = await generateSchemaValidatorModule(target);
    // Not toBe(): a diff of two 200 KB strings buries the one line that says what to do.
    const checkedInLines = checkedIn.split('\n');
    const firstDifference = regenerated.split('\n').findIndex((line, index) => line !== checkedInLines[index]);
    expect(
      checkedIn === regenerated,
      `${GENERATED_SCHEMA_VALIDATOR_PATH} is stale from line ${firstDifference + 1}: run "npm run generate:schema".`,
    ).toBe(true);
  });
});

describe('the generated validator', () => {
  // The run-time validator used to be compiled in-process with `code.optimize` off; the generated one is optimised
  // and exported as an ES module. The diagnostics are built from ajv's errors, so those must not change.
  const compiled = new Ajv({ ...ASL_SCHEMA_AJV_OPTIONS, code: { optimize: false } }).compile(ASL_SCHEMA);
  const errorsOf = (validate: (data: unknown) => boolean, errors: () => unknown, definition: unknown): unknown =>
    validate(definition) ? [] : errors();

  it.each([
    ['a valid machine', { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
    ['an empty object', {}],
    ['a non-object', [1]],
    [
      'many problems at once',
      {
        StartAt: 1,
        Extra: true,
        States: {
          A: { Type: 'Map', MaxConcurrency: -1, ItemProcessor: { States: {} }, End: true, Nope: 1 },
          B: { Type: 'Task', Retry: [{ ErrorEquals: [], IntervalSeconds: 0, JitterStrategy: 'SOME' }], Next: 'A' },
          C: { Type: 'Lambda' },
          D: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Choice', End: true } } }] },
          E: { Type: 'Wait', Seconds: 1.5, Next: 'A' },
        },
      },
    ],
  ])('reports the errors of a freshly compiled one for %s', (_name, definition) => {
    expect(
      errorsOf(validateAslSchema, () => (validateAslSchema as unknown as { errors: unknown }).errors, definition),
    ).toEqual(errorsOf(compiled, () => compiled.errors, definition));
  });
});
