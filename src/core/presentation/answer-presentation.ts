// Channel-neutral wording for answers: citation labels, short quotes, the AI note, the "related
// sources" heading, the public JSON shape of a citation and a plain-text rendering. Chat doors
// (Slack blocks, Teams cards) and the web console format these pieces in their own markup.
import type { Answer, AnswerDetails, Citation } from '../answer/answer.js';
import { withDocumentLinks } from '../documents/document-links.js';

/** The note shown under every generated answer. */
export const aiGeneratedNote =
  'AI-generated from the governance corpus. Check the cited sources before relying on it.';

/** The note for answers the corpus does not cover. */
export const notCoveredNote = 'The governance corpus does not cover this question; ask the governance team.';

/** The heading over the passages an answer does not cite but that are worth reading. */
export const relatedSourcesHeading = 'Related sources';

/** Related sources listed by the chat doors (Slack, Teams), where space is short; the rest are left out. */
export const maxRelatedSourcesInChat = 3;

/** "Title — Section" (section omitted when empty or equal to the title). */
export function citationLabel(citation: Pick<Citation, 'title' | 'section'>): string {
  const section = citation.section.trim();
  return section === '' || section === citation.title ? citation.title : `${citation.title} — ${section}`;
}

/** A quote cut to `limit` characters at a word boundary, whitespace collapsed. */
export function shortQuote(quote: string, limit = 200): string {
  const flat = quote.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit - 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The note to show under an answer: the service's own note (e.g. LLM unavailable) comes first. */
export function answerNotes(answer: Answer & Partial<Pick<AnswerDetails, 'note' | 'mode'>>): string[] {
  const notes: string[] = [];
  if (answer.note !== undefined && answer.note.trim() !== '') notes.push(answer.note.trim());
  notes.push(answer.grounded ? aiGeneratedNote : notCoveredNote);
  return notes;
}

/** Only the public citation fields, in the documented JSON order (n, title, source, section, quote, url?, documentUrl?, score). */
export function publicCitation(citation: Citation): Citation {
  return {
    n: citation.n,
    title: citation.title,
    source: citation.source,
    section: citation.section,
    quote: citation.quote,
    ...(citation.url !== undefined ? { url: citation.url } : {}),
    ...(citation.documentUrl !== undefined ? { documentUrl: citation.documentUrl } : {}),
    score: citation.score,
  };
}

/** "Related sources:" and one "- Title — Section (url)" line per related source; nothing when there are none. */
export function relatedSourceLines(related: readonly Citation[]): string[] {
  if (related.length === 0) return [];
  return [
    `${relatedSourcesHeading}:`,
    ...related.map((citation) => `- ${citationLabel(citation)}${citation.url === undefined ? '' : ` (${citation.url})`}`),
  ];
}

/** The answer as plain text with a numbered source list and any related sources, for notifications and fallbacks. */
export function answerToPlainText(answer: Answer): string {
  const lines = [answer.answer.trim()];
  if (answer.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const citation of answer.citations) {
      lines.push(`[${citation.n}] ${citationLabel(citation)}${citation.url === undefined ? '' : ` (${citation.url})`}`);
    }
  }
  const related = relatedSourceLines(answer.related);
  if (related.length > 0) lines.push('', ...related);
  return lines.join('\n');
}

/** The answer with every citation's links set for a door (see withDocumentLinks). */
export function answerWithLinks<T extends Answer>(answer: T, publicUrl?: string): T {
  return {
    ...answer,
    citations: answer.citations.map((citation) => withDocumentLinks(citation, publicUrl)),
    related: answer.related.map((citation) => withDocumentLinks(citation, publicUrl)),
  };
}
