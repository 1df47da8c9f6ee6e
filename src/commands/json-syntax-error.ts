// Where JSON text stops being valid, as a line, a column and a plain reason. Used after JSON.parse has
// failed, because its messages differ between Node versions, sometimes carry no position and sometimes
// quote the whole input back. The scanner follows RFC 8259 and accepts exactly what JSON.parse accepts.

export interface JsonSyntaxError {
  /** 1-based line of the offending character. */
  line: number;
  /** 1-based column (in characters) of the offending character. */
  column: number;
  /** What was wrong, e.g. `expected "," or "}" after a property value`. */
  reason: string;
  /** Zero-based offset (in UTF-16 units, as string indices) of the offending character. */
  offset: number;
}

class Failure {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const whitespace = new Set([' ', '\t', '\n', '\r']);

function describe(character: string | undefined): string {
  if (character === undefined) return 'the end of the input';
  if (character === '\n' || character === '\r') return 'the end of the line';
  if (character === '"') return 'a string';
  return `"${character}"`;
}

class Scanner {
  private position = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.skipWhitespace();
    this.value();
    this.skipWhitespace();
    if (this.position < this.text.length) throw new Failure(this.position, 'unexpected text after the end of the JSON value');
  }

  private peek(): string | undefined {
    return this.text[this.position];
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && whitespace.has(this.text[this.position] as string)) this.position += 1;
  }

  /** The offset of the last non-whitespace character before `offset`, or -1. */
  private previousSignificant(offset: number): number {
    let index = offset - 1;
    while (index >= 0 && whitespace.has(this.text[index] as string)) index -= 1;
    return index;
  }

  private value(): void {
    const character = this.peek();
    if (character === '{') return this.object();
    if (character === '[') return this.array();
    if (character === '"') return this.string();
    if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return;
      }
    }
    if (character === undefined) throw new Failure(this.position, 'the input ends where a value should be');
    throw new Failure(this.position, `expected a value, found ${describe(character)}${character === "'" ? ' (JSON strings use double quotes)' : ''}`);
  }

  private object(): void {
    this.position += 1; // {
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const character = this.peek();
      if (character !== '"') {
        const trailingComma = character === '}' && this.text[this.previousSignificant(this.position)] === ',';
        throw new Failure(
          this.position,
          trailingComma
            ? 'a comma before "}" is not allowed in JSON (remove the last comma)'
            : character === undefined
              ? 'the input ends inside an object (a "}" is missing)'
              : `expected a property name in double quotes, found ${describe(character)}`,
        );
      }
      this.string();
      this.skipWhitespace();
      if (this.peek() !== ':') throw new Failure(this.position, `expected ":" after the property name, found ${describe(this.peek())}`);
      this.position += 1;
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      const next = this.peek();
      if (next === ',') {
        this.position += 1;
        continue;
      }
      if (next === '}') {
        this.position += 1;
        return;
      }
      throw new Failure(
        this.position,
        next === undefined
          ? 'the input ends inside an object (a "}" is missing)'
          : `expected "," or "}" after a property value, found ${describe(next)}${next === '"' ? ' (a comma is missing)' : ''}`,
      );
    }
  }

  private array(): void {
    this.position += 1; // [
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === ']' && this.text[this.previousSignificant(this.position)] === ',') {
        throw new Failure(this.position, 'a comma before "]" is not allowed in JSON (remove the last comma)');
      }
      this.value();
      this.skipWhitespace();
      const next = this.peek();
      if (next === ',') {
        this.position += 1;
        continue;
      }
      if (next === ']') {
        this.position += 1;
        return;
      }
      throw new Failure(
        this.position,
        next === undefined ? 'the input ends inside a list (a "]" is missing)' : `expected "," or "]" after a list item, found ${describe(next)}`,
      );
    }
  }

  private string(): void {
    this.position += 1; // "
    for (;;) {
      const character = this.peek();
      if (character === undefined) throw new Failure(this.position, 'the input ends inside a string (a closing " is missing)');
      if (character === '"') {
        this.position += 1;
        return;
      }
      if (character === '\\') {
        const escape = this.text[this.position + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/u.test(this.text.slice(this.position + 2, this.position + 6))) {
            throw new Failure(this.position, 'invalid \\u escape in a string (four hexadecimal digits expected)');
          }
          this.position += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) throw new Failure(this.position, `invalid escape "\\${escape ?? ''}" in a string`);
        this.position += 2;
        continue;
      }
      if (character.charCodeAt(0) < 0x20) {
        throw new Failure(
          this.position,
          character === '\n' || character === '\r' ? 'a string runs past the end of the line (a closing " is missing, or write \\n)' : 'a control character inside a string',
        );
      }
      this.position += 1;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/u.exec(this.text.slice(this.position));
    if (match === null || match[0] === '' || match[0] === '-') throw new Failure(this.position, 'invalid number');
    this.position += match[0].length;
  }
}

/** Line and column (1-based, in characters) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = (before.match(/\n/gu)?.length ?? 0) + 1;
  return { line, column: Array.from(before.slice(lineStart)).length + 1 };
}

/** The first syntax error in `text`, or undefined when it is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { ...lineAndColumn(text, error.offset), reason: error.reason, offset: error.offset };
  }
}
