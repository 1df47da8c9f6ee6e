import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestFileError } from './ingest-file-error.js';
import { loadDocumentData } from './load-document.js';

const fixtures = path.resolve('test/fixtures/ingest');
const load = (name: string) => loadDocumentData(name, readFileSync(path.join(fixtures, name)));
const headingPaths = (sections: Array<{ headings: string[] }>) => sections.map((section) => section.headings.join(' › '));

describe('loaders on real files', () => {
  it('reads Markdown front matter and headings', async () => {
    const document = await load('guide.md');
    expect(document.metadata).toMatchObject({ title: 'Sample governance guide', url: 'https://example.org/guide', published: '2025-12-19', framework: 'sample-guide' });
    expect(headingPaths(document.sections)).toEqual(['', 'Article 50 — Transparency', 'Article 50 — Transparency › Deepfakes', 'Article 99 — Penalties']);
  });

  it('reads HTML headings and drops navigation and scripts', async () => {
    const document = await load('page.html');
    expect(document.metadata.title).toBe('Incident Response Playbook');
    expect(headingPaths(document.sections)).toEqual(['', 'Detection', 'Detection › Escalation', 'Recovery']);
    const all = document.sections.map((section) => section.text).join('\n');
    expect(all).toContain('Monitor outputs for drift and harmful content.');
    expect(all).not.toMatch(/navigation|tracking|console|color:red/);
  });

  it('reads PDF pages as sections with page numbers and the Info title', async () => {
    const document = await load('report.pdf');
    expect(document.metadata.title).toBe('Model Risk Report');
    expect(document.sections.map((section) => [section.headings.join(), section.page])).toEqual([
      ['page 1', 1],
      ['page 2', 2],
    ]);
    expect(document.sections[1]?.text).toContain('A reviewer must be able to stop the system at any time.');
  });

  it('reads DOCX heading styles as sections', async () => {
    const document = await load('policy.docx');
    expect(document.metadata.title).toBe('Acceptable Use of Generative AI');
    expect(headingPaths(document.sections)).toEqual(['Scope', 'Approved tools', 'Approved tools › Requesting a new tool']);
  });

  it('reads plain text', async () => {
    const document = await load('notes.txt');
    expect(document.sections[0]?.text).toContain('training proportionate to their role');
  });

  it.each([
    ['corrupt.pdf', 'corrupt'],
    ['truncated.pdf', 'corrupt'],
    ['encrypted.pdf', 'encrypted'],
    ['broken.docx', 'corrupt'],
    ['empty.md', 'empty'],
    ['unsupported.xyz', 'unsupported'],
  ])('rejects %s as %s', async (name, kind) => {
    const error = await load(name).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(IngestFileError);
    expect((error as IngestFileError).kind).toBe(kind);
  });

  it('rejects a zero-byte file as empty', async () => {
    await expect(loadDocumentData('x.md', Buffer.alloc(0))).rejects.toMatchObject({ kind: 'empty' });
  });
});
