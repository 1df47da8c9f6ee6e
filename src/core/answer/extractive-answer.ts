// The extractive answer: the few sentences of the top passages that best match the question, each
// followed by the [n] of its passage. Works with no language model; also the fallback when the model
// fails or its answer cannot be verified. Pure: dense similarities, if any, are computed by the caller.
import type { ScoredPassage } from '../../ports/passage.js';
import type { Citation } from './answer.js';
import { contentTerms, detectLanguage, splitSentences, termSet, wordCount, type AnswerLanguage, type SentenceSpan } from './text-terms.js';

/** A sentence of a candidate passage. */
export interface CandidateSentence extends SentenceSpan {
  /** Index of the passage in the list given to the extractor. */
  passageIndex: number;
  /** Position of the sentence inside its passage (0 = first). */
  position: number;
  /** Number of sentences in the passage. */
  siblings: number;
}

export interface ExtractiveOptions {
  /** Language of the question (detected when absent). */
  language?: AnswerLanguage;
  /** Extra query terms (e.g. from earlier turns) that count, at half weight, towards relevance. */
  contextTerms?: string[];
  /** Word budget for the answer (the first sentence is always taken). Default 80. */
  maxWords?: number;
  /** Most passages quoted. Default 3. */
  maxPassages?: number;
  /** Most passages considered. Default 5. */
  candidatePassages?: number;
  /** Cosine similarity of each candidate sentence's text to the question, when an embedder is available. */
  denseSimilarity?: Map<string, number>;
}

export interface ExtractiveResult {
  /** The answer text with [n] markers; empty when nothing usable was found. */
  answer: string;
  /** Citations for the passages used, numbered 1..m in order of first use. */
  citations: Citation[];
}

const maxQuoteCharacters = 300;

/** The passages worth quoting: the top few, and none far below the best. */
export function candidatePassages(passages: ScoredPassage[], limit = 5): ScoredPassage[] {
  const best = passages[0]?.score ?? 0;
  return passages.slice(0, limit).filter((item, index) => index === 0 || item.score >= best * 0.5);
}

/** Sentences of the candidate passages, excluding fragments too short to stand alone. */
export function candidateSentences(passages: ScoredPassage[], limit = 5): CandidateSentence[] {
  const sentences: CandidateSentence[] = [];
  candidatePassages(passages, limit).forEach((item, passageIndex) => {
    const spans = splitSentences(item.passage.text);
    spans.forEach((span, position) => {
      if (wordCount(span.text) < 4) return;
      sentences.push({ ...span, passageIndex, position, siblings: spans.length });
    });
  });
  return sentences;
}

/** Copies a verbatim extract of at most 300 characters, cut at a word boundary when possible. */
export function clipQuote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxQuoteCharacters) return trimmed;
  const slice = trimmed.slice(0, maxQuoteCharacters);
  const lastSpace = slice.lastIndexOf(' ');
  return (lastSpace >= 200 ? slice.slice(0, lastSpace) : slice).trim();
}

/** The verbatim quote for a passage: the used sentences' span, widened to ~300 characters. */
function quoteFor(text: string, used: CandidateSentence[]): string {
  const start = Math.min(...used.map((sentence) => sentence.start));
  let end = Math.max(...used.map((sentence) => sentence.end));
  if (end - start > maxQuoteCharacters) {
    const best = used[0];
    return best === undefined ? clipQuote(text) : clipQuote(text.slice(best.start, best.end));
  }
  // Widen with the following sentences while the quote stays within the limit.
  for (const span of splitSentences(text)) {
    if (span.start < end) continue;
    if (span.end - start > maxQuoteCharacters) break;
    end = span.end;
  }
  return text.slice(start, end).trim();
}

/**
 * The verbatim quote of a passage that best supports a piece of text (e.g. the generated sentences
 * citing it): the passage sentence sharing most terms with it, widened to ~300 characters; the
 * passage start when nothing is shared.
 */
export function bestQuote(passageText: string, supportedText: string): string {
  const reference = termSet(supportedText);
  let best: SentenceSpan | undefined;
  let bestShared = 0;
  for (const span of splitSentences(passageText)) {
    const terms = termSet(span.text);
    let shared = 0;
    for (const term of terms) if (reference.has(term)) shared += 1;
    if (shared > bestShared) {
      best = span;
      bestShared = shared;
    }
  }
  if (best === undefined) return clipQuote(passageText);
  return quoteFor(passageText, [{ ...best, passageIndex: 0, position: 0, siblings: 1 }]);
}

