// Fits the section re-ranker (src/core/answer/section-reranker.ts) on the gold set and checks it on
// the held-out set: a logistic model over interpretable features of each of the top sections of a
// question's ranking, labelled 1 when the section is one the question expects. Prints how often the
// first section is an expected one (section recall@1) before and after re-ranking on both sets, and
// writes src/core/answer/section-reranker.json. `npx tsx evals/fit-reranker.ts [--dry-run]`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildRetrievalQuery } from '../src/core/answer/retrieval-query.js';
import { rerankSections, sectionCandidates, sectionFeatureNames, sectionRerankerFile, type SectionCandidate, type SectionRerankerModel } from '../src/core/answer/section-reranker.js';
import { silentLogger } from '../src/logger.js';
import type { Embedder } from '../src/ports/embedder.js';
import { createEmbedder } from '../src/providers/embeddings/create-embedder.js';
import { CorpusIndex } from '../src/providers/index/corpus-index.js';
import { loadGold, matchesExpected, type GoldItem } from './suites/qa.js';

const repositoryRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

interface Question {
  item: GoldItem;
  candidates: SectionCandidate[];
  ranked: Awaited<ReturnType<CorpusIndex['search']>>;
}

function cosine(left: number[], right: number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    dot += (left[index] ?? 0) * (right[index] ?? 0);
    leftNorm += (left[index] ?? 0) ** 2;
    rightNorm += (right[index] ?? 0) ** 2;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

/** Dense similarity of the question and each retrieved passage, by chunk id (as the answer service computes it). */
export async function passageSimilarities(embedder: Embedder, question: string, ranked: Question['ranked']): Promise<Map<string, number>> {
  const [questionVector, vectors] = await Promise.all([embedder.embedQuery(question), embedder.embedDocuments(ranked.map((item) => item.passage.text))]);
  return new Map(ranked.map((item, index) => [item.passage.chunkId, cosine(questionVector, vectors[index] ?? [])]));
}

async function questionsOf(file: string, index: CorpusIndex, embedder: Embedder): Promise<Question[]> {
  const questions: Question[] = [];
  for (const item of await loadGold(file)) {
    if (item.type === 'unanswerable') continue;
    const query = buildRetrievalQuery(item.question, []).text;
    const ranked = await index.search(query, { k: 8, mode: 'hybrid' });
    const dense = await passageSimilarities(embedder, item.question, ranked);
    questions.push({ item, ranked, candidates: sectionCandidates(item.question, ranked, { catalog: index, dense }) });
  }
  return questions;
}

const expected = (question: Question, candidate: { source: string; section: string }) => question.item.expected.some((location) => matchesExpected(candidate, location));

/** Share of questions whose first section (after re-ranking with `model`, or as retrieved) is expected. */
function recallAt1(questions: Question[], model?: SectionRerankerModel): number {
  let hits = 0;
  for (const question of questions) {
    const order = model === undefined ? question.ranked : rerankSections(question.candidates, question.ranked, model);
    const first = order[0]?.passage;
    if (first !== undefined && expected(question, first)) hits += 1;
  }
  return Math.round((hits / Math.max(1, questions.length)) * 1000) / 1000;
}

/** Logistic regression by gradient descent over every candidate of every question, light L2. */
function fit(questions: Question[], iterations = 20000, rate = 0.5, l2 = 0.001): SectionRerankerModel {
  // Pairwise (a ranking objective): for every expected and unexpected candidate of one question, the
  // difference of their features should score positive. Both orders are included, so no bias is learnt.
  const rows = questions.flatMap((question) => {
    const good = question.candidates.filter((candidate) => expected(question, candidate));
    const bad = question.candidates.filter((candidate) => !expected(question, candidate));
    return good.flatMap((winner) =>
      bad.flatMap((loser) => {
        const difference = { ...winner.features };
        const negated = { ...winner.features };
        for (const name of sectionFeatureNames) {
          difference[name] = winner.features[name] - loser.features[name];
          negated[name] = -difference[name];
        }
        return [
          { features: difference, label: 1 },
          { features: negated, label: 0 },
        ];
      }),
    );
  });
  const weights = sectionFeatureNames.map(() => 0);
  let bias = 0;
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = sectionFeatureNames.map(() => 0);
    let biasGradient = 0;
    for (const row of rows) {
      let z = bias;
      sectionFeatureNames.forEach((name, index) => (z += (weights[index] ?? 0) * row.features[name]));
      const error = 1 / (1 + Math.exp(-z)) - row.label;
      sectionFeatureNames.forEach((name, index) => (gradient[index] = (gradient[index] ?? 0) + error * row.features[name]));
      biasGradient += error;
    }
    sectionFeatureNames.forEach((_, index) => (weights[index] = (weights[index] ?? 0) - rate * ((gradient[index] ?? 0) / rows.length + l2 * (weights[index] ?? 0))));
    bias -= rate * (biasGradient / rows.length);
  }
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { weights: Object.fromEntries(sectionFeatureNames.map((name, index) => [name, round(weights[index] ?? 0)])), bias: round(bias) };
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-fit-reranker-'));
  try {
    const corpusDir = path.join(repositoryRoot, 'corpus');
    const config = loadConfig({}, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir });
    const embedder = await createEmbedder(config);
    const index = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger: silentLogger(), autoIngest: true });
    const gold = await questionsOf(path.join(repositoryRoot, 'evals', 'qa-gold.jsonl'), index, embedder);
    const holdout = await questionsOf(path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl'), index, embedder);
    const model = fit(gold, Number(process.env.FIT_ITERATIONS ?? 20000), Number(process.env.FIT_RATE ?? 0.5), Number(process.env.FIT_L2 ?? 0.001));
    const validation = {
      gold: { retrieved: recallAt1(gold), reranked: recallAt1(gold, model), questions: gold.length },
      holdout: { retrieved: recallAt1(holdout), reranked: recallAt1(holdout, model), questions: holdout.length },
    };
    const result: SectionRerankerModel = { ...model, fittedOn: 'evals/qa-gold.jsonl (evals/fit-reranker.ts)', validation: { sectionRecallAt1: validation } };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!dryRun) await writeFile(sectionRerankerFile, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
