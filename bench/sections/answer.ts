// Benchmark section: answer latency on the starter corpus (extractive path, no LLM) over the gold
// questions, and index load times (first ingest, then a cold open of the stored index).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createAnswerService } from '../../src/core/answer/answer-service.js';
import { silentLogger } from '../../src/logger.js';
import { createEmbedder } from '../../src/providers/embeddings/create-embedder.js';
import { CorpusIndex } from '../../src/providers/index/corpus-index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const fallbackQuestions = [
  'What are the transparency obligations for deepfakes?',
  'How high can fines for prohibited AI practices be?',
  'Which AI practices are prohibited in the EU?',
  'AI推進法に罰則はありますか？',
  'What is the cafeteria lunch menu on Friday?',
];

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

async function questions(): Promise<string[]> {
  const gold = path.join(root, 'evals', 'qa-gold.jsonl');
  if (!existsSync(gold)) return fallbackQuestions;
  const lines = (await readFile(gold, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => (JSON.parse(line) as { question: string }).question);
}

export async function run(): Promise<{ title: string; rows: Array<Record<string, string | number>>; notes?: string[] }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-bench-answer-'));
  const corpusDir = path.join(root, 'corpus');
  const logger = silentLogger();
  try {
    const config = loadConfig({}, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir });
    let started = performance.now();
    const embedder = await createEmbedder(config);
    const embedderMs = performance.now() - started;
    started = performance.now();
    const first = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger, autoIngest: true });
    const ingestMs = performance.now() - started;
    started = performance.now();
    const index = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger, autoIngest: true });
    const coldOpenMs = performance.now() - started;
    const service = createAnswerService({ retriever: index, relevanceThreshold: index.relevanceThreshold, promptsDir: path.join(root, 'prompts'), logger, embedder });
    const asked = await questions();
    for (const question of asked.slice(0, 3)) await service.ask({ question });
    const durations: number[] = [];
    const passes = 3;
    for (let pass = 0; pass < passes; pass += 1) {
      for (const question of asked) {
        const begin = performance.now();
        await service.ask({ question });
        durations.push(performance.now() - begin);
      }
    }
    durations.sort((left, right) => left - right);
    const ms = (value: number) => Math.round(value * 10) / 10;
    return {
      title: 'Answering (extractive, starter corpus)',
      rows: [
        { measure: 'local embedder load', ms: ms(embedderMs) },
        { measure: `first ingest of corpus/ (${first.size()} passages)`, ms: ms(ingestMs) },
        { measure: 'cold open of the stored index', ms: ms(coldOpenMs) },
        { measure: `answer latency p50 (${asked.length} questions × ${passes})`, ms: ms(percentile(durations, 0.5)) },
        { measure: 'answer latency p95', ms: ms(percentile(durations, 0.95)) },
        { measure: 'answer latency max', ms: ms(durations[durations.length - 1] ?? 0) },
      ],
      notes: [
        'In-process: retrieval, coverage decision, sentence selection with the local embedder; no LLM.',
        `Questions: ${existsSync(path.join(root, 'evals', 'qa-gold.jsonl')) ? 'evals/qa-gold.jsonl' : 'a built-in sample (gold set absent)'}.`,
      ],
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Allows `tsx bench/sections/answer.ts` on its own.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const result = await run();
  process.stdout.write(`${result.title}\n${result.rows.map((row) => `  ${row['measure']}: ${row['ms']} ms`).join('\n')}\n`);
}
