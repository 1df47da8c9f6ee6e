import { describe, expect, it } from 'vitest';
import { makePassage } from '../../../test/helpers/fake-retriever.js';
import { interleaveRankings, subQuestions } from './retrieval-query.js';

describe('subQuestions', () => {
  it('splits a question that asks two things and keeps a leading statement with each part', () => {
    expect(subQuestions('Since when are banned AI practices off-limits in the EU, and what is the maximum penalty?')).toEqual([
      'Since when are banned AI practices off-limits in the EU',
      'what is the maximum penalty?',
    ]);
    expect(subQuestions('We want cameras in our stores. Is that high-risk and what must we tell customers?')).toEqual([
      'We want cameras in our stores. Is that high-risk',
      'We want cameras in our stores. what must we tell customers?',
    ]);
    expect(subQuestions('AIの誤用について注意喚起すべきですか？EUではどのような情報提供が求められますか？')).toHaveLength(2);
  });

  it('leaves one-part questions and conditions alone', () => {
    expect(subQuestions('Do deepfakes have to be labelled?')).toEqual([]);
    expect(subQuestions('If an AI incident happens, would following the guidelines help our directors?')).toEqual([]);
    expect(subQuestions('How do Japan and the EU differ on penalties?')).toEqual([]);
  });
});

describe('interleaveRankings', () => {
  it('takes each list in turn by rank, each passage once', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name, index) => ({ passage: makePassage({ source: `${name}.md`, section: 'S', text: name }, index), score: 1 - index / 10 }));
    const merged = interleaveRankings([[a!, b!], [c!, a!, d!]], 10);
    expect(merged.map((item) => item.passage.source)).toEqual(['a.md', 'c.md', 'b.md', 'd.md']);
    expect(interleaveRankings([[a!, b!], [c!]], 2)).toHaveLength(2);
  });
});
