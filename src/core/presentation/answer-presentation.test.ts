// The shared answer wording: plain-text rendering with related sources, and the public citation shape.
import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../answer/answer.js';
import { answerToPlainText, publicCitation, relatedSourceLines, relatedSourcesHeading } from './answer-presentation.js';

const cited: Citation = { n: 1, title: 'EU AI Act', source: 'eu-ai-act.md', section: 'Article 50', quote: 'Deep fakes shall be disclosed.', url: 'https://example.org/art-50', score: 0.9 };
const related: Citation[] = [
  { n: 2, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'q', url: 'https://example.org/meti', score: 0.7 },
  { n: 3, title: 'Internal AI policy', source: 'policy.md', section: '', quote: 'q', score: 0.6 },
];

describe('answer presentation', () => {
  it('renders related sources after the numbered sources in plain text', () => {
    const answer: Answer = { answer: 'Deepfakes must be disclosed [1].', grounded: true, citations: [cited], related };
    expect(answerToPlainText(answer)).toBe(
      [
        'Deepfakes must be disclosed [1].',
        '',
        'Sources:',
        '[1] EU AI Act — Article 50 (https://example.org/art-50)',
        '',
        `${relatedSourcesHeading}:`,
        '- AI Guidelines for Business — Transparency (https://example.org/meti)',
        '- Internal AI policy',
      ].join('\n'),
    );
  });

  it('shows no related section when there are none', () => {
    expect(relatedSourceLines([])).toEqual([]);
    expect(answerToPlainText({ answer: 'A [1].', grounded: true, citations: [cited], related: [] })).not.toContain(relatedSourcesHeading);
  });

  it('keeps only the public citation fields, in the documented order', () => {
    const withExtra = { ...related[1], passageId: 'p-9' } as Citation;
    expect(Object.keys(publicCitation(withExtra))).toEqual(['n', 'title', 'source', 'section', 'quote', 'score']);
    expect(Object.keys(publicCitation(cited))).toEqual(['n', 'title', 'source', 'section', 'quote', 'url', 'score']);
  });
});
