// Text signals: signs in an intake's title and description of an EU AI Act Annex III area or an
// Art. 5 practice that the structured answers do not declare. Three detectors, each only ever adding:
// lexical patterns from `rules/text-signals.yaml` (English stemmed, Japanese as text), retrieval of
// the rule passages the signals cite, and (when configured) a chat model asked for JSON.
import { readFileSync } from 'node:fs';
import { stemmer } from 'stemmer';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ShishinError } from '../../errors.js';
import { localizedTextSchema, type LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { Logger } from '../../logger.js';
import type { ChatModel } from '../../ports/chat-model.js';
import type { Retriever } from '../../ports/retriever.js';
import type { RuleCitation, Signal } from './classification.js';
import { conditionSchema, evaluateCondition, type Condition } from './condition.js';
import type { IntakeInput } from './intake-schema.js';
import type { CitationReference } from './rules-file.js';

const japanesePattern = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/u;

const termGroupSchema = z.array(z.string().min(1)).min(1);
const patternSchema = z.union([
  z.string().min(1),
  z.object({ near: z.array(termGroupSchema).min(2), within: z.number().int().positive().default(12) }).strict(),
]);

const signalDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    kind: z.enum(['annex_iii_area', 'prohibited_practice', 'other']),
    label: localizedTextSchema(),
    declared_when: conditionSchema,
    cites: z.array(z.object({ source: z.string().min(1), section: z.string().min(1) }).strict()).min(1),
    patterns: z.array(patternSchema).min(1),
  })
  .strict();

const textSignalsFileSchema = z
  .object({
    format: z.literal(1),
    retrieval: z
      .object({ min_score: z.number().min(0).max(1), k: z.number().int().positive().default(6) })
      .strict()
      .default({ min_score: 0.9, k: 6 }),
    signals: z.array(signalDefinitionSchema).min(1),
  })
  .strict();

/** A compiled phrase: stemmed English tokens, or ordered Japanese parts. */
type Phrase = { language: 'en'; terms: Term[] } | { language: 'ja'; parts: string[] };
/** An English term: a word stem matched exactly, or (written `word*`) a prefix of the word itself. */
interface Term {
  value: string;
  prefix: boolean;
}
type CompiledPattern = { kind: 'phrase'; phrase: Phrase } | { kind: 'near'; groups: Phrase[][]; within: number };

export interface SignalDefinition {
  id: string;
  kind: Signal['kind'];
  /** What the signal hints at, in every language. */
  label: LocalizedText;
  declaredWhen: Condition;
  cites: CitationReference[];
  patterns: CompiledPattern[];
}

export interface TextSignalsFile {
  retrieval: { minScore: number; k: number };
  signals: SignalDefinition[];
}

interface Token {
  word: string;
  stem: string;
  start: number;
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    const word = match[0].toLowerCase().replace(/['’]s$/u, '').replace(/['’]/gu, '');
    if (japanesePattern.test(word)) continue;
    tokens.push({ word, stem: stemmer(word), start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

function compilePhrase(text: string): Phrase {
  if (japanesePattern.test(text)) {
    return { language: 'ja', parts: text.normalize('NFKC').split(/\s+/u).filter((part) => part !== '') };
  }
  const terms = text
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word !== '')
    .flatMap((word): Term[] =>
      word.endsWith('*')
        ? [{ value: word.slice(0, -1), prefix: true }]
        : tokenize(word).map((token) => ({ value: token.stem, prefix: false })),
    );
  return { language: 'en', terms };
}

function compilePattern(pattern: z.infer<typeof patternSchema>): CompiledPattern {
  if (typeof pattern === 'string') return { kind: 'phrase', phrase: compilePhrase(pattern) };
  return { kind: 'near', groups: pattern.near.map((group) => group.map(compilePhrase)), within: pattern.within };
}

/** Parses and validates text-signals file text. */
export function parseTextSignals(text: string, origin = 'inline'): TextSignalsFile {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw new ShishinError('config_invalid', `Text signals file ${origin} is not valid YAML`, { cause });
  }
  const parsed = textSignalsFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => {
        const [top, index] = issue.path;
        const signal = top === 'signals' && typeof index === 'number' ? (document as { signals?: { id?: unknown }[] }).signals?.[index] : undefined;
        const where = typeof signal?.id === 'string' ? `signal "${signal.id}" (${issue.path.slice(2).join('.') || 'itself'})` : issue.path.join('.');
        return `${where}: ${issue.message}`;
      })
      .join('; ');
    throw new ShishinError('config_invalid', `Text signals file ${origin} is invalid — ${problems}`, { cause: parsed.error });
  }
  const ids = new Set<string>();
  for (const signal of parsed.data.signals) {
    if (ids.has(signal.id)) throw new ShishinError('config_invalid', `Text signals file ${origin}: signal "${signal.id}" is defined twice`);
    ids.add(signal.id);
  }
  return {
    retrieval: { minScore: parsed.data.retrieval.min_score, k: parsed.data.retrieval.k },
    signals: parsed.data.signals.map((signal) => ({
      id: signal.id,
      kind: signal.kind,
      label: signal.label,
      declaredWhen: signal.declared_when,
      cites: signal.cites,
      patterns: signal.patterns.map(compilePattern),
    })),
  };
}

