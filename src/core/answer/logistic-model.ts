// A small logistic model stored as reviewable JSON next to the module that uses it: a weight per named
// feature, a bias, an optional decision threshold, and a note of where it was fitted and how it
// validated. The "not covered" decision (coverage.ts) and the section re-ranker (section-reranker.ts)
// are both such models; evals/logistic-fit.ts fits them.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const logisticModelSchema = z.object({
  /** Weight per feature name; a feature without a weight counts 0. */
  weights: z.record(z.string(), z.number()),
  bias: z.number(),
  /** Probability at or above which the decision is yes (models that decide, not rank). */
  threshold: z.number().min(0).max(1).optional(),
  /** Where and how it was fitted (informational). */
  fittedOn: z.string().optional(),
  /** Figures measured when it was fitted (informational). */
  validation: z.record(z.string(), z.unknown()).optional(),
});
export type LogisticModel = z.infer<typeof logisticModelSchema>;

const loaded = new Map<string, LogisticModel>();

/** Reads and validates a model file once per process. */
export function loadLogisticModel(file: URL): LogisticModel {
  const key = file.href;
  const cached = loaded.get(key);
  if (cached !== undefined) return cached;
  const model = logisticModelSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  loaded.set(key, model);
  return model;
}

/** The model's logit for a feature record: bias plus the weighted features named in `names`. */
export function logit<Name extends string>(features: Record<Name, number>, names: readonly Name[], model: Pick<LogisticModel, 'weights' | 'bias'>): number {
  let z = model.bias;
  for (const name of names) z += (model.weights[name] ?? 0) * features[name];
  return z;
}

/** The logistic function. */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(left: number[], right: number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}
