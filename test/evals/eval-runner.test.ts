// The eval runner's Markdown rendering and the QA scoring helpers.
import { describe, expect, it } from 'vitest';
import { markdownTable } from '../../evals/run.js';
import { factShare, invalidCitationCount, matchesExpected } from '../../evals/suites/qa.js';

describe('markdownTable', () => {
  it('renders the union of columns, right-aligns numbers and escapes pipes', () => {
    const table = markdownTable({ caption: 'Figures', rows: [{ system: 'a|b', score: 0.5 }, { system: 'c', score: 1, note: 'x' }] });
    expect(table).toBe(['**Figures**', '', '| system | score | note |', '| --- | ---: | --- |', '| a\\|b | 0.5 |  |', '| c | 1 | x |', ''].join('\n'));
  });
});

describe('QA scoring', () => {
  it('matches an expected section and the sections under it', () => {
    const expected = { source: 'a.md', section: 'Article 50' };
    expect(matchesExpected({ source: 'a.md', section: 'Article 50' }, expected)).toBe(true);
    expect(matchesExpected({ source: 'a.md', section: 'Article 50 › Deepfakes' }, expected)).toBe(true);
    expect(matchesExpected({ source: 'a.md', section: 'Article 50(1)' }, expected)).toBe(false);
    expect(matchesExpected({ source: 'b.md', section: 'Article 50' }, expected)).toBe(false);
  });

  it('finds facts in the answer or the top three quotes, case-insensitively', () => {
    const citations = [1, 2, 3, 4].map((n) => ({ n, title: 't', source: 's', section: 'x', quote: `quote ${n} fact${n}`, score: 1 }));
    expect(factShare({ answer: 'Fines reach EUR 35 Million [1].', citations }, ['35 million', 'fact3'])).toBe(1);
    expect(factShare({ answer: 'x', citations }, ['fact4'])).toBe(0);
  });

  it('counts markers without a citation and quotes found in no passage', () => {
    const citations = [{ n: 1, title: 't', source: 's', section: 'x', quote: 'Real text', score: 1 }];
    expect(invalidCitationCount({ answer: 'A [1]. B [2].', citations }, ['some real text here'])).toBe(1);
    expect(invalidCitationCount({ answer: 'A [1].', citations }, ['other'])).toBe(1);
  });
});
