import type { IntrinsicFunctionDefinition } from '../intrinsic-function';

/**
 * `States.StringSplit(text, delimiters)`: AWS treats the second argument as a set of delimiter characters and drops
 * empty pieces, like Java's StringTokenizer: ("This.is+a,test=string", ".+,=") gives five words and (",,,,", ",")
 * gives [] (corpus: string_operations.string_split__*).
 */
export const statesStringSplit: IntrinsicFunctionDefinition = {
  name: 'States.StringSplit',
  parameters: [
    { name: 'inputString', type: 'string' },
    { name: 'splitter', type: 'string' },
  ],
  evaluate: ([text, splitter]) => {
    const delimiters = new Set(splitter as string);
    const pieces: string[] = [];
    let piece = '';
    for (const c of text as string) {
      if (delimiters.has(c)) {
        if (piece !== '') pieces.push(piece);
        piece = '';
      } else {
        piece += c;
      }
    }
    if (piece !== '') pieces.push(piece);
    return pieces;
  },
};
