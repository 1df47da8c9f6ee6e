// Small text tools shared by the answer path: language guess, content terms (stemmed English words,
// numbers, and character bigrams for Japanese), and sentence splitting that understands 。 and lists.
import { stemmer } from 'stemmer';

/** A language the answer path treats specially. */
export type AnswerLanguage = 'en' | 'ja';

const japaneseScript = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/u;
const kana = /[\u3040-\u30ff]/u;

/** `ja` when the text has kana, or mostly CJK ideographs; else `en`. */
export function detectLanguage(text: string): AnswerLanguage {
  if (kana.test(text)) return 'ja';
  const cjk = [...text].filter((character) => japaneseScript.test(character)).length;
  const letters = [...text].filter((character) => /\p{L}/u.test(character)).length;
  return letters > 0 && cjk / letters > 0.3 ? 'ja' : 'en';
}

const englishStopwords = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each either else etc ever every few for from further get gets got had has have having he her here
  hers him his how i if in into is it its itself just let like may me might more most must my need needs no nor not now of off on once only or other
  our ours out over own per please same shall she should so some such than that the their theirs them then there these they this those through
  to too under until up upon us very via was we were what whatever when where whether which while who whom whose why will with within without
  would yes yet you your yours tell explain describe say says said know want wants give apply applies applied use used using
  does mean means meaning regarding concerning anything something thing things`.split(/\s+/u),
);

/** Japanese function words and question fillers that carry no topic. */
const japaneseStopBigrams = new Set(['ついて', 'てい', 'いて', 'です', 'ます', 'すか', 'でし', 'しょ', 'ょう', 'うか', 'ける', 'れる', 'られ', 'ある', 'あり', 'りま', 'せん', 'この', 'その', 'どの', 'ような', 'よう', 'うな', 'なに', 'なん', 'とは', 'には', 'では', 'ての', 'して', 'する', 'され', 'さい', 'くだ', 'ださ', '教え', 'えて']);

/** Splits Latin-script words and CJK runs; CJK runs become character bigrams. */
function rawTokens(text: string): Array<{ token: string; cjk: boolean }> {
  const tokens: Array<{ token: string; cjk: boolean }> = [];
  // Latin words stop at Japanese script ("AI法" is "ai" + "法"), so no bigram mixes the two scripts.
  const pattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])[\p{L}\p{N}])+(?:[-'](?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])[\p{L}\p{N}])+)*/gu;
  for (const match of text.toLowerCase().normalize('NFKC').matchAll(pattern)) {
    const token = match[0];
    if (japaneseScript.test(token)) {
      const characters = [...token];
      if (characters.length === 1) {
        if (/\p{Script=Han}/u.test(token)) tokens.push({ token, cjk: true });
        continue;
      }
      for (let index = 0; index + 1 < characters.length; index += 1) {
        const bigram = `${characters[index]}${characters[index + 1]}`;
        // Bigrams made only of hiragana are mostly grammar; keep those with kanji or katakana.
        if (/^[\u3040-\u309f]+$/u.test(bigram)) continue;
        tokens.push({ token: bigram, cjk: true });
      }
    } else {
      tokens.push({ token, cjk: false });
    }
  }
  return tokens;
}

/** Content terms of a text: stemmed, stopwords removed; repeated terms kept (use a Set to dedupe). */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  for (const { token, cjk } of rawTokens(text)) {
    if (cjk) {
      if (!japaneseStopBigrams.has(token)) terms.push(token);
      continue;
    }
    for (const part of token.split(/[-']/u)) {
      if (part.length < 2 && !/^\d$/u.test(part)) continue;
      if (englishStopwords.has(part)) continue;
      terms.push(/^\d/u.test(part) ? part : stemmer(part));
    }
  }
  return terms;
}

/** Distinct content terms. */
export function termSet(text: string): Set<string> {
  return new Set(contentTerms(text));
}

/** Word count for length budgets: Latin words, plus one per two CJK characters. */
export function wordCount(text: string): number {
  const latin = text.match(/[\p{Script=Latin}\p{N}]+/gu)?.length ?? 0;
  const cjk = [...text].filter((character) => japaneseScript.test(character)).length;
  return latin + Math.ceil(cjk / 2);
}

/** A sentence with its character offsets in the source text (so it can be quoted verbatim). */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

const abbreviations = /(?:\b(?:e\.g|i\.e|etc|art|arts|no|nos|para|paras|sec|cf|vs|fig|mr|ms|dr|inc|ltd|co|approx|incl)\.|\b[A-Z]\.)$/iu;

/**
 * Splits text into sentences: after . ! ? followed by space and a capital/digit/quote, after 。！？
 * (with or without a following space), and at line breaks (list items, headings). Offsets point into
 * the original text; surrounding whitespace is trimmed.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== '') spans.push({ text: trimmed, start: start + leading, end: start + leading + trimmed.length });
    start = end;
  };
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    if (character === '\n') {
      push(index + 1);
      continue;
    }
    if ('。！？'.includes(character)) {
      let end = index + 1;
      while (end < text.length && '」』）)'.includes(text[end] ?? '')) end += 1;
      push(end);
      index = end - 1;
      continue;
    }
    if ('.!?'.includes(character)) {
      let end = index + 1;
      while (end < text.length && '"\')]’”'.includes(text[end] ?? '')) end += 1;
      const next = text.slice(end, end + 3);
      if (!/^\s+["'‘“([]?[\p{Lu}\p{N}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(next)) continue;
      if (character === '.' && abbreviations.test(text.slice(Math.max(0, index - 8), index + 1))) continue;
      push(end);
      index = end - 1;
    }
  }
  push(text.length);
  return spans;
}
