import { describe, expect, it } from 'vitest';
import { makePassage } from '../../../test/helpers/fake-retriever.js';
import { coverageFeatures, coverageProbability, decideCoverage, decideCoverageByRules, loadCoverageModel, questionNames, termOverlap, type CoverageModel } from './coverage.js';
import { buildRetrievalQuery } from './retrieval-query.js';

const passage = makePassage({ source: 'a.md', title: 'EU AI Act', section: 'Article 50 › Deepfakes', text: 'Deployers must disclose deepfakes. Chatbots must tell people they talk to a machine.' });

describe('decideCoverage', () => {
  it('is covered when the top score reaches the threshold and the terms overlap', () => {
    const decision = decideCoverageByRules('Must deployers disclose deepfakes?', [{ passage, score: 0.6 }], { relevanceThreshold: 0.5, minTermOverlap: 0.34 });
    expect(decision).toMatchObject({ covered: true, reason: 'ok' });
  });

  it('is not covered below the threshold', () => {
    expect(decideCoverageByRules('Must deployers disclose deepfakes?', [{ passage, score: 0.49 }], { relevanceThreshold: 0.5, minTermOverlap: 0 })).toMatchObject({ covered: false, reason: 'score' });
  });

  it('is not covered when a high score shares too few of the question terms', () => {
    const decision = decideCoverageByRules('What is the cafeteria lunch menu on Fridays for deployers?', [{ passage, score: 0.9 }], { relevanceThreshold: 0.5, minTermOverlap: 0.34 });
    expect(decision).toMatchObject({ covered: false, reason: 'overlap' });
    expect(decision.termOverlap).toBeLessThan(0.34);
  });

  it('is not covered with no passages', () => {
    expect(decideCoverageByRules('anything', [], { relevanceThreshold: 0.1, minTermOverlap: 0 })).toMatchObject({ covered: false, reason: 'empty' });
  });

  it('counts terms in the title and section too', () => {
    expect(termOverlap('article 50', [{ passage, score: 1 }])).toBe(1);
  });
});

describe('names in the question', () => {
  it('finds capitalised names and acronyms but not the first word or AI compounds', () => {
    expect(questionNames("Does Colorado's AI Act require audits from NIST-certified insurers?")).toEqual(['Colorado', 'Act']);
    expect(questionNames('What do the G7 code and the EU AI Act say about AI-generated content?')).toEqual(['Act']);
  });

  it('is not covered when a named subject appears in no top passage', () => {
    const decision = decideCoverageByRules('What do Canadian rules say about deepfakes?', [{ passage, score: 0.9 }], { relevanceThreshold: 0.5, minTermOverlap: 0 });
    expect(decision).toMatchObject({ covered: false, reason: 'name', missingNames: ['Canadian'] });
  });

  it('accepts a name found as the start of a longer word or through a short form', () => {
    const european = makePassage({ source: 'b.md', section: 'S', text: 'The EU AI Act applies to providers in Germany.' });
    expect(decideCoverageByRules('Does the law apply in Europe to our German office?', [{ passage: european, score: 0.9 }], { relevanceThreshold: 0.5, minTermOverlap: 0 }).covered).toBe(true);
  });

  it('can be switched off', () => {
    expect(decideCoverageByRules('What do Canadian rules say about deepfakes?', [{ passage, score: 0.9 }], { relevanceThreshold: 0.5, minTermOverlap: 0, checkNames: false }).covered).toBe(true);
  });
});

describe('specific subjects', () => {
  it('leave out acronyms, months, article words and product-style names, which people use for generic things', () => {
    expect(questionNames('Can I paste customer data into ChatGPT or an LLM before Dec. 2 under Art. 50?')).toEqual([]);
    expect(questionNames('Is the Texas law like the one in Colorado?')).toEqual(['Texas', 'Colorado']);
  });

  it('treat the names of widely used AI products as AI tools in general, neither subjects nor words unknown to the corpus', () => {
    expect(questionNames('Is using Copilot or Gemini to draft internal emails OK under our policy?')).toEqual([]);
    const vocabulary = new Set(['past', 'custom', 'data']);
    const features = coverageFeatures('Can I paste customer data into ChatGPT or Claude?', [{ passage, score: 0.6 }], { relevanceThreshold: 0.3, vocabulary });
    expect(features.unknownTerms).toBe(0);
    expect(features.missingSubjects).toBe(0);
  });
});

