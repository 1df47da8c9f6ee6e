// Benchmark section: retrieval. Starter corpus: ingest time, cold start in a fresh process (index
// open + embedder load + first query) and its RSS, search p50/p95 over the gold questions. Scale:
// synthetic corpora of 10k and 100k passages built from real corpus sentences recombined, ingested
// through the real pipeline (local embedder included, timed), then search p50/p95 and HNSW
// recall@10 against exact cosine search on the stored vectors.
// Set BENCH_RETRIEVAL_SIZES=10000 (comma list) to skip the 100k run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { loadMarkdown } from '../../src/core/ingest/markdown-loader.js';
import { LocalEmbedder } from '../../src/providers/embeddings/local-embedder.js';
import { CorpusIndex, defaultHnsw } from '../../src/providers/index/corpus-index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.join(root, 'corpus');

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}

function goldQuestions(): string[] {
  const file = path.join(root, 'evals', 'qa-gold.jsonl');
  if (existsSync(file)) {
    const questions = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { question: string }).question);
    if (questions.length > 0) return questions;
  }
  return [
    'Which AI practices are prohibited in the EU?',
    'What must deployers disclose about deepfakes?',
    'How high are the fines for prohibited practices?',
    'AI推進法に罰則はありますか？',
    'What is the cafeteria lunch menu on Friday?',
  ];
}

