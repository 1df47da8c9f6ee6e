import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryPassageIndex } from '../../../test/helpers/in-memory-passage-index.js';
import { describePassageIndexContract } from '../../../test/helpers/passage-index-contract.js';
import { isShishinError } from '../../errors.js';
import type { Embedder } from '../../ports/embedder.js';
import { defaultChunking } from './chunk-document.js';
import { embeddingText } from './embedding-text.js';
import { ingestCorpus, type IngestDependencies } from './ingest-corpus.js';

const fixtures = path.resolve('test/fixtures/ingest');
const temporaryFolders: string[] = [];

afterEach(() => {
  while (temporaryFolders.length > 0) rmSync(temporaryFolders.pop() as string, { recursive: true, force: true });
});

/** A small deterministic embedder (vectors from the text's hash) that records what it was asked to embed. */
class RecordingEmbedder implements Embedder {
  readonly dimensions = 4;
  readonly embedded: string[] = [];
  failure: Error | undefined;

  constructor(readonly id = 'recording@1') {}

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.failure) throw this.failure;
    this.embedded.push(...texts);
    return Promise.all(texts.map((text) => this.embedQuery(text)));
  }

  async embedQuery(text: string): Promise<number[]> {
    const digest = createHash('sha256').update(text).digest();
    return Array.from({ length: this.dimensions }, (_, d) => (digest[d] as number) / 255);
  }
}

describePassageIndexContract('InMemoryPassageIndex (the pipeline tests’ index)', async () => {
  const index = new InMemoryPassageIndex();
  return { index, embedderId: 'recording@1', dimensions: 4, openAnother: async () => index };
});

function document(title: string, sections: Record<string, string>): string {
  return `---\ntitle: "${title}"\nlanguage: "en"\n---\n\n${Object.entries(sections).map(([heading, body]) => `## ${heading}\n\n${body}`).join('\n\n')}\n`;
}

const transparency = document('Transparency', { 'Article 50': 'Providers must inform people that they talk to a chatbot.', Deepfakes: 'Deployers must disclose generated images.' });
const privacy = document('Privacy', { Consent: 'Personal information needs consent before it is shared.' });
const security = document('Security', { Logging: 'Keep access logs for a year.' });

function corpus(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'shishin-ingest-'));
  temporaryFolders.push(root);
  const corpusDir = path.join(root, 'corpus');
  mkdirSync(corpusDir);
  write(corpusDir, files);
  return corpusDir;
}

function write(corpusDir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(corpusDir, name)), { recursive: true });
    writeFileSync(path.join(corpusDir, name), content);
  }
}

function setUp(files: Record<string, string>) {
  const corpusDir = corpus(files);
  const index = new InMemoryPassageIndex();
  const embedder = new RecordingEmbedder();
  const dependencies: IngestDependencies = { index, embedder, corpusDir };
  return { corpusDir, index, embedder, dependencies };
}

const sourcesOf = (index: InMemoryPassageIndex) => [...new Set(index.passages().map((passage) => passage.source))];

