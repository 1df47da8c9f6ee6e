// Turns a loaded document into passages: one or more chunks per heading section, split by size
// with LangChain's RecursiveCharacterTextSplitter at paragraph, line and sentence boundaries
// (English and Japanese sentence ends), never inside a word when avoidable.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Passage } from '../../ports/passage.js';
import type { LoadedDocument } from './document.js';

/** Settings recorded in the index manifest: changing them forces re-chunking. */
export interface ChunkingSettings {
  /** Maximum characters per passage. */
  chunkSize: number;
  /** Characters repeated between consecutive passages of one section. */
  chunkOverlap: number;
  /** Bumped when the splitting logic changes. */
  version: number;
}

export const defaultChunking: ChunkingSettings = { chunkSize: 600, chunkOverlap: 80, version: 1 };

/** Separators, coarsest first. The separator stays at the end of the piece it closes. */
export const chunkSeparators = ['\n\n', '\n', '。', '. ', '? ', '! ', '; ', '、', ', ', ' ', ''];

let splitterClass: Promise<new (fields: ConstructorParameters<typeof RecursiveCharacterTextSplitter>[0]) => RecursiveCharacterTextSplitter> | undefined;

/** The splitter, loaded on first use (only ingestion needs it). */
function sentenceKeepingSplitter() {
  splitterClass ??= import('@langchain/textsplitters').then(({ RecursiveCharacterTextSplitter: Base }) => {
    /** Keeps each separator with the text before it, so sentences end with their full stop. */
    return class SentenceKeepingSplitter extends Base {
      override splitOnSeparator(text: string, separator: string): string[] {
        if (separator === '') return text.split('');
        const escaped = separator.replace(/[/\-\\^$*+?.()|[\]{}]/g, '\\$&');
        return text.split(new RegExp(`(?<=${escaped})`)).filter((piece) => piece !== '');
      }
    };
  });
  return splitterClass;
}

export const sectionSeparator = ' › ';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Splits one text by size; short texts come back whole. */
export async function splitText(text: string, settings: ChunkingSettings = defaultChunking): Promise<string[]> {
  const trimmed = text.trim();
  if (trimmed.length <= settings.chunkSize) return trimmed === '' ? [] : [trimmed];
  const Splitter = await sentenceKeepingSplitter();
  const splitter = new Splitter({
    chunkSize: settings.chunkSize,
    chunkOverlap: settings.chunkOverlap,
    separators: chunkSeparators,
    keepSeparator: true,
  });
  return (await splitter.splitText(trimmed)).map((piece) => piece.trim()).filter((piece) => piece !== '');
}

/** Passages of one document; `source` is the path relative to the corpus root (forward slashes). */
export async function chunkDocument(source: string, document: LoadedDocument, settings: ChunkingSettings = defaultChunking): Promise<Passage[]> {
  const { metadata } = document;
  const title = metadata.title ?? path.basename(source, path.extname(source));
  const passages: Passage[] = [];
  for (const section of document.sections) {
    for (const text of await splitText(section.text, settings)) {
      const passage: Passage = {
        chunkId: `${source}#${passages.length}`,
        source,
        title,
        section: section.headings.join(sectionSeparator),
        text,
        contentHash: sha256(text),
      };
      if (metadata.url !== undefined) passage.url = metadata.url;
      if (metadata.jurisdiction !== undefined) passage.jurisdiction = metadata.jurisdiction;
      if (metadata.kind !== undefined) passage.kind = metadata.kind;
      if (metadata.framework !== undefined) passage.framework = metadata.framework;
      if (metadata.language !== undefined) passage.language = metadata.language;
      if (section.page !== undefined) passage.page = section.page;
      passages.push(passage);
    }
  }
  return passages;
}