/** Real sentences from the corpus, the material for synthetic passages and queries. */
function corpusSentences(): string[] {
  const sentences: string[] = [];
  for (const name of readdirSync(corpusDir).filter((file) => file.endsWith('.md'))) {
    const document = loadMarkdown(readFileSync(path.join(corpusDir, name), 'utf8'));
    for (const section of document.sections) {
      for (const sentence of section.text.split(/(?<=[.!?。])\s+/)) if (sentence.length > 30) sentences.push(sentence.trim());
    }
  }
  return sentences;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeSyntheticCorpus(folder: string, passages: number, sentences: string[]): Promise<void> {
  const next = random(passages);
  const pick = () => sentences[Math.floor(next() * sentences.length)] as string;
  const perFile = 100;
  await mkdir(folder, { recursive: true });
  for (let file = 0; file * perFile < passages; file += 1) {
    const parts = [`---\ntitle: "Synthetic document ${file}"\njurisdiction: "${file % 2 === 0 ? 'EU' : 'JP'}"\nkind: "synthetic"\nlanguage: "en"\n---\n`];
    for (let section = 0; section < perFile && file * perFile + section < passages; section += 1) {
      const count = 3 + Math.floor(next() * 3);
      parts.push(`## Section ${file}.${section}\n\n${Array.from({ length: count }, pick).join(' ').slice(0, 560)}\n`);
    }
    await writeFile(path.join(folder, `synthetic-${String(file).padStart(5, '0')}.md`), parts.join('\n'));
  }
}

async function timedSearches(index: CorpusIndex, queries: string[], repeat: number): Promise<number[]> {
  const times: number[] = [];
  for (const query of queries.slice(0, 5)) await index.search(query, { k: 8 });
  for (let round = 0; round < repeat; round += 1) {
    for (const query of queries) {
      const started = performance.now();
      await index.search(query, { k: 8 });
      times.push(performance.now() - started);
    }
  }
  return times;
}

/** HNSW recall@10 against exact cosine search over the stored vectors of a persisted index. */
async function hnswRecall(dataDir: string, queries: number[][], ef: number): Promise<{ recall: number; tieAwareRecall: number; p50: number; p95: number }> {
  const indexDir = path.join(dataDir, 'index');
  const manifest = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8')) as {
    embedder: { dimensions: number };
    artifacts: { vectors: { name: string }; hnsw: { name: string } };
    centre: number[] | null;
  };
  const dimensions = manifest.embedder.dimensions;
  const bytes = await readFile(path.join(indexDir, manifest.artifacts.vectors.name));
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const count = vectors.length / dimensions;
  // The graph holds vectors minus the corpus centre (when centring is on); compare like with like.
  const centre = manifest.centre;
  if (centre) for (let position = 0; position < vectors.length; position += 1) vectors[position] = (vectors[position] as number) - (centre[position % dimensions] as number);
  const norms = new Float32Array(count);
  for (let row = 0; row < count; row += 1) {
    let sum = 0;
    for (let d = 0; d < dimensions; d += 1) sum += (vectors[row * dimensions + d] as number) ** 2;
    norms[row] = Math.sqrt(sum) || 1;
  }
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
  await hnsw.readIndex(path.join(indexDir, manifest.artifacts.hnsw.name));
  hnsw.setEf(ef);
  let found = 0;
  let foundWithTies = 0;
  const times: number[] = [];
  for (const rawQuery of queries) {
    const query = centre ? rawQuery.map((value, d) => value - (centre[d] as number)) : rawQuery;
    const scores = new Float32Array(count);
    for (let row = 0; row < count; row += 1) {
      let dot = 0;
      const offset = row * dimensions;
      for (let d = 0; d < dimensions; d += 1) dot += (vectors[offset + d] as number) * (query[d] as number);
      scores[row] = dot / (norms[row] as number);
    }
    const ranked = [...scores.keys()].sort((left, right) => (scores[right] as number) - (scores[left] as number));
    const exact = new Set(ranked.slice(0, 10));
    const tenth = scores[ranked[9] as number] as number;
    const started = performance.now();
    const { neighbors } = hnsw.searchKnn(query, 10);
    times.push(performance.now() - started);
    found += neighbors.filter((id) => exact.has(id)).length;
    // A neighbour as similar as the exact 10th (equal within float error) is an equally right answer.
    foundWithTies += neighbors.filter((id) => exact.has(id) || (scores[id] as number) >= tenth - 1e-5).length;
  }
  return {
    recall: found / (queries.length * 10),
    tieAwareRecall: foundWithTies / (queries.length * 10),
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

function coldStart(dataDir: string, question: string, corpus = corpusDir): { openMs: number; readyMs: number; rssMb: number } {
  const script = `
    const { CorpusIndex } = await import(${JSON.stringify(path.join(root, 'src/providers/index/corpus-index.ts'))});
    const { LocalEmbedder } = await import(${JSON.stringify(path.join(root, 'src/providers/embeddings/local-embedder.ts'))});
    const started = performance.now();
    const index = await CorpusIndex.open({ dataDir: ${JSON.stringify(dataDir)}, corpusDir: ${JSON.stringify(corpus)}, embedder: new LocalEmbedder() });
    const opened = performance.now();
    await index.search(${JSON.stringify(question)}, { k: 8 });
    process.stdout.write(JSON.stringify({ openMs: opened - started, readyMs: performance.now(), rssMb: process.memoryUsage().rss / 1e6, size: index.size() }));
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(output) as { openMs: number; readyMs: number; rssMb: number };
}

export async function run(): Promise<{ title: string; rows: Array<Record<string, string | number>>; notes?: string[] }> {
  const rows: Array<Record<string, string | number>> = [];
  const notes: string[] = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'shishin-bench-retrieval-'));
  const embedder = new LocalEmbedder();
  try {
    const questions = goldQuestions();
    // Starter corpus.
    const starterData = path.join(scratch, 'starter');
    // Loaded before the clock starts, so the ingest figure is indexing only (its load time is in the answer section).
    embedder.load();
    let started = performance.now();
    const starter = await CorpusIndex.open({ dataDir: starterData, corpusDir, embedder, autoIngest: true });
    const ingestMs = performance.now() - started;
    const starterTimes = await timedSearches(starter, questions, 5);
    const cold = coldStart(starterData, questions[0] as string);
    rows.push({
      corpus: `starter (${starter.size()} passages)`,
      'ingest (s)': ingestMs / 1000,
      'cold start: open (ms)': Math.round(cold.openMs),
      'cold start: process ready (ms)': Math.round(cold.readyMs),
      'RSS after load (MB)': Math.round(cold.rssMb),
      'search p50 (ms)': starterTimes.length ? percentile(starterTimes, 0.5) : 0,
      'search p95 (ms)': percentile(starterTimes, 0.95),
      'HNSW recall@10': '–',
      'recall@10, ties counted': '–',
    });
    notes.push(
      `Starter corpus: ${questions.length} gold questions × 5 rounds, hybrid search k = 8. Cold start runs in a fresh Node process: "open" is reading the stored index; "process ready" is time from process start to the first answered search (module loading, the embedder's load, first query).`,
    );

    // Synthetic scale.
    const sizes = (process.env['BENCH_RETRIEVAL_SIZES'] ?? '10000,100000').split(',').map(Number).filter((size) => size > 0);
    const sentences = corpusSentences();
    const next = random(7);
    const syntheticQueries = Array.from({ length: 100 }, () => {
      const sentence = sentences[Math.floor(next() * sentences.length)] as string;
      const words = sentence.split(/\s+/);
      const start = Math.floor(next() * Math.max(1, words.length - 8));
      return words.slice(start, start + 8).join(' ');
    });
    const queries = [...questions, ...syntheticQueries];
    for (const size of sizes) {
      const folder = path.join(scratch, `synthetic-${size}`);
      await writeSyntheticCorpus(path.join(folder, 'corpus'), size, sentences);
      const texts = Array.from({ length: 2000 }, (_, position) => `${sentences[position % sentences.length]} ${sentences[(position * 7) % sentences.length]}`);
      started = performance.now();
      await embedder.embedDocuments(texts);
      const embedRate = texts.length / ((performance.now() - started) / 1000);
      started = performance.now();
      const index = await CorpusIndex.open({ dataDir: path.join(folder, 'data'), corpusDir: path.join(folder, 'corpus'), embedder, autoIngest: true });
      const buildMs = performance.now() - started;
      const times = await timedSearches(index, queries, 2);
      const queryVectors = await embedder.embedDocuments(queries.slice(0, 200));
      const recall = await hnswRecall(path.join(folder, 'data'), queryVectors, defaultHnsw.ef);
      const syntheticCold = coldStart(path.join(folder, 'data'), questions[0] as string, path.join(folder, 'corpus'));
      rows.push({
        corpus: `synthetic ${index.size().toLocaleString('en')} passages`,
        'ingest (s)': buildMs / 1000,
        'cold start: open (ms)': Math.round(syntheticCold.openMs),
        'cold start: process ready (ms)': Math.round(syntheticCold.readyMs),
        'RSS after load (MB)': Math.round(syntheticCold.rssMb),
        'search p50 (ms)': percentile(times, 0.5),
        'search p95 (ms)': percentile(times, 0.95),
        'HNSW recall@10': recall.recall,
        'recall@10, ties counted': recall.tieAwareRecall,
      });
      notes.push(
        `${size.toLocaleString('en')} passages: full ingest (load, chunk, embed at ~${Math.round(embedRate).toLocaleString('en')} passages/s, HNSW M=${defaultHnsw.m} efConstruction=${defaultHnsw.efConstruction}, BM25, write) ${(buildMs / 1000).toFixed(1)} s; HNSW alone at ef=${defaultHnsw.ef}: p50 ${recall.p50.toFixed(2)} ms, p95 ${recall.p95.toFixed(2)} ms; recall@10 vs exact cosine over ${queryVectors.length} queries; cold start and RSS measured in a fresh process as for the starter corpus.`,
      );
      await rm(folder, { recursive: true, force: true });
    }
    notes.push('Synthetic passages recombine 3–5 real corpus sentences, cut to 560 characters so each section is one passage (deterministic seed); queries are the gold questions plus 100 eight-word fragments of corpus sentences.');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { title: 'Retrieval', rows, notes };
}
