import { describe, expect, it } from 'vitest';
import { corpusAvailable, readExecutionCase } from './corpus.location';
import { compareSnapshots, TokenBindings } from './snapshot.comparator';

describe(compareSnapshots.name, () => {
  it('ignores key order in objects', () => {
    expect(compareSnapshots({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('compares arrays in order and reports where they differ', () => {
    const mismatches = compareSnapshots({ items: [1, 2, 3] }, { items: [1, 3, 2] });

    expect(mismatches.map((m) => m.path)).toEqual(['$.items[1]', '$.items[2]']);
  });

  it('reports missing and unexpected keys, and type changes', () => {
    const mismatches = compareSnapshots({ a: 1, b: '1', c: {} }, { b: 1, c: [], d: true });

    expect(mismatches.map((m) => [m.path, m.reason])).toEqual([
      ['$.a', 'missing key'],
      ['$.b', 'different value'],
      ['$.c', 'expected an object'],
      ['$.d', 'unexpected key'],
    ]);
  });

  it('treats a <token> as a variable that must stand for the same value everywhere', () => {
    expect(compareSnapshots({ a: '<uuid:1>', b: '<uuid:1>', c: '<uuid:2>' }, { a: 'x', b: 'x', c: 'x' })).toEqual([]);

    const mismatches = compareSnapshots({ a: '<uuid:1>', b: '<uuid:1>' }, { a: 'x', b: 'y' });

    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]?.path).toBe('$.b');
  });

  it('lets a whole-string token stand for any JSON value, and RandomNumberGenerated for anything', () => {
    expect(compareSnapshots({ n: '<json-input:1>', r: 'RandomNumberGenerated' }, { n: { x: [1] }, r: 0.42 })).toEqual(
      [],
    );
  });

  it('matches tokens inside longer strings, binding them across fields', () => {
    const bindings = new TokenBindings();
    const expected = 'arn:<partition>:states:<region>:111111111111:express:<ArnPart_0idx>:<Exec>:<Exec>';

    expect(compareSnapshots(expected, 'arn:aws:states:eu-west-1:111111111111:express:M:e1:e1', bindings)).toEqual([]);
    expect(bindings.get('<ArnPart_0idx>')).toBe('M');
    expect(compareSnapshots(expected, 'arn:aws:states:eu-west-1:111111111111:express:M:e1:e2')).toHaveLength(1);
    expect(compareSnapshots('<ArnPart_0idx>', 'other', bindings)).toHaveLength(1);
  });

  it('stops at the limit', () => {
    expect(compareSnapshots([1, 2, 3, 4], [5, 6, 7, 8], new TokenBindings(), { limit: 2 })).toHaveLength(2);
  });

  it.skipIf(!corpusAvailable)('accepts a recorded history against itself with tokens bound to other values', () => {
    const testCase = readExecutionCase('lambda/error_handling.task_lambda.raise_exception_catch.json');
    const history = testCase.expected.history ?? [];
    const actual = JSON.parse(JSON.stringify(history).split('<uuid:1>').join('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'));

    expect(compareSnapshots(history, actual)).toEqual([]);
    expect(compareSnapshots(history, actual.slice(1))).not.toEqual([]);
  });
});
