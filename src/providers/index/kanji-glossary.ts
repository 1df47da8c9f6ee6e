// A Japanese→English bridge for the lexical search from KANJIDIC, the kanji dictionary of the
// Electronic Dictionary Research and Development Group (EDRDG; CC BY-SA 4.0), as shipped by the npm
// package `kanjidic`. A kanji word in a Japanese question ("透明性") is glossed character by character
// with each kanji's first English meanings ("transparent", …), kept only where the corpus uses them,
// so a Japanese question can reach an English passage. No npm package ships a word-level
// Japanese–English dictionary (JMdict/EDICT) — see docs/retrieval.md — so this is the bridge to have:
// the glosses count below the question's own words and below the reviewed governance lexicon.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { lexicalTokens } from './lexical-tokenizer.js';
import type { QueryExpansion } from './query-lexicon.js';
import type { ExpansionVocabulary } from './wordnet-thesaurus.js';

export interface KanjiGlossarySettings {
  /** Meanings of each kanji considered, in KANJIDIC's order (default 3). */
  meanings: number;
  /** Weight of a gloss's match relative to the question's own words (default 0.25). */
  weight: number;
  /** Glosses found in more than this share of the passages are not used (default 0.1). */
  maxDocumentShare: number;
  /** At most this many gloss combinations per Japanese word (default 24). */
  maxAlternatives: number;
}

export const defaultKanjiGlossarySettings: KanjiGlossarySettings = { meanings: 3, weight: 0.25, maxDocumentShare: 0.1, maxAlternatives: 24 };

const han = /\p{Script=Han}/u;
const hanOnly = /^[\p{Script=Han}\u3005]+$/u;
const entryPattern = /^(\S+) [0-9A-F]{4} /;
const meaningPattern = /\{([^}]*)\}/g;

const glossesSchema = z.map(z.string().length(1), z.array(z.string().min(1)).min(1));

/** Parses a KANJIDIC file (EUC-JP, one kanji per line, meanings in braces) into kanji → English meanings. */
export function parseKanjidic(data: Uint8Array): Map<string, string[]> {
  const text = new TextDecoder('euc-jp').decode(data);
  const glosses = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const kanji = entryPattern.exec(line)?.[1];
    if (kanji === undefined || [...kanji].length !== 1) continue;
    const meanings = [...line.matchAll(meaningPattern)].map((match) => (match[1] as string).trim()).filter((meaning) => meaning !== '');
    if (meanings.length > 0) glosses.set(kanji, meanings);
  }
  return glossesSchema.parse(glosses);
}

/** Location of the KANJIDIC file inside the installed `kanjidic` package, if it is installed. */
export function defaultKanjidicFile(): string | undefined {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('kanjidic/package.json')), 'data', 'kanjidic');
  } catch {
    return undefined;
  }
}

const loaded = new Map<string, Map<string, string[]> | null>();

export class KanjiGlossary {
  readonly settings: KanjiGlossarySettings;
  private readonly caches = new WeakMap<ExpansionVocabulary, Map<string, string[][]>>();

  constructor(private readonly glosses: Map<string, string[]>, settings: Partial<KanjiGlossarySettings> = {}) {
    this.settings = { ...defaultKanjiGlossarySettings, ...settings };
  }

  /**
   * The KANJIDIC file of the installed `kanjidic` package (read once per process), or null with a
   * logged warning when it is missing or unreadable: search then runs without the kanji bridge.
   */
  static loadDefault(logger: Logger, settings: Partial<KanjiGlossarySettings> = {}, file = defaultKanjidicFile()): KanjiGlossary | null {
    const key = file ?? '';
    if (!loaded.has(key)) {
      if (file === undefined || !existsSync(file)) {
        logger.warn({ file }, 'KANJIDIC (npm package kanjidic) not installed; Japanese questions are searched without the kanji→English bridge');
        loaded.set(key, null);
      } else {
        try {
          loaded.set(key, parseKanjidic(readFileSync(file)));
        } catch (error) {
          logger.warn({ file, err: error }, 'KANJIDIC file unreadable; Japanese questions are searched without the kanji→English bridge');
          loaded.set(key, null);
        }
      }
    }
    const glosses = loaded.get(key);
    return glosses ? new KanjiGlossary(glosses, settings) : null;
  }