/** Inserts the marker before the sentence's final punctuation: "… deployment [1]." / "…です[1]。" */
function withMarker(sentence: string, marker: string): string {
  const match = sentence.match(/^(.*?)(\s*)([.!?。！？]["'”’」』)]*)$/su);
  if (match === null) return `${sentence} ${marker}`;
  const [, body = '', , ending = ''] = match;
  const japanese = /[。！？]/u.test(ending);
  return `${body}${japanese ? '' : ' '}${marker}${ending}`;
}

function jaccard(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/**
 * Picks the best sentences for the question from the top passages and composes a cited answer.
 * Scoring: IDF-weighted coverage of the question's terms, dense similarity when given, the passage's
 * retrieval score, a small preference for early sentences and for the question's language.
 */
export function extractiveAnswer(question: string, passages: ScoredPassage[], options: ExtractiveOptions = {}): ExtractiveResult {
  const language = options.language ?? detectLanguage(question);
  const maxWords = options.maxWords ?? 80;
  const maxPassages = options.maxPassages ?? 3;
  const pool = candidatePassages(passages, options.candidatePassages ?? 5);
  const sentences = candidateSentences(passages, options.candidatePassages ?? 5);
  if (sentences.length === 0 || pool.length === 0) return { answer: '', citations: [] };

  const questionTerms = new Map<string, number>();
  for (const term of contentTerms(question)) questionTerms.set(term, 1);
  for (const term of options.contextTerms ?? []) if (!questionTerms.has(term)) questionTerms.set(term, 0.5);

  const sentenceTerms = sentences.map((sentence) => termSet(sentence.text));
  const documentFrequency = new Map<string, number>();
  for (const terms of sentenceTerms) for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + (sentences.length + 1) / ((documentFrequency.get(term) ?? 0) + 0.5));
  let totalWeight = 0;
  for (const [term, weight] of questionTerms) totalWeight += weight * idf(term);

  const bestScore = pool[0]?.score ?? 1;
  const hasDense = options.denseSimilarity !== undefined && options.denseSimilarity.size > 0;
  const scored = sentences.map((sentence, index) => {
    const terms = sentenceTerms[index] ?? new Set<string>();
    let matched = 0;
    for (const [term, weight] of questionTerms) if (terms.has(term)) matched += weight * idf(term);
    const lexical = totalWeight > 0 ? matched / totalWeight : 0;
    const item = pool[sentence.passageIndex];
    const sameLanguage = item?.passage.language === undefined || item.passage.language.startsWith(language);
    const prior = Math.min(1, ((item?.score ?? 0) / (bestScore || 1)) * (sameLanguage ? 1 : 0.85));
    const early = 1 - sentence.position / Math.max(1, sentence.siblings);
    const dense = Math.max(0, options.denseSimilarity?.get(sentence.text) ?? 0);
    let score = hasDense ? 0.5 * lexical + 0.25 * dense + 0.2 * prior + 0.05 * early : 0.7 * lexical + 0.25 * prior + 0.05 * early;
    const words = wordCount(sentence.text);
    if (words < 6) score *= 0.6;
    if (words > 70) score *= 0.85;
    return { sentence, terms, score };
  });
  scored.sort((left, right) => right.score - left.score);

  const chosen: typeof scored = [];
  const passagesUsed: number[] = [];
  let words = 0;
  const top = scored[0]?.score ?? 0;
  for (const candidate of scored) {
    if (chosen.length >= 4) break;
    const isNewPassage = !passagesUsed.includes(candidate.sentence.passageIndex);
    if (isNewPassage && passagesUsed.length >= maxPassages) continue;
    if (chosen.length > 0) {
      if (candidate.score < top * 0.55) break;
      if (words + wordCount(candidate.sentence.text) > maxWords) continue;
      if (chosen.some((other) => jaccard(other.terms, candidate.terms) > 0.6)) continue;
    }
    chosen.push(candidate);
    words += wordCount(candidate.sentence.text);
    if (isNewPassage) passagesUsed.push(candidate.sentence.passageIndex);
  }

  const citations: Citation[] = [];
  const parts: string[] = [];
  passagesUsed.forEach((passageIndex, order) => {
    const item = pool[passageIndex];
    if (item === undefined) return;
    const used = chosen.filter((candidate) => candidate.sentence.passageIndex === passageIndex).map((candidate) => candidate.sentence);
    const marker = `[${order + 1}]`;
    for (const sentence of [...used].sort((left, right) => left.start - right.start)) parts.push(withMarker(sentence.text, marker));
    const citation: Citation = {
      n: order + 1,
      title: item.passage.title,
      source: item.passage.source,
      section: item.passage.section,
      quote: quoteFor(item.passage.text, used),
      score: Math.round(item.score * 1000) / 1000,
    };
    if (item.passage.url !== undefined) citation.url = item.passage.url;
    citations.push(citation);
  });
  const answer = parts.reduce((text, part) => (text === '' ? part : /[。！？]$/u.test(text) ? `${text}${part}` : `${text} ${part}`), '');
  return { answer, citations };
}
