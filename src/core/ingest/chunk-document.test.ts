import { describe, expect, it } from 'vitest';
import { chunkDocument, splitText } from './chunk-document.js';
import { loadMarkdown, markdownSections } from './markdown-loader.js';

describe('markdown sections', () => {
  it('builds heading paths from ## down, keeps the H1 as title and ignores headings in code', () => {
    const { h1, sections } = markdownSections(
      ['# Title', 'intro', '## A', 'a text', '### A.1', 'a1 text', '#### deep', 'deep text', '## B', '```', '# not a heading', '```', 'b text'].join('\n'),
    );
    expect(h1).toBe('Title');
    expect(sections.map((section) => section.headings.join(' › '))).toEqual(['', 'A', 'A › A.1', 'A › A.1 › deep', 'B']);
    expect(sections[4]?.text).toContain('# not a heading');
  });

  it('reduces markup to plain text', () => {
    const document = loadMarkdown('---\ntitle: T\n---\n## S\nSee **bold** and [a link](https://x.test) and `code`.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n');
    const text = document.sections[0]?.text ?? '';
    expect(text).toContain('See bold and a link and code.');
    expect(text).toContain('a | b');
    expect(text).not.toMatch(/\*\*|\]\(|---/);
  });
});

describe('splitting by size', () => {
  it('keeps short sections whole and splits long ones at sentence ends within the size', async () => {
    expect(await splitText('One sentence.', { chunkSize: 100, chunkOverlap: 10, version: 1 })).toEqual(['One sentence.']);
    const sentences = Array.from({ length: 30 }, (_, index) => `Sentence number ${index} says something about risk.`);
    const chunks = await splitText(sentences.join(' '), { chunkSize: 200, chunkOverlap: 0, version: 1 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(200);
      expect(chunk).toMatch(/^Sentence number \d+/);
      expect(chunk).toMatch(/risk\.$/);
    }
  });

  it('splits Japanese after 。 so sentences stay whole', async () => {
    const text = Array.from({ length: 40 }, (_, index) => `第${index}文はリスクに応じた対策について述べる。`).join('');
    const chunks = await splitText(text, { chunkSize: 120, chunkOverlap: 0, version: 1 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(120);
      expect(chunk.endsWith('。')).toBe(true);
      expect(chunk.startsWith('第')).toBe(true);
    }
  });

  it('turns sections into passages with ids, hashes and front-matter metadata', async () => {
    const document = loadMarkdown('---\ntitle: Guide\nsource_url: https://x.test/g\njurisdiction: EU\nkind: law\nframework: eu-ai-act\nlanguage: en\n---\n# Guide\n## Part 1\nFirst.\n### Detail\nSecond.\n');
    const passages = await chunkDocument('laws/guide.md', document);
    expect(passages.map((passage) => [passage.chunkId, passage.section, passage.text])).toEqual([
      ['laws/guide.md#0', 'Part 1', 'First.'],
      ['laws/guide.md#1', 'Part 1 › Detail', 'Second.'],
    ]);
    expect(passages[0]).toMatchObject({ title: 'Guide', url: 'https://x.test/g', jurisdiction: 'EU', kind: 'law', framework: 'eu-ai-act', language: 'en' });
    expect(passages[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
