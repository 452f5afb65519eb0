import type { JsonValue } from '../json';
import { checkJsonPathSyntax } from '../paths/json-path';
import { hasIntrinsicType, type IntrinsicFunctionDefinition, jsonTypeOf } from './intrinsic-function';
import { findIntrinsicFunction } from './intrinsic-functions';

/** An argument of an intrinsic call: a literal, a path, or a nested call. */
export type IntrinsicArgument =
  | {
      readonly kind: 'string';
      readonly value: string;
      /**
       * Where the `{}` placeholders of this literal start in `value`, set only when the literal escapes a brace
       * (`\{`, `\}`): an escaped brace is text, never part of a placeholder. Absent: every `{}` is a placeholder.
       */
      readonly placeholderOffsets?: readonly number[];
    }
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

/**
 * Parses an intrinsic call and checks its name, arity and literal argument types against the signature table.
 *
 * Grammar (ASL spec, Intrinsic Functions; AWS, "Reserved characters in intrinsic functions"):
 * ```
 * call     := name '(' [ argument { ',' argument } ] ')'
 * argument := 'single-quoted string' | number | true | false | null | path | call
 * ```
 * In a string, "The literal string `\'` represents `'`, `\{` represents `{`, `\}` represents `}`, `\\` represents
 * `\`" and "If an open escape backslash `\` is found … the interpreter will throw": any other escape, `\"` or `\n`
 * included, is an error (AWS refuses `'An \"escaped\" quote'`: corpus validation/…ILLEGAL_INTRINSIC_FUNCTION).
 * Unescaped braces are accepted: AWS runs `States.StringToJson('{"a": "b"}')` (corpus: json_merge_escaped_argument).
 */
export function parseIntrinsicCall(text: string): IntrinsicCall {
  return new IntrinsicParser(text).parse();
}

// ---- tokens ------------------------------------------------------------------------------------------------

type Token =
  | { readonly kind: 'name'; readonly text: string; readonly at: number }
  | {
      readonly kind: 'string';
      readonly value: string;
      readonly placeholderOffsets: number[] | undefined;
      readonly at: number;
    }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'path'; readonly text: string; readonly at: number }
  | { readonly kind: '(' | ')' | ',' | 'end'; readonly at: number };

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.])/y;
const ESCAPABLE = new Set(["'", '{', '}', '\\']);
// Nested calls recurse; a bound keeps a hostile definition from exhausting the stack.
const MAX_NESTING = 64;

/** Splits the text into tokens on demand; the parser pulls them one at a time. */
class IntrinsicTokenizer {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
    const at = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) return { kind: 'end', at };
    if (c === '(' || c === ')' || c === ',') {
      this.pos++;
      return { kind: c, at };
    }
    if (c === "'") return this.readString();
    if (c === '$') return { kind: 'path', text: this.readPath(), at };
    const number = this.match(NUMBER);
    if (number !== undefined) return { kind: 'number', value: Number(number), at };
    const name = this.match(NAME);
    if (name !== undefined) return { kind: 'name', text: name, at };
    throw this.error(`Unexpected character '${c}'`, at);
  }

  error(message: string, at: number): IntrinsicSyntaxError {
    return new IntrinsicSyntaxError(`${message} at position ${at} in '${this.text}'`);
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private readString(): Token {
    const at = this.pos;
    this.pos++; // opening quote
    let value = '';
    let bracesEscaped = false;
    const offsets: number[] = [];
    let openBraceAt = -1; // where the last unescaped '{' went in `value`, while it is the last character
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw this.error('Unterminated string literal', at);
      if (c === "'") {
        this.pos++;
        return { kind: 'string', value, placeholderOffsets: bracesEscaped ? offsets : undefined, at };
      }
      if (c === '\\') {
        const escaped = this.text[this.pos + 1];
        if (escaped === undefined || !ESCAPABLE.has(escaped)) {
          throw this.error(
            `Invalid escape sequence '\\${escaped ?? ''}' (only \\', \\{, \\} and \\\\ are allowed)`,
            this.pos,
          );
        }
        if (escaped === '{' || escaped === '}') bracesEscaped = true;
        value += escaped;
        openBraceAt = -1;
        this.pos += 2;
        continue;
      }
      if (c === '}' && openBraceAt === value.length - 1 && openBraceAt >= 0) offsets.push(openBraceAt);
      openBraceAt = c === '{' ? value.length : -1;
      value += c;
      this.pos++;
    }
  }

  /**
   * A path runs until a blank, ',' or ')' outside brackets and parentheses; quoted names and filter literals may
   * hold any of those (`$['a, b']`, `$.a[?(@.b == ')')]`). The path's own syntax is checked afterwards.
   */
  private readPath(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (depth === 0 && (c === ',' || c === ')' || /\s/.test(c))) break;
      if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') depth--;
      else if ((c === "'" || c === '"') && depth > 0) this.skipQuoted(c);
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  /** Moves to the closing `quote` (backslash escapes the next character); stays at the end if there is none. */
  private skipQuoted(quote: string): void {
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '\\') this.pos++;
      else if (c === quote) return;
    }
    this.pos = this.text.length - 1;
  }
}

// ---- parser ------------------------------------------------------------------------------------------------

class IntrinsicParser {
  private readonly tokens: IntrinsicTokenizer;
  private token: Token;

  constructor(private readonly text: string) {
    this.tokens = new IntrinsicTokenizer(text);
    this.token = this.tokens.next();
  }

