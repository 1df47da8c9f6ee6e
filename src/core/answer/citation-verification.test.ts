import { describe, expect, it } from 'vitest';
import { isNotCoveredStatement, verifyCitations } from './citation-verification.js';

describe('verifyCitations', () => {
  it('keeps valid markers and renumbers them in order of first use', () => {
    const result = verifyCitations('Providers must log events [3]. Deployers inform workers [1][3].', 4);
    expect(result.text).toBe('Providers must log events [1]. Deployers inform workers [2][1].');
    expect(result.used).toEqual([3, 1]);
    expect(result.invalidMarkers).toEqual([]);
    expect(result.droppedSentences).toEqual([]);
  });

  it('removes a marker naming no passage and drops a sentence left unsupported', () => {
    const result = verifyCitations('Fines reach 7% of turnover [7]. High-risk systems need logging [2].', 3);
    expect(result.text).toBe('High-risk systems need logging [1].');
    expect(result.used).toEqual([2]);
    expect(result.invalidMarkers).toEqual([7]);
    expect(result.droppedSentences).toEqual(['Fines reach 7% of turnover.']);
  });

  it('keeps a sentence whose invalid marker sits beside a valid one', () => {
    const result = verifyCitations('Logging is required [2, 9].', 3);
    expect(result.text).toBe('Logging is required [1].');
    expect(result.invalidMarkers).toEqual([9]);
  });

  it('drops sentences without any marker', () => {
    const result = verifyCitations('Some unsupported claim. Supported claim [1].', 1);
    expect(result.text).toBe('Supported claim [1].');
    expect(result.droppedSentences).toEqual(['Some unsupported claim.']);
  });

  it('reports no citation when nothing is supported', () => {
    const result = verifyCitations('The AI Act applies from 2026. It is strict.', 5);
    expect(result.used).toEqual([]);
    expect(result.text).toBe('');
    expect(result.notCovered).toBe(false);
  });

  it('recognises a whole-reply "not covered" statement', () => {
    const result = verifyCitations('The provided passages do not cover this question.', 5);
    expect(result.notCovered).toBe(true);
    expect(verifyCitations('提供された文書にはこの点についての記載がありません。', 3).notCovered).toBe(true);
  });

  it('keeps a partial-coverage remark without a marker next to supported sentences', () => {
    const result = verifyCitations('Deployers must label deepfakes [2]. The passages do not cover penalties for this.', 2);
    expect(result.text).toBe('Deployers must label deepfakes [1]. The passages do not cover penalties for this.');
    expect(result.notCovered).toBe(false);
  });

  it('attaches a marker written after the full stop to the sentence before it', () => {
    const result = verifyCitations('Providers keep logs. [2] Deployers monitor. [1]', 2);
    expect(result.text).toBe('Providers keep logs. [1] Deployers monitor. [2]');
    expect(result.droppedSentences).toEqual([]);
  });

  it('reads ranges, lists, passage words and full-width markers', () => {
    expect(verifyCitations('A [1-3].', 3).used).toEqual([1, 2, 3]);
    expect(verifyCitations('A [Passage 2].', 3).used).toEqual([2]);
    const japanese = verifyCitations('高リスクAIには記録義務があります［２］。透明性も必要です[1]。', 2);
    expect(japanese.text).toBe('高リスクAIには記録義務があります[1]。透明性も必要です[2]。');
    expect(japanese.used).toEqual([2, 1]);
  });

  it('reads 【n】 markers and moves a marker written after 。 before it', () => {
    const result = verifyCitations('記録義務があります。【2】透明性も必要です。[1]', 2);
    expect(result.text).toBe('記録義務があります[1]。透明性も必要です[2]。');
  });

  it('drops a source list the model appended', () => {
    const result = verifyCitations('Deepfakes must be disclosed [1].\n\nSources:\n[1] EU AI Act — Article 50\n[2] Internal policy', 2);
    expect(result.text).toBe('Deepfakes must be disclosed [1].');
    expect(result.used).toEqual([1]);
    expect(verifyCitations('Logs are required [2].\n[2]: Article 12 record-keeping', 2).text).toBe('Logs are required [1].');
  });

  it('keeps list lines and drops unsupported ones', () => {
    const result = verifyCitations('Obligations:\n- risk management [1]\n- data governance [2]\n- made-up duty [5]', 2);
    expect(result.text).toBe('- risk management [1]\n- data governance [2]');
    expect(result.invalidMarkers).toEqual([5]);
  });

  it('does not treat a number in square brackets inside a word as a marker', () => {
    expect(verifyCitations('Article 5(1)(a) forbids manipulation [1].', 1).text).toBe('Article 5(1)(a) forbids manipulation [1].');
  });
});

describe('isNotCoveredStatement', () => {
  it('matches common phrasings and not ordinary claims', () => {
    expect(isNotCoveredStatement("The documents don't mention this.")).toBe(true);
    expect(isNotCoveredStatement('There is no information about salaries.')).toBe(true);
    expect(isNotCoveredStatement('Providers must keep logs.')).toBe(false);
  });
});
