// CONTRACT STUB — to be implemented (helper B). Signatures are the contract; keep them.

/** An argument of an intrinsic call: a literal, a path, or a nested call. */
export type IntrinsicArgument =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'path'; readonly path: string }
  | IntrinsicCall;

/** A parsed `States.Name(arg, …)` call. */
export interface IntrinsicCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly IntrinsicArgument[];
}

/** Thrown for text that is not a well-formed intrinsic call, or calls an unknown function with the wrong arity. */
export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** True when a `.$` value is an intrinsic call rather than a path (it starts with `States.`). */
export function isIntrinsicCall(text: string): boolean {
  return text.trimStart().startsWith('States.');
}

/** Parses an intrinsic call and checks its name, arity and literal argument types against the signature table. */
export function parseIntrinsicCall(text: string): IntrinsicCall {
  void text;
  throw new Error('not implemented');
}