/** Reads and validates a text-signals file. */
export function loadTextSignals(file: string): TextSignalsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ShishinError('config_invalid', `Cannot read the text signals file ${file}`, { cause });
  }
  return parseTextSignals(text, file);
}

/** A span of the text where a phrase matched. */
interface Span {
  start: number;
  end: number;
  /** Token index (English) or character offset (Japanese), for proximity. */
  position: number;
}

const maximumGapWords = 3;
const maximumGapCharacters = 20;

function findPhrase(phrase: Phrase, text: string, tokens: Token[]): Span[] {
  const spans: Span[] = [];
  if (phrase.language === 'en') {
    const matches = (term: Term, token: Token) => (term.prefix ? token.word.startsWith(term.value) : token.stem === term.value);
    const [first, ...rest] = phrase.terms;
    if (first === undefined) return spans;
    tokens.forEach((token, index) => {
      if (!matches(first, token)) return;
      let last = index;
      for (const term of rest) {
        let found = -1;
        for (let next = last + 1; next <= Math.min(tokens.length - 1, last + 1 + maximumGapWords); next += 1) {
          if (matches(term, tokens[next] as Token)) {
            found = next;
            break;
          }
        }
        if (found < 0) return;
        last = found;
      }
      spans.push({ start: token.start, end: (tokens[last] as Token).end, position: index });
    });
    return spans;
  }
  const [first, ...rest] = phrase.parts;
  if (first === undefined) return spans;
  let from = 0;
  for (;;) {
    const start = text.indexOf(first, from);
    if (start < 0) break;
    let end = start + first.length;
    let matched = true;
    for (const part of rest) {
      const next = text.indexOf(part, end);
      if (next < 0 || next - end > maximumGapCharacters) {
        matched = false;
        break;
      }
      end = next + part.length;
    }
    if (matched) spans.push({ start, end, position: start });
    from = start + 1;
  }
  return spans;
}

function matchPattern(pattern: CompiledPattern, text: string, tokens: Token[]): Span | undefined {
  if (pattern.kind === 'phrase') return findPhrase(pattern.phrase, text, tokens)[0];
  const groupSpans = pattern.groups.map((group) => group.flatMap((phrase) => findPhrase(phrase, text, tokens)));
  const [anchors, ...others] = groupSpans;
  const japanese = pattern.groups.some((group) => group.some((phrase) => phrase.language === 'ja'));
  const window = japanese ? pattern.within * 2 : pattern.within;
  for (const anchor of anchors ?? []) {
    let start = anchor.start;
    let end = anchor.end;
    let matched = true;
    for (const spans of others) {
      const close = spans.find((span) => Math.abs(span.position - anchor.position) <= window);
      if (close === undefined) {
        matched = false;
        break;
      }
      start = Math.min(start, close.start);
      end = Math.max(end, close.end);
    }
    if (matched) return { start, end, position: anchor.position };
  }
  return undefined;
}

/** Text of an intake that the detectors read: title and description, NFKC-normalised. */
export function intakeText(input: Pick<IntakeInput, 'title' | 'description'>): string {
  return `${input.title}.\n${input.description}`.normalize('NFKC');
}

/** What a signal tells the submitter and the reviewers, in `locale` (English when stored with a classification). */
export function signalMessage(definition: Pick<SignalDefinition, 'label'>, evidence: string, locale: Locale = 'en'): string {
  return t(locale, 'classification.signalMessage', { evidence, label: definition.label[locale] });
}

/** Signals whose area or practice the structured answers do not already declare. */
export function undeclaredSignals(file: TextSignalsFile, input: IntakeInput): SignalDefinition[] {
  return file.signals.filter((definition) => !evaluateCondition(definition.declaredWhen, input));
}

/** Lexical detector: the first matching pattern of every undeclared signal. */
export function detectLexicalSignals(
  file: TextSignalsFile,
  input: IntakeInput,
  citationsFor: (definition: SignalDefinition) => RuleCitation[],
): Signal[] {
  const text = intakeText(input);
  const tokens = tokenize(text);
  const signals: Signal[] = [];
  for (const definition of undeclaredSignals(file, input)) {
    for (const pattern of definition.patterns) {
      const span = matchPattern(pattern, text, tokens);
      if (span === undefined) continue;
      const evidence = text.slice(span.start, span.end).replace(/\s+/g, ' ');
      signals.push({
        id: definition.id,
        kind: definition.kind,
        message: signalMessage(definition, evidence),
        evidence,
        detector: 'lexical',
        citations: citationsFor(definition),
      });
      break;
    }
  }
  return signals;
}

