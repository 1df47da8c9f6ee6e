// HTML (and DOCX, converted to HTML by mammoth): the <title> or first <h1> is the title, h2–h6 give
// the section path, block elements become paragraphs; navigation, scripts and styles are dropped.
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { DocumentSection, LoadedDocument } from './document.js';

const dropped = 'script, style, noscript, nav, template, iframe, svg, header nav, footer nav, [aria-hidden="true"]';
const blockTags = new Set([
  'p', 'div', 'section', 'article', 'main', 'aside', 'header', 'footer', 'li', 'ul', 'ol', 'table', 'tr', 'td', 'th',
  'thead', 'tbody', 'pre', 'blockquote', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'br', 'hr', 'body', 'address', 'details', 'summary',
]);

export function loadHtml(html: string): LoadedDocument {
  const $ = cheerio.load(html);
  $(dropped).remove();
  const documentTitle = $('head > title').first().text().trim() || undefined;
  const language = $('html').attr('lang')?.trim() || undefined;
  const sections: DocumentSection[] = [];
  let h1: string | undefined;
  let headings: string[] = [];
  let paragraphs: string[] = [];
  let current = '';
  const endParagraph = () => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const endSection = () => {
    endParagraph();
    if (paragraphs.length > 0) sections.push({ headings: [...headings], text: paragraphs.join('\n\n') });
    paragraphs = [];
  };
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      current += node.data;
      return;
    }
    if (node.type !== 'tag') return;
    const tag = node.name.toLowerCase();
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      endSection();
      const level = Number(heading[1]);
      const text = $(node).text().replace(/\s+/g, ' ').trim();
      if (text === '') return;
      if (level === 1) {
        if (h1 === undefined) h1 = text;
        headings = [];
      } else {
        headings = [...headings.slice(0, level - 2), text];
      }
      return;
    }
    const block = blockTags.has(tag);
    if (block) endParagraph();
    if (tag === 'td' || tag === 'th') current += ' ';
    for (const child of node.children) walk(child);
    if (block) endParagraph();
  };
  const body = $('body').get(0);
  if (body) for (const child of body.children) walk(child);
  else for (const child of $.root().get(0)?.children ?? []) walk(child);
  endSection();
  const title = documentTitle ?? h1;
  return {
    metadata: { ...(title ? { title } : {}), ...(language ? { language } : {}) },
    sections,
  };
}