describe('ingestCorpus', () => {
  it('indexes every file on the first run, embedding each passage once with its heading path', async () => {
    const { corpusDir, index, embedder, dependencies } = setUp({ 'transparency.md': transparency, 'policies/privacy.md': privacy });
    const report = await ingestCorpus(dependencies);
    expect(report).toMatchObject({ added: ['policies/privacy.md', 'transparency.md'], updated: [], unchanged: [], removed: [], failed: [], passages: 3 });
    expect(index.passages().map((passage) => `${passage.source} ${passage.section}`)).toEqual([
      'policies/privacy.md Consent',
      'transparency.md Article 50',
      'transparency.md Deepfakes',
    ]);
    expect([...embedder.embedded].sort()).toEqual(index.passages().map(embeddingText).sort());
    const deepfakes = index.passages().find((passage) => passage.chunkId === 'transparency.md#1');
    expect(deepfakes?.section).toBe('Deepfakes');
    expect(index.vectorOf('transparency.md#1')).toEqual(await embedder.embedQuery(`Deepfakes\n${deepfakes?.text}`));
    const file = path.join(corpusDir, 'transparency.md');
    expect(index.manifest()).toMatchObject({
      embedderId: 'recording@1',
      chunking: defaultChunking,
      sources: { 'transparency.md': { path: file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), passages: 2 } },
    });
    expect(index.commits).toBe(1);
  });

  it('skips unchanged files without embedding or committing anything', async () => {
    const { index, embedder, dependencies } = setUp({ 'transparency.md': transparency, 'privacy.md': privacy });
    await ingestCorpus(dependencies);
    const embeddedBefore = embedder.embedded.length;
    const report = await ingestCorpus(dependencies);
    expect(report).toMatchObject({ added: [], updated: [], removed: [], failed: [], unchanged: ['privacy.md', 'transparency.md'], passages: 3 });
    expect(embedder.embedded).toHaveLength(embeddedBefore);
    expect(index.commits).toBe(1);
  });

  it('re-embeds only changed and new files, keeps the others as they were and drops deleted ones', async () => {
    const { corpusDir, index, embedder, dependencies } = setUp({ 'transparency.md': transparency, 'privacy.md': privacy, 'security.md': security });
    await ingestCorpus(dependencies);
    const keptVector = index.vectorOf('security.md#0');
    embedder.embedded.length = 0;
    write(corpusDir, { 'privacy.md': privacy.replace('## Consent', '## Retention\n\nDelete data when no longer needed.\n\n## Consent'), 'new.md': document('New', { Scope: 'A new policy.' }) });
    unlinkSync(path.join(corpusDir, 'transparency.md'));
    const report = await ingestCorpus(dependencies);
    expect(report).toMatchObject({ added: ['new.md'], updated: ['privacy.md'], unchanged: ['security.md'], removed: ['transparency.md'], failed: [], passages: 4 });
    expect(embedder.embedded.map((text) => text.split('\n')[0])).toEqual(['Scope', 'Retention', 'Consent']);
    expect(sourcesOf(index)).toEqual(['new.md', 'privacy.md', 'security.md']);
    expect(index.vectorOf('security.md#0')).toEqual(keptVector);
  });

  it('reports files that fail to load by name, indexes the others, and drops the old passages of a file that no longer loads', async () => {
    const { corpusDir, index, dependencies } = setUp({ 'transparency.md': transparency, 'privacy.md': privacy });
    await ingestCorpus(dependencies);
    for (const name of ['corrupt.pdf', 'encrypted.pdf', 'empty.md', 'unsupported.xyz', 'report.pdf', 'policy.docx', 'page.html']) {
      copyFileSync(path.join(fixtures, name), path.join(corpusDir, name));
    }
    write(corpusDir, { 'privacy.md': '' });
    const report = await ingestCorpus(dependencies);
    expect(report.added.sort()).toEqual(['page.html', 'policy.docx', 'report.pdf']);
    expect(report.failed.map((failure) => failure.file).sort()).toEqual(['corrupt.pdf', 'empty.md', 'encrypted.pdf', 'privacy.md', 'unsupported.xyz']);
    expect(report.failed.find((failure) => failure.file === 'encrypted.pdf')?.reason).toMatch(/encrypted/);
    expect(report.failed.find((failure) => failure.file === 'unsupported.xyz')?.reason).toMatch(/unsupported file type/);
    expect(report.removed).toEqual(['privacy.md']);
    expect(report.unchanged).toEqual(['transparency.md']);
    expect(sourcesOf(index)).toEqual(['page.html', 'policy.docx', 'report.pdf', 'transparency.md']);
    expect(index.passages().find((passage) => passage.source === 'report.pdf' && passage.section === 'page 2')).toMatchObject({ page: 2, title: 'Model Risk Report' });
  });

  it('drops only what lies under the paths given, and reports paths that do not exist unless they held indexed files', async () => {
    const { corpusDir, index, dependencies } = setUp({ 'transparency.md': transparency, 'policies/privacy.md': privacy, 'policies/security.md': security });
    await ingestCorpus(dependencies);
    unlinkSync(path.join(corpusDir, 'transparency.md'));
    unlinkSync(path.join(corpusDir, 'policies/security.md'));
    const report = await ingestCorpus(dependencies, {
      paths: [path.join(corpusDir, 'policies'), path.join(corpusDir, 'nowhere.md'), path.join(corpusDir, 'policies/security.md')],
    });
    expect(report).toMatchObject({ added: [], updated: [], unchanged: ['policies/privacy.md'], removed: ['policies/security.md'] });
    expect(report.failed).toEqual([{ file: path.join(corpusDir, 'nowhere.md'), reason: 'not found' }]);
    // Outside the paths given: kept although its file is gone.
    expect(sourcesOf(index)).toEqual(['policies/privacy.md', 'transparency.md']);
  });

  it('rebuilds from nothing when asked, committing even when no file changed', async () => {
    const { index, embedder, dependencies } = setUp({ 'transparency.md': transparency, 'privacy.md': privacy });
    await ingestCorpus(dependencies);
    embedder.embedded.length = 0;
    const report = await ingestCorpus(dependencies, { rebuild: true });
    expect(report).toMatchObject({ added: ['privacy.md', 'transparency.md'], updated: [], unchanged: [], removed: [], passages: 3 });
    expect(embedder.embedded).toHaveLength(3);
    expect(index.commits).toBe(2);
    const empty = setUp({});
    expect(await ingestCorpus(empty.dependencies, { rebuild: true })).toMatchObject({ added: [], passages: 0 });
    expect(empty.index.commits).toBe(1);
  });

  it('refuses to mix vectors of another embedder or passages of other chunking into an index, unless rebuilding', async () => {
    const { index, dependencies } = setUp({ 'transparency.md': transparency });
    await ingestCorpus(dependencies);
    const other = { ...dependencies, embedder: new RecordingEmbedder('other@2') };
    const refused = await ingestCorpus(other).catch((error: unknown) => error);
    expect(isShishinError(refused, 'conflict')).toBe(true);
    expect((refused as Error).message).toContain('with embedder recording@1, now other@2');
    const rechunked = await ingestCorpus({ ...dependencies, chunking: { ...defaultChunking, chunkSize: 300 } }).catch((error: unknown) => error);
    expect(isShishinError(rechunked, 'conflict')).toBe(true);
    expect(await ingestCorpus(other, { rebuild: true })).toMatchObject({ added: ['transparency.md'] });
    expect(index.manifest().embedderId).toBe('other@2');
  });

  it('leaves the index as it was when embedding fails', async () => {
    const { corpusDir, index, embedder, dependencies } = setUp({ 'transparency.md': transparency });
    await ingestCorpus(dependencies);
    const before = index.manifest();
    write(corpusDir, { 'privacy.md': privacy });
    embedder.failure = new Error('embedding service down');
    await expect(ingestCorpus(dependencies)).rejects.toThrow('embedding service down');
    expect(index.manifest()).toEqual(before);
    embedder.failure = undefined;
    expect(await ingestCorpus(dependencies)).toMatchObject({ added: ['privacy.md'], unchanged: ['transparency.md'] });
  });
});
