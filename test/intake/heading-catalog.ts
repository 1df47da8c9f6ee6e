// A small PassageCatalog built by scanning the corpus Markdown headings: one passage per heading
// section, with the section path joined by ' › ' from the `##` heading down. Lets the intake tests and
// evals check rule citations without waiting for the vector index.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import type { Passage } from '../../src/ports/passage.js';
import type { PassageCatalog } from '../../src/ports/retriever.js';

export const corpusDirectory = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'corpus');

/** Passages of one Markdown document, split at its `##`+ headings. */
export function headingPassages(source: string, markdown: string): Passage[] {
  const { content, data } = matter(markdown);
  const front = data as { title?: unknown; source_url?: unknown; jurisdiction?: unknown; language?: unknown };
  const lines = content.split('\n');
  const documentTitle =
    typeof front.title === 'string' ? front.title : (lines.find((line) => line.startsWith('# '))?.slice(2).trim() ?? source);
  const passages: Passage[] = [];
  const stack: string[] = [];
  let body: string[] = [];
  let current: string | undefined;
  let inFence = false;
  const flush = () => {
    const text = body.join('\n').replace(/\s+/g, ' ').trim();
    if (current !== undefined && text !== '') {
      const passage: Passage = {
        chunkId: `${source}#${passages.length}`,
        source,
        title: documentTitle,
        section: current,
        text,
        contentHash: createHash('sha256').update(text).digest('hex'),
      };
      if (typeof front.source_url === 'string') passage.url = front.source_url;
      if (typeof front.jurisdiction === 'string') passage.jurisdiction = front.jurisdiction;
      if (typeof front.language === 'string') passage.language = front.language;
      passages.push(passage);
    }
    body = [];
  };
  for (const line of lines) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : /^(#{2,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = (heading[1] as string).length - 2;
      stack.length = level;
      stack[level] = heading[2] as string;
      current = stack.filter((part) => part !== undefined).join(' › ');
      continue;
    }
    body.push(line);
  }
  flush();
  return passages;
}

/** Builds the catalog from every `.md` file of the corpus folder (or given files). */
export function createHeadingCatalog(directory = corpusDirectory): PassageCatalog & { passages: Passage[] } {
  const passages: Passage[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.md')).sort()) {
    passages.push(...headingPassages(file, readFileSync(path.join(directory, file), 'utf8')));
  }
  return {
    passages,
    findSection: (source, section) =>
      passages.filter((passage) => passage.source === source && (passage.section === section || passage.section.startsWith(`${section} › `))),
    size: () => passages.length,
  };
}
