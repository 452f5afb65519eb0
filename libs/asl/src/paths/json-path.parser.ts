import type { JsonValue } from '../json';

/**
 * The JSONPath dialect of Step Functions, parsed into a small tree once so that evaluation never re-reads text.
 *
 * Step Functions runs Jayway JsonPath, so this parser follows Jayway's syntax: dot and bracket notation, `*`,
 * `..`, slices `[start:end]`, index and name unions, and filters `[?(…)]` made of comparisons joined by `&&`,
 * `||` and `!`. Filters are parsed here into a tree and evaluated by walking it: no text is ever run as code.
 * Jayway's functions (`.length()`…) are not part of it: Step Functions offers intrinsics such as
 * `States.ArrayLength` instead.
 */

/** Where a path starts: `$` the state input, `$$` the context object, `$name` a workflow variable. */
export type JsonPathRoot =
  { readonly kind: 'input' } | { readonly kind: 'context' } | { readonly kind: 'variable'; readonly name: string };

/** One step of a path. */
export type JsonPathSegment =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | {
      readonly kind: 'slice';
      readonly start: number | undefined;
      readonly end: number | undefined;
      readonly step: number;
    }
  | { readonly kind: 'properties'; readonly names: readonly string[] }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[] }
  | { readonly kind: 'filter'; readonly predicate: FilterExpression }
  /** `..` followed by the selector it applies to every descendant (`..name`, `..*`, `..[0]`, `..[?(…)]`). */
  | { readonly kind: 'descendant'; readonly selector: JsonPathSegment };

/** A comparison operator allowed in a filter. */
export type FilterOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A value in a filter: a literal, or a path relative to the current node (`@`) or to the document root (`$`). */
export type FilterOperand =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'path'; readonly from: '@' | '$'; readonly segments: readonly JsonPathSegment[] };

/** The boolean expression inside `[?(…)]`. */
export type FilterExpression =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: 'not'; readonly operand: FilterExpression }
  | {
      readonly kind: 'compare';
      readonly operator: FilterOperator;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    }
  /** A bare path, `[?(@.isbn)]`: true when the path selects something. */
  | { readonly kind: 'exists'; readonly path: FilterOperand & { readonly kind: 'path' } };

/** A parsed path. */
export interface ParsedJsonPath {
  /** The text it was parsed from. */
  readonly text: string;
  readonly root: JsonPathRoot;
  readonly segments: readonly JsonPathSegment[];
  /**
   * True when the path selects at most one node (only names and single indexes). Jayway, and so Step Functions,
   * returns that node itself for a definite path, and a list of matches for any other.
   */
  readonly definite: boolean;
}

/** Thrown for text that is not a JSONPath. The message says what is wrong and where. */
export class JsonPathSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathSyntaxError';
  }
}

/** Parses `text` (surrounding blanks ignored, as Jayway does) into a {@link ParsedJsonPath}. */
export function parseJsonPath(text: string): ParsedJsonPath {
  return new JsonPathParser(text).parse();
}

/** True for segments that select at most one node. */
export function isDefiniteSegment(segment: JsonPathSegment): boolean {
  return segment.kind === 'property' || segment.kind === 'index';
}

/** Jayway's normalized form of a path prefix, `$['a'][0]`: the form its "No results for path" messages quote. */
export function normalizedPath(segments: readonly JsonPathSegment[], count = segments.length): string {
  let out = '$';
  for (let i = 0; i < count; i++) {
    const segment = segments[i];
    if (segment !== undefined) out += normalizedSegment(segment);
  }
  return out;
}