  /** Number of kanji with English meanings. */
  get size(): number {
    return this.glosses.size;
  }

  /** A kanji's English meanings, most important first (KANJIDIC's order). */
  meanings(kanji: string): string[] {
    return this.glosses.get(kanji) ?? [];
  }

  /**
   * The first English meaning of every kanji in the kanji words of a question, for the dense side's
   * query text: the local embedder has English word vectors only ("透明性" → "transparent sex bright").
   */
  denseGlosses(queryTokens: string[]): string[] {
    const glosses: string[] = [];
    for (const token of new Set(queryTokens)) {
      if (!hanOnly.test(token)) continue;
      for (const kanji of token) {
        const first = this.meanings(kanji)[0];
        if (first !== undefined) glosses.push(first);
      }
    }
    return glosses;
  }

  /**
   * Expansions for the kanji words among a question's lexical tokens: each word gets, as
   * alternatives, combinations of its kanji's meanings that the corpus uses ("透明性" →
   * "transpar"). Tokens in `exclude` (already bridged by the reviewed lexicon) are left alone.
   */
  expand(queryTokens: string[], vocabulary: ExpansionVocabulary, exclude: ReadonlySet<string> = new Set()): QueryExpansion[] {
    if (vocabulary.size === 0) return [];
    const expansions: QueryExpansion[] = [];
    for (const token of new Set(queryTokens)) {
      if (!hanOnly.test(token) || exclude.has(token)) continue;
      const options = [...token].filter((character) => han.test(character)).map((kanji) => this.corpusMeanings(kanji, vocabulary)).filter((list) => list.length > 0);
      if (options.length === 0) continue;
      // Every combination of one meaning per kanji, in order, capped: "顔認識" → "face recogn", …
      let alternatives: string[][] = [[]];
      for (const list of options) {
        const next: string[][] = [];
        for (const prefix of alternatives) for (const meaning of list) if (next.length < this.settings.maxAlternatives) next.push([...new Set([...prefix, ...meaning])]);
        alternatives = next;
      }
      const keys = new Set<string>();
      alternatives = alternatives.filter((alternative) => !keys.has(alternative.join(' ')) && keys.add(alternative.join(' ')) !== undefined);
      expansions.push({ replaces: [token], alternatives, weight: this.settings.weight });
    }
    return expansions;
  }

  /** A kanji's first meanings as lexical tokens, kept when the corpus uses every token and none is common. */
  private corpusMeanings(kanji: string, vocabulary: ExpansionVocabulary): string[][] {
    let cache = this.caches.get(vocabulary);
    if (!cache) {
      cache = new Map();
      this.caches.set(vocabulary, cache);
    }
    const cached = cache.get(kanji);
    if (cached) return cached;
    const limit = this.settings.maxDocumentShare * vocabulary.size;
    const result: string[][] = [];
    const keys = new Set<string>();
    for (const meaning of this.meanings(kanji).slice(0, this.settings.meanings)) {
      const words = meaning.replace(/\([^)]*\)/g, ' ').split(/[\s-]+/).filter((word) => word !== '');
      const tokens = lexicalTokens(words.join(' '), { cjkBigrams: false });
      // A meaning that loses a word to the stop list ("based on" → "base") no longer means the same.
      if (tokens.length === 0 || tokens.length !== words.length) continue;
      if (!tokens.every((term) => vocabulary.documentFrequency(term) > 0 && vocabulary.documentFrequency(term) <= limit)) continue;
      const key = tokens.join(' ');
      if (keys.has(key)) continue;
      keys.add(key);
      result.push(tokens);
    }
    cache.set(kanji, result);
    return result;
  }
}
