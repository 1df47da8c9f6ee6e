// Combining the dense (vector) and lexical (BM25) rankings into one list.
//
// - Weighted score fusion: each side's score is first mapped to an absolute [0, 1] scale (the
//   dense cosine and the BM25 query-term coverage, see corpus-index.ts), then combined as
//   w·dense + (1 − w)·lexical. Absolute scales keep scores comparable across queries, which the
//   "not covered" threshold needs.
// - Reciprocal-rank fusion: Σ 1/(k + rank) over the lists, divided by its maximum (a passage ranked
//   first in every list) so it also lies in [0, 1]; it ignores score magnitudes entirely.
// Ties are broken by the better single-list rank, then by id, so results are deterministic.

export type FusionMethod = 'weighted' | 'rrf';

/** One candidate from one retriever: `score` already in [0, 1]. */
export interface RankedCandidate {
  id: number;
  score: number;
}

export interface FusedCandidate {
  id: number;
  score: number;
  dense: number;
  lexical: number;
}

export interface FusionOptions {
  method: FusionMethod;
  /** Weight of the dense side for weighted fusion (0..1). */
  denseWeight: number;
  /** RRF constant k (60 is the usual choice). */
  rrfK: number;
}

export const defaultFusion: FusionOptions = { method: 'weighted', denseWeight: 0.3, rrfK: 60 };

function byScoreThenRank(
  entries: Map<number, FusedCandidate>,
  bestRank: Map<number, number>,
): FusedCandidate[] {
  // Scores within 1e-9 are ties (floating-point sums of equal evidence differ in the last bits).
  return [...entries.values()].sort((left, right) => {
    const difference = right.score - left.score;
    if (Math.abs(difference) > 1e-9) return difference;
    return (bestRank.get(left.id) ?? Infinity) - (bestRank.get(right.id) ?? Infinity) || left.id - right.id;
  });
}

/** Fuses the two lists (each best first). Lists may be empty; the result is best first. */
export function fuseRankings(dense: RankedCandidate[], lexical: RankedCandidate[], options: FusionOptions = defaultFusion): FusedCandidate[] {
  const entries = new Map<number, FusedCandidate>();
  const bestRank = new Map<number, number>();
  const entry = (id: number) => {
    let found = entries.get(id);
    if (!found) {
      found = { id, score: 0, dense: 0, lexical: 0 };
      entries.set(id, found);
    }
    return found;
  };
  dense.forEach((candidate, rank) => {
    entry(candidate.id).dense = candidate.score;
    bestRank.set(candidate.id, Math.min(bestRank.get(candidate.id) ?? Infinity, rank));
  });
  lexical.forEach((candidate, rank) => {
    entry(candidate.id).lexical = candidate.score;
    bestRank.set(candidate.id, Math.min(bestRank.get(candidate.id) ?? Infinity, rank));
  });
  if (options.method === 'weighted') {
    const weight = Math.min(1, Math.max(0, options.denseWeight));
    for (const candidate of entries.values()) candidate.score = weight * candidate.dense + (1 - weight) * candidate.lexical;
  } else {
    const lists = [dense, lexical].filter((list) => list.length > 0).length;
    const maximum = lists === 0 ? 1 : lists / (options.rrfK + 1);
    const add = (list: RankedCandidate[]) =>
      list.forEach((candidate, rank) => {
        const found = entry(candidate.id);
        found.score += 1 / (options.rrfK + rank + 1);
      });
    add(dense);
    add(lexical);
    for (const candidate of entries.values()) candidate.score = Math.min(1, candidate.score / maximum);
  }
  return byScoreThenRank(entries, bestRank);
}
