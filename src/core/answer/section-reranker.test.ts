import { describe, expect, it } from 'vitest';
import { makePassage } from '../../../test/helpers/fake-retriever.js';
import type { ScoredPassage } from '../../ports/passage.js';
import { loadSectionReranker, rerankSections, sectionCandidates, sectionScore, type SectionRerankerModel } from './section-reranker.js';

const overview = makePassage({ source: 'overview.md', title: 'Japan AI Promotion Act', section: 'Entry into force of the AI Promotion Act', text: 'The Act entered into force in stages.' });
const eu = makePassage({ source: 'eu.md', title: 'EU AI Act — overview and timeline', section: 'Entry into force and application dates', text: 'The EU AI Act entered into force on 1 August 2024.' });
const euLater = makePassage({ source: 'eu.md', title: 'EU AI Act — overview and timeline', section: 'Entry into force and application dates', text: 'Most rules apply from 2 August 2026.' });
const japanese = makePassage({ source: 'ja.md', title: 'AI指針の概要', section: '施行日', language: 'ja', text: 'AI推進法は2025年9月1日に全面施行された。' });

const ranked: ScoredPassage[] = [
  { passage: overview, score: 0.8 },
  { passage: eu, score: 0.7 },
  { passage: japanese, score: 0.5 },
  { passage: euLater, score: 0.4 },
];

describe('section candidates', () => {
  it('groups the ranking by section and describes each with interpretable features', () => {
    const candidates = sectionCandidates('When did the EU AI Act enter into force?', ranked, { dense: new Map([[eu.chunkId, 0.6]]) });
    expect(candidates.map((candidate) => candidate.section)).toEqual(['Entry into force of the AI Promotion Act', 'Entry into force and application dates', '施行日']);
    const [first, second, third] = candidates;
    expect(first?.features).toMatchObject({ score: 1, first: 1, sameLanguage: 1 });
    expect(second?.features).toMatchObject({ first: 0, answerType: 1, sameLanguage: 1, dense: 0.6 });
    expect(second?.features.score).toBeCloseTo(0.875);
    // "EU" is in the second section's title and text, not the first's: it holds more of the question.
    expect(second?.features.title ?? 0).toBeGreaterThan(first?.features.title ?? 0);
    expect(second?.features.body ?? 0).toBeGreaterThan(first?.features.body ?? 0);
    expect(second?.passages).toHaveLength(2);
    expect(third?.features.sameLanguage).toBe(0);
    expect(sectionCandidates('When did the EU AI Act enter into force?', ranked, { limit: 2 })).toHaveLength(2);
  });
});

describe('re-ranking', () => {
  const titleFirst: SectionRerankerModel = { weights: { score: 1, title: 5 }, bias: 0 };

  it('moves the section the model prefers to the front, its passages together, and keeps the rest after', () => {
    const question = 'When did the EU AI Act enter into force?';
    const order = rerankSections(sectionCandidates(question, ranked), ranked, titleFirst);
    expect(order.map((item) => item.passage.chunkId)).toEqual([eu, euLater, overview, japanese].map((passage) => passage.chunkId));
    expect(order).toHaveLength(ranked.length);
  });

  it('keeps the retrieval order when the model says so, or with a single section', () => {
    const scoreOnly: SectionRerankerModel = { weights: { score: 1 }, bias: 0 };
    const question = 'When did the EU AI Act enter into force?';
    expect(rerankSections(sectionCandidates(question, ranked), ranked, scoreOnly).map((item) => item.passage.chunkId)).toEqual([overview, eu, euLater, japanese].map((passage) => passage.chunkId));
    const single = [{ passage: eu, score: 0.7 }];
    expect(rerankSections(sectionCandidates(question, single), single, titleFirst)).toEqual(single);
  });

  it('ships a fitted model that favours the retrieval score and the question in the heading and title', () => {
    const model = loadSectionReranker();
    expect(model.weights.score).toBeGreaterThan(0);
    expect(model.weights.heading).toBeGreaterThan(0);
    expect(model.weights.title).toBeGreaterThan(0);
    const base = { score: 1, first: 1, heading: 0, title: 0, body: 0.2, answerType: 0, sameLanguage: 1, dense: 0.5 };
    expect(sectionScore({ ...base, heading: 0.8 }, model)).toBeGreaterThan(sectionScore(base, model));
  });
});
