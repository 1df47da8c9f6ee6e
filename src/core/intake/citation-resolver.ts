// Turns a rules-file citation (corpus file + heading path) into a full citation with a verbatim quote
// from the indexed passage, and refuses citations that point at nothing.
import { ShishinError } from '../../errors.js';
import type { Passage } from '../../ports/passage.js';
import type { PassageCatalog } from '../../ports/retriever.js';
import type { RuleCitation } from './classification.js';
import type { CitationReference } from './rules-file.js';
import { citationUrl, documentPath } from '../documents/document-links.js';

const maximumQuoteCharacters = 300;

function chunkOrder(passage: Passage): number {
  const index = Number(passage.chunkId.slice(passage.chunkId.lastIndexOf('#') + 1));
  return Number.isFinite(index) ? index : Number.MAX_SAFE_INTEGER;
}

/** A verbatim extract of the passage: whole sentences up to ~300 characters. */
export function quoteFrom(passage: Passage): string {
  let text = passage.text.replace(/\s+/g, ' ').trim();
  // Some indexes keep the heading as the passage's first line; the section already names it.
  const heading = passage.section.split(' › ').at(-1) ?? '';
  if (heading !== '' && text.startsWith(heading)) text = text.slice(heading.length).trim();
  if (text.length <= maximumQuoteCharacters) return text;
  const sentences = text.match(/[^.!?。]+[.!?。]+(?:["')\]]+)?\s*/g) ?? [];
  let quote = '';
  for (const sentence of sentences) {
    if (quote.length + sentence.length > maximumQuoteCharacters) break;
    quote += sentence;
  }
  if (quote.trim() === '') {
    const cut = text.slice(0, maximumQuoteCharacters);
    const lastSpace = cut.lastIndexOf(' ');
    return `${cut.slice(0, lastSpace > 200 ? lastSpace : cut.length)}…`;
  }
  return quote.trim();
}

/** The passages a citation resolves to, first passage of the section first. */
export function findCitedPassages(catalog: PassageCatalog, reference: CitationReference): Passage[] {
  return [...catalog.findSection(reference.source, reference.section)].sort((a, b) => chunkOrder(a) - chunkOrder(b));
}

/**
 * Resolves a citation against the catalog. Throws ShishinError('config_invalid') naming `owner`
 * (the rule, obligation or signal) when the section has no passage.
 */
export function resolveCitation(catalog: PassageCatalog, reference: CitationReference, owner: string): RuleCitation {
  const passages = findCitedPassages(catalog, reference);
  const first = passages[0];
  if (first === undefined) {
    throw new ShishinError(
      'config_invalid',
      `${owner} cites section "${reference.section}" of ${reference.source}, which is not in the indexed corpus (check the file name and the heading path, joined with " › ")`,
    );
  }
  const citation: RuleCitation = { source: reference.source, section: reference.section, quote: quoteFrom(first), title: first.title };
  citation.url = citationUrl(reference.source, reference.section, first.url);
  citation.documentUrl = documentPath(reference.source, reference.section);
  return citation;
}
