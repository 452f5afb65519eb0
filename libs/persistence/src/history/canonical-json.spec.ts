import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  it('sorts object members by key at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives a value and its JSON round trip the same text, whatever the key order', () => {
    const value = {
      timestamp: '2030-01-01T00:00:00.000Z',
      type: 'PassStateEntered',
      id: 2,
      details: { input: '{"a":1}', n: 0.1 },
    };
    const reordered = {
      details: { n: 0.1, input: '{"a":1}' },
      id: 2,
      type: 'PassStateEntered',
      timestamp: '2030-01-01T00:00:00.000Z',
    };
    expect(canonicalJson(reordered)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    // RFC 8785's own example: the emoji (a surrogate pair, 0xD83D…) sorts before U+FB33.
    expect(canonicalJson({ '\uFB33': 6, '😀': 5, '€': 4, é: 1, z: 2, Z: 3 })).toBe(
      '{"Z":3,"z":2,"é":1,"€":4,"😀":5,"\uFB33":6}',
    );
  });

  it('writes numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1, 12345678901234, 'line\nbreak "quoted" \u0000 ✓'])).toBe(
      '[1e+21,1e-7,0,0.1,12345678901234,"line\\nbreak \\"quoted\\" \\u0000 ✓"]',
    );
  });

  it('leaves out undefined members and writes undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});
