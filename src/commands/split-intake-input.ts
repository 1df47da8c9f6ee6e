// How `shishin classify` reads its input: one JSON document (often pretty-printed over many lines),
// or JSON Lines — one intake object per line. It is JSON Lines only when it has that shape (every
// non-blank line starts with "{"); anything else is one document, so a syntax error in a
// pretty-printed file is reported once, at its line and column, not as one error per line.
import { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax-error.js';

/** One input item: a parsed value, or why its text is not JSON (the line is the item's first line). */
export type InputItem = { line: number; value: unknown } | { line: number; syntax: Pick<JsonSyntaxError, 'line' | 'column' | 'reason'> } | { line: number; empty: true };

export interface SplitInput {
  /** True for one document, false for JSON Lines. */
  single: boolean;
  items: InputItem[];
}

function syntaxError(text: string): Pick<JsonSyntaxError, 'line' | 'column' | 'reason'> {
  // JSON.parse failed, so the scanner finds a problem; the fallback only guards a disagreement.
  const { line, column, reason } = findJsonSyntaxError(text) ?? { line: 1, column: 1, reason: 'not valid JSON' };
  return { line, column, reason };
}

export function splitIntakeInput(raw: string): SplitInput {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.trim() === '') return { single: true, items: [{ line: 1, empty: true }] };
  try {
    return { single: true, items: [{ line: 1, value: JSON.parse(text) as unknown }] };
  } catch {
    // Not one JSON document: JSON Lines, or one document with a syntax error.
  }
  const lines = text.split('\n');
  const filled = lines.filter((line) => line.trim() !== '');
  const jsonLines = filled.length > 1 && filled.every((line) => line.trimStart().startsWith('{'));
  if (!jsonLines) return { single: true, items: [{ line: 1, syntax: syntaxError(text) }] };
  const items: InputItem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      items.push({ line: index + 1, value: JSON.parse(line) as unknown });
    } catch {
      const { column, reason } = syntaxError(line);
      items.push({ line: index + 1, syntax: { line: index + 1, column, reason } });
    }
  });
  return { single: false, items };
}
