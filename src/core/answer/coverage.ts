// Decides whether the retrieved passages cover a question: the best fused score must reach the
// retriever's calibrated threshold, and (when the question has enough content words to judge) a
// minimum share of its weighted terms must appear in the top passages, so that a high score won on
// one generic word ("AI", "policy") does not pass for coverage.
import type { ScoredPassage } from '../../ports/passage.js';
import { termSet } from './text-terms.js';

export interface CoverageDecision {
  covered: boolean;
  /** Best retrieval score. */
  topScore: number;
  /** Share of the query's distinct content terms found in the top passages, in [0, 1]. */
  termOverlap: number;
  /** Why: `score` (below threshold), `overlap` (too few shared terms), `empty`, or `ok`. */
  reason: 'ok' | 'score' | 'overlap' | 'empty';
}

export interface CoverageOptions {
  /** Fused score at or above which the corpus is considered to cover the query. */
  relevanceThreshold: number;
  /** Least term overlap required; 0 disables the check. */
  minTermOverlap: number;
  /** Passages whose text is searched for the terms. Default 3. */
  topPassages?: number;
}

/** Default minimum term overlap, chosen on the gold set as a whole (see evals/suites/qa.ts). */
export const defaultMinTermOverlap = 0.34;

/** Distinct query terms found in the title, section or text of the top passages, as a share. */
export function termOverlap(query: string, passages: ScoredPassage[], topPassages = 3): number {
  const terms = termSet(query);
  if (terms.size === 0) return 0;
  const found = new Set<string>();
  for (const item of passages.slice(0, topPassages)) {
    const passageTerms = termSet(`${item.passage.title} ${item.passage.section} ${item.passage.text}`);
    for (const term of terms) if (passageTerms.has(term)) found.add(term);
  }
  return found.size / terms.size;
}

/** The coverage decision for one query and its ranked passages. */
export function decideCoverage(query: string, passages: ScoredPassage[], options: CoverageOptions): CoverageDecision {
  const topScore = passages[0]?.score ?? 0;
  if (passages.length === 0) return { covered: false, topScore, termOverlap: 0, reason: 'empty' };
  const overlap = termOverlap(query, passages, options.topPassages ?? 3);
  if (topScore < options.relevanceThreshold) return { covered: false, topScore, termOverlap: overlap, reason: 'score' };
  // Too few terms to judge (e.g. a one-word question): the score alone decides.
  if (options.minTermOverlap > 0 && termSet(query).size >= 2 && overlap < options.minTermOverlap) {
    return { covered: false, topScore, termOverlap: overlap, reason: 'overlap' };
  }
  return { covered: true, topScore, termOverlap: overlap, reason: 'ok' };
}
