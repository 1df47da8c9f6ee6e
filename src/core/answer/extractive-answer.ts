// The extractive answer, passage first: the answer leads with the best short span of whole sentences
// from the section the search ranked best, brings what that span needs to stand alone (the lead-in of
// a list item, the sentence a "This…" points back to, the rest of an announced list, an exception that
// qualifies it), and adds a sentence from another strong section only when it answers a part of the
// question the lead leaves open. It stops there: it never fills a budget. Every sentence is followed by
// the [n] of the passage it comes from. Works with no language model; also the fallback when the model
// fails or its answer cannot be verified. Pure: dense similarities, if any, are computed by the caller.
import type { ScoredPassage } from '../../ports/passage.js';
import type { Citation } from './answer.js';
import type { SectionCatalog } from './section-context.js';
import { contentTerms, detectLanguage, splitSentences, termSet, wordCount, type AnswerLanguage, type SentenceSpan } from './text-terms.js';
import { citationUrl, documentPath } from '../documents/document-links.js';

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
  /** Index, in its run, of the sentence this unit belongs to (units of an inline enumeration share it). */
  origin: number;
}

/** How an extract is composed; the production values are `defaultExtractSettings`. */
export interface ExtractSettings {
  /** Hard cap on the answer's words (a single lead sentence longer than this is still taken whole). */
  maxWords: number;
  /** Longest lead span, in sentences, before the context it needs is added. */
  maxSpanSentences: number;
  /** Sections (in rank order) the extract may draw on: the lead section and those that may add a missing part. */
  sections: number;
  /** A supporting sentence must answer at least this share of what the lead leaves open. */
  supportShare: number;
  /** Words a lead span may have before each further word costs relevance. */
  freeWords: number;
  /** A lead shorter than this (a topic sentence) is carried on by the next sentence of its section. */
  minLeadWords: number;
  /** Weight, when choosing a span inside a section, of question words found in its title or heading. */
  topicWeight: number;
  /** Whether a list the lead announces but cannot show whole is shown as its items' heads. */
  compactLists: boolean;
  /** Whether an exception or condition elsewhere in the lead section joins the answer. */
  sectionQualifier: boolean;
  /** Whether a sentence from another section may answer a part the lead leaves open. */
  support: boolean;
}

export const defaultExtractSettings: ExtractSettings = {
  maxWords: 120,
  maxSpanSentences: 3,
  sections: 3,
  supportShare: 0.5,
  freeWords: 60,
  minLeadWords: 50,
  topicWeight: 0.5,
  compactLists: true,
  sectionQualifier: true,
  support: true,
};

/** Word budget of an extractive answer when none is given (a hard cap; typical answers are far shorter). */
export const defaultExtractWords = defaultExtractSettings.maxWords;

export interface ExtractiveOptions {
  /** Language of the question (detected when absent). */
  language?: AnswerLanguage;
  /** Extra query terms (earlier turns, other-language equivalents) that count at half weight. */
  contextTerms?: string[];
  /** Cosine similarity of each candidate sentence's text to the question, when an embedder is available. */
  denseSimilarity?: Map<string, number>;
  /** When given, the whole of each ranked section is read, not only its retrieved chunks. */
  sectionCatalog?: SectionCatalog;
  settings?: Partial<ExtractSettings>;
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

/** A distinct section of the ranking, with its best score and the chunks of it that were retrieved. */
export interface RankedSection {
  source: string;
  section: string;
  score: number;
  retrieved: ScoredPassage[];
}

const sectionKey = (passage: { source: string; section: string }) => `${passage.source}\u0000${passage.section}`;

/** The distinct sections of a ranking, in the order of their best chunk (see below for preambles). */
export function rankedSections(passages: ScoredPassage[]): RankedSection[] {
  const byKey = new Map<string, RankedSection>();
  for (const item of passages) {
    const key = sectionKey(item.passage);
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { source: item.passage.source, section: item.passage.section, score: item.score, retrieved: [item] });
    else existing.retrieved.push(item);
  }
  // A document's preamble (text before its first heading: a banner, a notice) yields to a headed
  // section of the same document in the ranking; a document without headings keeps its place.
  const sections = [...byKey.values()];
  const headedSources = new Set(sections.filter((entry) => entry.section.trim() !== '').map((entry) => entry.source));
  const demoted = (entry: RankedSection) => entry.section.trim() === '' && headedSources.has(entry.source);
  return [...sections.filter((entry) => !demoted(entry)), ...sections.filter(demoted)];
}

