// Floors for the shipped default (hybrid retrieval, extractive answers) on the gold set
// evals/qa-gold.jsonl, measured on a fresh index built from corpus/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runQaEval, type SystemResult } from '../../evals/suites/qa.js';

const goldFile = path.resolve('evals/qa-gold.jsonl');

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

  it('finds every expected fact in at least 90% of answerable questions', () => {
    const misses = hybrid.items.filter((item) => item.answerable && !item.factHit).map((item) => item.id);
    expect(hybrid.factHitRate, `fact misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(0.9);
  });

  it('abstains correctly on at least 80% of all questions', () => {
    const wrong = hybrid.items.filter((item) => item.grounded !== item.answerable).map((item) => `${item.id}(${item.answerable ? 'abstained' : 'answered'})`);
    expect(hybrid.abstentionAccuracy, `wrong: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('produces no invalid citation', () => {
    expect(hybrid.invalidCitations).toBe(0);
  });
});
