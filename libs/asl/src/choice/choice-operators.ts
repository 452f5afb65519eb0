/**
 * The comparison operators of a JSONPath-mode Choice rule, declared as data: what each one's value must be in the
 * definition (for the validator) and what it tests (for the evaluator).
 * https://states-language.net/spec.html#choice-state
 */

/** What an operator's value in the definition must be. `path` is a Reference Path (the `…Path` operators). */
export type ChoiceOperatorValueType = 'string' | 'number' | 'boolean' | 'timestamp' | 'path';

/**
 * The type the Variable's value must have for the comparison to hold. A value of another type is no error: the
 * comparison is simply false ("Numeric comparisons against a string are false", as AWS records for every operator).
 */
export type ChoiceOperandType = 'string' | 'number' | 'boolean' | 'timestamp';

/** One comparison operator. */
export type ChoiceComparisonOperator =
  | {
      readonly name: string;
      readonly test: 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';
      readonly operandType: ChoiceOperandType;
      readonly valueType: ChoiceOperatorValueType;
    }
  | {
      /** `StringMatches`: a pattern where `*` matches any run of characters; `\*` and `\\` are literal. */
      readonly name: 'StringMatches';
      readonly test: 'Matches';
      readonly operandType: 'string';
      readonly valueType: 'string';
    }
  | {
      /** `IsNull`, `IsNumeric`…: true when the Variable's type is (value `true`) or is not (value `false`) the one named. */
      readonly name: string;
      readonly test: 'IsType';
      readonly operandType: ChoiceOperandType | 'null';
      readonly valueType: 'boolean';
    }
  | {
      /** `IsPresent`: the only operator for which a Variable path that selects nothing is not an error. */
      readonly name: 'IsPresent';
      readonly test: 'IsPresent';
      readonly valueType: 'boolean';
    };

const OPERATORS = [
  { name: 'StringEquals', test: 'Equals', operandType: 'string', valueType: 'string' },
  { name: 'StringEqualsPath', test: 'Equals', operandType: 'string', valueType: 'path' },
  { name: 'StringLessThan', test: 'LessThan', operandType: 'string', valueType: 'string' },
  { name: 'StringLessThanPath', test: 'LessThan', operandType: 'string', valueType: 'path' },
  { name: 'StringGreaterThan', test: 'GreaterThan', operandType: 'string', valueType: 'string' },
  { name: 'StringGreaterThanPath', test: 'GreaterThan', operandType: 'string', valueType: 'path' },
  { name: 'StringLessThanEquals', test: 'LessThanEquals', operandType: 'string', valueType: 'string' },
  { name: 'StringLessThanEqualsPath', test: 'LessThanEquals', operandType: 'string', valueType: 'path' },
  { name: 'StringGreaterThanEquals', test: 'GreaterThanEquals', operandType: 'string', valueType: 'string' },
  { name: 'StringGreaterThanEqualsPath', test: 'GreaterThanEquals', operandType: 'string', valueType: 'path' },
  { name: 'StringMatches', test: 'Matches', operandType: 'string', valueType: 'string' },
  { name: 'NumericEquals', test: 'Equals', operandType: 'number', valueType: 'number' },
  { name: 'NumericEqualsPath', test: 'Equals', operandType: 'number', valueType: 'path' },
  { name: 'NumericLessThan', test: 'LessThan', operandType: 'number', valueType: 'number' },
  { name: 'NumericLessThanPath', test: 'LessThan', operandType: 'number', valueType: 'path' },
  { name: 'NumericGreaterThan', test: 'GreaterThan', operandType: 'number', valueType: 'number' },
  { name: 'NumericGreaterThanPath', test: 'GreaterThan', operandType: 'number', valueType: 'path' },
  { name: 'NumericLessThanEquals', test: 'LessThanEquals', operandType: 'number', valueType: 'number' },
  { name: 'NumericLessThanEqualsPath', test: 'LessThanEquals', operandType: 'number', valueType: 'path' },
  { name: 'NumericGreaterThanEquals', test: 'GreaterThanEquals', operandType: 'number', valueType: 'number' },
  { name: 'NumericGreaterThanEqualsPath', test: 'GreaterThanEquals', operandType: 'number', valueType: 'path' },
  { name: 'BooleanEquals', test: 'Equals', operandType: 'boolean', valueType: 'boolean' },
  { name: 'BooleanEqualsPath', test: 'Equals', operandType: 'boolean', valueType: 'path' },
  { name: 'TimestampEquals', test: 'Equals', operandType: 'timestamp', valueType: 'timestamp' },
  { name: 'TimestampEqualsPath', test: 'Equals', operandType: 'timestamp', valueType: 'path' },
  { name: 'TimestampLessThan', test: 'LessThan', operandType: 'timestamp', valueType: 'timestamp' },
  { name: 'TimestampLessThanPath', test: 'LessThan', operandType: 'timestamp', valueType: 'path' },
  { name: 'TimestampGreaterThan', test: 'GreaterThan', operandType: 'timestamp', valueType: 'timestamp' },
  { name: 'TimestampGreaterThanPath', test: 'GreaterThan', operandType: 'timestamp', valueType: 'path' },
  { name: 'TimestampLessThanEquals', test: 'LessThanEquals', operandType: 'timestamp', valueType: 'timestamp' },
  { name: 'TimestampLessThanEqualsPath', test: 'LessThanEquals', operandType: 'timestamp', valueType: 'path' },
  { name: 'TimestampGreaterThanEquals', test: 'GreaterThanEquals', operandType: 'timestamp', valueType: 'timestamp' },
  { name: 'TimestampGreaterThanEqualsPath', test: 'GreaterThanEquals', operandType: 'timestamp', valueType: 'path' },
  { name: 'IsNull', test: 'IsType', operandType: 'null', valueType: 'boolean' },
  { name: 'IsNumeric', test: 'IsType', operandType: 'number', valueType: 'boolean' },
  { name: 'IsString', test: 'IsType', operandType: 'string', valueType: 'boolean' },
  { name: 'IsBoolean', test: 'IsType', operandType: 'boolean', valueType: 'boolean' },
  { name: 'IsTimestamp', test: 'IsType', operandType: 'timestamp', valueType: 'boolean' },
  { name: 'IsPresent', test: 'IsPresent', valueType: 'boolean' },
] as const satisfies readonly ChoiceComparisonOperator[];

/** The name of a comparison operator (`StringEquals`, `NumericLessThanPath`, `IsPresent`…). */
export type ChoiceComparisonOperatorName = (typeof OPERATORS)[number]['name'];

const BY_NAME: ReadonlyMap<string, ChoiceComparisonOperator> = new Map(
  OPERATORS.map((operator): [string, ChoiceComparisonOperator] => [operator.name, operator]),
);

/** Every comparison operator with the type its value must have in the definition; for the validator. */
export function listChoiceComparisonOperators(): readonly ChoiceComparisonOperator[] {
  return OPERATORS;
}

/** The operator named `name`, or undefined when no comparison operator has that name. */
export function findChoiceComparisonOperator(name: string): ChoiceComparisonOperator | undefined {
  return BY_NAME.get(name);
}
