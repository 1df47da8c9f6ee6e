// Floors for the shipped default (hybrid retrieval, extractive answers) on the gold set
// evals/qa-gold.jsonl, measured on a fresh index built from corpus/.
//
// The fact-hit floor is a ratchet just under the measured figure (0.623 at the time of writing, with the governance lexicon),
// so a regression fails CI. The target for fact-hit is 0.90; the offline default does not reach it
// yet — docs/answering.md shows where facts are lost (retrieval of paraphrases and of English-only
// passages for Japanese questions, and extraction from long sections). Raise the floor with every
// measured gain; never lower it to hide a regression.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runQaEval, type SystemResult } from '../../evals/suites/qa.js';

const goldFile = path.resolve('evals/qa-gold.jsonl');
/** Regression ratchet under the measured 0.623; the target is 0.90 (not met yet). */
const factHitFloor = 0.6;

describe('QA floors (hybrid, shipped default)', () => {
  let hybrid: SystemResult;
  beforeAll(async () => {
    expect(existsSync(goldFile), 'evals/qa-gold.jsonl must exist').toBe(true);
    const result = await runQaEval({ systems: ['hybrid'], coverageAblation: false });
    expect(result.questions).toBeGreaterThan(0);
    const found = result.systems.find((system) => system.system === 'hybrid');
    if (found === undefined) throw new Error('hybrid result missing');
    hybrid = found;
  }, 180_000);

  it('finds every expected fact in at least 60% of answerable questions (target 90%)', () => {
    const misses = hybrid.items.filter((item) => item.answerable && !item.factHit).map((item) => item.id);
    expect(hybrid.factHitRate, `fact misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(factHitFloor);
  });

  it('abstains correctly on at least 80% of all questions', () => {
    const wrong = hybrid.items.filter((item) => item.grounded !== item.answerable).map((item) => `${item.id}(${item.answerable ? 'abstained' : 'answered'})`);
    expect(hybrid.abstentionAccuracy, `wrong: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('produces no invalid citation', () => {
    expect(hybrid.invalidCitations).toBe(0);
  });
});
