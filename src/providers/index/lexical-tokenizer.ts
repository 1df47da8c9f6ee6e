// Tokens for the BM25 side of the index. English: lower case, stop words dropped, Porter-stemmed
// (`stemmer`). Japanese: words from Intl.Segmenter('ja'), particles and other function words dropped,
// plus CJK character bigrams so compounds the dictionary splits differently still match.
// Numbers are kept ("Article 50" must find article 50).
import { stemmer } from 'stemmer';

const englishStopWords = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours ' +
    "what's does doesn't don't isn't aren't can't won't shouldn't also may might must shall us".replace(/'/g, '')
  ).split(' '),
);

// Japanese function words (particles, auxiliaries, formal nouns) that carry no topic.
const japaneseStopWords = new Set(
  ('の は が を に で と も や へ から まで より か な ね よ だ です ます する し して した される され れる られ ' +
    'ある いる なる こと もの ため よう これ それ あれ この その あの など 等 及び および 又は または 並びに ' +
    'について における に対する による として において ない たち').split(' '),
);

const cjkPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]/u;
const cjkOnlyPattern = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]+$/u;
const hiraganaOnlyPattern = /^[\p{Script=Hiragana}\u30fc]+$/u;
const wordPattern = /[\p{L}\p{N}]+/gu;

let segmenter: Intl.Segmenter | undefined;

export interface LexicalTokenizerOptions {
  /** Add CJK character bigrams next to the segmenter's words (default true). */
  cjkBigrams?: boolean;
}

function englishToken(word: string): string | undefined {
  if (englishStopWords.has(word)) return undefined;
  if (/^\p{N}+$/u.test(word)) return word;
  if (word.length === 1) return undefined;
  return stemmer(word);
}

// Structured references such as "99(5)", "5(1)(h)", "A.7" or "6.1.2" also become one token each
// ("§99(5)"), so a question naming a paragraph finds that paragraph rather than every "99" and "5".
const referencePattern = /(?<![\p{L}\p{N}.])(?:\d+(?:\(\d+[a-z]?\))+(?:\([a-z]\))?|[a-z]?\d*\.\d+(?:\.\d+)*|[a-z]\.\d+)(?![\p{L}\p{N}(]|\.\d)/gu;

function referenceTokens(normalised: string, into: string[]): void {
  for (const match of normalised.matchAll(referencePattern)) into.push(`§${match[0]}`);
}

/** Normalises and tokenizes text for BM25 (used for both documents and queries). */
export function lexicalTokens(text: string, options: LexicalTokenizerOptions = {}): string[] {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/['’]s\b/g, '');
  const tokens: string[] = [];
  referenceTokens(normalised, tokens);
  if (!cjkPattern.test(normalised)) {
    for (const match of normalised.matchAll(wordPattern)) {
      const token = englishToken(match[0]);
      if (token !== undefined) tokens.push(token);
    }
    return tokens;
  }
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  for (const segment of segmenter.segment(normalised)) {
    if (!segment.isWordLike) continue;
    const word = segment.segment;
    if (cjkOnlyPattern.test(word)) {
      if (japaneseStopWords.has(word)) continue;
      if (hiraganaOnlyPattern.test(word) && word.length <= 2) continue;
      tokens.push(word);
      continue;
    }
    for (const match of word.matchAll(wordPattern)) {
      const part = match[0];
      if (cjkPattern.test(part)) {
        tokens.push(part);
        continue;
      }
      const token = englishToken(part);
      if (token !== undefined) tokens.push(token);
    }
  }
  if (options.cjkBigrams !== false) {
    for (const run of normalised.match(/[\p{Script=Han}\p{Script=Katakana}\u3005\u30fc]{2,}/gu) ?? []) {
      for (let position = 0; position + 1 < run.length; position += 1) tokens.push(`¦${run.slice(position, position + 2)}`);
    }
  }
  return tokens;
}

/**
 * Lexical tokens of the names in an English query: capitalised words that do not start a sentence,
 * and all-capital acronyms ("Singapore", "VPN"). A name the corpus never mentions is strong
 * evidence that the question is about something the corpus does not cover.
 */
export function nameTokens(text: string): Set<string> {
  const names = new Set<string>();
  const pattern = /(^|[.?!:;]\s+|\s|["“(])([\p{Lu}][\p{L}\p{N}'’-]*)/gu;
  for (const match of text.normalize('NFKC').matchAll(pattern)) {
    const word = match[2] as string;
    const sentenceStart = match.index === 0 || /[.?!:;]\s+$/.test(match[1] as string) || (match[1] === '' && match.index === 0);
    const acronym = /^[\p{Lu}\p{N}]{2,}$/u.test(word.replace(/['’]s$/, ''));
    if (sentenceStart && !acronym) continue;
    for (const token of lexicalTokens(word)) names.add(token);
  }
  return names;
}
