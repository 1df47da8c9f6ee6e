// Measures retrieval configurations on evals/qa-gold.jsonl and prints Markdown tables: dense only,
// BM25 only, weighted fusion at several dense weights, reciprocal-rank fusion, chunk sizes, CJK
// bigrams on/off, and the LangChain default recipe. Then calibrates the "not covered" threshold for
// the default configuration. Usage: npx tsx evals/baselines/compare-retrieval.ts [gold.jsonl]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultChunking } from '../../src/core/ingest/chunk-document.js';
import { LocalEmbedder } from '../../src/providers/embeddings/local-embedder.js';
import { CorpusIndex, defaultTokenizer, type CorpusSearchOptions, type CorpusIndexOptions } from '../../src/providers/index/corpus-index.js';
import { buildLangchainBaseline } from './langchain-default.js';
import { calibrateThreshold, evaluateRetrieval, loadGold, type GoldItem, type RetrievalFigures } from './retrieval-metrics.js';

const goldFile = process.argv.slice(2).find((argument) => !argument.startsWith('--')) ?? 'evals/qa-gold.jsonl';
const corpusDir = path.resolve('corpus');
const gold = loadGold(goldFile);
const embedder = new LocalEmbedder();
embedder.load();
const folders: string[] = [];

async function openIndex(overrides: Partial<CorpusIndexOptions> = {}): Promise<CorpusIndex> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shishin-compare-'));
  folders.push(dataDir);
  return CorpusIndex.open({ dataDir, corpusDir, embedder, autoIngest: true, ...overrides });
}

const format = (value: number) => value.toFixed(3);
const rows: string[] = [];
function record(name: string, figures: RetrievalFigures, subset: GoldItem[] = gold) {
  const byLanguage = (language: string) => {
    const ids = new Set(subset.filter((item) => item.language === language && item.expected.length > 0).map((item) => item.id));
    const outcomes = figures.outcomes.filter((outcome) => ids.has(outcome.id));
    return outcomes.length === 0 ? '–' : format(outcomes.filter((outcome) => outcome.hitRank >= 1 && outcome.hitRank <= 5).length / outcomes.length);
  };
  const mrrJapanese = (() => {
    const ids = new Set(subset.filter((item) => item.language === 'ja' && item.expected.length > 0).map((item) => item.id));
    const outcomes = figures.outcomes.filter((outcome) => ids.has(outcome.id));
    return outcomes.length === 0 ? '–' : format(outcomes.reduce((sum, outcome) => sum + (outcome.hitRank > 0 ? 1 / outcome.hitRank : 0), 0) / outcomes.length);
  })();
  rows.push(`| ${name} | ${format(figures.recallAt1)} | ${format(figures.recallAt5)} | ${format(figures.mrr)} | ${byLanguage('en')} | ${byLanguage('ja')} | ${mrrJapanese} |`);
}

const index = await openIndex();
const configurations: Array<[string, CorpusSearchOptions]> = [
  ['dense only', { mode: 'dense' }],
  ['BM25 only', { mode: 'bm25' }],
  ...[0.3, 0.4, 0.5, 0.6, 0.7].map((weight): [string, CorpusSearchOptions] => [`weighted, dense weight ${weight}`, { fusion: { method: 'weighted', denseWeight: weight } }]),
  ...[10, 60].map((k): [string, CorpusSearchOptions] => [`RRF, k = ${k}`, { fusion: { method: 'rrf', rrfK: k } }]),
];
const figuresByName = new Map<string, RetrievalFigures>();
for (const [name, options] of configurations) {
  const figures = await evaluateRetrieval((question) => index.search(question, { k: 10, ...options }), gold);
  figuresByName.set(name, figures);
  record(name, figures);
}
const baseline = await buildLangchainBaseline(corpusDir, embedder);
record('LangChain default recipe (1000/200 split, HNSWLib, dense only)', await evaluateRetrieval((question) => baseline.search(question, { k: 10 }), gold));

const variants: Array<[string, Partial<CorpusIndexOptions>]> = [
  ['chunk 1000 / overlap 120', { chunking: { chunkSize: 1000, chunkOverlap: 120, version: defaultChunking.version } }],
  ['chunk 1500 / overlap 150', { chunking: { chunkSize: 1500, chunkOverlap: 150, version: defaultChunking.version } }],
  ['centred vectors, floor 0', { centreVectors: true, denseFloor: 0 }],
  [defaultTokenizer.cjkBigrams ? 'no CJK bigrams' : 'with CJK bigrams', { tokenizer: { ...defaultTokenizer, cjkBigrams: !defaultTokenizer.cjkBigrams } }],
];
for (const [name, overrides] of variants) {
  const variant = await openIndex(overrides);
  record(`default fusion, ${name} (${variant.size()} passages)`, await evaluateRetrieval((question) => variant.search(question, { k: 10 }), gold));
}

console.log(`Gold: ${gold.length} questions, ${gold.filter((item) => item.expected.length > 0).length} answerable; index: ${index.size()} passages (chunk ${defaultChunking.chunkSize}/${defaultChunking.chunkOverlap}).\n`);
console.log('| configuration | recall@1 | recall@5 | MRR@10 | recall@5 en | recall@5 ja | MRR@10 ja |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);

console.log('\nThreshold on the top score (default fusion), by query-coverage setting:\n');
console.log('| query-coverage evidence | answerable kept ≥ | threshold | accuracy | answerable kept | unanswerable rejected |');
console.log('| --- | --- | --- | --- | --- | --- |');
const evidenceVariants: Array<[string, CorpusIndex]> = [
  ['off (name weight 0, scale 1)', await openIndex({ nameWeight: 0 })],
  ['names weigh 1×', await openIndex({ nameWeight: 1 })],
  ['names weigh 3× (default)', index],
];
for (const [name, variant] of evidenceVariants) {
  const figures = await evaluateRetrieval(
    name.startsWith('off')
      ? async (question) => {
          const { results, evidence } = await variant.searchWithEvidence(question, { k: 10 });
          const scale = evidence.queryCoverage > 0 ? evidence.queryCoverage ** 2 : 1;
          return results.map((result) => ({ ...result, score: result.score / scale }));
        }
      : (question) => variant.search(question, { k: 10 }),
    gold,
  );
  for (const minimum of [0.9, 0.95]) {
    const choice = calibrateThreshold(figures.outcomes, minimum);
    console.log(`| ${name} | ${minimum} | ${choice.threshold} | ${format(choice.accuracy)} | ${format(choice.answerableKept)} | ${format(choice.unanswerableRejected)} |`);
  }
}
const defaults = await evaluateRetrieval((question) => index.search(question, { k: 10 }), gold);
const sorted = (answerable: boolean) =>
  defaults.outcomes
    .filter((outcome) => outcome.answerable === answerable)
    .map((outcome) => outcome.topScore.toFixed(3))
    .sort()
    .join(' ');
console.log(`\nTop scores, unanswerable: ${sorted(false)}`);
console.log(`Top scores, answerable:   ${sorted(true)}`);
if (process.argv.includes('--misses')) {
  for (const outcome of defaults.outcomes.filter((entry) => entry.answerable && entry.hitRank !== 1)) {
    const item = gold.find((entry) => entry.id === outcome.id) as GoldItem;
    const [top] = await index.search(item.question, { k: 1 });
    console.log(`miss ${outcome.id} rank ${outcome.hitRank}: ${item.question} → got ${top?.passage.source} | ${top?.passage.section}; want ${item.expected.map((entry) => `${entry.source} | ${entry.section}`).join(' / ')}`);
  }
}
for (const folder of folders) rmSync(folder, { recursive: true, force: true });
