import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeEmbeddings } from '@langchain/core/utils/testing';
import { defaultChunking } from '../../core/ingest/chunk-document.js';
import { isShishinError } from '../../errors.js';
import type { Embedder } from '../../ports/embedder.js';
import { describePassageIndexContract, sourcePassages } from '../../../test/helpers/passage-index-contract.js';
import { LocalEmbedder } from '../embeddings/local-embedder.js';
import { CorpusIndex, type CorpusIndexOptions } from './corpus-index.js';

const temporaryFolders: string[] = [];
const embedder = new LocalEmbedder();

function scratch(): { dataDir: string; corpusDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'shishin-index-'));
  temporaryFolders.push(root);
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  return { dataDir, corpusDir };
}

function writeCorpus(corpusDir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(corpusDir, name);
    rmSync(target, { force: true });
    writeFileSync(target, content, { flag: 'w' });
  }
}

function corpusFile(title: string, framework: string, jurisdiction: string, body: string): string {
  return `---\ntitle: "${title}"\nsource_url: "https://example.org/${framework}"\njurisdiction: "${jurisdiction}"\nkind: "law"\nframework: "${framework}"\nlanguage: "en"\n---\n\n${body}\n`;
}

const transparency = corpusFile(
  'Transparency rules',
  'eu-ai-act',
  'EU',
  '## Article 50 — Transparency\n\nProviders must inform people that they are talking to a chatbot.\n\n### Deepfakes\n\nDeployers must disclose that generated images, audio or video are artificially generated or manipulated.\n\n## Article 99 — Penalties\n\nFines reach EUR 35 million or 7% of worldwide turnover for prohibited practices.',
);
// Forty unrelated sections, so that the words of the small test documents are not "common" (expansions
// skip words found in more than 10 % of the passages).
const filler = corpusFile(
  'Miscellany',
  'misc',
  'US',
  Array.from({ length: 40 }, (_, position) => `## Part ${position + 1}\n\nThis part lists further details about topic number ${position + 1}.`).join('\n\n'),
);
const privacy = corpusFile(
  'Privacy principles',
  'privacy-act',
  'JP',
  '## Consent\n\nPersonal information may only be handed to third parties with the consent of the person concerned.\n\n## Security\n\nBusinesses must keep personal data secure against leaks and loss.',
);

beforeAll(() => embedder.load());
afterEach(() => {
  while (temporaryFolders.length > 0) rmSync(temporaryFolders.pop() as string, { recursive: true, force: true });
});

async function openWith(files: Record<string, string>, options: { embedder?: Embedder } & Pick<CorpusIndexOptions, 'lexicon' | 'thesaurus' | 'glossary' | 'fieldWeights'> = {}) {
  const folders = scratch();
  await import('node:fs/promises').then(({ mkdir }) => mkdir(folders.corpusDir, { recursive: true }));
  writeCorpus(folders.corpusDir, files);
  const index = await CorpusIndex.open({ ...folders, autoIngest: true, ...options, embedder: options.embedder ?? embedder });
  return { index, ...folders };
}

/** Four-dimensional vectors: enough for hnswlib, and quick. */
const contractEmbedder = Object.assign(new FakeEmbeddings(), { id: 'contract-embedder@1', dimensions: 4 }) as Embedder;

describePassageIndexContract('CorpusIndex', async () => {
  const options = { ...scratch(), embedder: contractEmbedder, lexicon: null, thesaurus: null, glossary: null };
  return { index: await CorpusIndex.open(options), embedderId: contractEmbedder.id, dimensions: 4, openAnother: () => CorpusIndex.open(options) };
});

