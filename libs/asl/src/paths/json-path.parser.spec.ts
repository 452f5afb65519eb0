import { describe, expect, it } from 'vitest';
import { normalizedPath, type ParsedJsonPath, parseJsonPath } from './json-path.parser';

describe(parseJsonPath.name, () => {
  it('parses roots: $ input, $$ context object, $name variable', () => {
    expect(parseJsonPath('$').root).toEqual({ kind: 'input' });
    expect(parseJsonPath('$$.Execution').root).toEqual({ kind: 'context' });
    expect(parseJsonPath('$my_var.x').root).toEqual({ kind: 'variable', name: 'my_var' });
  });

  it('parses dot and bracket steps into the same segments, and marks the path definite', () => {
    const expected: Partial<ParsedJsonPath> = {
      segments: [
        { kind: 'property', name: 'a' },
        { kind: 'index', index: 0 },
        { kind: 'property', name: 'b c' },
      ],
      definite: true,
    };
    expect(parseJsonPath("$.a[0]['b c']")).toMatchObject(expected);
    expect(parseJsonPath('$["a"][ 0 ]["b c"]')).toMatchObject(expected);
  });

  it('parses indefinite steps and marks the path indefinite', () => {
    const parsed = parseJsonPath("$..a.*[1:3][::2][0,1]['x','y'][?(@.v > 1 && !@.w)]");
    expect(parsed.definite).toBe(false);
    expect(parsed.segments.map((s) => s.kind)).toEqual([
      'descendant',
      'wildcard',
      'slice',
      'slice',
      'indexes',
      'properties',
      'filter',
    ]);
    expect(parsed.segments[6]).toEqual({
      kind: 'filter',
      predicate: {
        kind: 'and',
        left: {
          kind: 'compare',
          operator: '>',
          left: { kind: 'path', from: '@', segments: [{ kind: 'property', name: 'v' }] },
          right: { kind: 'literal', value: 1 },
        },
        right: {
          kind: 'not',
          operand: { kind: 'exists', path: { kind: 'path', from: '@', segments: [{ kind: 'property', name: 'w' }] } },
        },
      },
    });
  });

  it("writes Jayway's normalized form used in its error messages", () => {
    const { segments } = parseJsonPath('$.no.such[2].path');
    expect(normalizedPath(segments)).toBe("$['no']['such'][2]['path']");
    expect(normalizedPath(segments, 1)).toBe("$['no']");
  });
});
