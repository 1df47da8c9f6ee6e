// Checks the [n] markers of a generated answer against the passages the model was given: markers
// naming no passage are removed, sentences left without support are dropped (a sentence that only
// says the documents do not cover something makes no claim and stays), and the remaining markers
// are renumbered 1..m in order of first use.
import { splitSentences } from './text-terms.js';

export interface CitationVerification {
  /** The cleaned answer with markers renumbered 1..m. */
  text: string;
  /** Original passage numbers (1-based) in order of first use: `used[i]` is now cited as `[i + 1]`. */
  used: number[];
  /** Marker numbers that named no provided passage, in order of appearance. */
  invalidMarkers: number[];
  /** Sentences dropped because no valid marker supported them. */
  droppedSentences: string[];
  /** True when the reply, taken whole, says the passages do not answer the question. */
  notCovered: boolean;
}

/** `[1]`, `[1, 2]`, `[1-3]`, `［２］`, `【2】`, `[Passage 2]`, `[source 1; 3]`. */
const markerPattern = /[[［【]\s*(?:(?:passage|source|doc|document)\s*)?([0-9０-９]+(?:\s*[,，、;；\-–~〜]\s*(?:(?:passage|source)\s*)?[0-9０-９]+)*)\s*[\]］】]/giu;

const notCoveredPatterns: RegExp[] = [
  /\b(?:do|does|did)\s+not\s+(?:cover|address|mention|answer|contain|say|discuss|include|specify|provide)/iu,
  /\b(?:don't|doesn't)\s+(?:cover|address|mention|answer|contain|say|discuss|include|specify|provide)/iu,
  /\bnot\s+(?:covered|addressed|mentioned|answered|specified|stated)\b/iu,
  /\b(?:no|not enough)\s+(?:information|details?|guidance|mention)\b/iu,
  /\b(?:cannot|can't|unable to)\s+(?:answer|find|determine)\b/iu,
  /(?:記載|記述|情報|言及|説明)(?:は|が)?(?:見当たり|ありません|ない|含まれていません|ございません)/u,
  /(?:扱って|触れて|含まれて|書かれて|述べられて)いません/u,
  /(?:答え|回答|判断)(?:ることが|られ)?(?:でき|られ)ません/u,
];

/** True when the text states that the documents or passages do not answer. */
export function isNotCoveredStatement(text: string): boolean {
  return notCoveredPatterns.some((pattern) => pattern.test(text));
}

function toAsciiDigits(value: string): string {
  return value.replace(/[０-９]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

/** Numbers named by one marker body such as `1, 2` or `1-3` (ranges capped at 20 numbers). */
function markerNumbers(body: string): number[] {
  const numbers: number[] = [];
  const normalised = toAsciiDigits(body).replace(/passage|source/giu, '');
  for (const part of normalised.split(/[,，、;；]/u)) {
    const range = part.split(/[-–~〜]/u).map((item) => Number.parseInt(item.trim(), 10));
    const [from, to] = range;
    if (from === undefined || Number.isNaN(from)) continue;
    if (range.length === 2 && to !== undefined && !Number.isNaN(to) && to >= from && to - from < 20) {
      for (let value = from; value <= to; value += 1) numbers.push(value);
    } else {
      numbers.push(from);
    }
  }
  return numbers;
}

const sourceHeading = /^\s*(?:#+\s*)?(?:\*\*)?(?:sources?|references?|citations?|出典|参考(?:文献)?|引用元)(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*$/iu;
/** A line that starts with a marker, e.g. "[1] EU AI Act — Article 50" or "- [2]: Policy". */
const sourceEntry = /^\s*(?:[-*•]\s*)?[[［【]\s*\d+\s*[\]］】]\s*[:：\-–—]?\s*\S/u;

const placeholder = (number: number) => `\uE000${number}\uE000`;

/** Verifies and renumbers the markers of `text` given `passageCount` numbered passages (1..count). */
export function verifyCitations(text: string, passageCount: number): CitationVerification {
  const invalidMarkers: number[] = [];
  const droppedSentences: string[] = [];
  const keptLines: string[] = [];
  const startsWithMarker = new RegExp(`^(?:\\s*${markerPattern.source})+`, 'iu');

  let inSourceList = false;
  for (const line of text.replace(/\r\n?/gu, '\n').split('\n')) {
    // A trailing list of sources ("Sources:", "[1] EU AI Act — Article 50") is not part of the
    // answer: the citations are rebuilt from the passages themselves.
    if (sourceHeading.test(line)) {
      inSourceList = true;
      continue;
    }
    if (sourceEntry.test(line) || (inSourceList && line.trim() !== '')) continue;
    const sentences = splitSentences(line).map((span) => span.text);
    // A marker written after the full stop ("… deployment. [2]") belongs to the sentence before it.
    for (let index = 1; index < sentences.length; index += 1) {
      const current = sentences[index] ?? '';
      const leading = current.match(startsWithMarker)?.[0];
      if (leading !== undefined) {
        sentences[index - 1] = `${sentences[index - 1] ?? ''} ${leading.trim()}`;
        sentences[index] = current.slice(leading.length).trim();
      }
    }
    const kept: string[] = [];
    for (const sentence of sentences) {
      if (sentence.trim() === '') continue;
      let valid = 0;
      const rewritten = sentence.replace(markerPattern, (_marker, body: string) => {
        const numbers = markerNumbers(body);
        const good = [...new Set(numbers.filter((number) => number >= 1 && number <= passageCount))];
        for (const number of numbers) if (number < 1 || number > passageCount) invalidMarkers.push(number);
        valid += good.length;
        return good.map(placeholder).join('');
      });
      const cleaned = rewritten
        // A marker written after 。 moves before it: "…です[1]。"
        .replace(/([。！？])\s*((?:\uE000\d+\uE000)+)/gu, '$2$1')
        .replace(/[ \t]+/gu, ' ')
        .replace(/\s+([.,;:!?。、])/gu, '$1')
        .trim();
      if (valid > 0 || isNotCoveredStatement(cleaned)) kept.push(cleaned);
      else if (/[\p{L}\p{N}]/u.test(cleaned)) droppedSentences.push(cleaned);
    }
    if (kept.length > 0) keptLines.push(kept.join(' ').replace(/([。！？]) (?=\S)/gu, '$1'));
  }

  const used: number[] = [];
  const renumbered = keptLines.join('\n').replace(/\uE000(\d+)\uE000/gu, (_match, digits: string) => {
    const original = Number.parseInt(digits, 10);
    let position = used.indexOf(original);
    if (position === -1) {
      used.push(original);
      position = used.length - 1;
    }
    return `[${position + 1}]`;
  });
  // Collapse a repeated marker such as "[1][1]" left by "[1, 1]".
  const finalText = renumbered.replace(/(\[\d+\])(?:\1)+/gu, '$1').trim();
  const notCovered = used.length === 0 && isNotCoveredStatement(text);
  return { text: notCovered ? text.replace(markerPattern, '').trim() : finalText, used, invalidMarkers, droppedSentences, notCovered };
}
