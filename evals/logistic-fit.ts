// Shared by the model-fitting scripts (evals/fit-coverage.ts, evals/fit-reranker.ts): a fresh index of
// corpus/ with the local embedder in a temporary folder, and logistic regression by gradient descent.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import type { Embedder } from '../src/ports/embedder.js';
import { createEmbedder } from '../src/providers/embeddings/create-embedder.js';
import { CorpusIndex } from '../src/providers/index/corpus-index.js';

export const repositoryRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Runs `work` with a fresh index of corpus/ (local embedder, offline), then removes the index. */
export async function withEvalIndex<T>(work: (index: CorpusIndex, embedder: Embedder) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-fit-'));
  try {
    const corpusDir = path.join(repositoryRoot, 'corpus');
    const embedder = await createEmbedder(loadConfig({}, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir }));
    const index = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger: silentLogger(), autoIngest: true });
    return await work(index, embedder);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export interface FitRow<Name extends string> {
  features: Record<Name, number>;
  /** 1 or 0. */
  label: number;
  /** Weight of the row in the loss (class balancing). Default 1. */
  weight?: number;
}

export interface FitSettings {
  iterations: number;
  rate: number;
  l2: number;
  /** Learn a bias (off for pairwise rows, which are symmetric). */
  bias: boolean;
}

/** Fit settings from FIT_ITERATIONS, FIT_RATE and FIT_L2 when set (for experiments), else the defaults. */
export function fitSettingsFromEnvironment(defaults: FitSettings): FitSettings {
  const number = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
  return { ...defaults, iterations: number('FIT_ITERATIONS', defaults.iterations), rate: number('FIT_RATE', defaults.rate), l2: number('FIT_L2', defaults.l2) };
}

/** Logistic regression by batch gradient descent with L2 on the weights; weights rounded to 4 decimals. */
export function fitLogistic<Name extends string>(rows: Array<FitRow<Name>>, names: readonly Name[], settings: FitSettings): { weights: Record<Name, number>; bias: number } {
  const weights = names.map(() => 0);
  let bias = 0;
  for (let iteration = 0; iteration < settings.iterations; iteration += 1) {
    const gradient = names.map(() => 0);
    let biasGradient = 0;
    for (const row of rows) {
      let z = bias;
      names.forEach((name, index) => (z += (weights[index] ?? 0) * row.features[name]));
      const error = (1 / (1 + Math.exp(-z)) - row.label) * (row.weight ?? 1);
      names.forEach((name, index) => (gradient[index] = (gradient[index] ?? 0) + error * row.features[name]));
      biasGradient += error;
    }
    names.forEach((_, index) => (weights[index] = (weights[index] ?? 0) - settings.rate * ((gradient[index] ?? 0) / rows.length + settings.l2 * (weights[index] ?? 0))));
    if (settings.bias) bias -= settings.rate * (biasGradient / rows.length);
  }
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return { weights: Object.fromEntries(names.map((name, index) => [name, round(weights[index] ?? 0)])) as Record<Name, number>, bias: round(bias) };
}
