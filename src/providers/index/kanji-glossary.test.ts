import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { Bm25Index } from './bm25-index.js';
import { KanjiGlossary, defaultKanjidicFile, parseKanjidic } from './kanji-glossary.js';
import { defaultExpansionWeight } from './query-lexicon.js';
import { lexicalTokens } from './lexical-tokenizer.js';

// The real KANJIDIC file shipped by the npm package `kanjidic` (EUC-JP).
const glossary = KanjiGlossary.loadDefault(silentLogger()) as KanjiGlossary;

const passage = (text: string) => ({ title: 'Test corpus', section: '', text });
const corpus = Bm25Index.build(
  [
    passage('Transparency obligations apply to providers of chatbots.'),
    passage('Emotion recognition systems are prohibited at the workplace.'),
    ...Array.from({ length: 10 }, (_, position) => passage(`Further provisions, part ${position}.`)),
  ],
  (text) => lexicalTokens(text, { cjkBigrams: false }),
);
const tokens = (query: string) => lexicalTokens(query, { cjkBigrams: false });

describe('KanjiGlossary', () => {
  it('reads the English meanings of the kanji from the KANJIDIC file', () => {
    expect(defaultKanjidicFile()).toMatch(/kanjidic[/\\]data[/\\]kanjidic$/);
    expect(glossary.size).toBeGreaterThan(6000);
    expect(glossary.meanings('透')).toEqual(expect.arrayContaining(['transparent']));
    expect(glossary.meanings('禁')).toEqual(['prohibition', 'ban', 'forbid']);
    expect(glossary.meanings('a')).toEqual([]);
  });

  it('parses the EUC-JP line format, skipping the header and lines without meanings', () => {
    const ascii = (text: string) => [...Buffer.from(text, 'latin1')];
    // 禁 is B6 D8 in EUC-JP.
    const file = Uint8Array.from([...ascii('# KANJIDIC header {not a meaning}\n'), 0xb6, 0xd8, ...ascii(' 3648 U7981 B113 {prohibition} {ban (formal)}\n'), 0xb6, 0xd8, ...ascii(' 3648 U7981\n')]);
    expect([...parseKanjidic(file)]).toEqual([['禁', ['prohibition', 'ban (formal)']]]);
  });

  it('bridges a kanji word of a Japanese question to the English words the corpus uses, below the lexicon weight', () => {
    const [expansion, ...rest] = glossary.expand(tokens('透明性'), corpus); // segmented as 透明 | 性
    expect(rest).toEqual([]);
    expect(expansion?.replaces).toEqual(['透明']);
    expect(expansion?.alternatives).toContainEqual(lexicalTokens('transparent'));
    expect(expansion?.alternatives.flat()).not.toContain('bright'); // 明's meaning, absent from the corpus
    expect(expansion?.weight).toBeLessThan(defaultExpansionWeight);
  });

  it('combines the meanings of several kanji in order', () => {
    const [expansion] = glossary.expand(['感禁'], corpus);
    expect(expansion?.alternatives).toContainEqual([...lexicalTokens('emotion'), ...lexicalTokens('prohibition')]);
    // 感 and 情 both mean "emotion": the combination is one term, not two.
    expect(glossary.expand(['感情'], corpus)[0]?.alternatives).toEqual([lexicalTokens('emotion')]);
  });

  it('leaves alone words the reviewed lexicon bridges, kana words and English', () => {
    expect(glossary.expand(tokens('透明'), corpus, new Set(['透明']))).toEqual([]);
    expect(glossary.expand(tokens('チャットボット transparency'), corpus)).toEqual([]);
  });

  it('gives the dense side the first meaning of each kanji', () => {
    expect(glossary.denseGlosses(tokens('顔認識'))).toEqual(expect.arrayContaining(['face']));
    expect(glossary.denseGlosses(tokens('チャットボット'))).toEqual([]);
  });
});
