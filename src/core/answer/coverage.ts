// Decides whether the retrieved passages cover a question. Two ways, both over the same signals:
// - `decideCoverage`: the fitted decision (the production path) — a logistic model over a few
//   interpretable features of the question and its ranking (best score against the calibrated
//   threshold, margin over the next section, term coverage by the top section and the top passages,
//   the question's specific subjects missing from the top passages, dense similarity, language),
//   fitted on the gold set by `evals/fit-coverage.ts` and stored in coverage-model.json, so every
//   weight can be read and re-fitted when the corpus changes;
// - `decideCoverageByRules`: the earlier hand-set gates (score, term overlap, names), kept as the
//   baseline the evaluation compares against.
import type { Passage, ScoredPassage } from '../../ports/passage.js';
import { loadLogisticModel, logit, sigmoid, type LogisticModel } from './logistic-model.js';
import { detectLanguage, termSet, type AnswerLanguage } from './text-terms.js';

export interface CoverageDecision {
  covered: boolean;
  /** Best retrieval score. */
  topScore: number;
  /** Share of the query's distinct content terms found in the top passages, in [0, 1]. */
  termOverlap: number;
  /** Names in the question (capitalised words, acronyms) that no top passage mentions. */
  missingNames: string[];
  /** Why: `score` (below threshold), `overlap` (too few shared terms), `name` (a named subject is absent), `model` (the fitted decision says no), `empty`, or `ok`. */
  reason: 'ok' | 'score' | 'overlap' | 'name' | 'model' | 'empty';
  /** The fitted model's probability that the corpus covers the question (fitted decision only). */
  probability?: number;
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
const notNames = new Set([
  'i', 'ai', 'eu', 'is', 'are', 'the', 'a', 'an', 'what', 'which', 'who', 'when', 'how', 'does', 'do', 'can', 'may', 'must', 'should', 'our', 'we', 'my', 'if', 'in',
  // months, days and the words of legal references: capitalised without naming a subject
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'art', 'arts', 'article', 'articles', 'annex', 'recital', 'chapter', 'section', 'clause', 'para', 'paragraph',
]);

/**
 * Names of widely used AI products and services: in chat people name the tool they have in front of
 * them ("paste it into ChatGPT", "is Copilot OK"), meaning AI tools in general, not a subject the
 * governance documents must name.
 */
export const genericProductNames = new Set([
  'chatgpt', 'gpt', 'openai', 'copilot', 'gemini', 'bard', 'claude', 'llama', 'mistral', 'midjourney', 'dall-e', 'dalle',
  'perplexity', 'notebooklm', 'grok', 'deepl', 'deepseek', 'firefly', 'grammarly', 'otter', 'whisper',
]);

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
        if (notNames.has(part.toLowerCase()) || genericProductNames.has(part.toLowerCase())) continue;
        // Acronyms (LLM, GPAI, DPIA) and product-style names (ChatGPT, GitHub) are how people name
        // generic things in chat; a specific subject the corpus lacks is a plain proper name.
        if (/^\p{Lu}[\p{Lu}\p{N}]+$/u.test(part) && part.length <= 5) continue;
        if (/\p{Ll}\p{Lu}/u.test(part)) continue;
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

/** The hand-set gates (score, term overlap, names): the baseline the fitted decision replaced. */
export function decideCoverageByRules(query: string, passages: ScoredPassage[], options: CoverageOptions): CoverageDecision {
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

/** The signals the fitted decision weighs, each an interpretable number. */
export interface CoverageFeatures {
  /** Best fused score over the calibrated threshold (scaled for Japanese questions), capped at 4. */
  score: number;
  /** Best score's lead over the next distinct section, as a share of the best score. */
  margin: number;
  /** Share of the question's distinct content terms found in the top-ranked section's retrieved passages. */
  topSectionOverlap: number;
  /** Share of the question's distinct content terms found in the top three passages. */
  overlap: number;
  /** Specific subjects of the question (proper names; not acronyms, months or article words) absent from the top five passages. */
  missingSubjects: number;
  /** Cosine similarity of the question and the best passage under the embedder (0 when unknown). */
  dense: number;
  /** 1 for a Japanese question. */
  japanese: number;
  /** Share of the question's distinct content terms that occur nowhere in the corpus (0 when the vocabulary is unknown). */
  unknownTerms: number;
}

export const coverageFeatureNames = ['score', 'margin', 'topSectionOverlap', 'overlap', 'missingSubjects', 'dense', 'japanese', 'unknownTerms'] as const satisfies ReadonlyArray<keyof CoverageFeatures>;

/** Computes the features of one question and its ranking. */
export function coverageFeatures(query: string, passages: ScoredPassage[], options: { relevanceThreshold: number; dense?: number; vocabulary?: ReadonlySet<string> }): CoverageFeatures {
  const language = detectLanguage(query);
  const top = passages[0];
  const topScore = top?.score ?? 0;
  const scale = defaultThresholdScale[language] ?? 1;
  const threshold = Math.max(1e-6, options.relevanceThreshold * scale);
  const topKey = top === undefined ? '' : `${top.passage.source}\u0000${top.passage.section}`;
  const next = passages.find((item) => `${item.passage.source}\u0000${item.passage.section}` !== topKey);
  const topSection = passages.filter((item) => `${item.passage.source}\u0000${item.passage.section}` === topKey);
  const text = passages
    .slice(0, 5)
    .map((item) => `${item.passage.title} ${item.passage.section} ${item.passage.text}`)
    .join('\n');
  return {
    score: Math.min(4, topScore / threshold),
    margin: topScore <= 0 ? 0 : Math.max(0, (topScore - (next?.score ?? 0)) / topScore),
    topSectionOverlap: termOverlap(query, topSection, topSection.length),
    overlap: termOverlap(query, passages, 3),
    missingSubjects: Math.min(3, questionNames(query).filter((name) => !mentions(text, name)).length),
    dense: Math.max(0, options.dense ?? 0),
    japanese: language === 'ja' ? 1 : 0,
    unknownTerms: unknownShare(query, options.vocabulary),
  };
}

/** The product names as content terms (stemmed as the question's words are). */
const genericProductTerms = termSet([...genericProductNames].join(' '));

function unknownShare(query: string, vocabulary: ReadonlySet<string> | undefined): number {
  if (vocabulary === undefined) return 0;
  const terms = [...termSet(query)].filter((term) => !genericProductTerms.has(term));
  return terms.length === 0 ? 0 : terms.filter((term) => !vocabulary.has(term)).length / terms.length;
}

const vocabularies = new WeakMap<readonly Passage[], ReadonlySet<string>>();

/**
 * The content terms of a whole corpus, from a catalog that lists its passages (the corpus index
 * does), cached per passage list; undefined when the source cannot list them.
 */
export function corpusVocabulary(source: unknown): ReadonlySet<string> | undefined {
  const list = (source as { allPassages?: unknown } | null | undefined)?.allPassages;
  if (typeof list !== 'function') return undefined;
  const passages = (list as () => readonly Passage[]).call(source);
  const cached = vocabularies.get(passages);
  if (cached !== undefined) return cached;
  const vocabulary = new Set<string>();
  for (const passage of passages) for (const term of termSet(`${passage.title} ${passage.section} ${passage.text}`)) vocabulary.add(term);
  vocabularies.set(passages, vocabulary);
  return vocabulary;
}

export type CoverageModel = LogisticModel & { threshold: number };

/** Location of the shipped model: coverage-model.json next to this module. */
export const coverageModelFile = new URL('./coverage-model.json', import.meta.url);

/** The shipped fitted model (read once), or another model file. */
export function loadCoverageModel(file: URL = coverageModelFile): CoverageModel {
  const model = loadLogisticModel(file);
  if (model.threshold === undefined) throw new Error(`${file.pathname}: a coverage model needs a threshold`);
  return { ...model, threshold: model.threshold };
}

/** The model's probability that the corpus covers a question with these features. */
export function coverageProbability(features: CoverageFeatures, model: Pick<LogisticModel, 'weights' | 'bias'>): number {
  return sigmoid(logit(features, coverageFeatureNames, model));
}

/** The fitted coverage decision for one query and its ranked passages. */
export function decideCoverage(
  query: string,
  passages: ScoredPassage[],
  options: { relevanceThreshold: number; dense?: number; vocabulary?: ReadonlySet<string>; model?: CoverageModel },
): CoverageDecision {
  const topScore = passages[0]?.score ?? 0;
  if (passages.length === 0) return { covered: false, topScore, termOverlap: 0, missingNames: [], reason: 'empty' };
  const features = coverageFeatures(query, passages, options);
  const model = options.model ?? loadCoverageModel();
  const probability = coverageProbability(features, model);
  const covered = probability >= model.threshold;
  const text = passages
    .slice(0, 5)
    .map((item) => `${item.passage.title} ${item.passage.section} ${item.passage.text}`)
    .join('\n');
  return {
    covered,
    topScore,
    termOverlap: features.overlap,
    missingNames: questionNames(query).filter((name) => !mentions(text, name)),
    reason: covered ? 'ok' : 'model',
    probability,
  };
}