  parse(): IntrinsicCall {
    if (this.token.kind !== 'name' || !this.token.text.startsWith('States.')) {
      throw this.tokens.error(
        'An intrinsic function call must start with a function name such as States.Format',
        this.token.at,
      );
    }
    const call = this.parseCall(0);
    if (this.kind() !== 'end') throw this.unexpected();
    return call;
  }

  private parseCall(depth: number): IntrinsicCall {
    const nameToken = this.token as Token & { kind: 'name' };
    if (depth > MAX_NESTING)
      throw this.tokens.error(`Intrinsic calls are nested more than ${MAX_NESTING} deep`, nameToken.at);
    const definition = findIntrinsicFunction(nameToken.text);
    if (definition === undefined)
      throw this.tokens.error(`Unknown intrinsic function '${nameToken.text}'`, nameToken.at);
    this.advance();
    this.expect('(');
    const args: IntrinsicArgument[] = [];
    const placeholderCounts: (number | undefined)[] = [];
    if (this.kind() !== ')') {
      for (;;) {
        const argumentAt = this.token.at;
        const argument = this.parseArgument(depth);
        this.checkLiteralType(definition, args.length, argument, argumentAt);
        args.push(argument);
        placeholderCounts.push(argument.kind === 'string' ? placeholderCount(argument) : undefined);
        if (this.kind() !== ',') break;
        this.advance();
      }
    }
    this.expect(')');
    checkArity(definition, args.length, (message) => this.tokens.error(message, nameToken.at));
    const reason = definition.checkLiterals?.(args.map(literalValue), placeholderCounts);
    if (reason !== undefined) throw this.tokens.error(`${definition.name}: ${reason}`, nameToken.at);
    return { kind: 'call', name: definition.name, args };
  }

  private parseArgument(depth: number): IntrinsicArgument {
    const token = this.token;
    switch (token.kind) {
      case 'string':
        this.advance();
        return token.placeholderOffsets === undefined
          ? { kind: 'string', value: token.value }
          : { kind: 'string', value: token.value, placeholderOffsets: token.placeholderOffsets };
      case 'number':
        this.advance();
        return { kind: 'number', value: token.value };
      case 'path': {
        const problem = checkJsonPathSyntax(token.text, { allowContextObject: true, allowVariables: true });
        if (problem !== undefined)
          throw this.tokens.error(`Invalid path argument '${token.text}': ${problem}`, token.at);
        this.advance();
        return { kind: 'path', path: token.text };
      }
      case 'name':
        if (token.text === 'true' || token.text === 'false') {
          this.advance();
          return { kind: 'boolean', value: token.text === 'true' };
        }
        if (token.text === 'null') {
          this.advance();
          return { kind: 'null' };
        }
        return this.parseCall(depth + 1);
      case ',':
      case '(':
      case ')':
      case 'end':
        throw this.unexpected();
    }
  }

  private checkLiteralType(
    definition: IntrinsicFunctionDefinition,
    index: number,
    argument: IntrinsicArgument,
    at: number,
  ): void {
    const literal = literalValue(argument);
    if (literal === undefined) return;
    const parameter = definition.parameters[index] ?? definition.rest;
    if (parameter === undefined || hasIntrinsicType(literal, parameter.type)) return;
    throw this.tokens.error(
      `${definition.name}: argument ${index + 1} (${parameter.name}) must be of type ${parameter.type}, ` +
        `but the literal ${JSON.stringify(literal)} is of type ${jsonTypeOf(literal)}`,
      at,
    );
  }

  /** The current token's kind, read through a method so that TypeScript does not keep an earlier narrowing. */
  private kind(): Token['kind'] {
    return this.token.kind;
  }

  private advance(): void {
    this.token = this.tokens.next();
  }

  private expect(kind: '(' | ')'): void {
    if (this.token.kind !== kind) throw this.unexpected(`Expected '${kind}'`);
    this.advance();
  }

  private unexpected(expected?: string): IntrinsicSyntaxError {
    const found =
      this.token.kind === 'end' ? 'the end of the text' : `'${this.text.slice(this.token.at, this.token.at + 20)}'`;
    return this.tokens.error(
      `${expected === undefined ? 'Unexpected' : `${expected} but found`} ${found}`,
      this.token.at,
    );
  }
}

/** Checks the number of arguments against the declaration; `fail` turns a message into the error to throw. */
export function checkArity(
  definition: IntrinsicFunctionDefinition,
  count: number,
  fail: (message: string) => Error,
): void {
  const max = definition.rest === undefined ? definition.parameters.length : Infinity;
  const min = definition.parameters.length - (definition.optional ?? 0);
  if (count >= min && count <= max) return;
  const expected = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
  throw fail(
    `${definition.name} takes ${expected} argument${max === 1 ? '' : 's'}, but ${count} ${count === 1 ? 'was' : 'were'} given`,
  );
}

/** The value of a literal argument; undefined for a path or a call, whose value is only known at run time. */
export function literalValue(argument: IntrinsicArgument): JsonValue | undefined {
  switch (argument.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return argument.value;
    case 'null':
      return null;
    case 'path':
    case 'call':
      return undefined;
  }
}

function placeholderCount(argument: IntrinsicArgument & { kind: 'string' }): number {
  if (argument.placeholderOffsets !== undefined) return argument.placeholderOffsets.length;
  return argument.value.split('{}').length - 1;
}