/** The sentence of the text that shares the most word stems with a passage, as retrieval evidence. */
function closestSentence(text: string, passageText: string): string {
  const passageStems = new Set(tokenize(passageText).map((token) => token.stem).filter((stem) => stem.length > 3));
  let best = '';
  let bestScore = -1;
  for (const sentence of text.split(/(?<=[.!?。])\s*|\n+/u)) {
    const trimmed = sentence.trim();
    if (trimmed === '') continue;
    const score = tokenize(trimmed).filter((token) => passageStems.has(token.stem)).length;
    if (score > bestScore) {
      best = trimmed;
      bestScore = score;
    }
  }
  return best.length > 160 ? `${best.slice(0, 157)}…` : best;
}

/**
 * Retrieval detector: searches the description among the passages the signals cite; a passage scoring
 * at or above the file's `min_score` adds the signal of the section it belongs to.
 */
export async function detectRetrievalSignals(
  file: TextSignalsFile,
  input: IntakeInput,
  retriever: Retriever,
  citationsFor: (definition: SignalDefinition) => RuleCitation[],
): Promise<Signal[]> {
  const candidates = undeclaredSignals(file, input);
  if (candidates.length === 0) return [];
  const sources = [...new Set(candidates.flatMap((definition) => definition.cites.map((cite) => cite.source)))];
  const text = intakeText(input);
  const results = await retriever.search(text, { k: file.retrieval.k, filter: { source: sources } });
  const signals: Signal[] = [];
  for (const { passage, score } of results) {
    if (score < file.retrieval.minScore) continue;
    const definition = candidates.find((candidate) =>
      candidate.cites.some(
        (cite) =>
          cite.source === passage.source && (passage.section === cite.section || passage.section.startsWith(`${cite.section} › `)),
      ),
    );
    if (definition === undefined || signals.some((signal) => signal.id === definition.id)) continue;
    const evidence = closestSentence(text, passage.text);
    signals.push({
      id: definition.id,
      kind: definition.kind,
      message: signalMessage(definition, evidence),
      evidence,
      detector: 'retrieval',
      citations: citationsFor(definition),
    });
  }
  return signals;
}

const llmAnswerSchema = z.object({
  signals: z.array(z.object({ id: z.string(), evidence: z.string().min(1).max(400) })).max(20),
});

function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/u.exec(text);
  const body = fenced?.[1] ?? text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(body.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

const normalizeForSearch = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').toLowerCase().trim();

/**
 * Chat-model detector: asks for JSON `{"signals":[{"id","evidence"}]}`. Unknown ids, declared areas,
 * evidence not found in the text, malformed output, errors and timeouts are all ignored.
 */
export async function detectChatModelSignals(
  file: TextSignalsFile,
  input: IntakeInput,
  options: {
    chatModel: ChatModel;
    prompt: string;
    timeoutMs: number;
    logger: Logger;
    citationsFor: (definition: SignalDefinition) => RuleCitation[];
  },
): Promise<Signal[]> {
  const candidates = undeclaredSignals(file, input);
  if (candidates.length === 0) return [];
  const catalogue = candidates.map((definition) => `- ${definition.id}: ${definition.label.en}`).join('\n');
  const system = options.prompt.replace('{{signals}}', catalogue);
  const user = JSON.stringify({ title: input.title, description: input.description, declaredDomains: input.domains, declaredPractices: input.practices });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let reply: string;
  try {
    reply = await options.chatModel.complete(
      [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
      { signal: controller.signal, timeoutMs: options.timeoutMs, temperature: 0, maxTokens: 400 },
    );
  } catch (error) {
    options.logger.warn({ err: error, model: options.chatModel.id }, 'chat model signal check failed; ignored');
    return [];
  } finally {
    clearTimeout(timer);
  }
  const parsed = llmAnswerSchema.safeParse(extractJson(reply));
  if (!parsed.success) {
    options.logger.warn({ model: options.chatModel.id, replyLength: reply.length }, 'chat model signal reply was not the expected JSON; ignored');
    return [];
  }
  const haystack = normalizeForSearch(intakeText(input));
  const signals: Signal[] = [];
  for (const item of parsed.data.signals) {
    const definition = candidates.find((candidate) => candidate.id === item.id);
    if (definition === undefined || signals.some((signal) => signal.id === item.id)) continue;
    const evidence = item.evidence.normalize('NFKC').replace(/\s+/g, ' ').trim();
    if (!haystack.includes(normalizeForSearch(evidence))) continue;
    signals.push({
      id: definition.id,
      kind: definition.kind,
      message: signalMessage(definition, evidence),
      evidence,
      detector: 'llm',
      citations: options.citationsFor(definition),
    });
  }
  return signals;
}
