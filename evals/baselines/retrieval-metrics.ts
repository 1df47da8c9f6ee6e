// Retrieval quality over the gold question set: recall@1/@5 and MRR@10 on answerable questions (a
// hit is a passage of an expected source whose section equals the expected section or lies under
// it), and the threshold on the top score that best separates answerable from unanswerable questions.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ScoredPassage } from '../../src/ports/passage.js';

export const goldItemSchema = z.object({
  id: z.string(),
  question: z.string(),
  language: z.string().optional(),
  type: z.string(),
  expected: z.array(z.object({ source: z.string(), section: z.string() })),
  facts: z.array(z.unknown()).optional(),
});
export type GoldItem = z.infer<typeof goldItemSchema>;

export function loadGold(file: string): GoldItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = goldItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function isHit(result: ScoredPassage, expected: GoldItem['expected']): boolean {
  return expected.some(
    (item) => item.source === result.passage.source && (result.passage.section === item.section || result.passage.section.startsWith(`${item.section} › `)),
  );
}

export interface QuestionOutcome {
  id: string;
  answerable: boolean;
  language: string | undefined;
  /** 1-based rank of the first hit in the top 10, or 0. */
  hitRank: number;
  topScore: number;
  milliseconds: number;
}

export interface RetrievalFigures {
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  answerable: number;
  outcomes: QuestionOutcome[];
}

export async function evaluateRetrieval(
  search: (question: string) => Promise<ScoredPassage[]>,
  gold: GoldItem[],
): Promise<RetrievalFigures> {
  const outcomes: QuestionOutcome[] = [];
  for (const item of gold) {
    const started = performance.now();
    const results = await search(item.question);
    const milliseconds = performance.now() - started;
    const answerable = item.expected.length > 0;
    const position = answerable ? results.slice(0, 10).findIndex((result) => isHit(result, item.expected)) : -1;
    outcomes.push({ id: item.id, answerable, language: item.language, hitRank: position + 1, topScore: results[0]?.score ?? 0, milliseconds });
  }
  const scored = outcomes.filter((outcome) => outcome.answerable);
  const share = (predicate: (outcome: QuestionOutcome) => boolean) => (scored.length === 0 ? 0 : scored.filter(predicate).length / scored.length);
  return {
    recallAt1: share((outcome) => outcome.hitRank === 1),
    recallAt5: share((outcome) => outcome.hitRank >= 1 && outcome.hitRank <= 5),
    mrr: scored.length === 0 ? 0 : scored.reduce((sum, outcome) => sum + (outcome.hitRank > 0 ? 1 / outcome.hitRank : 0), 0) / scored.length,
    answerable: scored.length,
    outcomes,
  };
}

export interface ThresholdChoice {
  threshold: number;
  /** Share of all questions classified right (answerable above, unanswerable below). */
  accuracy: number;
  /** Share of answerable questions at or above the threshold. */
  answerableKept: number;
  /** Share of unanswerable questions below the threshold. */
  unanswerableRejected: number;
}

/**
 * Chooses the top-score threshold: among thresholds that keep at least `minimumKept` of the
 * answerable questions, the ones with the best accuracy form a plateau; its middle is returned,
 * so the choice does not hinge on a single question's score.
 */
export function calibrateThreshold(outcomes: QuestionOutcome[], minimumKept = 0.95, step = 0.005): ThresholdChoice {
  const answerable = outcomes.filter((outcome) => outcome.answerable);
  const unanswerable = outcomes.filter((outcome) => !outcome.answerable);
  const evaluate = (threshold: number): ThresholdChoice => {
    const kept = answerable.filter((outcome) => outcome.topScore >= threshold).length;
    const rejected = unanswerable.filter((outcome) => outcome.topScore < threshold).length;
    return {
      threshold,
      accuracy: (kept + rejected) / Math.max(1, outcomes.length),
      answerableKept: kept / Math.max(1, answerable.length),
      unanswerableRejected: rejected / Math.max(1, unanswerable.length),
    };
  };
  const candidates: ThresholdChoice[] = [];
  for (let threshold = 0; threshold <= 1 + 1e-9; threshold += step) candidates.push(evaluate(Number(threshold.toFixed(4))));
  const eligible = candidates.filter((choice) => choice.answerableKept >= minimumKept);
  const pool = eligible.length > 0 ? eligible : candidates;
  const best = Math.max(...pool.map((choice) => choice.accuracy));
  const plateau = pool.filter((choice) => choice.accuracy >= best - 1e-9);
  const middle = plateau[Math.floor((plateau.length - 1) / 2)] as ThresholdChoice;
  return evaluate(Number(middle.threshold.toFixed(3)));
}
