// Tests for the question-term extraction used by coverage and sentence selection.
import { describe, expect, it } from 'vitest';
import { contentTerms, detectLanguage } from './text-terms.js';

describe('contentTerms', () => {
  it('keeps Latin words and Japanese bigrams apart in mixed-script text', () => {
    const terms = contentTerms('EUのAI法の罰則は？');
    expect(terms).toEqual(expect.arrayContaining(['eu', 'ai', '罰則']));
    // No term may mix Latin letters with other scripts (e.g. "uの").
    expect(terms.some((term) => /[a-z]/u.test(term) && /[^\p{ASCII}]/u.test(term))).toBe(false);
  });

  it('stems English words and drops stop words', () => {
    expect(contentTerms('What are the penalties for deployers?')).toEqual(['penalti', 'deploy']);
  });

  it('detects Japanese by kana', () => {
    expect(detectLanguage('AI推進法に罰則はありますか？')).toBe('ja');
    expect(detectLanguage('Are there penalties?')).toBe('en');
  });
});
