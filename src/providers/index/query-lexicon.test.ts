import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index.js';
import { lexicalTokens } from './lexical-tokenizer.js';
import { QueryLexicon } from './query-lexicon.js';

const lexicon = new QueryLexicon({
  synonyms: [['human oversight', 'supervise', 'human in the loop'], ['postpone', 'push back', 'delay']],
  japanese: [{ ja: ['罰則', '罰金'], en: ['penalty', 'fine'] }],
});

const expand = (query: string) => lexicon.expand(query, lexicalTokens(query, { cjkBigrams: false }));

describe('QueryLexicon', () => {
  it('offers the other members of a group for a word of the question', () => {
    const [expansion, ...rest] = expand('Who is supervising the model?');
    expect(rest).toEqual([]);
    expect(expansion?.replaces).toEqual(lexicalTokens('supervise'));
    expect(expansion?.alternatives).toContainEqual(lexicalTokens('human oversight'));
    expect(expansion?.weight).toBeLessThan(1);
  });

  it('matches multi-word members in any inflection', () => {
    const [expansion] = expand('Was the deadline pushed back?');
    expect(expansion?.alternatives).toContainEqual(lexicalTokens('postpone'));
  });

  it('bridges a Japanese term to its English equivalents', () => {
    const [expansion] = expand('AI推進法に罰則はありますか？');
    expect(expansion?.alternatives).toContainEqual(lexicalTokens('penalty'));
    expect(lexicon.relatedPhrases('AI推進法に罰則はありますか？')).toEqual(expect.arrayContaining(['penalty', 'fine', '罰金']));
  });

  it('expands nothing for a question outside the lexicon', () => {
    expect(expand('What is the capital of France?')).toEqual([]);
  });

  it('loads the shipped lexicon file', () => {
    expect(QueryLexicon.loadDefault().size).toBeGreaterThan(50);
  });
});

describe('Bm25Index with expansions', () => {
  const documents = [
    { title: 'A', section: 'Human oversight', text: 'Deployers assign human oversight to trained staff.' },
    { title: 'B', section: 'Scope', text: 'Staff supervise the model output every day.' },
    { title: 'C', section: 'Other', text: 'Unrelated text about budgets.' },
  ];
  const index = Bm25Index.build(documents, (text) => lexicalTokens(text));

  it('reaches a passage that only uses the synonym, below one using the question word', () => {
    const query = 'who must supervise the model';
    const terms = lexicalTokens(query);
    expect(index.search(terms, 5).map((hit) => hit.id)).not.toContain(0);
    const hits = index.search(terms, 5, undefined, expand(query));
    expect(hits.map((hit) => hit.id)).toEqual([1, 0]);
    const synonymOnly = hits.find((hit) => hit.id === 0);
    expect(synonymOnly?.coverage).toBeGreaterThan(0);
    expect(synonymOnly?.coverage).toBeLessThan(hits[0]?.coverage ?? 0);
  });

  it('does not credit a passage twice when it has both the word and its synonym', () => {
    const both = Bm25Index.build([{ title: '', section: '', text: 'supervise and human oversight' }], (text) => lexicalTokens(text));
    const terms = lexicalTokens('supervise');
    const [plain] = both.search(terms, 1);
    const [expanded] = both.search(terms, 1, undefined, expand('supervise'));
    expect(expanded?.score).toBeCloseTo(plain?.score ?? 0, 5);
    expect(expanded?.coverage).toBeCloseTo(1, 5);
  });
});
