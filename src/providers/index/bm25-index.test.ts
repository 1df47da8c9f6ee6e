import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index.js';
import { lexicalTokens } from './lexical-tokenizer.js';

const documents = [
  { title: 'Act', section: 'Penalties', text: 'Fines for prohibited practices reach 35 million euros.' },
  { title: 'Act', section: 'Transparency', text: 'Chatbots must tell people they are talking to a machine.' },
  { title: 'Act', section: 'Deepfakes', text: 'Deepfakes must be labelled. Deepfakes deceive people.' },
];

describe('Bm25Index', () => {
  const index = Bm25Index.build(documents, (text) => lexicalTokens(text));

  it('ranks by BM25 and reports the idf-weighted query coverage', () => {
    const hits = index.search(lexicalTokens('fines for prohibited practices'), 10);
    expect(hits.map((hit) => hit.id)).toEqual([0]);
    expect(hits[0]?.coverage).toBeCloseTo(1);
    const partial = index.search(lexicalTokens('deepfakes in Singapore'), 10);
    expect(partial[0]?.id).toBe(2);
    expect(partial[0]?.coverage).toBeGreaterThan(0);
    expect(partial[0]?.coverage).toBeLessThan(0.6);
  });

  it('weights section headings and term frequency', () => {
    const hits = index.search(lexicalTokens('people deepfakes'), 10);
    expect(hits[0]?.id).toBe(2);
    expect(hits.map((hit) => hit.id)).toContain(1);
    expect(index.search(lexicalTokens('transparency'), 10)[0]?.id).toBe(1);
  });

  it('honours the filter and the count, and survives a serialisation round trip', () => {
    expect(index.search(lexicalTokens('people deepfakes'), 10, (id) => id !== 2).map((hit) => hit.id)).toEqual([1]);
    expect(index.search(lexicalTokens('people deepfakes'), 1)).toHaveLength(1);
    const copy = Bm25Index.deserialize(index.serialize());
    expect(copy.search(lexicalTokens('people deepfakes'), 10)).toEqual(index.search(lexicalTokens('people deepfakes'), 10));
    expect(() => Bm25Index.deserialize(index.serialize().subarray(0, 40))).toThrow();
  });

  it('handles empty queries and an empty index', () => {
    expect(index.search([], 5)).toEqual([]);
    expect(Bm25Index.build([], () => []).search(['x'], 5)).toEqual([]);
  });
});
