// The document viewer's data: every indexed corpus document, read back as sections with anchors.
// The original file is loaded again with the ingestion loaders (Markdown, text, HTML, PDF, DOCX:
// the same extracted text the passages came from); if it is gone or unreadable, the document is
// rebuilt from its indexed passages. Only indexed sources can be read: an id is a source name the
// index knows, never a path.
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { Passage } from '../../ports/passage.js';
import { sectionSeparator } from '../ingest/chunk-document.js';
import { loadDocumentFile } from '../ingest/load-document.js';
import { isHttpUrl, sectionAnchor } from './document-links.js';

export interface CorpusDocumentSection {
  /** Heading path from the `##` level down; empty for text before the first heading. */
  headings: string[];
  /** The section as cited: headings joined with ' › '. */
  section: string;
  /** Unique within the document; what citation links point at. */
  anchor: string;
  /** Paragraphs of the section body. */
  paragraphs: string[];
  page?: number;
}

export interface CorpusDocumentSummary {
  /** The source name (path relative to the corpus root); the id in `/console/documents/:id`. */
  id: string;
  title: string;
  language?: string;
  /** The http(s) original, when the document has one. */
  originalUrl?: string;
  passages: number;
}

export interface CorpusDocument extends CorpusDocumentSummary {
  sections: CorpusDocumentSection[];
  /** `file` when read from the corpus file, `passages` when rebuilt from the index. */
  readFrom: 'file' | 'passages';
}

export interface CorpusDocuments {
  list(): CorpusDocumentSummary[];
  /** The document, or undefined when no indexed source has that id. */
  read(id: string): Promise<CorpusDocument | undefined>;
}

export interface CorpusDocumentsOptions {
  corpusDir: string;
  /** The indexed passages (read on every call, so a re-ingest shows at once). */
  passages: () => readonly Passage[];
  logger: Logger;
}

function bySource(passages: readonly Passage[]): Map<string, Passage[]> {
  const groups = new Map<string, Passage[]>();
  for (const passage of passages) {
    const group = groups.get(passage.source);
    if (group === undefined) groups.set(passage.source, [passage]);
    else group.push(passage);
  }
  return groups;
}

function summaryOf(id: string, passages: Passage[]): CorpusDocumentSummary {
  const first = passages[0] as Passage;
  const summary: CorpusDocumentSummary = { id, title: first.title || id, passages: passages.length };
  if (first.language !== undefined) summary.language = first.language;
  if (isHttpUrl(first.url)) summary.originalUrl = first.url;
  return summary;
}

/** Splits section text into paragraphs (blank lines; single line breaks inside lists are kept as items). */
function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .flatMap((block) => (/^\s*(?:[-*•・]|\d{1,2}[.)])\s/m.test(block) ? block.split('\n') : [block.replace(/\s*\n\s*/g, ' ')]))
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

/** Joins consecutive chunks of one section, dropping the characters each repeats from the one before. */
function joinChunks(texts: string[]): string {
  return texts.reduce((joined, next) => {
    if (joined === '') return next;
    for (let overlap = Math.min(joined.length, next.length, 400); overlap >= 10; overlap -= 1) {
      if (joined.endsWith(next.slice(0, overlap))) return `${joined}${next.slice(overlap)}`;
    }
    return `${joined}\n\n${next}`;
  }, '');
}

function withAnchors(sections: Array<{ headings: string[]; text: string; page?: number }>): CorpusDocumentSection[] {
  const used = new Map<string, number>();
  return sections
    .filter((section) => section.text.trim() !== '' || section.headings.length > 0)
    .map((section) => {
      const joined = section.headings.join(sectionSeparator);
      const base = sectionAnchor(joined);
      const count = (used.get(base) ?? 0) + 1;
      used.set(base, count);
      const result: CorpusDocumentSection = {
        headings: section.headings,
        section: joined,
        anchor: count === 1 ? base : `${base}-${count}`,
        paragraphs: paragraphsOf(section.text),
      };
      if (section.page !== undefined) result.page = section.page;
      return result;
    });
}

function fromPassages(passages: Passage[]): Array<{ headings: string[]; text: string; page?: number }> {
  const sections: Array<{ key: string; headings: string[]; texts: string[]; page?: number }> = [];
  for (const passage of passages) {
    const key = `${passage.section}\u0000${passage.page ?? ''}`;
    const last = sections[sections.length - 1];
    if (last !== undefined && last.key === key) last.texts.push(passage.text);
    else {
      const entry: { key: string; headings: string[]; texts: string[]; page?: number } = {
        key,
        headings: passage.section === '' ? [] : passage.section.split(sectionSeparator),
        texts: [passage.text],
      };
      if (passage.page !== undefined) entry.page = passage.page;
      sections.push(entry);
    }
  }
  return sections.map(({ headings, texts, page }) => ({ headings, text: joinChunks(texts), ...(page === undefined ? {} : { page }) }));
}

export function createCorpusDocuments(options: CorpusDocumentsOptions): CorpusDocuments {
  const corpusRoot = path.resolve(options.corpusDir);
  return {
    list() {
      return [...bySource(options.passages())].map(([id, passages]) => summaryOf(id, passages)).sort((a, b) => a.title.localeCompare(b.title));
    },
    async read(id) {
      const passages = bySource(options.passages()).get(id);
      if (passages === undefined || passages.length === 0) return undefined;
      const summary = summaryOf(id, passages);
      const file = path.resolve(corpusRoot, id);
      if (file.startsWith(`${corpusRoot}${path.sep}`)) {
        try {
          const { document } = await loadDocumentFile(file);
          return { ...summary, sections: withAnchors(document.sections), readFrom: 'file' };
        } catch (error) {
          options.logger.warn({ err: error, source: id }, 'corpus document could not be read again; showing its indexed passages');
        }
      }
      return { ...summary, sections: withAnchors(fromPassages(passages)), readFrom: 'passages' };
    },
  };
}
