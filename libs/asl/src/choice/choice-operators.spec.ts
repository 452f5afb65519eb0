import { describe, expect, it } from 'vitest';
import { findChoiceComparisonOperator, listChoiceComparisonOperators } from './choice-operators';

describe(listChoiceComparisonOperators.name, () => {
  const names = listChoiceComparisonOperators().map((operator) => operator.name);

  it('lists every operator of the spec once', () => {
    expect(names).toHaveLength(39);
    expect(new Set(names).size).toBe(names.length);
    for (const family of ['String', 'Numeric', 'Timestamp']) {
      for (const relation of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
        expect(names).toContain(`${family}${relation}`);
        expect(names).toContain(`${family}${relation}Path`);
      }
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'StringMatches',
        'BooleanEquals',
        'BooleanEqualsPath',
        'IsNull',
        'IsPresent',
        'IsNumeric',
        'IsString',
        'IsBoolean',
        'IsTimestamp',
      ]),
    );
  });

  it('gives every …Path operator a path value and every other its literal type', () => {
    for (const operator of listChoiceComparisonOperators()) {
      if (operator.name.endsWith('Path')) expect(operator.valueType).toBe('path');
      else if (operator.name.startsWith('Is')) expect(operator.valueType).toBe('boolean');
      else if (operator.name.startsWith('Timestamp')) expect(operator.valueType).toBe('timestamp');
      else if (operator.name.startsWith('Numeric')) expect(operator.valueType).toBe('number');
      else if (operator.name.startsWith('Boolean')) expect(operator.valueType).toBe('boolean');
      else expect(operator.valueType).toBe('string');
    }
  });
});

describe(findChoiceComparisonOperator.name, () => {
  it('finds an operator by name and nothing else', () => {
    expect(findChoiceComparisonOperator('NumericLessThanPath')).toMatchObject({
      test: 'LessThan',
      operandType: 'number',
    });
    expect(findChoiceComparisonOperator('Variable')).toBeUndefined();
    expect(findChoiceComparisonOperator('Next')).toBeUndefined();
  });
});
