import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import type { Passage } from '../../ports/passage.js';
import { createCorpusDocuments } from './corpus-documents.js';
import { citationLinks, documentPath, sectionAnchor, withDocumentLinks } from './document-links.js';

const passage = (source: string, section: string, text: string, index: number, extra: Partial<Passage> = {}): Passage =>
  ({ id: `${source}#${index}`, source, title: 'Internal AI policy', section, text, ...extra }) as Passage;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shishin-docs-'));
  await writeFile(
    path.join(dir, 'policy.md'),
    '---\ntitle: Internal AI policy\nsource_url: internal://ai-policy\n---\n# Internal AI policy\n\nIntro line.\n\n## Risk tiers\n\nFour tiers apply.\n\n- High\n- Low\n\n## Risk tiers\n\nRepeated heading.\n\n### 指針 (guide)\n\n日本語の本文。\n',
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('document links', () => {
  it('anchors sections by their heading path, keeping Japanese letters', () => {
    expect(sectionAnchor('Article 50(1) — Telling people')).toBe('s-article-50-1-telling-people');
    expect(sectionAnchor('Risk tiers › 指針 (guide)')).toBe('s-risk-tiers-指針-guide');
    expect(sectionAnchor('')).toBe('s-top');
    expect(documentPath('sub/policy v2.md', 'Risk tiers')).toBe('/console/documents/sub%2Fpolicy%20v2.md#s-risk-tiers');
  });

  it('links the original only when it is http(s); the viewer always, absolute under a public URL', () => {
    expect(citationLinks({ source: 'p.md', section: 'S', url: 'internal://ai-policy' })).toEqual({ document: '/console/documents/p.md#s-s' });
    expect(citationLinks({ source: 'p.md', section: 'S', url: 'javascript:alert(1)' }, 'https://shishin.example/')).toEqual({
      document: 'https://shishin.example/console/documents/p.md#s-s',
    });
    expect(citationLinks({ source: 'p.md', section: 'S', url: 'https://eur-lex.europa.eu/x' })).toEqual({
      document: '/console/documents/p.md#s-s',
      original: 'https://eur-lex.europa.eu/x',
    });
    // A citation stored before the viewer existed gets both links at render time.
    expect(withDocumentLinks({ source: 'p.md', section: 'S', url: 'internal://ai-policy', quote: 'q' })).toEqual({
      source: 'p.md',
      section: 'S',
      quote: 'q',
      url: '/console/documents/p.md#s-s',
      documentUrl: '/console/documents/p.md#s-s',
    });
  });
});

describe('corpus documents', () => {
  const passages = [
    passage('policy.md', 'Risk tiers', 'Four tiers apply.', 0, { url: 'internal://ai-policy' }),
    passage('policy.md', 'Risk tiers › 指針 (guide)', '日本語の本文。', 1),
    passage('gone.md', 'Part one', 'The first chunk ends with shared words here', 0, { title: 'Gone', url: 'https://example.org/gone' }),
    passage('gone.md', 'Part one', 'shared words here and then the rest.', 1, { title: 'Gone' }),
  ];
  let documents: ReturnType<typeof createCorpusDocuments>;
  beforeAll(() => {
    documents = createCorpusDocuments({ corpusDir: dir, passages: () => passages, logger: silentLogger() });
  });

  it('reads an indexed document from its file with a unique anchor per section', async () => {
    const document = await documents.read('policy.md');
    expect(document?.readFrom).toBe('file');
    expect(document?.originalUrl).toBeUndefined();
    expect(document?.sections.map((section) => section.anchor)).toEqual(['s-top', 's-risk-tiers', 's-risk-tiers-2', 's-risk-tiers-指針-guide']);
    expect(document?.sections[1]?.paragraphs).toEqual(['Four tiers apply.', '- High', '- Low']);
  });

  it('rebuilds a document whose file is gone from its passages, without the repeated overlap', async () => {
    const document = await documents.read('gone.md');
    expect(document?.readFrom).toBe('passages');
    expect(document?.originalUrl).toBe('https://example.org/gone');
    expect(document?.sections[0]?.paragraphs).toEqual(['The first chunk ends with shared words here and then the rest.']);
  });

  it('reads only indexed sources: no paths, no unknown names', async () => {
    expect(await documents.read('../etc/passwd')).toBeUndefined();
    expect(await documents.read('missing.md')).toBeUndefined();
    expect(documents.list().map((document) => document.id)).toEqual(['gone.md', 'policy.md']);
  });
});