function normalizedSegment(segment: JsonPathSegment): string {
  switch (segment.kind) {
    case 'property':
      return `['${segment.name}']`;
    case 'index':
      return `[${segment.index}]`;
    case 'wildcard':
      return '[*]';
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}${segment.step === 1 ? '' : `:${segment.step}`}]`;
    case 'properties':
      return `[${segment.names.map((n) => `'${n}'`).join(',')}]`;
    case 'indexes':
      return `[${segment.indexes.join(',')}]`;
    case 'filter':
      return '[?]';
    case 'descendant':
      return `..${normalizedSegment(segment.selector)}`;
  }
}

// Characters that end a name written in dot notation. Jayway stops at '.', '[' and '(' and refuses blanks; the
// quotes, brackets and comma are added because a name containing them could only be a typo for bracket notation.
const DOT_NAME_STOP = new Set([' ', '\t', '\n', '\r', '.', '[', ']', '(', ')', "'", '"', ',']);
// Inside a filter a name also ends at an operator: `@.price<10`.
const FILTER_NAME_STOP = new Set([...DOT_NAME_STOP, '=', '!', '<', '>', '&', '|']);
const VARIABLE_NAME_START = /[\p{ID_Start}_]/u;
const VARIABLE_NAME_PART = /[\p{ID_Continue}]/u;
const INTEGER = /^-?\d+$/;

class JsonPathParser {
  private pos = 0;
  private readonly text: string;

  constructor(private readonly source: string) {
    this.text = source.trim();
  }

  parse(): ParsedJsonPath {
    const root = this.parseRoot();
    const segments = this.parseSegments(DOT_NAME_STOP, false);
    if (this.pos < this.text.length) this.fail(`Unexpected character '${this.peek()}'`);
    return { text: this.source, root, segments, definite: segments.every(isDefiniteSegment) };
  }

  private parseRoot(): JsonPathRoot {
    if (this.peek() !== '$') this.fail("A path must start with '$'");
    this.pos++;
    if (this.peek() === '$') {
      this.pos++;
      return { kind: 'context' };
    }
    const first = this.peek();
    if (first !== undefined && VARIABLE_NAME_START.test(first)) {
      const start = this.pos;
      while (this.pos < this.text.length && VARIABLE_NAME_PART.test(this.text[this.pos] as string)) this.pos++;
      return { kind: 'variable', name: this.text.slice(start, this.pos) };
    }
    return { kind: 'input' };
  }

  /** Reads segments until something that cannot continue a path (the end, or an operator inside a filter). */
  private parseSegments(nameStop: ReadonlySet<string>, inFilter: boolean): JsonPathSegment[] {
    const segments: JsonPathSegment[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        if (this.peek() === '.') {
          this.pos++;
          if (inFilter) this.fail("'..' is not supported inside a filter");
          segments.push({ kind: 'descendant', selector: this.parseSelectorAfterDot(nameStop, true) });
        } else {
          segments.push(this.parseSelectorAfterDot(nameStop, false));
        }
      } else if (c === '[') {
        segments.push(this.parseBracket());
      } else {
        return segments;
      }
    }
  }

  private parseSelectorAfterDot(nameStop: ReadonlySet<string>, afterDescendant: boolean): JsonPathSegment {
    const c = this.peek();
    if (c === undefined) this.fail("A path must not end with '.' or '..'");
    if (c === '[') {
      if (!afterDescendant) this.fail("Unexpected '[' after '.'");
      return this.parseBracket();
    }
    if (c === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < this.text.length && !nameStop.has(this.text[this.pos] as string)) this.pos++;
    if (this.pos === start) this.fail(`Unexpected character '${c}'`);
    if (this.peek() === '(') this.fail('JSONPath functions are not supported');
    return { kind: 'property', name: this.text.slice(start, this.pos) };
  }

  private parseBracket(): JsonPathSegment {
    this.pos++; // '['
    this.skipBlanks();
    const c = this.peek();
    let segment: JsonPathSegment;
    if (c === '*') {
      this.pos++;
      segment = { kind: 'wildcard' };
    } else if (c === '?') {
      this.pos++;
      this.skipBlanks();
      this.expect('(');
      const predicate = this.parseFilterOr();
      this.skipBlanks();
      this.expect(')');
      segment = { kind: 'filter', predicate };
    } else if (c === "'" || c === '"') {
      const names = [this.readQuoted()];
      for (this.skipBlanks(); this.peek() === ','; this.skipBlanks()) {
        this.pos++;
        this.skipBlanks();
        const q = this.peek();
        if (q !== "'" && q !== '"') this.fail("Expected a quoted name after ','");
        names.push(this.readQuoted());
      }
      segment = names.length === 1 ? { kind: 'property', name: names[0] as string } : { kind: 'properties', names };
    } else {
      segment = this.parseIndexOrSlice();
    }
    this.skipBlanks();
    this.expect(']');
    return segment;
  }

  private parseIndexOrSlice(): JsonPathSegment {
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== ']') this.pos++;
    if (this.pos === this.text.length) this.fail("Expected ']'");
    const body = this.text.slice(start, this.pos).replace(/\s+/g, '');
    if (body.includes(':')) {
      const parts = body.split(':');
      if (parts.length > 3) this.fail(`Invalid slice '[${body}]'`);
      const [from, to, by] = parts.map((p) => this.sliceBound(p, body));
      const step = by ?? 1;
      if (step <= 0) this.fail(`The step of slice '[${body}]' must be a positive integer`);
      return { kind: 'slice', start: from, end: to, step };
    }
    const parts = body.split(',');
    if (!parts.every((p) => INTEGER.test(p))) this.fail(`Invalid array index '[${body}]'`);
    const indexes = parts.map(Number);
    return indexes.length === 1 ? { kind: 'index', index: indexes[0] as number } : { kind: 'indexes', indexes };
  }

  private sliceBound(part: string, body: string): number | undefined {
    if (part === '') return undefined;
    if (!INTEGER.test(part)) this.fail(`Invalid slice '[${body}]'`);
    return Number(part);
  }

  /**
   * A quoted name. A backslash keeps the quote that follows it in the name; any other backslash stays as written.
   * Step Functions resolves `$['Test\""Name"']` to the key `Test\""Name"` (corpus: escape_sequence_parsing), so
   * `\"` inside single quotes is not an escape.
   */
  private readQuoted(): string {
    const quote = this.text[this.pos] as string;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('Unterminated quoted name');
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\\' && this.pos + 1 < this.text.length) {
        const next = this.text[this.pos + 1] as string;
        out += next === quote ? next : c + next;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  // ---- filters ---------------------------------------------------------------------------------------------

  private parseFilterOr(): FilterExpression {
    let left = this.parseFilterAnd();
    while (this.skipBlanksThen('||')) left = { kind: 'or', left, right: this.parseFilterAnd() };
    return left;
  }

  private parseFilterAnd(): FilterExpression {
    let left = this.parseFilterUnary();
    while (this.skipBlanksThen('&&')) left = { kind: 'and', left, right: this.parseFilterUnary() };
    return left;
  }

  private parseFilterUnary(): FilterExpression {
    this.skipBlanks();
    if (this.peek() === '!' && this.text[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'not', operand: this.parseFilterUnary() };
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.parseFilterOr();
      this.skipBlanks();
      this.expect(')');
      return inner;
    }
    const left = this.parseFilterOperand();
    this.skipBlanks();
    const operator = this.readFilterOperator();
    if (operator === undefined) {
      if (left.kind !== 'path') this.fail('A filter needs a comparison or a path');
      return { kind: 'exists', path: left };
    }
    this.skipBlanks();
    return { kind: 'compare', operator, left, right: this.parseFilterOperand() };
  }

  private readFilterOperator(): FilterOperator | undefined {
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        if (this.peek() === '=' || this.peek() === '~') this.fail(`Unsupported filter operator '${op}${this.peek()}'`);
        return op;
      }
    }
    if (this.text.startsWith('=~', this.pos)) this.fail("Regular expressions ('=~') are not supported in filters");
    return undefined;
  }

  private parseFilterOperand(): FilterOperand {
    this.skipBlanks();
    const c = this.peek();
    if (c === '@' || c === '$') {
      this.pos++;
      if (c === '$' && this.peek() === '$') this.fail("'$$' is not supported inside a filter");
      return { kind: 'path', from: c, segments: this.parseSegments(FILTER_NAME_STOP, true) };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.readQuoted() };
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (literal === null) this.fail("Expected a value, '@' or '$' in the filter");
    this.pos += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as JsonValue };
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private skipBlanks(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  /** Skips blanks, then consumes `token` if it comes next. */
  private skipBlanksThen(token: string): boolean {
    this.skipBlanks();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(c: string): void {
    if (this.peek() !== c)
      this.fail(this.peek() === undefined ? `Expected '${c}'` : `Expected '${c}' but found '${this.peek()}'`);
    this.pos++;
  }

  private fail(message: string): never {
    throw new JsonPathSyntaxError(`${message} at position ${this.pos} in path '${this.text}'`);
  }
}
