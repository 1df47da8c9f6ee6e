// Decides whether the retrieved passages cover a question: the best fused score must reach the
// retriever's calibrated threshold, and (when the question has enough content words to judge) a
// minimum share of its weighted terms must appear in the top passages, so that a high score won on
// one generic word ("AI", "policy") does not pass for coverage.
import type { ScoredPassage } from '../../ports/passage.js';
import { detectLanguage, termSet, type AnswerLanguage } from './text-terms.js';

export interface CoverageDecision {
  covered: boolean;
  /** Best retrieval score. */
  topScore: number;
  /** Share of the query's distinct content terms found in the top passages, in [0, 1]. */
  termOverlap: number;
  /** Names in the question (capitalised words, acronyms) that no top passage mentions. */
  missingNames: string[];
  /** Why: `score` (below threshold), `overlap` (too few shared terms), `name` (a named subject is absent), `empty`, or `ok`. */
  reason: 'ok' | 'score' | 'overlap' | 'name' | 'empty';
}

export interface CoverageOptions {
  /** Fused score at or above which the corpus is considered to cover the query. */
  relevanceThreshold: number;
  /** Least term overlap required; 0 disables the check. */
  minTermOverlap: number;
  /** Passages whose text is searched for the terms. Default 3. */
  topPassages?: number;
  /** Require every name in the question to appear in the top passages. Default true. */
  checkNames?: boolean;
  /**
   * Multiplier of the threshold for questions in a given language. The local embedder has English
   * word vectors only, so for a Japanese question the dense half of the fused score is ~0 and the
   * score comes from the lexical half: the threshold is scaled by that half (0.5).
   */
  thresholdScale?: Partial<Record<AnswerLanguage, number>>;
}

/** Threshold scale used when none is given: Japanese questions are judged on the lexical half. */
export const defaultThresholdScale: Partial<Record<AnswerLanguage, number>> = { ja: 0.5 };

/** Capitalised words, other than the question's first word, that are not names. */
const notNames = new Set(['i', 'ai', 'eu', 'is', 'are', 'the', 'a', 'an', 'what', 'which', 'who', 'when', 'how', 'does', 'do', 'can', 'may', 'must', 'should', 'our', 'we', 'my', 'if', 'in']);

/**
 * Names the question is about: Latin-script words that start with a capital letter (or are acronyms)
 * and are not the first word of a sentence, e.g. `Colorado`, `NIST`, `Copilot`.
 */
export function questionNames(question: string): string[] {
  const names: string[] = [];
  for (const sentence of question.split(/(?<=[.!?:;])\s+/u)) {
    const words = sentence.match(/[\p{Script=Latin}][\p{Script=Latin}\p{N}'’-]*/gu) ?? [];
    words.forEach((word, index) => {
      if (index === 0) return;
      // "AI-generated" is not a name; each part of a hyphenated word is judged on its own.
      for (const part of word.replace(/['’]s$/u, '').split(/[-'’]+/u)) {
        if (part.length < 3 || !/^\p{Lu}/u.test(part)) continue;
        if (notNames.has(part.toLowerCase())) continue;
        names.push(part);
      }
    });
  }
  return [...new Set(names)];
}

/** Common short forms a document may use instead of the name in the question. */
const nameAliases: Record<string, string[]> = { europe: ['eu'], european: ['eu'] };

/**
 * Whether a name appears in the text: as a whole word for short names, else as the start of a word
 * sharing its first five letters (so `Europe` finds `European`, `German` finds `Germany`).
 */
function mentions(text: string, name: string): boolean {
  const lowered = name.toLowerCase();
  if ((nameAliases[lowered] ?? []).some((alias) => mentions(text, alias))) return true;
  const escaped = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  if (lowered.length <= 4) return new RegExp(`(?<![\\p{L}\\p{N}])${escaped(lowered)}(?![\\p{L}\\p{N}])`, 'iu').test(text);
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped(lowered.slice(0, 5))}`, 'iu').test(text);
}

/** Default minimum term overlap, chosen on the gold set as a whole (see evals/suites/qa.ts). */
export const defaultMinTermOverlap = 0.34;

/** Distinct query terms found in the title, section or text of the top passages, as a share. */
export function termOverlap(query: string, passages: ScoredPassage[], topPassages = 3): number {
  const terms = termSet(query);
  if (terms.size === 0) return 0;
  const found = new Set<string>();
  for (const item of passages.slice(0, topPassages)) {
    const passageTerms = termSet(`${item.passage.title} ${item.passage.section} ${item.passage.text}`);
    for (const term of terms) if (passageTerms.has(term)) found.add(term);
  }
  return found.size / terms.size;
}

/** The coverage decision for one query and its ranked passages. */
export function decideCoverage(query: string, passages: ScoredPassage[], options: CoverageOptions): CoverageDecision {
  const topScore = passages[0]?.score ?? 0;
  if (passages.length === 0) return { covered: false, topScore, termOverlap: 0, missingNames: [], reason: 'empty' };
  const topPassages = options.topPassages ?? 3;
  const overlap = termOverlap(query, passages, topPassages);
  const scale = (options.thresholdScale ?? defaultThresholdScale)[detectLanguage(query)] ?? 1;
  const decision = (reason: CoverageDecision['reason'], missingNames: string[] = []): CoverageDecision => ({
    covered: reason === 'ok',
    topScore,
    termOverlap: overlap,
    missingNames,
    reason,
  });
  if (topScore < options.relevanceThreshold * scale) return decision('score');
  // Too few terms to judge (e.g. a one-word question): the score alone decides.
  if (options.minTermOverlap > 0 && termSet(query).size >= 2 && overlap < options.minTermOverlap) return decision('overlap');
  if (options.checkNames ?? true) {
    const text = passages
      .slice(0, Math.max(topPassages, 5))
      .map((item) => `${item.passage.title} ${item.passage.section} ${item.passage.text}`)
      .join('\n');
    const missing = questionNames(query).filter((name) => !mentions(text, name));
    if (missing.length > 0) return decision('name', missing);
  }
  return decision('ok');
}
