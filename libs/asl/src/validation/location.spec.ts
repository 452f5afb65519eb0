import { describe, expect, it } from 'vitest';
import { describeLocation, describeOwner, fieldLabel, parsePointer, suggestName } from './location';

describe(parsePointer.name, () => {
  it('unescapes RFC 6901 tokens', () => {
    expect(parsePointer('/States/a~1b~0c/Next')).toEqual(['States', 'a/b~c', 'Next']);
    expect(parsePointer('')).toEqual([]);
  });
});

describe(describeLocation.name, () => {
  it('names states, branches and processors the way the definition does', () => {
    expect(describeLocation([])).toBe('the state machine');
    expect(describeLocation(['States', 'A'])).toBe("state 'A'");
    expect(describeLocation(['States', 'A', 'Retry', '0', 'ErrorEquals'])).toBe("'Retry[0].ErrorEquals' of state 'A'");
    expect(describeLocation(['States', 'P', 'Branches', '1'])).toBe("branch 2 of state 'P'");
    expect(describeLocation(['States', 'M', 'ItemProcessor', 'States', 'I', 'Next'])).toBe("'Next' of state 'I'");
  });

  it('does not mistake a payload key called States for a scope', () => {
    const segments = ['States', 'A', 'Parameters', 'States', 'x'];
    expect(describeOwner(segments)).toBe("state 'A'");
    expect(fieldLabel(segments)).toBe('Parameters.States.x');
  });
});

describe(suggestName.name, () => {
  const fields = ['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'ErrorEquals', 'Next'];

  it.each([
    ['bugInputPath', 'InputPath'],
    ['Error Equals', 'ErrorEquals'],
    ['Parmeters', 'Parameters'],
    ['resultpath', 'ResultPath'],
  ])('suggests %s → %s', (name, expected) => expect(suggestName(name, fields)).toBe(expected));

  it('suggests nothing for an unrelated name', () => {
    expect(suggestName('Banana', fields)).toBeUndefined();
  });
});
