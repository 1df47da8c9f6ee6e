// Markdown (and front-matter plain text): YAML front matter for metadata, ATX headings for the
// section path. The H1 is the document title; sections start at `##`. Markup is reduced to plain text.
import matter from 'gray-matter';
import { metadataFromFrontMatter, type DocumentSection, type LoadedDocument } from './document.js';

const headingPattern = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const fencePattern = /^\s*(```|~~~)/;

/** Reduces one line of Markdown to plain text (links, emphasis, code marks, HTML tags, table pipes). */
export function markdownLineToText(line: string): string {
  if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) return '';
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return '';
  let text = line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/^\s{0,3}>\s?/, '')
    .replace(/^\[\^[^\]]+\]:\s*/, '');
  if (/^\s*\|.*\|\s*$/.test(text)) {
    text = text
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim())
      .join(' | ');
  }
  return text.replace(/[ \t]+$/, '');
}

/** Splits Markdown body text into heading sections. Returns the first H1 as the title candidate. */
export function markdownSections(body: string): { h1?: string; sections: DocumentSection[] } {
  const sections: DocumentSection[] = [];
  let h1: string | undefined;
  let headings: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text !== '') sections.push({ headings: [...headings], text });
    lines = [];
  };
  for (const line of body.split(/\r?\n/)) {
    if (fencePattern.test(line)) {
      inFence = !inFence;
      continue;
    }
    const heading = inFence ? null : headingPattern.exec(line);
    if (heading) {
      flush();
      const level = (heading[1] as string).length;
      const title = markdownLineToText(heading[2] as string).trim();
      if (level === 1) {
        if (h1 === undefined) h1 = title;
        headings = [];
      } else {
        headings = [...headings.slice(0, level - 2), title];
      }
      continue;
    }
    lines.push(inFence ? line : markdownLineToText(line));
  }
  flush();
  return h1 === undefined ? { sections } : { h1, sections };
}

export function loadMarkdown(content: string): LoadedDocument {
  const parsed = matter(content);
  const metadata = metadataFromFrontMatter(parsed.data);
  const { h1, sections } = markdownSections(parsed.content);
  if (metadata.title === undefined && h1 !== undefined) metadata.title = h1;
  return { metadata, sections };
}

/** Plain text: optional front matter, then paragraphs; no sections. */
export function loadPlainText(content: string): LoadedDocument {
  const parsed = matter(content);
  const text = parsed.content.replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return { metadata: metadataFromFrontMatter(parsed.data), sections: text === '' ? [] : [{ headings: [], text }] };
}