/**
 * The passages an extract reads: every chunk of the top `limit` ranked sections (from the catalog when
 * given, else the retrieved ones), section by section in rank order. A chunk that was not retrieved
 * scores 0.9 × its section's best.
 */
export function answerPool(passages: ScoredPassage[], limit = defaultExtractSettings.sections, catalog?: SectionCatalog): ScoredPassage[] {
  const pool: ScoredPassage[] = [];
  const seen = new Set<string>();
  for (const section of rankedSections(passages).slice(0, limit)) {
    const retrievedScore = new Map(section.retrieved.map((item) => [item.passage.chunkId, item.score]));
    let chunks: ScoredPassage[] = section.retrieved;
    if (catalog !== undefined) {
      try {
        const whole = catalog.findSection(section.source, section.section).filter((passage) => passage.section === section.section);
        if (whole.length > 0) chunks = whole.map((passage) => ({ passage, score: retrievedScore.get(passage.chunkId) ?? section.score * 0.9 }));
      } catch {
        chunks = section.retrieved;
      }
    }
    for (const item of chunks) {
      if (seen.has(item.passage.chunkId)) continue;
      seen.add(item.passage.chunkId);
      pool.push(item);
    }
  }
  return pool;
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
        // A list item starts a new line only after a finished sentence: "…reclaim them; (b) AI used…" is one sentence cut in two.
        const joiner = overlap > 0 ? '' : /^(?:[-•*]\s|\(?[0-9a-z]{1,3}[.)]\s)/u.test(text) && /[.!?:。！？：]\s*$/u.test(current.text) ? '\n' : ' ';
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

/** Inline enumeration markers: "(a)", "(ii)", "(3)" after a colon, semicolon or comma (or "; and"). */
const inlineMarker = /(?:[:;,]|\band|\bor)\s+(\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s)/gu;

/**
 * A long sentence that enumerates inline ("…the following: (a) …; (b) …; and (c) …") as units a
 * reader can take alone: its lead-in, then one unit per item. An answer can then quote the lead-in and
 * the one item that answers, instead of the whole enumeration or an item without its lead-in.
 */
export function enumerationUnits(span: SentenceSpan): SentenceSpan[] {
  if (wordCount(span.text) <= 40) return [span];
  const starts = [...span.text.matchAll(inlineMarker)].map((match) => (match.index ?? 0) + match[0].length - (match[1]?.length ?? 0));
  if (starts.length < 2) return [span];
  const cuts = [0, ...starts].filter((cut, index, all) => index === 0 || cut > (all[index - 1] ?? 0));
  const units: SentenceSpan[] = [];
  cuts.forEach((cut, index) => {
    const end = cuts[index + 1] ?? span.text.length;
    const raw = span.text.slice(cut, end);
    const text = raw.trim();
    if (text === '') return;
    const start = span.start + cut + (raw.length - raw.trimStart().length);
    units.push({ text, start, end: start + text.length });
  });
  return units;
}

/** Every sentence of the answer pool (long inline enumerations split into lead-in and items), read run by run. */
export function poolSentences(pool: ScoredPassage[]): CandidateSentence[] {
  const sentences: CandidateSentence[] = [];
  chunkRuns(pool).forEach((run, runIndex) => {
    const spans = splitSentences(run.text).flatMap((span, origin) => enumerationUnits(span).map((unit) => ({ ...unit, origin })));
    spans.forEach((span, position) => {
      // The chunk the sentence starts in (members are in order, so with overlapping chunks the earlier one).
      const ends = (member: number) => (run.offsets[member] ?? 0) + (pool[run.members[member] ?? 0]?.passage.text.length ?? 0);
      const found = run.members.findIndex((_, member) => span.start < ends(member));
      const member = found === -1 ? run.members.length - 1 : found;
      const passageIndex = run.members[member] ?? 0;
      const offset = run.offsets[member] ?? 0;
      const length = pool[passageIndex]?.passage.text.length ?? 0;
      sentences.push({ text: span.text, start: span.start - offset, end: Math.min(span.end - offset, length), passageIndex, run: runIndex, position, siblings: spans.length, origin: span.origin });
    });
  });
  return sentences;
}

/** Sentences an extract may use for the question (for computing their dense similarity beforehand). */
export function candidateSentences(passages: ScoredPassage[], limit = defaultExtractSettings.sections, catalog?: SectionCatalog): CandidateSentence[] {
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
  // An enumeration item ends on "; and" or ";": the answer closes it with a full stop instead.
  const trimmed = text.replace(/\s*[;,]\s*(?:and|or)?\s*$/u, '');
  const sentence = neutraliseMarkers(trimmed !== text ? `${trimmed}.` : text);
  const match = sentence.match(/^(.*?)(\s*)([.!?。！？:：]["'”’」』)]*)$/su);
  if (match === null) return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(sentence) ? `${sentence}${marker}` : `${sentence} ${marker}.`;
  const [, body = '', , ending = ''] = match;
  const japanese = /[。！？：]/u.test(ending);
  return `${body}${japanese ? '' : ' '}${marker}${ending}`;
}

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
  if (/\bhow often\b|\bhow frequently\b|\bfrequency\b|どのくらいの頻度|何回|頻度/u.test(text)) {
    return new RegExp(`\\b(?:every|each)\\s+(?:(?:\\d+|${numberWords}|other)\\s+)?(?:day|week|month|quarter|year)s?\\b|\\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|annual)\\b|\\b(?:once|twice)\\s+a\\s+(?:day|week|month|year)\\b|毎(?:日|週|月|年)|年\\d+回|\\d+(?:週間|か月|ヶ月)ごと`, 'iu');
  }
  if (/\bhow many\b|\bnumber of\b|いくつ|何つ|何項目/u.test(text)) {
    return new RegExp(`\\b(?:\\d+|${numberWords})\\b|[0-9０-９一二三四五六七八九十]+(?:つ|項目|個)`, 'iu');
  }
  // "Is it allowed / can we / do we have to…?": the answer is a sentence that states a rule.
  if (/\b(?:allowed|ok|okay|permitted|banned|prohibited|forbidden|legal|illegal|can (?:we|i)|may (?:we|i)|do (?:we|i) (?:have|need) to|must (?:we|i)|is it (?:ok|okay|fine|allowed|legal))\b|してもよい|してもいい|いいですか|ダメ|だめ|禁止|許可|必要ですか|必要\?|必要？|大丈夫/iu.test(text)) {
    return /\b(?:must not|may not|must|may|shall|is prohibited|are prohibited|is banned|are banned|is not allowed|are not allowed|is allowed|are allowed|is required|are required|not permitted|is permitted|prohibits?|bans?)\b|禁止|必要があ|しなければ|求められ|認められ/iu;
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
  `\\b(?:${numberWords}|\\d+)\\s+(?!(?:hours|days|weeks|months|years|times|minutes|seconds|euros|dollars|yen|people|persons)\\b)(?:[\\p{L}-]+\\s+){0,2}[\\p{L}-]+s\\b`,
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

/** A document naming itself ("This Regulation…", "This policy…") stands alone. */
const selfReference = /^(?:["'“‘(]?\s*)this\s+(?:regulation|act|policy|standard|document|guideline|guidelines|framework|profile|law|principle|principles|section|annex|chapter)\b/iu;

/** Back-references inside a sentence: "such systems", "these uses", "point (b)", "これに含まれます". */
const innerBackReference = /\b(?:such|these|those)\s+(?!as\b|who\b|that\b|which\b|of\b|where\b)[a-z]|^(?:["'“‘(]?\s*)point\s+\([a-z]\)|これ(?:に|ら|を|が)|それ(?:に|ら|を|が)|上記|前述/iu;

/** Whether a sentence starts with a word that points back to an earlier sentence, or names something only an earlier sentence introduced. */
export function isDangling(sentence: string): boolean {
  const text = sentence.replace(/^[-–•*]\s+/u, '').trim();
  // "There are four…" and "It is prohibited to…" stand alone; "This is…" and "These uses…" do not.
  if (/^(?:it\s+(?:is|was|will|may|must|shall|can)\s+(?:not\s+)?(?:prohibited|forbidden|required|necessary|important|possible|mandatory|recommended|unlawful|lawful)\b)/iu.test(text)) return false;
  if (selfReference.test(text)) return false;
  // English back-references count in a sentence's opening words; later they usually point within the sentence.
  const opening = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text) ? text : text.split(/\s+/u).slice(0, 6).join(' ');
  return danglingOpening.test(text) || innerBackReference.test(opening) || /^[一二三四五六七八九十]つ目/u.test(text);
}

/**
 * The verbatim opening of a list item that names it: its marker and the words before its first dash,
 * colon or comma ("(1) human-centric — respect human dignity…" → "(1) human-centric"), or its first
 * eight words.
 */
export function itemHead(item: string): string {
  const text = item.trim().replace(/[;；]\s*(?:and|or)?\s*$/u, '');
  const match = /^(\(?[a-z0-9]{1,4}\)|[①-⑳]|（\d{1,2}）|[-•*・]|\d{1,2}\.)\s*(.*)$/su.exec(text);
  const marker = match?.[1] ?? '';
  const rest = match?.[2] ?? text;
  const cut = /\s[—–]\s|\s-\s|[:：]|,\s|、/u.exec(rest);
  const name = cut !== null && cut.index > 0 && wordCount(rest.slice(0, cut.index)) <= 8 ? rest.slice(0, cut.index) : rest.split(/\s+/u).length > 8 ? `${rest.split(/\s+/u).slice(0, 8).join(' ')} …` : rest;
  return `${marker}${marker === '' || /^[①-⑳（]/u.test(marker) ? '' : ' '}${name.trim()}`;
}

/** A list item: a bullet, "(a)", "1.", "①" — or a checklist label ("High: obtain…"), which reads wrongly without its lead-in. */
export function isListItem(sentence: string): boolean {
  const text = sentence.trim();
  if (/^(?:[-•*・]\s|\(?[a-z]{1,2}\)\s|\(?[ivx]{1,4}\)\s|\(?\d{1,2}[.)]\s|[①-⑳]|（\d{1,2}）)/u.test(text)) return true;
  // "Prohibited: do not build…", "All tiers: complete…" — a short label and a colon open the sentence.
  return /^[\p{Lu}][\p{L}'’ -]{0,24}:\s+\S/u.test(text) && !/^(?:note|example|for example|see|source|contacts?)\s*:/iu.test(text);
}

/**
 * Whether a sentence qualifies the one before it: an exception, a condition, who is exempt ("However,
 * …", "This does not apply…", "…unless…", "ただし…"). Kept next to the rule it qualifies, so an
 * answer never states a rule without its exception.
 */
export function qualifiesPrevious(sentence: string): boolean {
  const text = sentence.trim();
  return (
    /^(?:["'“‘(]?\s*)(?:however|but|except|unless|nevertheless|by way of exception|an exception|exceptions?\b|this does not apply|these (?:obligations|rules|requirements) do not apply|ただし|但し|もっとも|なお)/iu.test(text) ||
    /\b(?:does not apply|do not apply|is exempt|are exempt|exempted|with the exception of|except (?:for|where|when|if))\b|適用されない|除く|例外/iu.test(text)
  );
}


/** A pool sentence with what the composer needs to know about it. */
interface SentenceInfo {
  sentence: CandidateSentence;
  /** Rank of its section among the ranked sections (0 = the section the search ranked best). */
  sectionRank: number;
  terms: Set<string>;
  words: number;
  /** Holds the kind of answer the question expects (a date for "when", an amount for "how much"). */
  typed: boolean;
  dense: number;
  item: boolean;
  dangling: boolean;
  announces: boolean;
  qualifies: boolean;
  /** From text before a document's first heading. */
  preamble: boolean;
}

/** Weights of the question's terms: IDF over the pool's sentences, normalised to sum to 1; context terms count half. */
function questionWeights(question: string, contextTerms: string[], sentenceTerms: Array<Set<string>>): Map<string, number> {
  const raw = new Map<string, number>();
  for (const term of contentTerms(question)) raw.set(term, 1);
  for (const term of contextTerms) if (!raw.has(term)) raw.set(term, 0.5);
  const documentFrequency = new Map<string, number>();
  for (const terms of sentenceTerms) for (const term of terms) if (raw.has(term)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + (sentenceTerms.length + 1) / ((documentFrequency.get(term) ?? 0) + 0.5));
  let total = 0;
  for (const [term, weight] of raw) total += weight * idf(term);
  const weights = new Map<string, number>();
  for (const [term, weight] of raw) weights.set(term, total === 0 ? 0 : (weight * idf(term)) / total);
  return weights;
}

function weightOf(terms: Iterable<string>, weights: Map<string, number>, skip?: Set<string>): number {
  let sum = 0;
  for (const term of terms) if (skip === undefined || !skip.has(term)) sum += weights.get(term) ?? 0;
  return sum;
}

/**
 * The sentences of a lead span [from, to] in a run, with what they need to stand alone: the lead-in of a
 * list item, the sentence a back-reference points to, the rest of a list the span announces, and an
 * exception that follows. `unresolved` when a back-reference has nothing before it in the section.
 */
function completeSpan(run: SentenceInfo[], from: number, to: number, maxWords: number): { indexes: number[]; unresolved: boolean } {
  const chosen = new Set<number>();
  for (let index = from; index <= to; index += 1) chosen.add(index);
  let unresolved = false;
  const first = run[from];
  if (first?.item) {
    // The lead-in is the nearest earlier sentence that is not itself an item; the items between are left out.
    let leadIn = from - 1;
    while (leadIn >= 0 && run[leadIn]?.item) leadIn -= 1;
    if (leadIn >= 0) {
      chosen.add(leadIn);
      if (run[leadIn]?.dangling && leadIn > 0) chosen.add(leadIn - 1);
    } else unresolved = true;
  } else if (first?.dangling) {
    let back = from - 1;
    while (back >= 0 && from - back <= 2) {
      chosen.add(back);
      if (!run[back]?.dangling && !run[back]?.item) break;
      back -= 1;
    }
    if (back < 0) unresolved = true;
  }
  const words = () => [...chosen].reduce((sum, index) => sum + (run[index]?.words ?? 0), 0);
  // An announced list comes whole, within the cap.
  let last = Math.max(...chosen);
  if (run[last]?.announces) {
    // A list announced and then cut before its first item reads wrongly.
    if ((run[last + 1]?.words ?? Number.POSITIVE_INFINITY) + words() > maxWords && last + 1 < run.length) unresolved = true;
    // Items ("- …", "(a) …") are taken until the list ends; a list told in prose ("Point (a) covers…")
    // brings its next two sentences.
    let items = 0;
    for (let next = last + 1; next < run.length; next += 1) {
      const candidate = run[next];
      if (candidate === undefined || words() + candidate.words > maxWords) break;
      if (!candidate.item && (items > 0 || next > last + 2 - items)) break;
      chosen.add(next);
      if (candidate.item) items += 1;
      else if (next >= to + 2) break;
    }
    last = Math.max(...chosen);
  }
  // An exception or condition right after the span stays with it.
  const after = run[last + 1];
  if (after?.qualifies && words() + after.words <= maxWords) chosen.add(last + 1);
  return { indexes: [...chosen].sort((left, right) => left - right), unresolved };
}

/**
 * Composes a cited answer from the ranked passages, passage first. The lead is the best short span of
 * whole sentences of the top-ranked section, scored by the IDF-weighted share of the question's terms it
 * covers, the expected kind of answer (a date for "when", an amount for "how much"), dense similarity
 * when given, and a cost per word beyond a short sentence's length; the span is then completed so it
 * stands alone (see `completeSpan`). One sentence from another strong section (or elsewhere in the
 * lead section) is added only when it answers enough of what the lead leaves open.
 */
export function extractiveAnswer(question: string, passages: ScoredPassage[], options: ExtractiveOptions = {}): ExtractiveResult {
  const settings = { ...defaultExtractSettings, ...options.settings };
  const language = options.language ?? detectLanguage(question);
  const pool = answerPool(passages, settings.sections, options.sectionCatalog);
  const sentences = poolSentences(pool);
  if (sentences.length === 0) return { answer: '', citations: [] };
  const rankOf = new Map(rankedSections(passages).map((section, rank) => [sectionKey(section), rank]));
  const sentenceTerms = sentences.map((sentence) => termSet(sentence.text));
  const weights = questionWeights(question, options.contextTerms ?? [], sentenceTerms);
  const answerType = answerTypePattern(question);
  const infos: SentenceInfo[] = sentences.map((sentence, index) => {
    const passage = pool[sentence.passageIndex]?.passage;
    return {
      sentence,
      sectionRank: passage === undefined ? Number.POSITIVE_INFINITY : (rankOf.get(sectionKey(passage)) ?? Number.POSITIVE_INFINITY),
      terms: sentenceTerms[index] ?? new Set<string>(),
      words: wordCount(sentence.text),
      typed: answerType !== undefined && answerType.test(sentence.text),
      dense: Math.max(0, options.denseSimilarity?.get(sentence.text) ?? 0),
      item: isListItem(sentence.text),
      dangling: isDangling(sentence.text),
      announces: announcesList(sentence.text),
      qualifies: qualifiesPrevious(sentence.text),
      preamble: (passage?.section ?? '').trim() === '',
    };
  });
  const runs = new Map<number, SentenceInfo[]>();
  for (const info of infos) {
    const run = runs.get(info.sentence.run) ?? [];
    run[info.sentence.position] = info;
    runs.set(info.sentence.run, run);
  }
  const leadRank = Math.min(...infos.map((info) => info.sectionRank));
  // The lead: the best completed span of the top-ranked section (rank-faithful; re-ranking, if any, happened before).
  let lead: { run: SentenceInfo[]; indexes: number[]; score: number } | undefined;
  for (const run of runs.values()) {
    if (run[0]?.sectionRank !== leadRank) continue;
    // Inside a section, the question's words that name its topic (in the document title or the heading)
    // say little about which sentence answers; the other words (the focus: "four functions") say more.
    const heading = pool[run[0]?.sentence.passageIndex ?? -1]?.passage;
    const topic = heading === undefined ? new Set<string>() : termSet(`${heading.title} ${heading.section}`);
    const spanWeights = new Map([...weights].map(([term, weight]) => [term, topic.has(term) ? weight * settings.topicWeight : weight]));
    for (let from = 0; from < run.length; from += 1) {
      for (let to = from; to < Math.min(run.length, from + settings.maxSpanSentences); to += 1) {
        const { indexes, unresolved } = completeSpan(run, from, to, settings.maxWords);
        const members = indexes.map((index) => run[index]).filter((info): info is SentenceInfo => info !== undefined);
        const words = members.reduce((sum, info) => sum + info.words, 0);
        if (members.length > 1 && words > settings.maxWords) continue;
        const terms = new Set(members.flatMap((info) => [...info.terms]));
        const score =
          weightOf(terms, spanWeights) +
          (answerType !== undefined && members.some((info) => info.typed) ? 0.3 : 0) +
          0.25 * (members.reduce((sum, info) => sum + info.dense, 0) / Math.max(1, members.length)) +
          (indexes[0] === 0 && weightOf(run[0]?.terms ?? [], spanWeights) > 0 ? 0.05 : 0) -
          0.006 * Math.max(0, words - settings.freeWords) -
          (unresolved ? 0.3 : 0);
        if (lead === undefined || score > lead.score + 1e-9) lead = { run, indexes, score };
      }
    }
  }
  if (lead === undefined) return { answer: '', citations: [] };
  // A thin lead (a short topic sentence) is carried on by the sentence after it, which holds its substance.
  const leadIndexes = [...lead.indexes];
  const leadWords = () => leadIndexes.reduce((sum, index) => sum + (lead.run[index]?.words ?? 0), 0);
  for (let next = Math.max(...leadIndexes) + 1; leadWords() < settings.minLeadWords; next += 1) {
    const following = lead.run[next];
    if (following === undefined || following.item || following.announces || leadWords() + following.words > settings.maxWords) break;
    leadIndexes.push(next);
  }
  // A list the lead announces but cannot show whole reads as its items' heads: "(1) human-centric;
  // (2) safety; …" — each a verbatim opening of its item — so the whole list fits.
  const compact = new Map<SentenceInfo, string>();
  if (settings.compactLists) {
    const announcing = leadIndexes.filter((index) => lead.run[index]?.announces).sort((left, right) => left - right);
    for (const index of announcing) {
      let next = index + 1;
      // "…lists ten principles. They are: (1) …": a short lead-in between the announcement and the items.
      if (lead.run[next] !== undefined && !lead.run[next]?.item && lead.run[next]?.announces && (lead.run[next]?.words ?? 99) <= 8) next += 1;
      const items: number[] = [];
      for (let at = next; lead.run[at]?.item; at += 1) items.push(at);
      if (items.length < 3 || items.every((at) => leadIndexes.includes(at))) continue;
      const full = items.reduce((sum, at) => sum + (lead.run[at]?.words ?? 0), 0);
      if (full + leadWords() <= settings.maxWords && items.every((at) => leadIndexes.includes(at))) continue;
      for (let at = index + 1; at < next; at += 1) if (!leadIndexes.includes(at)) leadIndexes.push(at);
      for (const at of items) {
        const info = lead.run[at];
        if (info === undefined) continue;
        const head = itemHead(info.sentence.text);
        if (leadIndexes.filter((entry) => !items.includes(entry)).reduce((sum, entry) => sum + (lead.run[entry]?.words ?? 0), 0) + [...compact.values()].reduce((sum, text) => sum + wordCount(text), 0) + wordCount(head) > settings.maxWords) break;
        compact.set(info, head);
        if (!leadIndexes.includes(at)) leadIndexes.push(at);
      }
      // Items beyond the budget are left out rather than shown whole.
      for (let position = leadIndexes.length - 1; position >= 0; position -= 1) {
        const entry = leadIndexes[position] as number;
        const info = lead.run[entry];
        if (items.includes(entry) && info !== undefined && !compact.has(info)) leadIndexes.splice(position, 1);
      }
      leadIndexes.sort((left, right) => left - right);
      break;
    }
  }
  const chosen: SentenceInfo[] = leadIndexes.map((index) => lead.run[index]).filter((info): info is SentenceInfo => info !== undefined);
  const displayWords = (info: SentenceInfo) => (compact.has(info) ? wordCount(compact.get(info) ?? '') : info.words);

  // An exception or condition stated elsewhere in the lead section qualifies the answer: it comes too.
  const leadRun = lead.run;
  if (settings.sectionQualifier) {
    const qualifier = leadRun.find(
      (info, index) => info !== undefined && info.qualifies && !info.item && !info.dangling && !leadIndexes.includes(index) && chosen.reduce((sum, entry) => sum + displayWords(entry), 0) + info.words <= settings.maxWords,
    );
    if (qualifier !== undefined) chosen.push(qualifier);
  }

  // A second part: one sentence that answers enough of what the lead leaves open.
  const covered = new Set(chosen.flatMap((info) => [...info.terms]));
  const open = 1 - weightOf(covered, weights);
  const leadTyped = chosen.some((info) => info.typed);
  let words = chosen.reduce((sum, info) => sum + displayWords(info), 0);
  if (settings.support && (open >= 0.3 || (answerType !== undefined && !leadTyped))) {
    let best: { info: SentenceInfo; value: number } | undefined;
    for (const info of infos) {
      // A document's preamble (text before its first heading: a banner, a notice) never joins as support.
      if (chosen.includes(info) || info.item || info.dangling || info.preamble || words + info.words > settings.maxWords) continue;
      const gain = weightOf(info.terms, weights, covered);
      const typedGain = answerType !== undefined && !leadTyped && info.typed;
      // The kind of answer the lead lacks (the date, the amount) counts from its own section whatever its words.
      const sameSection = info.sentence.run === lead.run[0]?.sentence.run;
      if (gain < Math.max(0.15, settings.supportShare * open) && !(typedGain && (gain >= 0.15 || sameSection))) continue;
      const value = gain + (typedGain ? 0.3 : 0) + 0.1 * info.dense - 0.05 * info.sectionRank;
      if (best === undefined || value > best.value) best = { info, value };
    }
    if (best !== undefined) {
      chosen.push(best.info);
      words += best.info.words;
    }
  }

  // Units of one sentence (a lead-in and the items taken from an inline enumeration) read as that
  // sentence, with "…" where items are left out.
  const pieces: Array<{ text: string; passageIndex: number }> = [];
  let previous: SentenceInfo | undefined;
  for (const info of chosen) {
    const last = pieces[pieces.length - 1];
    const text = compact.get(info) ?? info.sentence.text;
    const continuesList = previous !== undefined && (compact.has(previous) || (previous.announces && previous.sentence.origin === info.sentence.origin));
    if (last !== undefined && previous !== undefined && compact.has(info) && continuesList && previous.sentence.run === info.sentence.run) {
      // Heads of a compact list continue the piece of their lead-in, separated by semicolons.
      last.text = compact.has(previous) ? `${last.text.replace(/[;；,、]\s*$/u, '')}; ${text}` : `${last.text} ${text}`;
    } else if (last !== undefined && previous !== undefined && previous.sentence.run === info.sentence.run && previous.sentence.origin === info.sentence.origin) {
      last.text += info.sentence.position === previous.sentence.position + 1 ? ` ${text}` : ` … ${text}`;
    } else pieces.push({ text, passageIndex: info.sentence.passageIndex });
    previous = info;
  }
  // Cite passages in order of first use (a piece cites the passage it starts in); the lead's sentences
  // in document order, then the support.
  const order: number[] = [];
  for (const piece of pieces) if (!order.includes(piece.passageIndex)) order.push(piece.passageIndex);
  const parts = pieces.map((piece) => withMarker(piece.text, `[${order.indexOf(piece.passageIndex) + 1}]`));
  const citations: Citation[] = order.flatMap((passageIndex, position) => {
    const item = pool[passageIndex];
    if (item === undefined) return [];
    const used = chosen.filter((info) => info.sentence.passageIndex === passageIndex).map((info) => info.sentence);
    const citation: Citation = {
      n: position + 1,
      title: item.passage.title,
      source: item.passage.source,
      section: item.passage.section,
      quote: quoteFor(item.passage.text, used, weights),
      score: Math.round(item.score * 1000) / 1000,
    };
    citation.url = citationUrl(item.passage.source, item.passage.section, item.passage.url);
    citation.documentUrl = documentPath(item.passage.source, item.passage.section);
    return [citation];
  });
  // List items start on their own line, as in the source; Japanese sentences join without a space.
  const answer = parts.reduce((text, part) => {
    if (text === '') return part;
    if (/^(?:[-•*・]\s|\(?\d{1,2}[.)]\s|[①-⑳])/u.test(part)) return `${text}\n${part}`;
    return /[。！？：]$/u.test(text) || (language === 'ja' && /^[^\p{Script=Latin}]/u.test(part)) ? `${text}${part}` : `${text} ${part}`;
  }, '');
  return { answer, citations };
}
