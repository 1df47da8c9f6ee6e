import { describe, expect, it } from 'vitest';
import { fuseRankings } from './fusion.js';

const weighted = { method: 'weighted' as const, denseWeight: 0.5, rrfK: 60 };
const rrf = { method: 'rrf' as const, denseWeight: 0.5, rrfK: 60 };

describe('weighted score fusion', () => {
  it('combines normalised scores with the dense weight', () => {
    const fused = fuseRankings([{ id: 1, score: 0.8 }, { id: 2, score: 0.4 }], [{ id: 2, score: 1 }], weighted);
    expect(fused.map((candidate) => [candidate.id, candidate.score])).toEqual([
      [2, 0.7],
      [1, 0.4],
    ]);
    const denseOnly = fuseRankings([{ id: 1, score: 0.8 }], [{ id: 2, score: 1 }], { ...weighted, denseWeight: 1 });
    expect(denseOnly[0]?.id).toBe(1);
  });

  it('breaks ties by the better single-list rank, then by id', () => {
    const fused = fuseRankings(
      [{ id: 5, score: 0.6 }, { id: 3, score: 0.2 }],
      [{ id: 8, score: 0.9 }, { id: 3, score: 0.8 }, { id: 5, score: 0.4 }],
      weighted,
    );
    expect(fused[0]?.score).toBeCloseTo(fused[1]?.score ?? 0);
    expect(fused.map((candidate) => candidate.id)).toEqual([5, 3, 8]);
    const even = fuseRankings([{ id: 9, score: 0.5 }], [{ id: 4, score: 0.5 }], weighted);
    expect(even.map((candidate) => candidate.id)).toEqual([4, 9]);
  });

  it('handles empty lists', () => {
    expect(fuseRankings([], [], weighted)).toEqual([]);
    expect(fuseRankings([], [{ id: 1, score: 0.6 }], weighted)).toEqual([{ id: 1, score: 0.3, dense: 0, lexical: 0.6 }]);
  });
});

describe('reciprocal-rank fusion', () => {
  it('rewards agreement between the lists and ignores magnitudes', () => {
    const fused = fuseRankings(
      [{ id: 1, score: 0.99 }, { id: 2, score: 0.98 }, { id: 3, score: 0.1 }],
      [{ id: 2, score: 0.01 }, { id: 3, score: 0.009 }],
      rrf,
    );
    expect(fused.map((candidate) => candidate.id)).toEqual([2, 3, 1]);
    for (const candidate of fused) expect(candidate.score).toBeLessThanOrEqual(1);
  });

  it('scores a passage ranked first everywhere as 1, and handles one or no list', () => {
    expect(fuseRankings([{ id: 7, score: 0.2 }], [{ id: 7, score: 0.3 }], rrf)[0]?.score).toBeCloseTo(1);
    expect(fuseRankings([{ id: 7, score: 0.2 }], [], rrf)[0]?.score).toBeCloseTo(1);
    expect(fuseRankings([], [], rrf)).toEqual([]);
  });

  it('breaks ties deterministically', () => {
    const fused = fuseRankings([{ id: 8, score: 0.5 }], [{ id: 2, score: 0.5 }], rrf);
    expect(fused.map((candidate) => candidate.id)).toEqual([2, 8]);
  });
});
