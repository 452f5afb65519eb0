import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ASL_SCHEMA, STATE_FIELDS, STATE_TYPES } from './asl.schema';
import { ASL_SCHEMA_AJV_OPTIONS, validateAgainstSchema } from './schema.validator';

describe('ASL_SCHEMA', () => {
  it('is a valid draft-07 schema under ajv strict mode (the runtime skips this check to start faster)', () => {
    const ajv = new Ajv({ ...ASL_SCHEMA_AJV_OPTIONS, validateSchema: true });
    expect(ajv.validateSchema(ASL_SCHEMA)).toBe(true);
    expect(() => ajv.compile(ASL_SCHEMA)).not.toThrow();
  });

  it('declares fields for exactly the eight state types', () => {
    expect(Object.keys(STATE_FIELDS).sort()).toEqual([...STATE_TYPES].sort());
    for (const fields of Object.values(STATE_FIELDS))
      expect(Object.keys(fields)).toEqual(expect.arrayContaining(['Type', 'Comment', 'QueryLanguage']));
  });
});

describe(validateAgainstSchema.name, () => {
  it('reports one error per problem, not one per state type', () => {
    // An if/then per Type, not oneOf: a bad Task field yields one diagnostic, not eight.
    const diagnostics = validateAgainstSchema({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Nope: 1, End: true } },
    });
    expect(diagnostics).toHaveLength(1);
  });

  it('never passes ajv wording through', () => {
    const diagnostics = validateAgainstSchema({
      StartAt: 1,
      States: { A: { Type: 'Map', MaxConcurrency: -1, ItemProcessor: { States: {} }, End: true } },
      Extra: true,
    });
    expect(diagnostics.length).toBeGreaterThan(3);
    for (const diagnostic of diagnostics) expect(diagnostic.message).not.toMatch(/must NOT|must match|must be >=/);
  });
});