describe('the fitted decision', () => {
  const model: CoverageModel = {
    weights: { score: 1, margin: 0, topSectionOverlap: 2, overlap: 1, missingSubjects: -3, dense: 0, japanese: 0, unknownTerms: -3 },
    bias: -2,
    threshold: 0.5,
  };

  it('computes interpretable features from the question and its ranking', () => {
    const other = makePassage({ source: 'z.md', section: 'Other', text: 'Unrelated text about cafeterias.' });
    const features = coverageFeatures('Must deployers disclose deepfakes?', [{ passage, score: 0.6 }, { passage: other, score: 0.3 }], {
      relevanceThreshold: 0.3,
      vocabulary: new Set(['deploy', 'disclos']),
    });
    expect(features.score).toBeCloseTo(2);
    expect(features.margin).toBeCloseTo(0.5);
    expect(features.topSectionOverlap).toBe(1);
    expect(features.missingSubjects).toBe(0);
    expect(features.japanese).toBe(0);
    // "deepfak" is not in the given vocabulary: one term in three is unknown to the corpus.
    expect(features.unknownTerms).toBeCloseTo(1 / 3);
  });

  it('answers a question the top section covers and abstains on one about an absent subject', () => {
    const covered = decideCoverage('Must deployers disclose deepfakes?', [{ passage, score: 0.6 }], { relevanceThreshold: 0.3, model });
    expect(covered).toMatchObject({ covered: true, reason: 'ok' });
    expect(covered.probability).toBeGreaterThan(0.5);
    const absent = decideCoverage('What do Canadian rules say about deepfakes?', [{ passage, score: 0.6 }], { relevanceThreshold: 0.3, model });
    expect(absent).toMatchObject({ covered: false, reason: 'model', missingNames: ['Canadian'] });
    expect(decideCoverage('anything', [], { relevanceThreshold: 0.3, model })).toMatchObject({ covered: false, reason: 'empty' });
  });

  it('ships a fitted model whose weights read the right way round', () => {
    const shipped = loadCoverageModel();
    expect(shipped.threshold).toBeGreaterThan(0);
    expect(shipped.weights.missingSubjects).toBeLessThan(0);
    expect(shipped.weights.unknownTerms).toBeLessThan(0);
    expect(shipped.weights.topSectionOverlap).toBeGreaterThan(0);
    const strong = coverageFeatures('Must deployers disclose deepfakes?', [{ passage, score: 0.6 }], { relevanceThreshold: 0.1, dense: 0.8, vocabulary: new Set(['deploy', 'disclos', 'deepfak']) });
    expect(coverageProbability(strong, shipped)).toBeGreaterThan(coverageProbability({ ...strong, missingSubjects: 2, unknownTerms: 1 }, shipped));
  });
});

describe('threshold by language', () => {
  const japanese = makePassage({ source: 'j.md', section: '罰則', language: 'ja', text: 'AI推進法には罰則の規定はない。' });
  it('judges Japanese questions against half the threshold by default', () => {
    expect(decideCoverageByRules('AI推進法に罰則はありますか？', [{ passage: japanese, score: 0.3 }], { relevanceThreshold: 0.5, minTermOverlap: 0 }).covered).toBe(true);
    expect(decideCoverageByRules('AI推進法に罰則はありますか？', [{ passage: japanese, score: 0.2 }], { relevanceThreshold: 0.5, minTermOverlap: 0 }).reason).toBe('score');
    expect(decideCoverageByRules('AI推進法に罰則はありますか？', [{ passage: japanese, score: 0.3 }], { relevanceThreshold: 0.5, minTermOverlap: 0, thresholdScale: {} }).reason).toBe('score');
  });
});

describe('buildRetrievalQuery', () => {
  it('returns the question unchanged without history', () => {
    expect(buildRetrievalQuery('What are the transparency duties?')).toEqual({ text: 'What are the transparency duties?', contextTerms: [] });
  });

  it('adds salient words of recent user turns to a follow-up', () => {
    const query = buildRetrievalQuery('What about for Japan?', [
      { role: 'user', text: 'What are the transparency obligations for deepfakes?' },
      { role: 'assistant', text: 'Deployers must disclose deepfakes [1]. Penalties can be high [2].' },
    ]);
    expect(query.text.startsWith('What about for Japan?')).toBe(true);
    expect(query.text).toContain('transparency');
    expect(query.text).toContain('deepfakes');
    expect(query.text).not.toContain('Penalties');
    expect(query.contextTerms.length).toBeGreaterThan(0);
  });

  it('does not repeat words the question already has and caps the borrowed words', () => {
    const query = buildRetrievalQuery('And transparency in Japan?', [
      { role: 'user', text: 'transparency accountability fairness safety privacy security robustness explainability oversight documentation logging' },
    ]);
    const borrowed = query.text.slice('And transparency in Japan?'.length).trim().split(' ');
    expect(borrowed).not.toContain('transparency');
    expect(borrowed.length).toBeLessThanOrEqual(8);
  });

  it('borrows Japanese words from a Japanese turn', () => {
    const query = buildRetrievalQuery('罰則は？', [{ role: 'user', text: '高リスクAIシステムの義務を教えて' }]);
    expect(query.text).toContain('高リスク');
  });
});
