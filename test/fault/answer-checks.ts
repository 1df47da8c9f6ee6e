// Checks shared by the fault and abuse suites: an answer's citations must point at real indexed
// passages (document and section exist, the quote is verbatim from one of them), and every [n]
// marker in the text must name one of the listed citations.
import { expect } from 'vitest';
import type { Citation } from '../../src/core/answer/answer.js';
import type { PassageCatalog } from '../../src/ports/retriever.js';

export interface AnswerJson {
  answer: string;
  grounded: boolean;
  citations: Citation[];
  mode?: string;
  note?: string | null;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The [n] numbers used in an answer text. */
export function markersOf(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

/** Asserts that every citation is a real passage and every marker names a citation. */
export function expectValidCitations(answer: AnswerJson, catalog: PassageCatalog): void {
  const numbers = answer.citations.map((citation) => citation.n);
  expect(numbers).toEqual(numbers.map((_, index) => index + 1));
  for (const marker of markersOf(answer.answer)) expect(numbers).toContain(marker);
  for (const citation of answer.citations) {
    const passages = catalog.findSection(citation.source, citation.section);
    expect(passages.length, `${citation.source} § ${citation.section} is not in the index`).toBeGreaterThan(0);
    const fragments = citation.quote
      .split('…')
      .map(squash)
      .filter((fragment) => fragment.length > 0);
    expect(fragments.length).toBeGreaterThan(0);
    for (const fragment of fragments) {
      const found = passages.some((passage) => squash(passage.text).includes(fragment));
      expect(found, `quote "${fragment.slice(0, 60)}" is not verbatim from ${citation.source}`).toBe(true);
    }
  }
}
