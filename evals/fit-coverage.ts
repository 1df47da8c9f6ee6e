// Fits the "not covered" decision (src/core/answer/coverage.ts) on the gold set and checks it on the
// held-out set: a logistic model over interpretable features, then the probability threshold that
// keeps false abstention on the gold set at or under 5% while abstaining on as many unanswerable
// questions as possible. Writes src/core/answer/coverage-model.json and prints abstention precision
// and recall on both sets. Run after a corpus or retrieval change: `npx tsx evals/fit-coverage.ts`
// (`--dry-run` prints without writing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { corpusVocabulary, coverageFeatureNames, coverageFeatures, coverageModelFile, coverageProbability, type CoverageFeatures, type CoverageModel } from '../src/core/answer/coverage.js';
import { buildRetrievalQuery } from '../src/core/answer/retrieval-query.js';
import { silentLogger } from '../src/logger.js';
import { createEmbedder } from '../src/providers/embeddings/create-embedder.js';
import { CorpusIndex } from '../src/providers/index/corpus-index.js';
import { loadGold } from './suites/qa.js';

const repositoryRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

interface Example {
  id: string;
  features: CoverageFeatures;
  /** 1 when the corpus answers the question. */
  label: number;
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

/** Logistic regression by gradient descent, classes weighted to balance, light L2 on the weights. */
export function fitLogistic(examples: Example[], iterations = 20000, rate = 0.5, l2 = 0.001): Pick<CoverageModel, 'weights' | 'bias'> {
  const names = coverageFeatureNames;
  const weights = names.map(() => 0);
  let bias = 0;
  const positives = examples.filter((example) => example.label === 1).length;
  const negatives = examples.length - positives;
  const classWeight = (label: number) => (label === 1 ? examples.length / (2 * Math.max(1, positives)) : examples.length / (2 * Math.max(1, negatives)));
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = names.map(() => 0);
    let biasGradient = 0;
    for (const example of examples) {
      let z = bias;
      names.forEach((name, index) => (z += (weights[index] ?? 0) * example.features[name]));
      const error = (1 / (1 + Math.exp(-z)) - example.label) * classWeight(example.label);
      names.forEach((name, index) => (gradient[index] = (gradient[index] ?? 0) + error * example.features[name]));
      biasGradient += error;
    }
    names.forEach((_, index) => (weights[index] = (weights[index] ?? 0) - rate * ((gradient[index] ?? 0) / examples.length + l2 * (weights[index] ?? 0))));
    bias -= rate * (biasGradient / examples.length);
  }
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { weights: Object.fromEntries(names.map((name, index) => [name, round(weights[index] ?? 0)])), bias: round(bias) };
}

/** Abstention figures of a model at its threshold. */
export function abstention(examples: Example[], model: CoverageModel) {
  const abstains = (example: Example) => coverageProbability(example.features, model) < model.threshold;
  const answerable = examples.filter((example) => example.label === 1);
  const unanswerable = examples.filter((example) => example.label === 0);
  const abstained = examples.filter(abstains);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    falseAbstention: round(answerable.filter(abstains).length / Math.max(1, answerable.length)),
    correctAbstention: round(unanswerable.filter(abstains).length / Math.max(1, unanswerable.length)),
    abstentionPrecision: round(abstained.length === 0 ? 1 : abstained.filter((example) => example.label === 0).length / abstained.length),
    questions: examples.length,
  };
}

async function examplesOf(file: string, index: CorpusIndex, embedder: Awaited<ReturnType<typeof createEmbedder>>): Promise<Example[]> {
  const examples: Example[] = [];
  const vocabulary = corpusVocabulary(index);
  for (const item of await loadGold(file)) {
    const query = buildRetrievalQuery(item.question, []).text;
    const passages = await index.search(query, { k: 8, mode: 'hybrid' });
    const top = passages[0];
    const dense = top === undefined ? 0 : cosine(await embedder.embedQuery(item.question), (await embedder.embedDocuments([top.passage.text]))[0] ?? []);
    examples.push({ id: item.id, features: coverageFeatures(query, passages, { relevanceThreshold: index.relevanceThreshold, dense, ...(vocabulary !== undefined ? { vocabulary } : {}) }), label: item.type === 'unanswerable' ? 0 : 1 });
  }
  return examples;
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-fit-coverage-'));
  try {
    const corpusDir = path.join(repositoryRoot, 'corpus');
    const config = loadConfig({}, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir });
    const embedder = await createEmbedder(config);
    const index = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger: silentLogger(), autoIngest: true });
    const gold = await examplesOf(path.join(repositoryRoot, 'evals', 'qa-gold.jsonl'), index, embedder);
    const holdout = await examplesOf(path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl'), index, embedder);
    const fitted = fitLogistic(gold, Number(process.env.FIT_ITERATIONS ?? 20000), Number(process.env.FIT_RATE ?? 0.5), Number(process.env.FIT_L2 ?? 0.001));
    // The threshold: at most 5% false abstention on the gold set, then as many correct abstentions as possible.
    let best: CoverageModel | undefined;
    for (let threshold = 0.02; threshold <= 0.98; threshold += 0.01) {
      const candidate: CoverageModel = { ...fitted, threshold: Math.round(threshold * 100) / 100 };
      const figures = abstention(gold, candidate);
      if (figures.falseAbstention > 0.05) continue;
      if (best === undefined || figures.correctAbstention > abstention(gold, best).correctAbstention) best = candidate;
    }
    const model: CoverageModel = {
      ...(best ?? { ...fitted, threshold: 0.5 }),
      fittedOn: 'evals/qa-gold.jsonl (evals/fit-coverage.ts)',
      validation: { gold: abstention(gold, best ?? { ...fitted, threshold: 0.5 }), holdout: abstention(holdout, best ?? { ...fitted, threshold: 0.5 }) },
    };
    process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
    if (!dryRun) await writeFile(coverageModelFile, `${JSON.stringify(model, null, 2)}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
