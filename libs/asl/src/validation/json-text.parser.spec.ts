import { describe, expect, it } from 'vitest';
import { parseJsonText } from './json-text.parser';

describe(parseJsonText.name, () => {
  it('parses what JSON.parse parses, to the same value', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}, "__proto__": {"c": []}}';
    const result = parseJsonText(text);
    expect(result).toEqual({ ok: true, value: JSON.parse(text) as unknown, duplicateKeys: [] });
  });

  it('lists duplicate keys with their path', () => {
    const result = parseJsonText('{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 1}]}');
    expect(result.ok && result.duplicateKeys).toEqual([
      ['a', 'b'],
      ['c', 0, 'd'],
    ]);
  });

  it.each([
    ['{"a": 1,}', 1, 9],
    ['{"a" 1}', 1, 6],
    ['[1, 2', 1, 6],
    ['{"a": "b\nc"}', 1, 9],
    ['{"a": "\\x"}', 1, 8],
    ['{\n  "a": tru\n}', 2, 8],
    ['{} {}', 1, 4],
    ['', 1, 1],
  ])('reports %j at line %i, column %i', (text, line, column) => {
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.position).toMatchObject({ line, column });
  });

  it('skips a byte-order mark', () => {
    expect(parseJsonText('\ufeff{"a": 1}')).toMatchObject({ ok: true, value: { a: 1 } });
  });
});
