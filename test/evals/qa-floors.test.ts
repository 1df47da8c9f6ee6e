// Ratchets on what the reader gets from the shipped default (hybrid retrieval, offline extractive
// answers), on the gold set (tuned on) and the held-out set (never tuned on), measured on a fresh
// index built from corpus/. Each floor sits just under (each ceiling just over) the figure measured
// when it was set, so a regression fails CI; raise them with every measured gain and never loosen
// one to hide a regression. The targets (held-out): answer fact-hit >= 0.75, lead precision
// >= 0.75, false abstention <= 0.05, correct abstention >= 0.85, fragment rate <= 0.03, median
// <= 70 words, no invalid citation — docs/answering.md shows which are met and what remains.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runQaEval, type ReaderMetrics, type SystemResult } from '../../evals/suites/qa.js';

interface Floors {
  answerFactHit: number;
  leadPrecision: number;
  correctAbstention: number;
  /** Ceilings. */
  falseAbstention: number;
  fragmentRate: number;
  medianWords: number;
}

const sets: Record<'gold' | 'holdout', { file: string; floors: Floors }> = {
  gold: {
    file: 'evals/qa-gold.jsonl',
    floors: { answerFactHit: 0.36, leadPrecision: 0.71, correctAbstention: 0.64, falseAbstention: 0.05, fragmentRate: 0.025, medianWords: 66 },
  },
  holdout: {
    file: 'evals/qa-holdout.jsonl',
    floors: { answerFactHit: 0.44, leadPrecision: 0.69, correctAbstention: 0.7, falseAbstention: 0.075, fragmentRate: 0.02, medianWords: 66 },
  },
};

for (const [name, { file, floors }] of Object.entries(sets)) {
  describe(`QA ratchets on the ${name} set (hybrid, shipped default)`, () => {
    let hybrid: SystemResult;
    let reader: ReaderMetrics;
    beforeAll(async () => {
      expect(existsSync(file), `${file} must exist`).toBe(true);
      const result = await runQaEval({ goldFile: path.resolve(file), systems: ['hybrid'], ablations: false });
      const found = result.systems.find((system) => system.system === 'hybrid');
      if (found === undefined) throw new Error('hybrid result missing');
      hybrid = found;
      reader = found.reader;
    }, 180_000);

    const ids = (predicate: (item: SystemResult['items'][number]) => boolean) => hybrid.items.filter(predicate).map((item) => item.id).join(', ');

    it(`has every expected fact in the answer text for at least ${floors.answerFactHit} of answerable questions`, () => {
      expect(reader.answerFactHit, `misses: ${ids((item) => item.answerable && !item.answerTextFactHit)}`).toBeGreaterThanOrEqual(floors.answerFactHit);
    });

    it(`leads with an expected section in at least ${floors.leadPrecision} of answered questions`, () => {
      expect(reader.leadPrecision, `wrong lead: ${ids((item) => item.leadHit === false)}`).toBeGreaterThanOrEqual(floors.leadPrecision);
    });

    it('abstains on unanswerable questions and rarely on answerable ones', () => {
      expect(reader.correctAbstention, `answered: ${ids((item) => !item.answerable && item.grounded)}`).toBeGreaterThanOrEqual(floors.correctAbstention);
      expect(reader.falseAbstention, `abstained: ${ids((item) => item.answerable && !item.grounded)}`).toBeLessThanOrEqual(floors.falseAbstention);
    });

    it(`keeps fragments under ${floors.fragmentRate} and the median answer within ${floors.medianWords} words`, () => {
      expect(reader.fragmentRate, `fragments: ${ids((item) => item.fragments > 0)}`).toBeLessThanOrEqual(floors.fragmentRate);
      expect(reader.medianWords).toBeLessThanOrEqual(floors.medianWords);
      expect(reader.medianWords).toBeGreaterThan(10);
    });

    it('produces no invalid citation', () => {
      expect(reader.invalidCitations).toBe(0);
    });
  });
}