describe('CorpusIndex', () => {
  it('auto-ingests the corpus, finds sections and persists for the next open', async () => {
    const { index, dataDir, corpusDir } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    expect(index.size()).toBe(5);
    expect(index.findSection('transparency.md', 'Article 50 — Transparency').map((passage) => passage.section)).toEqual([
      'Article 50 — Transparency',
      'Article 50 — Transparency › Deepfakes',
    ]);
    expect(index.findSection('transparency.md', 'Article 50')).toEqual([]);
    expect(index.findSection('missing.md', 'Consent')).toEqual([]);
    const files = readdirSync(path.join(dataDir, 'index'));
    expect(files).toEqual(expect.arrayContaining(['manifest.json']));
    expect(files.some((name) => name.startsWith('hnsw-'))).toBe(true);
    expect(files.some((name) => name.startsWith('lexical-'))).toBe(true);
    const reopened = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(reopened.size()).toBe(5);
    const [best] = await reopened.search('consent before giving personal information to third parties', { k: 3 });
    expect(best?.passage).toMatchObject({ source: 'privacy.md', section: 'Consent', url: 'https://example.org/privacy-act' });
  });

  it('stores passages as ASCII JSON and reads Japanese and other non-ASCII text back unchanged', async () => {
    const japanese = '---\ntitle: 指針の要約 — café 😀\n---\n\n# 要約\n\n## 罰則\n\nこのガイドラインには罰則がありません。EU の AI 法には制裁金があります。\n';
    const { index, dataDir, corpusDir } = await openWith({ 'summary-ja.md': japanese });
    const stored = readdirSync(path.join(dataDir, 'index')).find((name) => name.startsWith('passages-')) as string;
    const bytes = readFileSync(path.join(dataDir, 'index', stored));
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const reopened = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(reopened.allPassages()).toEqual(index.allPassages());
    const passage = reopened.allPassages().find((candidate) => candidate.text.includes('罰則がありません'));
    expect(passage).toMatchObject({ title: '指針の要約 — café 😀' });
    expect(passage?.section).toContain('罰則');
  });

  it('ranks by relevance with scores in [0, 1], and applies metadata filters', async () => {
    const { index } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    const results = await index.search('fines for prohibited practices', { k: 5 });
    expect(results[0]?.passage.section).toBe('Article 99 — Penalties');
    for (const result of results) {
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
    const scores = results.map((result) => result.score);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
    const unfiltered = await index.search('fines for leaking personal data', { k: 5 });
    expect(unfiltered.some((result) => result.passage.jurisdiction === 'EU')).toBe(true);
    const filtered = await index.search('fines for leaking personal data', { k: 5, filter: { jurisdiction: ['JP'] } });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((result) => result.passage.jurisdiction === 'JP')).toBe(true);
    for (const mode of ['dense', 'bm25'] as const) {
      const bySource = await index.search('personal data security', { k: 5, mode, filter: { source: ['transparency.md'] } });
      expect(bySource.every((result) => result.passage.source === 'transparency.md')).toBe(true);
    }
    expect(await index.search('fines', { filter: { framework: ['none'] } })).toEqual([]);
    expect(await index.search('fines', { filter: { kind: ['law'], framework: ['eu-ai-act'] } })).not.toEqual([]);
  });

  it('reaches a passage through a WordNet synonym of a question word, below the weight of the word itself', async () => {
    const corrections = corpusFile(
      'Corrections',
      'policy',
      'EU',
      '## Errors\n\nProviders must correct every error in their records without delay.\n\n## Summaries\n\nProviders must publish a summary of their records every year.',
    );
    const { index } = await openWith({ 'corrections.md': corrections, 'filler.md': filler }, { lexicon: null });
    const question = 'What must providers do about a mistake in their records?';
    const [expanded] = await index.search(question, { k: 2, mode: 'bm25' });
    expect(expanded?.passage.section).toBe('Errors');
    const plain = await index.search(question, { k: 2, mode: 'bm25', expand: false });
    const plainErrors = plain.find((result) => result.passage.section === 'Errors')?.score ?? 0;
    expect(expanded?.score).toBeGreaterThan(plainErrors);
    // The synonym counts less than the word itself would.
    const [direct] = await index.search('What must providers do about an error in their records?', { k: 1, mode: 'bm25' });
    expect(direct?.passage.section).toBe('Errors');
    expect(direct?.score).toBeGreaterThan(expanded?.score ?? 1);
    const { index: withoutSynonyms } = await openWith({ 'corrections.md': corrections, 'filler.md': filler }, { lexicon: null, thesaurus: null });
    const unexpanded = await withoutSynonyms.search(question, { k: 2, mode: 'bm25' });
    expect(unexpanded.find((result) => result.passage.section === 'Errors')?.score ?? 0).toBeCloseTo(plainErrors, 6);
  });

  it('bridges a Japanese question to an English passage through kanji meanings', async () => {
    const { index } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy, 'filler.md': filler }, { lexicon: null });
    const question = '透明性の規則は？';
    const results = await index.search(question, { k: 3, mode: 'bm25' });
    expect(results[0]?.passage.source).toBe('transparency.md');
    const { index: withoutBridge } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy, 'filler.md': filler }, { lexicon: null, glossary: null });
    expect(await withoutBridge.search(question, { k: 3, mode: 'bm25' })).toEqual([]);
  });

  it('records the BM25 field weights and rebuilds when they change', async () => {
    const { dataDir, corpusDir } = await openWith({ 'transparency.md': transparency });
    const manifest = () => JSON.parse(readFileSync(path.join(dataDir, 'index', 'manifest.json'), 'utf8')) as { generation: string; tokenizer: { fields?: unknown } };
    const first = manifest();
    expect(first.tokenizer.fields).toEqual({ section: 1.5, title: 0.5 });
    await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(manifest().generation).toBe(first.generation);
    await CorpusIndex.open({ dataDir, corpusDir, embedder, fieldWeights: { section: 3 } });
    expect(manifest()).toMatchObject({ tokenizer: { fields: { section: 3, title: 0.5 } } });
    expect(manifest().generation).not.toBe(first.generation);
  });

  it('reports coverage evidence: an off-topic question scores below the threshold, an on-topic one above', async () => {
    const { index } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    const onTopic = await index.searchWithEvidence('Do deployers have to disclose deepfakes?');
    const offTopic = await index.searchWithEvidence('What is a good recipe for banana bread?');
    expect(onTopic.evidence.covered).toBe(true);
    expect(offTopic.evidence.covered).toBe(false);
    expect(offTopic.evidence.topLexical).toBe(0);
    expect(onTopic.evidence.topScore).toBeGreaterThan(offTopic.evidence.topScore);
    const otherCountry = await index.searchWithEvidence('Do deployers in Singapore have to disclose deepfakes?');
    expect(otherCountry.evidence.unknownTerms).toEqual(['singapor']);
    expect(otherCountry.evidence.queryCoverage).toBeLessThan(onTopic.evidence.queryCoverage);
    expect(otherCountry.evidence.topScore).toBeLessThan(onTopic.evidence.topScore);
    expect(otherCountry.results[0]?.passage.section).toBe('Article 50 — Transparency › Deepfakes');
  });

  it('finds a paraphrase through the dense side alone (semantic, not lexical)', async () => {
    const { index } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    const query = 'synthetic pictures';
    expect(await index.search(query, { mode: 'bm25' })).toEqual([]);
    const [best] = await index.search(query, { mode: 'dense', k: 1 });
    expect(best?.passage.section).toBe('Article 50 — Transparency › Deepfakes');
  });

  it('ingests incrementally: unchanged skipped, changed updated, deleted dropped', async () => {
    const { index, corpusDir } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    const unchanged = await index.ingest();
    expect(unchanged).toMatchObject({ added: [], updated: [], removed: [], failed: [], unchanged: ['privacy.md', 'transparency.md'], passages: 5 });
    writeCorpus(corpusDir, { 'privacy.md': privacy.replace('## Security', '## Retention\n\nDelete data when it is no longer needed.\n\n## Security') });
    const changed = await index.ingest();
    expect(changed).toMatchObject({ updated: ['privacy.md'], unchanged: ['transparency.md'], passages: 6 });
    expect(index.findSection('privacy.md', 'Retention')).toHaveLength(1);
    unlinkSync(path.join(corpusDir, 'transparency.md'));
    const removed = await index.ingest();
    expect(removed).toMatchObject({ removed: ['transparency.md'], unchanged: ['privacy.md'], passages: 3 });
    expect(index.findSection('transparency.md', 'Article 50 — Transparency')).toEqual([]);
    expect((await index.search('deepfakes chatbot')).every((result) => result.passage.source === 'privacy.md')).toBe(true);
  });

  it('refuses a commit of vectors from another embedder than the one it embeds questions with', async () => {
    const index = await CorpusIndex.open({ ...scratch(), embedder: contractEmbedder, lexicon: null, thesaurus: null, glossary: null });
    const refused = await index
      .update(async (writer) => {
        writer.putSource(sourcePassages('a.md', 1, 4));
        await writer.commit({ embedderId: 'other-embedder@1', chunking: defaultChunking });
      })
      .catch((error: unknown) => error);
    expect(isShishinError(refused, 'conflict')).toBe(true);
    expect(index.size()).toBe(0);
  });

  it('rebuilds when the stored index was built by another embedder', async () => {
    const { dataDir, corpusDir } = await openWith({ 'transparency.md': transparency });
    const other = Object.assign(new FakeEmbeddings(), { id: 'fake-embeddings@1', dimensions: 4 }) as Embedder;
    const logged: string[] = [];
    const { createLogger } = await import('../../logger.js');
    const { Writable } = await import('node:stream');
    const logger = createLogger({ destination: new Writable({ write: (chunk, _encoding, done) => (logged.push(String(chunk)), done()) }) });
    const reopened = await CorpusIndex.open({ dataDir, corpusDir, embedder: other, logger });
    expect(reopened.size()).toBe(3);
    expect(logged.join('')).toContain('built with embedder local-glove-100d-int8@1');
    const manifest = JSON.parse(readFileSync(path.join(dataDir, 'index', 'manifest.json'), 'utf8')) as { embedder: { id: string; dimensions: number } };
    expect(manifest.embedder).toEqual({ id: 'fake-embeddings@1', dimensions: 4 });
  });

  it('rebuilds instead of reading a corrupt or missing index file', async () => {
    const { dataDir, corpusDir } = await openWith({ 'transparency.md': transparency, 'privacy.md': privacy });
    const indexDir = path.join(dataDir, 'index');
    const manifest = JSON.parse(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { name: string }> };
    writeFileSync(path.join(indexDir, manifest.artifacts['passages']?.name as string), '[{"broken": tru');
    const repaired = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(repaired.size()).toBe(5);
    expect((await repaired.search('consent'))[0]?.passage.source).toBe('privacy.md');
    const again = JSON.parse(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { name: string }> };
    unlinkSync(path.join(indexDir, again.artifacts['hnsw']?.name as string));
    const fromMissing = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(fromMissing.size()).toBe(5);
    writeFileSync(path.join(indexDir, 'manifest.json'), 'not json');
    expect((await CorpusIndex.open({ dataDir, corpusDir, embedder })).size()).toBe(5);
  });

  it('starts empty without autoIngest and answers searches with no results', async () => {
    const folders = scratch();
    const index = await CorpusIndex.open({ ...folders, embedder });
    expect(index.size()).toBe(0);
    expect(await index.search('anything')).toEqual([]);
    expect((await index.searchWithEvidence('anything')).evidence.covered).toBe(false);
  });

  it('serialises concurrent ingests of one folder and leaves a consistent index', async () => {
    const { index, dataDir, corpusDir } = await openWith({ 'transparency.md': transparency });
    writeCorpus(corpusDir, { 'privacy.md': privacy });
    const second = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    const [left, right] = await Promise.all([index.ingest(), second.ingest()]);
    expect([...left.added, ...right.added]).toEqual(['privacy.md']);
    const reader = await CorpusIndex.open({ dataDir, corpusDir, embedder });
    expect(reader.size()).toBe(5);
  });

  it('never shows a reader in another process a half-written index while a writer rebuilds', async () => {
    const files: Record<string, string> = {};
    for (let number = 0; number < 40; number += 1) {
      files[`document-${number}.md`] = corpusFile(`Document ${number}`, `framework-${number}`, 'EU', `## Part A\n\nRules about topic ${number} and risk management.\n\n## Part B\n\nMore on oversight ${number}.`);
    }
    const { dataDir, corpusDir, index } = await openWith(files);
    expect(index.size()).toBe(80);
    const script = `
      const { CorpusIndex } = await import(${JSON.stringify(path.resolve('src/providers/index/corpus-index.ts'))});
      const { LocalEmbedder } = await import(${JSON.stringify(path.resolve('src/providers/embeddings/local-embedder.ts'))});
      const index = await CorpusIndex.open({ dataDir: ${JSON.stringify(dataDir)}, corpusDir: ${JSON.stringify(corpusDir)}, embedder: new LocalEmbedder() });
      process.stdout.write('ready\\n');
      for (let round = 0; round < 6; round += 1) await index.ingest(undefined, { rebuild: true });
      process.stdout.write('done\\n');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const started = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => ((output += String(chunk)), output.includes('ready') && resolve())));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    await started;
    const { createLogger } = await import('../../logger.js');
    const { Writable } = await import('node:stream');
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _encoding, done) => (warnings.push(String(chunk)), done()) }) });
    let reads = 0;
    while (running && reads < 500) {
      const reader = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger });
      expect(reader.size()).toBe(80);
      reads += 1;
    }
    expect(await exited).toBe(0);
    expect(output).toContain('done');
    expect(reads).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
  });
});
