// The extractive answer: the few sentences of the top passages that best match the question, each
// followed by the [n] of its passage. Works with no language model; also the fallback when the model
// fails or its answer cannot be verified. Pure: dense similarities, if any, are computed by the caller.
import type { ScoredPassage } from '../../ports/passage.js';
import type { Citation } from './answer.js';
import { withSectionContext, type SectionCatalog } from './section-context.js';
import { contentTerms, detectLanguage, splitSentences, termSet, wordCount, type AnswerLanguage, type SentenceSpan } from './text-terms.js';

/**
 * A sentence of the answer pool. Consecutive chunks of one section are read as one run of text, so a
 * sentence that a chunk boundary cut in two is whole here; `start`/`end` locate the part of it that
 * lies in its passage (the chunk it starts in), for quoting.
 */
export interface CandidateSentence extends SentenceSpan {
  /** Index of the passage (in the answer pool) the sentence starts in: the passage it cites. */
  passageIndex: number;
  /** Index of the run of consecutive chunks the sentence belongs to. */
  run: number;
  /** Position of the sentence inside its run (0 = first). */
  position: number;
  /** Number of sentences in the run. */
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
  /** When given, the other chunks of each candidate passage's section are candidates too. */
  sectionCatalog?: SectionCatalog;
}

export interface ExtractiveResult {
  /** The answer text with [n] markers; empty when nothing usable was found. */
  answer: string;
  /** Citations for the passages used, numbered 1..m in order of first use. */
  citations: Citation[];
}

/**
 * Longest quote. Passages are at most ~600 characters, so a citation quotes its whole passage: the
 * answer already repeats the cited sentences verbatim, and the quote shows what surrounds them.
 */
const maxQuoteCharacters = 600;

/** The passages worth quoting: the top few, and none far below the best. */
export function candidatePassages(passages: ScoredPassage[], limit = 5): ScoredPassage[] {
  const best = passages[0]?.score ?? 0;
  return passages.slice(0, limit).filter((item, index) => index === 0 || item.score >= best * 0.5);
}

/** The passages an extract draws on: the candidates, widened to their whole sections when a catalog is given. */
export function answerPool(passages: ScoredPassage[], limit = 5, catalog?: SectionCatalog): ScoredPassage[] {
  if (catalog === undefined) return candidatePassages(passages, limit);
  // With whole sections available, the candidates are the best chunks of `limit` distinct sections:
  // a second chunk of a section already chosen adds nothing the section context will not bring, while
  // another section may hold the other half of a two-part question.
  const best = passages[0]?.score ?? 0;
  const sections = new Set<string>();
  const distinct: ScoredPassage[] = [];
  for (const item of passages) {
    if (distinct.length >= limit) break;
    const key = `${item.passage.source}\u0000${item.passage.section}`;
    if (sections.has(key)) continue;
    if (distinct.length > 0 && item.score < best * 0.5) continue;
    sections.add(key);
    distinct.push(item);
  }
  return withSectionContext(distinct, passages, catalog);
}

/** Ordinal of a chunk inside its source (`<source>#<n>`), used to find neighbouring chunks. */
function chunkOrdinal(chunkId: string): number | undefined {
  const match = /#(\d+)$/u.exec(chunkId);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Characters that `next` repeats from the end of `previous` (the splitter's chunk overlap): the longest
 * prefix of `next` that ends `previous` and starts there at a word boundary; 0 when none of at least
 * 8 characters does.
 */
export function chunkOverlap(previous: string, next: string): number {
  for (let length = Math.min(previous.length, next.length); length >= 8; length -= 1) {
    if (!previous.endsWith(next.slice(0, length))) continue;
    const before = previous[previous.length - length - 1];
    if (before === undefined || /[\s.,;:!?。、)\]]/u.test(before)) return length;
  }
  return 0;
}

/** A run of consecutive chunks of one section read as one text, with where each chunk starts in it. */
export interface ChunkRun {
  text: string;
  /** Pool indexes of the chunks, in document order. */
  members: number[];
  /** Offset in `text` where each member's own text starts. */
  offsets: number[];
}

/**
 * Groups the pool into runs: chunks of the same section with consecutive ordinals are joined (their
 * overlap removed), so a sentence the splitter cut at a chunk boundary reads whole. Runs appear in
 * the order of their first chunk in the pool.
 */
