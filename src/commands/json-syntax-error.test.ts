import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax-error.js';
import { splitIntakeInput } from './split-intake-input.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on what is valid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
    );
    const jsonish = fc.stringMatching(/^[{}[\]",:0-9a-z\-+.eE \n\\]{0,24}$/u);
    fc.assert(
      fc.property(jsonish, (text) => {
        expect(findJsonSyntaxError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('points at the closing brace after a trailing comma, with line and column', () => {
    expect(findJsonSyntaxError('{\n  "title": "x",\n  "regions": ["EU"],\n}\n')).toMatchObject({
      line: 4,
      column: 1,
      reason: 'a comma before "}" is not allowed in JSON (remove the last comma)',
    });
    expect(findJsonSyntaxError('{"regions": ["EU",]}')).toMatchObject({ line: 1, column: 19, reason: 'a comma before "]" is not allowed in JSON (remove the last comma)' });
  });

  it('names the usual hand-editing mistakes', () => {
    expect(findJsonSyntaxError("{'title': 'x'}")?.reason).toBe('expected a property name in double quotes, found "\'"');
    expect(findJsonSyntaxError('{"title": \'x\'}')?.reason).toBe('expected a value, found "\'" (JSON strings use double quotes)');
    expect(findJsonSyntaxError('{\n  "title": "x"\n  "role": "provider"\n}')).toMatchObject({ line: 3, column: 3, reason: 'expected "," or "}" after a property value, found a string (a comma is missing)' });
    expect(findJsonSyntaxError('{"title": "x"')).toMatchObject({ line: 1, column: 14, reason: 'the input ends inside an object (a "}" is missing)' });
    expect(findJsonSyntaxError('{"title": "x\n"}')?.reason).toContain('a string runs past the end of the line');
    expect(findJsonSyntaxError('{"a": 1}\n{"b": 2}')).toMatchObject({ line: 2, column: 1, reason: 'unexpected text after the end of the JSON value' });
  });

  it('counts columns in characters, not bytes or UTF-16 units', () => {
    expect(lineAndColumn('{"名前": "😀", x', 14)).toEqual({ line: 1, column: 14 });
    expect(findJsonSyntaxError('{"名前": "😀", x}')).toMatchObject({ line: 1, column: 13 });
  });
});

describe('splitIntakeInput', () => {
  it('reads one document, pretty-printed or not, with or without a byte order mark', () => {
    expect(splitIntakeInput('{\n  "title": "x"\n}\n')).toEqual({ single: true, items: [{ line: 1, value: { title: 'x' } }] });
    expect(splitIntakeInput('\uFEFF{"title": "x"}')).toEqual({ single: true, items: [{ line: 1, value: { title: 'x' } }] });
  });

  it('reads JSON Lines only when every non-blank line starts an object', () => {
    const lines = splitIntakeInput('{"title": "a"}\n\n{"title": \n{"title": "c"}\n');
    expect(lines.single).toBe(false);
    expect(lines.items).toEqual([
      { line: 1, value: { title: 'a' } },
      { line: 3, syntax: { line: 3, column: 11, reason: 'the input ends where a value should be' } },
      { line: 4, value: { title: 'c' } },
    ]);
  });

  it('reports one error for a broken pretty-printed document, never one per line', () => {
    const broken = splitIntakeInput('{\n  "title": "x",\n  "regions": ["EU"],\n}\n');
    expect(broken).toEqual({
      single: true,
      items: [{ line: 1, syntax: { line: 4, column: 1, reason: 'a comma before "}" is not allowed in JSON (remove the last comma)' } }],
    });
  });

  it('says when there is nothing to read', () => {
    expect(splitIntakeInput(' \n')).toEqual({ single: true, items: [{ line: 1, empty: true }] });
  });
});
