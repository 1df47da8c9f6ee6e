// Channel-neutral wording for answers: citation labels, short quotes, the AI note, the "related
// sources" heading, the public JSON shape of a citation and a plain-text rendering. Chat doors
// (Slack blocks, Teams cards) and the web console format these pieces in their own markup. Wording is
// in the answer's language (answerLocale); the constants are the English texts.
import type { Answer, AnswerDetails, Citation } from '../answer/answer.js';
import { withDocumentLinks } from '../documents/document-links.js';
import type { Locale } from '../i18n/locale.js';
import { en } from '../i18n/messages-en.js';
import { localeOfText } from '../i18n/resolve-locale.js';
import { t } from '../i18n/translate.js';

/** The note shown under every generated answer (English; see answerNotes). */
export const aiGeneratedNote = en.answer.aiGeneratedNote;

/** The note for answers the corpus does not cover (English; see answerNotes). */
export const notCoveredNote = en.answer.notCoveredNote;

/** The heading over the passages an answer does not cite but that are worth reading (English). */
export const relatedSourcesHeading = en.answer.relatedSources;

/**
 * The language an answer's framing is in: the one the answer service chose (the question's, unless
 * the request named one), else the language of the question itself.
 */
export function answerLocale(answer: Partial<Pick<AnswerDetails, 'locale'>>, question: string): Locale {
  return answer.locale ?? localeOfText(question);
}

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
export function answerNotes(answer: Answer & Partial<Pick<AnswerDetails, 'note' | 'mode'>>, locale: Locale = 'en'): string[] {
  const notes: string[] = [];
  if (answer.note !== undefined && answer.note.trim() !== '') notes.push(answer.note.trim());
  notes.push(answer.grounded ? t(locale, 'answer.aiGeneratedNote') : t(locale, 'answer.notCoveredNote'));
  return notes;
}

/** The "not covered" note in `locale` (doors that already show the not-covered answer leave it out). */
export function notCoveredNoteIn(locale: Locale): string {
  return t(locale, 'answer.notCoveredNote');
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
export function relatedSourceLines(related: readonly Citation[], locale: Locale = 'en'): string[] {
  if (related.length === 0) return [];
  return [
    t(locale, 'cli.relatedSources'),
    ...related.map((citation) => `- ${citationLabel(citation)}${citation.url === undefined ? '' : ` (${citation.url})`}`),
  ];
}

/** The answer as plain text with a numbered source list and any related sources, for notifications and fallbacks. */
export function answerToPlainText(answer: Answer, locale: Locale = 'en'): string {
  const lines = [answer.answer.trim()];
  if (answer.citations.length > 0) {
    lines.push('', t(locale, 'cli.sources'));
    for (const citation of answer.citations) {
      lines.push(`[${citation.n}] ${citationLabel(citation)}${citation.url === undefined ? '' : ` (${citation.url})`}`);
    }
  }
  const related = relatedSourceLines(answer.related, locale);
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