export function chunkRuns(pool: ScoredPassage[]): ChunkRun[] {
  const bySection = new Map<string, number[]>();
  pool.forEach((item, index) => {
    const key = `${item.passage.source}\u0000${item.passage.section}`;
    const members = bySection.get(key) ?? [];
    members.push(index);
    bySection.set(key, members);
  });
  const runs: Array<ChunkRun & { first: number }> = [];
  for (const members of bySection.values()) {
    const ordered = [...members].sort((left, right) => (chunkOrdinal(pool[left]?.passage.chunkId ?? '') ?? left) - (chunkOrdinal(pool[right]?.passage.chunkId ?? '') ?? right));
    let current: (ChunkRun & { first: number }) | undefined;
    let lastOrdinal: number | undefined;
    for (const index of ordered) {
      const text = pool[index]?.passage.text ?? '';
      const ordinal = chunkOrdinal(pool[index]?.passage.chunkId ?? '');
      if (current === undefined || ordinal === undefined || lastOrdinal === undefined || ordinal !== lastOrdinal + 1) {
        current = { text, members: [index], offsets: [0], first: index };
        runs.push(current);
      } else {
        const overlap = chunkOverlap(current.text, text);
        const joiner = overlap > 0 ? '' : /^(?:[-•*]\s|\(?[0-9a-z]{1,3}[.)]\s)/u.test(text) ? '\n' : ' ';
        current.offsets.push(current.text.length - overlap + joiner.length);
        current.text = `${current.text}${joiner}${text.slice(overlap)}`;
        current.members.push(index);
        current.first = Math.min(current.first, index);
      }
      lastOrdinal = ordinal;
    }
  }
  runs.sort((left, right) => left.first - right.first);
  return runs.map(({ text, members, offsets }) => ({ text, members, offsets }));
}

/** Sentences of the answer pool (read run by run), excluding fragments too short to stand alone. */
export function poolSentences(pool: ScoredPassage[]): CandidateSentence[] {
  const sentences: CandidateSentence[] = [];
  chunkRuns(pool).forEach((run, runIndex) => {
    const spans = splitSentences(run.text);
    spans.forEach((span, position) => {
      if (wordCount(span.text) < 4) return;
      // The chunk the sentence starts in (members are in order, so with overlapping chunks the earlier one).
      const ends = (member: number) => (run.offsets[member] ?? 0) + (pool[run.members[member] ?? 0]?.passage.text.length ?? 0);
      const found = run.members.findIndex((_, member) => span.start < ends(member));
      const member = found === -1 ? run.members.length - 1 : found;
      const passageIndex = run.members[member] ?? 0;
      const offset = run.offsets[member] ?? 0;
      const length = pool[passageIndex]?.passage.text.length ?? 0;
      sentences.push({ text: span.text, start: span.start - offset, end: Math.min(span.end - offset, length), passageIndex, run: runIndex, position, siblings: spans.length });
    });
  });
  return sentences;
}

/** Sentences of the answer pool, excluding fragments too short to stand alone. */
export function candidateSentences(passages: ScoredPassage[], limit = 5, catalog?: SectionCatalog): CandidateSentence[] {
  return poolSentences(answerPool(passages, limit, catalog));
}

/** Copies a verbatim extract of at most 300 characters, cut at a word boundary when possible. */
export function clipQuote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxQuoteCharacters) return trimmed;
  const slice = trimmed.slice(0, maxQuoteCharacters);
  const lastSpace = slice.lastIndexOf(' ');
  return (lastSpace >= 200 ? slice.slice(0, lastSpace) : slice).trim();
}

/**
 * The verbatim quote for a passage: a run of whole sentences of at most 300 characters that contains
 * the best used sentence and, among such runs, covers the most of the weighted reference terms (the
 * question's); ties go to the run starting earliest at or after the anchor. Falls back to the anchor
 * clipped to 300 characters.
 */
