// What the reader of an answer gets, measured from the answer text alone: its cited sentences, which
// of them cannot stand on their own (fragments), which come from sections the question is not about
// (off-topic), and its length. Written independently of the answer builder, so the builder's own
// idea of a "good sentence" cannot grade itself.
import type { Citation } from '../src/core/answer/answer.js';

/** One sentence of an answer and the citation number it carries (undefined when it carries none). */
export interface AnswerSentence {
  text: string;
  n: number | undefined;
}

/** Splits an answer into its sentences, each ending at its `[n]` marker and final punctuation. */
export function answerSentences(answer: string): AnswerSentence[] {
  const sentences: AnswerSentence[] = [];
  const pattern = /[^[]*?\[(\d+)\][.!?。！？:：]?["'”’」』)]*\s*/gsu;
  let consumed = 0;
  for (const match of answer.matchAll(pattern)) {
    const text = match[0].replace(/\s*\[\d+\]/u, '').trim();
    if (text !== '') sentences.push({ text, n: Number(match[1]) });
    consumed = (match.index ?? 0) + match[0].length;
  }
  const rest = answer.slice(consumed).trim();
  if (rest !== '') sentences.push({ text: rest, n: undefined });
  return sentences;
}

/** Words as a reader counts them: Latin words and numbers, plus one per two CJK characters. */
export function readerWords(text: string): number {
  const plain = text.replace(/\[\d+\]/gu, '');
  const latin = plain.match(/[\p{Script=Latin}\p{N}]+/gu)?.length ?? 0;
  const cjk = plain.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  return latin + Math.ceil(cjk / 2);
}

const listMarker = /^(?:[-•*・]\s|\(?[a-z]{1,2}\)\s|\(?[ivx]{1,4}\)\s|\(?\d{1,2}[.)]\s|[①-⑳]|（\d{1,2}）|\d{1,2}\.\s)/u;
const englishBackReference =
  /^(?:["'“‘(]?\s*)(?:(?:it|its|they|their|them|these|those|such|both|neither|however|moreover|furthermore|nevertheless|nonetheless|also|besides|thus|hence|therefore|accordingly|consequently|likewise|similarly|instead|otherwise)\b(?!-)|this(?!\s+(?:regulation|act|policy|standard|document|guideline|guidelines|framework|profile|law|principle|principles)\b)\b|that\b|in addition\b|in (?:this|that|such) (?:respect|case|way|context)\b|point \([a-z]\)|as (?:such|with)\b|on the other hand\b|by contrast\b)/iu;
const englishBackReferenceInside = /\b(?:such|these|those)\s+(?!as\b|who\b|that\b|which\b|of\b|where\b)[a-z]/iu;
const japaneseBackReference = /^(?:これ|それ|この|その|こうした|そうした|このような|そのような|上記|前述|また|しかし|ただし|一方|さらに|なお|つまり|[一二三四五六七八九十]つ目)|これ(?:に|ら|を|が)|それ(?:に|ら|を|が)/u;

/**
 * Whether a sentence of an answer cannot stand on its own where it is: it opens mid-sentence
 * (lower-case start), is a list item without its lead-in, points back ("This…", "such…", "その…")
 * to a sentence the answer does not carry, or is a lead-in whose list the answer cut off.
 */
export function isFragment(sentences: AnswerSentence[], index: number, citations: Array<Pick<Citation, 'n' | 'source' | 'section'>> = []): boolean {
  const sentence = sentences[index];
  if (sentence === undefined) return false;
  const text = sentence.text.trim();
  const previous = sentences[index - 1];
  // Two sentences read together when they come from the same section of the same document.
  const sectionOf = (n: number | undefined) => {
    const citation = citations.find((entry) => entry.n === n);
    return citation === undefined ? `#${n}` : `${citation.source}\u0000${citation.section}`;
  };
  const together = (left: AnswerSentence, right: AnswerSentence) => left.n === right.n || sectionOf(left.n) === sectionOf(right.n);
  const sameSource = previous !== undefined && together(previous, sentence);
  if (/^[a-z]/u.test(text) && !/^(?:e\.g\.|i\.e\.)/u.test(text)) return true;
  if (listMarker.test(text)) {
    // A list item needs its lead-in: walk back over the items before it to the sentence announcing them.
    for (let back = index - 1; back >= 0; back -= 1) {
      const earlier = sentences[back];
      if (earlier === undefined || !together(earlier, sentence)) return true;
      if (listMarker.test(earlier.text)) continue;
      return !/[:：]\s*$/u.test(earlier.text) && !/(?:following|as follows|include|includes|including|are|is)\s*[:：]?\s*$/iu.test(earlier.text);
    }
    return true;
  }
  if (!sameSource && (englishBackReference.test(text) || japaneseBackReference.test(text))) return true;
  // "such systems" / "these uses" in a sentence's opening words points back too (later in a sentence it usually points within it).
  const opening = text.split(/\s+/u).slice(0, 6).join(' ');
  if (!sameSource && englishBackReferenceInside.test(opening)) return true;
  if (index === sentences.length - 1 && /[:：]\s*$/u.test(text)) return true;
  return false;
}

/** Number of the answer's sentences that are fragments. */
export function fragmentCount(answer: string, citations: Array<Pick<Citation, 'n' | 'source' | 'section'>> = []): number {
  const sentences = answerSentences(answer);
  return sentences.filter((_, index) => isFragment(sentences, index, citations)).length;
}

/** The citation of the answer's first marker (the lead), if any. */
export function leadCitation(answer: string, citations: Citation[]): Citation | undefined {
  const first = answerSentences(answer).find((sentence) => sentence.n !== undefined);
  return first === undefined ? undefined : citations.find((citation) => citation.n === first.n);
}

/** The median of a list of numbers (0 for an empty list). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
