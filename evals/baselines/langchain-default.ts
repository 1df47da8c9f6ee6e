// The reference point for retrieval quality: LangChain's default recipe with no tuning —
// RecursiveCharacterTextSplitter (1000 characters, 200 overlap) over each raw corpus file,
// HNSWLib.fromDocuments with the same embedder, similaritySearchWithScore. Each chunk is mapped back
// to its source and the heading section it overlaps most, so recall is measured like the index's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { sha256 } from '../../src/core/ingest/chunk-document.js';
import { collectFiles } from '../../src/core/ingest/collect-files.js';
import { metadataFromFrontMatter } from '../../src/core/ingest/document.js';
import type { Embedder } from '../../src/ports/embedder.js';
import type { Passage, ScoredPassage } from '../../src/ports/passage.js';
import type { Retriever, SearchOptions } from '../../src/ports/retriever.js';

interface SectionSpan {
  start: number;
  end: number;
  section: string;
}

/** Character ranges of each `##`-rooted heading section in a raw Markdown file. */
function sectionSpans(raw: string): SectionSpan[] {
  const spans: SectionSpan[] = [];
  let headings: string[] = [];
  let start = 0;
  let inFence = false;
  let offset = 0;
  for (const line of raw.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      spans.push({ start, end: offset, section: headings.join(' › ') });
      const level = (heading[1] as string).length;
      headings = level === 1 ? [] : [...headings.slice(0, level - 2), (heading[2] as string).replace(/[*_`]/g, '')];
      start = offset;
    }
    offset += line.length + 1;
  }
  spans.push({ start, end: raw.length, section: headings.join(' › ') });
  return spans.filter((span) => span.end > span.start);
}

function bestSection(spans: SectionSpan[], start: number, end: number): string {
  let best = '';
  let bestOverlap = -1;
  for (const span of spans) {
    const overlap = Math.min(end, span.end) - Math.max(start, span.start);
    if (overlap > bestOverlap) {
      bestOverlap = overlap;
      best = span.section;
    }
  }
  return best;
}

/** Builds the default-recipe retriever over every supported text file (Markdown/text) in `corpusDir`. */
export async function buildLangchainBaseline(corpusDir: string, embedder: Embedder): Promise<Retriever> {
  const splitter = new RecursiveCharacterTextSplitter();
  const { files } = await collectFiles(corpusDir);
  const documents: Document[] = [];
  const passages: Passage[] = [];
  for (const file of files) {
    if (!/\.(md|markdown|txt)$/i.test(file.file)) continue;
    const raw = (await readFile(file.file, 'utf8')).replace(/\r\n/g, '\n');
    const metadata = metadataFromFrontMatter(matter(raw).data);
    const spans = sectionSpans(raw);
    let searchFrom = 0;
    for (const chunk of await splitter.splitText(raw)) {
      const found = raw.indexOf(chunk.slice(0, 200), Math.max(0, searchFrom - 400));
      const start = found >= 0 ? found : searchFrom;
      searchFrom = start + 1;
      const passage: Passage = {
        chunkId: `${file.source}#${passages.length}`,
        source: file.source,
        title: metadata.title ?? path.basename(file.source),
        section: bestSection(spans, start, start + chunk.length),
        text: chunk,
        contentHash: sha256(chunk),
        ...(metadata.url ? { url: metadata.url } : {}),
        ...(metadata.jurisdiction ? { jurisdiction: metadata.jurisdiction } : {}),
        ...(metadata.framework ? { framework: metadata.framework } : {}),
        ...(metadata.kind ? { kind: metadata.kind } : {}),
        ...(metadata.language ? { language: metadata.language } : {}),
      };
      documents.push(new Document({ pageContent: chunk, metadata: { row: passages.length } }));
      passages.push(passage);
    }
  }
  const store = await HNSWLib.fromDocuments(documents, embedder);
  return {
    async search(query: string, options: SearchOptions = {}): Promise<ScoredPassage[]> {
      const k = Math.min(options.k ?? 8, documents.length);
      if (k === 0) return [];
      const results = await store.similaritySearchWithScore(query, k);
      // HNSWLib reports cosine distance (1 − cos); turn it into a similarity.
      return results.map(([document, distance]) => ({
        passage: passages[document.metadata['row'] as number] as Passage,
        score: Math.max(0, Math.min(1, 1 - distance)),
      }));
    },
  };
}
