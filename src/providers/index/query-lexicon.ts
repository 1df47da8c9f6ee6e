// Query expansion from the governance lexicon (governance-lexicon.yaml, next to this file): when a question uses
// one member of a synonym group ("supervising"), the lexical search also looks for the other members
// ("human oversight"), and a Japanese term also reaches its English equivalents (and back). Expanded
// terms count at a lower weight than the question's own words, and never on top of them: a passage
// gets, per expansion, the better of its match on the original words and its weighted match on the
// alternatives (see bm25-index.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { ShishinError } from '../../errors.js';
import { lexicalTokens, type LexicalTokenizerOptions } from './lexical-tokenizer.js';

/** One expansion of a query: alternatives for some of its tokens. */
export interface QueryExpansion {
  /** Query tokens the alternatives stand in for (may be empty when none could be identified). */
  replaces: string[];
  /** Each alternative is a token list (a phrase); a passage's match is its best alternative. */
  alternatives: string[][];
  /** Weight of an alternative's match relative to the original words, in (0, 1]. */
  weight: number;
}

const lexiconSchema = z.object({
  synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
  japanese: z.array(z.object({ ja: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) })).default([]),
});

/** The lexicon as data: synonym groups (English) and Japanese↔English pairs. */
export type LexiconData = z.infer<typeof lexiconSchema>;

interface Member {
  /** The member as written in the lexicon. */
  text: string;
  /** Tokens of the member as the lexical side sees them. */
  tokens: string[];
  /** For Japanese members: the normalised surface form, matched as a substring of the query. */
  surface?: string;
}

/** Default location of the lexicon file: `governance-lexicon.yaml` next to this module (shipped with the source). */
export const defaultLexiconFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'governance-lexicon.yaml');

/** Default weight of expanded terms relative to the question's own words. */
export const defaultExpansionWeight = 0.5;

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

function containsSequence(haystack: string[], needle: string[]): number {
  if (needle.length === 0 || needle.length > haystack.length) return -1;
  outer: for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    for (let offset = 0; offset < needle.length; offset += 1) if (haystack[start + offset] !== needle[offset]) continue outer;
    return start;
  }
  return -1;
}

/** A loaded governance lexicon that expands lexical queries. */
export class QueryLexicon {
  private readonly groups: Member[][];

  constructor(data: LexiconData, private readonly tokenizer: LexicalTokenizerOptions = {}, readonly weight = defaultExpansionWeight) {
    const member = (text: string, japanese: boolean): Member => ({
      text,
      tokens: [...lexicalTokens(text, { cjkBigrams: false })],
      ...(japanese ? { surface: normalise(text) } : {}),
    });
    this.groups = [
      ...data.synonyms.map((group) => group.map((text) => member(text, false))),
      ...data.japanese.map((pair) => [...pair.ja.map((text) => member(text, true)), ...pair.en.map((text) => member(text, false))]),
    ].map((group) => group.filter((entry) => entry.tokens.length > 0));
  }

  /** Reads and validates a lexicon YAML file. */
  static load(file: string, tokenizer: LexicalTokenizerOptions = {}, weight = defaultExpansionWeight): QueryLexicon {
    let data: LexiconData;
    try {
      data = lexiconSchema.parse(parse(readFileSync(file, 'utf8')));
    } catch (cause) {
      throw new ShishinError('config_invalid', `The governance lexicon ${file} could not be read: ${(cause as Error).message}`, { cause });
    }
    return new QueryLexicon(data, tokenizer, weight);
  }

  /** The default lexicon file, or an empty lexicon when the file is absent. */
  static loadDefault(tokenizer: LexicalTokenizerOptions = {}): QueryLexicon {
    if (!existsSync(defaultLexiconFile)) return new QueryLexicon({ synonyms: [], japanese: [] }, tokenizer);
    return QueryLexicon.load(defaultLexiconFile, tokenizer);
  }

  /** Number of synonym groups (for logs and tests). */
  get size(): number {
    return this.groups.length;
  }

  private matchedGroups(query: string, queryTokens: string[]): Array<{ group: Member[]; matched: Member[] }> {
    const surface = normalise(query);
    const plain = queryTokens.filter((token) => !token.startsWith('¦') && !token.startsWith('§'));
    const found: Array<{ group: Member[]; matched: Member[] }> = [];
    for (const group of this.groups) {
      const matched = group.filter((entry) =>
        entry.surface !== undefined ? surface.includes(entry.surface) : containsSequence(plain, entry.tokens) >= 0,
      );
      if (matched.length > 0) found.push({ group, matched });
    }
    return found;
  }

  /**
   * The lexicon members related to a query, as written (e.g. "human oversight" for a question
   * about "supervising"), for callers that match text with their own term extraction.
   */
  relatedPhrases(query: string): string[] {
    const phrases = new Set<string>();
    for (const { group, matched } of this.matchedGroups(query, lexicalTokens(query, { cjkBigrams: false }))) {
      for (const entry of group) if (!matched.includes(entry)) phrases.add(entry.text);
    }
    return [...phrases];
  }

  /**
   * Expansions for a query whose lexical tokens are `queryTokens`. Groups matching the same query
   * tokens are merged into one expansion, so a passage is credited once for them.
   */
  expand(query: string, queryTokens: string[]): QueryExpansion[] {
    if (this.groups.length === 0) return [];
    const plain = queryTokens.filter((token) => !token.startsWith('¦') && !token.startsWith('§'));
    const byReplaced = new Map<string, QueryExpansion>();
    for (const { group, matched } of this.matchedGroups(query, queryTokens)) {
      const replaced = new Set<string>();
      for (const entry of matched) {
        if (entry.surface === undefined) for (const token of entry.tokens) replaced.add(token);
        else for (const token of plain) if (entry.surface.includes(token) || token.includes(entry.surface)) replaced.add(token);
      }
      const matchedKeys = new Set(matched.map((entry) => entry.tokens.join(' ')));
      const alternatives = group
        .filter((entry) => !matchedKeys.has(entry.tokens.join(' ')))
        .map((entry) => (entry.surface !== undefined && this.tokenizer.cjkBigrams ? lexicalTokens(entry.surface, this.tokenizer) : entry.tokens))
        .filter((tokens) => !tokens.every((token) => replaced.has(token)));
      if (alternatives.length === 0) continue;
      const key = [...replaced].sort().join(' ');
      const existing = byReplaced.get(key);
      if (existing) existing.alternatives.push(...alternatives);
      else byReplaced.set(key, { replaces: [...replaced], alternatives, weight: this.weight });
    }
    for (const expansion of byReplaced.values()) {
      const seen = new Set<string>();
      expansion.alternatives = expansion.alternatives.filter((tokens) => {
        const key = tokens.join(' ');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    return [...byReplaced.values()];
  }
}