function quoteFor(text: string, used: Array<Pick<SentenceSpan, 'start' | 'end'>>, reference: Map<string, number> = new Map()): string {
  const anchor = used[0];
  if (anchor === undefined) return clipQuote(text);
  const spans = splitSentences(text);
  const anchorIndex = spans.findIndex((span) => span.start <= anchor.start && span.end >= anchor.end);
  if (anchorIndex === -1 || anchor.end - anchor.start > maxQuoteCharacters) return clipQuote(text.slice(anchor.start, anchor.end));
  const weights = spans.map((span) => {
    let weight = 0;
    for (const term of termSet(span.text)) weight += reference.get(term) ?? 0;
    return weight;
  });
  const usedIndexes = new Set(used.map((sentence) => spans.findIndex((span) => span.start <= sentence.start && span.end >= sentence.end)));
  let best = { from: anchorIndex, to: anchorIndex, value: -1 };
  for (let from = anchorIndex; from >= 0; from -= 1) {
    if ((spans[anchorIndex]?.end ?? 0) - (spans[from]?.start ?? 0) > maxQuoteCharacters) break;
    for (let to = anchorIndex; to < spans.length; to += 1) {
      if ((spans[to]?.end ?? 0) - (spans[from]?.start ?? 0) > maxQuoteCharacters) break;
      let value = 0;
      for (let index = from; index <= to; index += 1) value += usedIndexes.has(index) ? 0 : (weights[index] ?? 0);
      // Prefer longer runs on ties (more context), then runs that start at the anchor.
      const better = value > best.value || (value === best.value && to - from > best.to - best.from) || (value === best.value && to - from === best.to - best.from && from > best.from);
      if (better) best = { from, to, value };
    }
  }
  return text.slice(spans[best.from]?.start ?? anchor.start, spans[best.to]?.end ?? anchor.end).trim();
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
  const weights = new Map<string, number>();
  for (const term of reference) weights.set(term, 1 / reference.size);
  return quoteFor(passageText, [best], weights);
}

/**
 * Bracketed numbers inside a quoted sentence (a document's own footnotes, or planted text such as
 * "cite [9]") would read as citation markers of the answer: they become parenthesised.
 */
function neutraliseMarkers(sentence: string): string {
  return sentence.replace(/[[［【]\s*([0-9０-９][0-9０-９\s,，、;；\-–~〜]*)\s*[\]］】]/gu, (_match, numbers: string) => `(${numbers.trim()})`);
}

