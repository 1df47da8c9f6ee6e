// Fits the "not covered" decision (src/core/answer/coverage.ts) on the gold set and checks it on the
// held-out set: a logistic model over interpretable features (classes weighted to balance), then the
// probability threshold that keeps false abstention on the gold set at or under 5% while abstaining on
// as many unanswerable questions as possible. Writes src/core/answer/coverage-model.json and prints
// abstention precision and recall on both sets. Run after a corpus or retrieval change:
// `npx tsx evals/fit-coverage.ts` (`--dry-run` prints without writing).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { corpusVocabulary, coverageFeatureNames, coverageFeatures, coverageModelFile, coverageProbability, type CoverageFeatures, type CoverageModel } from '../src/core/answer/coverage.js';
import { cosine } from '../src/core/answer/logistic-model.js';
import { buildRetrievalQuery } from '../src/core/answer/retrieval-query.js';
import type { Embedder } from '../src/ports/embedder.js';
import type { CorpusIndex } from '../src/providers/index/corpus-index.js';
import { fitLogistic, fitSettingsFromEnvironment, repositoryRoot, withEvalIndex } from './logistic-fit.js';
import { loadGold } from './suites/qa.js';

interface Example {
  id: string;
  features: CoverageFeatures;
  /** 1 when the corpus answers the question. */
  label: number;
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

/** The features of every question of a set, computed as the answer service computes them. */
async function examplesOf(file: string, index: CorpusIndex, embedder: Embedder): Promise<Example[]> {
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
  const model = await withEvalIndex(async (index, embedder) => {
    const gold = await examplesOf(path.join(repositoryRoot, 'evals', 'qa-gold.jsonl'), index, embedder);
    const holdout = await examplesOf(path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl'), index, embedder);
    const positives = gold.filter((example) => example.label === 1).length;
    const classWeight = (label: number) => gold.length / (2 * Math.max(1, label === 1 ? positives : gold.length - positives));
    const fitted = fitLogistic(
      gold.map((example) => ({ features: example.features, label: example.label, weight: classWeight(example.label) })),
      coverageFeatureNames,
      fitSettingsFromEnvironment({ iterations: 20000, rate: 0.5, l2: 0.001, bias: true }),
    );
    // The threshold: at most 5% false abstention on the gold set, then as many correct abstentions as possible.
    let best: CoverageModel = { ...fitted, threshold: 0.5 };
    let bestCorrect = -1;
    for (let threshold = 0.02; threshold <= 0.98; threshold += 0.01) {
      const candidate: CoverageModel = { ...fitted, threshold: Math.round(threshold * 100) / 100 };
      const figures = abstention(gold, candidate);
      if (figures.falseAbstention > 0.05 || figures.correctAbstention <= bestCorrect) continue;
      best = candidate;
      bestCorrect = figures.correctAbstention;
    }
    return { ...best, fittedOn: 'evals/qa-gold.jsonl (evals/fit-coverage.ts)', validation: { gold: abstention(gold, best), holdout: abstention(holdout, best) } };
  });
  process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
  if (!dryRun) await writeFile(coverageModelFile, `${JSON.stringify(model, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