/** Inserts the marker before the sentence's final punctuation: "… deployment [1]." / "…です[1]。" */
function withMarker(text: string, marker: string): string {
  const sentence = neutraliseMarkers(text);
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

/** A candidate sentence with its relevance to the question. */
export interface RankedSentence {
  sentence: CandidateSentence;
  terms: Set<string>;
  score: number;
  /** Weighted share of the question's terms the sentence contains, in [0, 1]. */
  lexical: number;
  /** Whether the sentence leans on the one before it ("This…", "However,…", "In this respect…"). */
  dangling: boolean;
  /** Whether the sentence announces what follows ("…covers two kinds of use.", "…as follows:"). */
  announces: boolean;
}

/** Scoring weights (sum to about 1); exposed so the evaluation can compare settings. */
export interface SentenceWeights {
  lexical: number;
  dense: number;
  prior: number;
  early: number;
  answerType: number;
}

export const defaultSentenceWeights: SentenceWeights = { lexical: 0.5, dense: 0.25, prior: 0.2, early: 0.05, answerType: 0.3 };

const monthNames = 'january|february|march|april|may|june|july|august|september|october|november|december';
const numberWords = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred';

/**
 * Expected answer type of a question, as a pattern a sentence holding such an answer matches:
 * dates for "when", durations for "how long", amounts for "how much" and fines. Generic reading
 * comprehension cues, independent of any corpus.
 */
export function answerTypePattern(question: string): RegExp | undefined {
  const text = question.toLowerCase();
  if (/\bhow long\b|\bfor how many\b|\bretain|\bretention\b|いつまで|期間|何年|何か月/u.test(text)) {
    return new RegExp(`\\b(?:\\d+|${numberWords})[- ](?:day|week|month|year)s?\\b|[0-9０-９一二三四五六七八九十]+(?:日|週間|か月|ヶ月|年)`, 'iu');
  }
  if (/\bwhen\b|\bwhat date\b|\bdeadline|\bstart to apply|\bapply from\b|\bin force\b|\bpushed back\b|\bpostpone|いつ|施行|期限/u.test(text)) {
    return new RegExp(`\\b\\d{1,2} (?:${monthNames}) \\d{4}\\b|\\b(?:${monthNames}) \\d{4}\\b|\\b(?:19|20)\\d{2}\\b|\\d{4}年|\\d+月\\d+日`, 'iu');
  }
  if (/\bhow much\b|\bfine[sd]?\b|\bpenalt|\bcost\b|\bamount\b|いくら|罰金|制裁金|金額/u.test(text)) {
    return /(?:eur|€|\$|usd|¥|yen|円)\s?\d|\d[\d,. ]*\s?(?:million|billion|%|per ?cent|円|万)|\bpercent/iu;
  }
  if (/^\s*who\b|\bwho (?:is|are|chairs|leads|heads|runs|decides|approves|must|should)\b|誰|だれ/u.test(text)) {
    return /\b(?:headed|chaired|led|run|appointed|designated|approved|decided) by\b|\b(?:Minister|Commission|Office|Board|Authority|Committee|Council|team|officer|body|supervisor)\b|大臣|本部長|委員会|責任者/u;
  }
  if (/\bhow many\b|\bnumber of\b|いくつ|何つ|何項目/u.test(text)) {
    return new RegExp(`\\b(?:\\d+|${numberWords})\\b|[0-9０-９一二三四五六七八九十]+(?:つ|項目|個)`, 'iu');
  }
  return undefined;
}

/**
 * Openings that refer back to the previous sentence ("It", "This", "These uses", "However,", "In this
 * respect"): such a sentence misleads when quoted alone. Generic English and Japanese discourse
 * markers, independent of any corpus.
 */
const danglingOpening =
  /^(?:["'“‘(]?\s*)(?:(?:it|its|this|these|that|those|they|their|them|such|both|neither|either|here|thus|hence|therefore|however|moreover|furthermore|nevertheless|nonetheless|otherwise|instead|likewise|similarly|conversely|accordingly|consequently|also|besides|yet|still)\b(?!-)|in (?:this|that|these|such|the same) (?:respect|case|way|sense|context)|in addition\b|as with\b|as such\b|by contrast\b|on the other hand\b|for (?:this|that|these) reasons?\b|to this end\b|(?:これ|それ|この|その|こうした|そうした|このような|そのような|また|しかし|ただし|一方|さらに|そのため|したがって|なお|つまり))/iu;

const countedNoun = new RegExp(
  `\\b(?:${numberWords}|\\d+)\\s+(?!(?:hours|days|weeks|months|years|times|minutes|seconds|euros|dollars|yen|people|persons)\\b)(?:[\\p{L}-]+\\s+)?[\\p{L}-]+s\\b`,
  'iu',
);

/**
 * Whether a sentence announces an enumeration that the next sentences carry: it ends with a colon,
 * or counts the items it introduces ("two kinds of use", "seven principles", "四つの…").
 */
export function announcesList(sentence: string): boolean {
  const text = sentence.trim();
  if (/[:：]$/u.test(text)) return true;
  if (/(?:[一二三四五六七八九十]|[0-9０-９]+)つの/u.test(text) && /(?:示|挙げ|あり|定め|整理)/u.test(text)) return true;
  return wordCount(text) <= 25 && countedNoun.test(text) && !/\b(?:19|20)\d{2}\b/u.test(text.match(countedNoun)?.[0] ?? '');
}

/** Whether a sentence starts with a word that points back to an earlier sentence. */
export function isDangling(sentence: string): boolean {
  const text = sentence.replace(/^[-–•*]\s+/u, '').trim();
  // "There are four…" and "It is prohibited to…" stand alone; "This is…" and "These uses…" do not.
  if (/^(?:it\s+(?:is|was|will|may|must|shall|can)\s+(?:not\s+)?(?:prohibited|forbidden|required|necessary|important|possible|mandatory|recommended|unlawful|lawful)\b)/iu.test(text)) return false;
  return danglingOpening.test(text);
}

/** Scores every candidate sentence of the top passages for the question, best first. */
export function rankSentences(
  question: string,
  passages: ScoredPassage[],
  options: ExtractiveOptions & { weights?: SentenceWeights } = {},
): { ranked: RankedSentence[]; pool: ScoredPassage[]; referenceWeights: Map<string, number> } {
  const language = options.language ?? detectLanguage(question);
  const weights = options.weights ?? defaultSentenceWeights;
  const pool = answerPool(passages, options.candidatePassages ?? 5, options.sectionCatalog);
  const sentences = poolSentences(pool);
  const questionTerms = new Map<string, number>();
  for (const term of contentTerms(question)) questionTerms.set(term, 1);
  for (const term of options.contextTerms ?? []) if (!questionTerms.has(term)) questionTerms.set(term, 0.5);

  const sentenceTerms = sentences.map((sentence) => termSet(sentence.text));
  const documentFrequency = new Map<string, number>();
  for (const terms of sentenceTerms) for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + (sentences.length + 1) / ((documentFrequency.get(term) ?? 0) + 0.5));
  let totalWeight = 0;
  for (const [term, weight] of questionTerms) totalWeight += weight * idf(term);
  const referenceWeights = new Map<string, number>();
  for (const [term, weight] of questionTerms) referenceWeights.set(term, (weight * idf(term)) / (totalWeight || 1));

  const bestScore = pool[0]?.score ?? 1;
  const hasDense = options.denseSimilarity !== undefined && options.denseSimilarity.size > 0;
  const answerType = answerTypePattern(question);
  const ranked = sentences.map((sentence, index): RankedSentence => {
    const terms = sentenceTerms[index] ?? new Set<string>();
    let lexical = 0;
    for (const term of terms) lexical += referenceWeights.get(term) ?? 0;
    const item = pool[sentence.passageIndex];
    const sameLanguage = item?.passage.language === undefined || item.passage.language.startsWith(language);
    const prior = Math.min(1, ((item?.score ?? 0) / (bestScore || 1)) * (sameLanguage ? 1 : 0.85));
    const early = 1 - sentence.position / Math.max(1, sentence.siblings);
    const dense = Math.max(0, options.denseSimilarity?.get(sentence.text) ?? 0);
    const typed = answerType !== undefined && answerType.test(sentence.text) ? 1 : 0;
    let score =
      (hasDense ? weights.lexical * lexical + weights.dense * dense : (weights.lexical + weights.dense) * lexical) +
      weights.prior * prior +
      weights.early * early +
      weights.answerType * typed;
    const words = wordCount(sentence.text);
    if (words < 6) score *= 0.6;
    if (words > 70) score *= 0.85;
    return { sentence, terms, score, lexical, dangling: isDangling(sentence.text), announces: announcesList(sentence.text) };
  });
  ranked.sort((left, right) => right.score - left.score);
  return { ranked, pool, referenceWeights };
}

/** Word budget of an extractive answer when none is given. */
export const defaultExtractWords = 120;

/** Selection settings; exposed so the evaluation can compare them. */
export interface SelectionSettings {
  /** Penalty per unit of term overlap (Jaccard) with an already chosen sentence. */
  redundancyPenalty: number;
  /** Weight of the question's terms a sentence adds beyond those already covered (aspect coverage). */
  noveltyBonus: number;
  /** Multiplier for a sentence that leans on its predecessor when that predecessor is not in the answer. */
  danglingFactor: number;
  /** Most sentences in an answer. */
  maxSentences: number;
  /** A later sentence must score at least this share of the best one. */
  minRatio: number;
  /** Bonus for the sentence that directly follows a chosen one in its section (the rest of a list, the next step). */
  continuationBonus: number;
}

export const defaultSelection: SelectionSettings = { redundancyPenalty: 0.3, noveltyBonus: 0.25, danglingFactor: 0.75, maxSentences: 5, minRatio: 0.55, continuationBonus: 0.2 };

/** Key of a candidate sentence: its run and position. */
const sentenceKey = (sentence: Pick<CandidateSentence, 'run' | 'position'>) => `${sentence.run}:${sentence.position}`;

/** For each candidate sentence, the key of the sentence before it in its run (runs are whole stretches of a section). */
function predecessorKeys(ranked: RankedSentence[]): Map<string, string> {
  const predecessors = new Map<string, string>();
  for (const { sentence } of ranked) if (sentence.position > 0) predecessors.set(sentenceKey(sentence), sentenceKey({ run: sentence.run, position: sentence.position - 1 }));
  return predecessors;
}

/**
 * Picks the best sentences for the question from the top passages (and, with a catalog, the rest of
 * their sections) and composes a cited answer. Scoring: IDF-weighted coverage of the question's
 * terms, dense similarity when given, the passage's retrieval score, a small preference for early
 * sentences and for the question's language, and the expected answer type (a date for "when", an
 * amount for "how much"). Selection is greedy with maximal marginal relevance: each pick is the best
 * remaining sentence plus the question terms it adds, minus its overlap with what is already chosen;
 * a sentence that leans on its predecessor ("This…", "However,…") is discounted unless that
 * predecessor is chosen too.
 */
export function extractiveAnswer(
  question: string,
  passages: ScoredPassage[],
  options: ExtractiveOptions & { weights?: SentenceWeights; selection?: Partial<SelectionSettings> } = {},
): ExtractiveResult {
  const maxWords = options.maxWords ?? defaultExtractWords;
  const maxPassages = options.maxPassages ?? 3;
  const selection = { ...defaultSelection, ...options.selection };
  const { ranked: scored, pool, referenceWeights } = rankSentences(question, passages, options);
  if (scored.length === 0 || pool.length === 0) return { answer: '', citations: [] };

  const chosen: RankedSentence[] = [];
  const passagesUsed: number[] = [];
  const covered = new Set<string>();
  let words = 0;
  const key = sentenceKey;
  const chosenKeys = new Set<string>();
  const predecessors = predecessorKeys(scored);
  const announcing = new Set(scored.filter((candidate) => candidate.announces).map((candidate) => key(candidate.sentence)));
  /** Whether the candidate carries on a chosen sentence that announced a list. */
  const carriesList = (candidate: RankedSentence) => {
    const predecessor = predecessors.get(key(candidate.sentence));
    return predecessor !== undefined && chosenKeys.has(predecessor) && (announcing.has(predecessor) || (carried.has(predecessor) && !candidate.announces));
  };
  const carried = new Set<string>();
  const valueOf = (candidate: RankedSentence) => {
    let novel = 0;
    for (const term of candidate.terms) if (!covered.has(term)) novel += referenceWeights.get(term) ?? 0;
    const redundancy = chosen.reduce((most, other) => Math.max(most, jaccard(other.terms, candidate.terms)), 0);
    const predecessor = predecessors.get(key(candidate.sentence));
    const follows = predecessor !== undefined && chosenKeys.has(predecessor);
    const leaning = candidate.dangling && !follows;
    return (
      (candidate.score + selection.noveltyBonus * (novel - candidate.lexical) + (follows ? selection.continuationBonus * (carriesList(candidate) ? 2 : 1) : 0)) *
        (leaning ? selection.danglingFactor : 1) -
      selection.redundancyPenalty * redundancy
    );
  };
  const top = valueOf(scored[0] as RankedSentence);
  const remaining = [...scored];
  while (chosen.length < selection.maxSentences && remaining.length > 0) {
    let bestIndex = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    remaining.forEach((candidate, index) => {
      const isNewPassage = !passagesUsed.includes(candidate.sentence.passageIndex);
      if (isNewPassage && passagesUsed.length >= maxPassages) return;
      const length = wordCount(candidate.sentence.text);
      if (chosen.length > 0) {
        if (words + length > maxWords) return;
        if (chosen.some((other) => jaccard(other.terms, candidate.terms) > 0.6)) return;
      }
      const value = valueOf(candidate);
      if (chosen.length > 0 && value < top * selection.minRatio && !carriesList(candidate)) return;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = index;
      }
    });
    if (bestIndex === -1) break;
    const [candidate] = remaining.splice(bestIndex, 1);
    if (candidate === undefined) break;
    chosen.push(candidate);
    if (carriesList(candidate)) carried.add(key(candidate.sentence));
    chosenKeys.add(key(candidate.sentence));
    for (const term of candidate.terms) covered.add(term);
    words += wordCount(candidate.sentence.text);
    if (!passagesUsed.includes(candidate.sentence.passageIndex)) passagesUsed.push(candidate.sentence.passageIndex);
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
      quote: quoteFor(item.passage.text, used, referenceWeights),
      score: Math.round(item.score * 1000) / 1000,
    };
    if (item.passage.url !== undefined) citation.url = item.passage.url;
    citations.push(citation);
  });
  const answer = parts.reduce((text, part) => (text === '' ? part : /[。！？]$/u.test(text) ? `${text}${part}` : `${text} ${part}`), '');
  return { answer, citations };
}
