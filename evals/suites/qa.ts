// Question-answering evaluation on evals/qa-gold.jsonl (tuned on) and evals/qa-holdout.jsonl (never
// tuned on). Builds a fresh index from corpus/ in a temp folder. First, what the reader gets from the
// shipped default, per set and language: facts in the answer text itself, whether the answer leads
// with an expected passage, off-topic and fragment sentences, abstention both ways, length — beside
// a plain "BM25 top-3 passages" row, the search box the answers must beat. Then retrieval by system
// (BM25 only, dense only, hybrid, the LangChain default recipe) and the retrieval ceilings.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import type { AnswerDetails } from '../../src/core/answer/answer.js';
import { createAnswerService } from '../../src/core/answer/answer-service.js';
import type { AnswerStrategy } from '../../src/core/answer/answer-strategy.js';
import { answerSentences, fragmentCount, leadCitation, median, readerWords } from '../reader-checks.js';
import type { SectionCatalog } from '../../src/core/answer/section-context.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Embedder } from '../../src/ports/embedder.js';
import type { Passage, ScoredPassage } from '../../src/ports/passage.js';
import type { Retriever } from '../../src/ports/retriever.js';
import { createEmbedder } from '../../src/providers/embeddings/create-embedder.js';
import { CorpusIndex, type SearchMode } from '../../src/providers/index/corpus-index.js';

const repositoryRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const goldItemSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  language: z.enum(['en', 'ja']),
  type: z.enum(['paraphrase', 'direct', 'multi_passage', 'unanswerable']),
  expected: z.array(z.object({ source: z.string(), section: z.string() })),
  facts: z.array(z.string()).default([]),
  /** `chat`: written the way people type in chat (informal, situational, abbreviations, typos). */
  style: z.string().optional(),
});
export type GoldItem = z.infer<typeof goldItemSchema>;

export type SystemName = 'bm25' | 'dense' | 'hybrid' | 'langchain';

export const systemLabels: Record<SystemName, string> = {
  bm25: 'BM25 only',
  dense: 'Dense only',
  hybrid: 'Hybrid (shipped default)',
  langchain: 'LangChain default recipe',
};


export interface QaEvalOptions {
  corpusDir?: string;
  goldFile?: string;
  systems?: SystemName[];
  logger?: Logger;
  /** Also run the ablations (hybrid without the lexicon) and the retrieval ceilings. Default true. */
  ablations?: boolean;
}

export interface ItemOutcome {
  id: string;
  type: GoldItem['type'];
  language: GoldItem['language'];
  answerable: boolean;
  rank: number | undefined;
  recallAt1: number;
  recallAt5: number;
  grounded: boolean;
  factHit: boolean;
  factShare: number;
  /** Every fact appears in the answer text itself (quotes not counted). */
  answerTextFactHit: boolean;
  /** For answerable questions: why facts are missing, or `hit`. */
  miss?: MissCause;
  invalidCitations: number;
  answerMs: number;
  style?: string;
  /** The answer's first cited passage lies in an expected section (answered answerable questions). */
  leadHit?: boolean;
  /** Sentences of the answer citing a section the question does not expect (answered answerable questions). */
  offTopicSentences?: number;
  /** Sentences of the answer that cannot stand on their own (grounded answers). */
  fragments: number;
  /** Words of the answer text (grounded answers). */
  words: number;
  /** Every expected fact in the text of the top three BM25 passages (the "search box" baseline). */
  searchBoxFactHit?: boolean;
}

/**
 * Where an answerable question's facts were lost: `abstained` (answered "not covered"), `retrieval`
 * (an expected section is not among the top 3 results), `selection` (retrieved in the top 3 but not
 * cited), `extraction` (every expected section cited, yet a fact is not in the answer text).
 */
export type MissCause = 'hit' | 'abstained' | 'retrieval' | 'selection' | 'extraction';
export const missCauseLabels: Record<MissCause, string> = {
  hit: 'every fact found',
  abstained: 'abstained (answered "not covered")',
  retrieval: 'retrieval: an expected section not in the top 3 results',
  selection: 'selection: retrieved in the top 3 but not cited',
  extraction: 'extraction: expected sections cited, a fact not in the answer text',
};

/** What the reader gets, over one group of questions (see evals/reader-checks.ts). */
export interface ReaderMetrics {
  questions: number;
  answerable: number;
  /** Every expected fact in the answer text itself (quotes not counted), over answerable questions. */
  answerFactHit: number;
  /** The first cited passage is from an expected section, over answered answerable questions. */
  leadPrecision: number;
  /** Sentences citing a section the question does not expect, per answered answerable question. */
  offTopicPerAnswer: number;
  /** Share of grounded answers with at least one sentence that cannot stand on its own. */
  fragmentRate: number;
  /** Answerable questions answered "not covered", as a share of answerable questions. */
  falseAbstention: number;
  /** Unanswerable questions answered "not covered", as a share of unanswerable questions. */
  correctAbstention: number;
  /** Of the questions answered "not covered", the share that were indeed unanswerable. */
  abstentionPrecision: number;
  /** Median words of grounded answers. */
  medianWords: number;
  invalidCitations: number;
  /** Every expected fact in the top three BM25 passages, over answerable questions (the baseline row). */
  searchBoxFactHit?: number;
}

export interface SystemResult {
  system: SystemName;
  label: string;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  factHitRate: number;
  factShare: number;
  /** Fact-hit counting the answer text only (no quotes). */
  answerTextFactHitRate: number;
  abstentionAccuracy: number;
  invalidCitations: number;
  meanAnswerMs: number;
  reader: ReaderMetrics;
  items: ItemOutcome[];
  note?: string;
}

export interface QaEvalResult {
  questions: number;
  answerable: number;
  relevanceThreshold: number;
  systems: SystemResult[];
  /** Fact-hit ceilings: every fact somewhere in the whole top-k retrieved passages or sections (hybrid). */
  ceilings?: Array<{ text: string; factHitRate: number; factShare: number }>;
}

export async function loadGold(file: string): Promise<GoldItem[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      const parsed = goldItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      return parsed.data;
    });
}

/** A passage matches an expected location when the source is equal and the section equals or lies under it. */
export function matchesExpected(passage: Pick<Passage, 'source' | 'section'>, expected: { source: string; section: string }): boolean {
  const source = passage.source.replace(/\\/gu, '/');
  if (source !== expected.source && !source.endsWith(`/${expected.source}`)) return false;
  if (expected.section === '') return true;
  const section = passage.section.trim();
  return section === expected.section || section.startsWith(`${expected.section} › `) || section.startsWith(`${expected.section} > `);
}

function recallAt(results: ScoredPassage[], expected: GoldItem['expected'], k: number): number {
  if (expected.length === 0) return 0;
  const top = results.slice(0, k);
  const found = expected.filter((location) => top.some((item) => matchesExpected(item.passage, location))).length;
  return found / expected.length;
}

function firstHitRank(results: ScoredPassage[], expected: GoldItem['expected']): number | undefined {
  const index = results.findIndex((item) => expected.some((location) => matchesExpected(item.passage, location)));
  return index === -1 ? undefined : index + 1;
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();

/** Share of facts found (case-insensitive) in the answer text or the top-3 citation quotes. */
export function factShare(answer: Pick<AnswerDetails, 'answer' | 'citations'>, facts: string[]): number {
  if (facts.length === 0) return 1;
  const haystack = normalise([answer.answer, ...answer.citations.slice(0, 3).map((citation) => citation.quote)].join('\n'));
  return facts.filter((fact) => haystack.includes(normalise(fact))).length / facts.length;
}

/** Markers without a citation, plus citations whose quote is not inside a known passage text. */
export function invalidCitationCount(answer: Pick<AnswerDetails, 'answer' | 'citations'>, passageTexts: string[]): number {
  const numbers = new Set(answer.citations.map((citation) => citation.n));
  let invalid = 0;
  for (const match of answer.answer.matchAll(/\[(\d+)\]/gu)) if (!numbers.has(Number(match[1]))) invalid += 1;
  for (const citation of answer.citations) {
    const quote = normalise(citation.quote);
    if (quote === '' || !passageTexts.some((text) => text.includes(quote))) invalid += 1;
  }
  return invalid;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

/** Wraps a retriever to remember every passage text it returned (for the quote check) and the question's ranking. */
function recording(retriever: Retriever) {
  const texts = new Set<string>();
  let first: ScoredPassage[] | undefined;
  return {
    texts,
    /** The ranking of the whole question: the first search since `reset` (parts of a question come after). */
    last: () => first ?? [],
    reset: () => {
      first = undefined;
    },
    retriever: {
      async search(query, options) {
        const results = await retriever.search(query, options);
        first ??= results;
        for (const item of results) texts.add(normalise(item.passage.text));
        return results;
      },
    } satisfies Retriever,
  };
}

async function evaluateSystem(
  system: SystemName,
  retriever: Retriever,
  gold: GoldItem[],
  context: { threshold: number; indexTexts: string[]; embedder: Embedder; logger: Logger; strategy?: Partial<AnswerStrategy>; catalog?: SectionCatalog; searchBox?: Retriever },
): Promise<SystemResult> {
  const recorder = recording(retriever);
  const service = createAnswerService({
    retriever: recorder.retriever,
    relevanceThreshold: context.threshold,
    promptsDir: path.join(repositoryRoot, 'prompts'),
    logger: context.logger,
    embedder: context.embedder,
    ...(context.catalog !== undefined ? { catalog: context.catalog } : {}),
    ...(context.strategy !== undefined ? { strategy: context.strategy } : {}),
  });
  const items: ItemOutcome[] = [];
  for (const item of gold) {
    recorder.reset();
    const started = performance.now();
    const answer = await service.ask({ question: item.question, channel: 'eval' });
    const answerMs = performance.now() - started;
    const ranking = recorder.last();
    const answerable = item.type !== 'unanswerable';
    const share = answerable && answer.grounded ? factShare(answer, item.facts) : 0;
    const factHit = answerable && answer.grounded && share === 1;
    const answerTextFactHit = answerable && answer.grounded && factShare({ answer: answer.answer, citations: [] }, item.facts) === 1;
    let miss: MissCause | undefined;
    if (answerable) {
      if (answerTextFactHit) miss = 'hit';
      else if (!answer.grounded) miss = 'abstained';
      else if (recallAt(ranking, item.expected, 3) < 1) miss = 'retrieval';
      else if (!item.expected.every((location) => answer.citations.slice(0, 3).some((citation) => matchesExpected(citation, location)))) miss = 'selection';
      else miss = 'extraction';
    }
    const outcome: ItemOutcome = {
      id: item.id,
      type: item.type,
      language: item.language,
      answerable,
      rank: answerable ? firstHitRank(ranking, item.expected) : undefined,
      recallAt1: answerable ? recallAt(ranking, item.expected, 1) : 0,
      recallAt5: answerable ? recallAt(ranking, item.expected, 5) : 0,
      grounded: answer.grounded,
      factHit,
      factShare: share,
      answerTextFactHit,
      ...(miss !== undefined ? { miss } : {}),
      invalidCitations: invalidCitationCount(answer, [...context.indexTexts, ...recorder.texts]),
      answerMs,
      ...(item.style !== undefined ? { style: item.style } : {}),
      fragments: answer.grounded ? fragmentCount(answer.answer, answer.citations) : 0,
      words: answer.grounded ? readerWords(answer.answer) : 0,
    };
    if (answerable && answer.grounded) {
      const lead = leadCitation(answer.answer, answer.citations);
      outcome.leadHit = lead !== undefined && item.expected.some((location) => matchesExpected(lead, location));
      outcome.offTopicSentences = answerSentences(answer.answer).filter((sentence) => {
        const citation = answer.citations.find((entry) => entry.n === sentence.n);
        return citation === undefined || !item.expected.some((location) => matchesExpected(citation, location));
      }).length;
    }
    if (answerable && context.searchBox !== undefined) {
      const top = await context.searchBox.search(item.question, { k: 3 });
      outcome.searchBoxFactHit = factShare({ answer: top.map((result) => result.passage.text).join('\n'), citations: [] }, item.facts) === 1;
    }
    items.push(outcome);
  }
  return summarise(system, items);
}

/** The reader's figures over a group of outcomes. */
export function readerMetrics(items: ItemOutcome[]): ReaderMetrics {
  const answerable = items.filter((item) => item.answerable);
  const unanswerable = items.filter((item) => !item.answerable);
  const answered = answerable.filter((item) => item.grounded);
  const grounded = items.filter((item) => item.grounded);
  const abstained = items.filter((item) => !item.grounded);
  const searchBox = answerable.filter((item) => item.searchBoxFactHit !== undefined);
  return {
    questions: items.length,
    answerable: answerable.length,
    answerFactHit: round(mean(answerable.map((item) => (item.answerTextFactHit ? 1 : 0)))),
    leadPrecision: round(mean(answered.map((item) => (item.leadHit === true ? 1 : 0)))),
    offTopicPerAnswer: round(mean(answered.map((item) => item.offTopicSentences ?? 0)), 2),
    fragmentRate: round(mean(grounded.map((item) => (item.fragments > 0 ? 1 : 0)))),
    falseAbstention: round(mean(answerable.map((item) => (item.grounded ? 0 : 1)))),
    correctAbstention: round(mean(unanswerable.map((item) => (item.grounded ? 0 : 1)))),
    abstentionPrecision: round(abstained.length === 0 ? 1 : abstained.filter((item) => !item.answerable).length / abstained.length),
    medianWords: median(grounded.map((item) => item.words)),
    invalidCitations: items.reduce((sum, item) => sum + item.invalidCitations, 0),
    ...(searchBox.length > 0 ? { searchBoxFactHit: round(mean(searchBox.map((item) => (item.searchBoxFactHit === true ? 1 : 0)))) } : {}),
  };
}

function summarise(system: SystemName, items: ItemOutcome[]): SystemResult {
  const answerable = items.filter((item) => item.answerable);
  return {
    system,
    label: systemLabels[system],
    recallAt1: round(mean(answerable.map((item) => item.recallAt1))),
    recallAt5: round(mean(answerable.map((item) => item.recallAt5))),
    mrr: round(mean(answerable.map((item) => (item.rank === undefined ? 0 : 1 / item.rank)))),
    factHitRate: round(mean(answerable.map((item) => (item.factHit ? 1 : 0)))),
    factShare: round(mean(answerable.map((item) => item.factShare))),
    answerTextFactHitRate: round(mean(answerable.map((item) => (item.answerTextFactHit ? 1 : 0)))),
    abstentionAccuracy: round(mean(items.map((item) => (item.grounded === item.answerable ? 1 : 0)))),
    invalidCitations: items.reduce((sum, item) => sum + item.invalidCitations, 0),
    meanAnswerMs: round(mean(items.map((item) => item.answerMs)), 1),
    reader: readerMetrics(items),
    items,
  };
}

async function langchainRetriever(corpusDir: string, embedder: Embedder): Promise<Retriever | string> {
  try {
    const module = (await import('../baselines/langchain-default.js')) as { buildLangchainBaseline(corpusDir: string, embedder: Embedder): Promise<Retriever> };
    return await module.buildLangchainBaseline(corpusDir, embedder);
  } catch (error) {
    return `LangChain baseline unavailable: ${(error as Error).message}`;
  }
}

/** Runs the QA evaluation and returns structured figures (used by the floors test and the suite). */
export async function runQaEval(options: QaEvalOptions = {}): Promise<QaEvalResult> {
  const corpusDir = path.resolve(options.corpusDir ?? path.join(repositoryRoot, 'corpus'));
  const goldFile = path.resolve(options.goldFile ?? path.join(repositoryRoot, 'evals', 'qa-gold.jsonl'));
  const systems = options.systems ?? ['bm25', 'dense', 'hybrid', 'langchain'];
  const logger = options.logger ?? silentLogger();
  const gold = await loadGold(goldFile);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-qa-eval-'));
  try {
    // Offline and reproducible whatever the caller's environment: the local embedder.
    const config = loadConfig({}, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir });
    const embedder = await createEmbedder(config);
    const index = await CorpusIndex.open({ dataDir, corpusDir, embedder, logger, autoIngest: true });
    const indexTexts = index.allPassages().map((passage) => normalise(passage.text));
    const threshold = index.relevanceThreshold;
    // The plain search box the answers must beat: the top three BM25 passages, shown whole.
    const searchBox: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode: 'bm25', expand: false }) };
    const results: SystemResult[] = [];
    for (const system of systems) {
      if (system === 'langchain') {
        const baseline = await langchainRetriever(corpusDir, embedder);
        if (typeof baseline === 'string') {
          results.push({ ...summarise('langchain', []), note: baseline });
          continue;
        }
        // The default recipe has no calibrated "covered" score: it always answers from its top hits.
        const result = await evaluateSystem('langchain', baseline, gold, { threshold: Number.NEGATIVE_INFINITY, indexTexts, embedder, logger, strategy: { coverage: 'always' } });
        results.push({ ...result, note: 'no abstention in the recipe: always answers from its top passages' });
        continue;
      }
      const mode: SearchMode = system;
      const retriever: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode }) };
      results.push(await evaluateSystem(system, retriever, gold, { threshold, indexTexts, embedder, logger, catalog: index, ...(system === 'hybrid' ? { searchBox } : {}) }));
      if (system === 'hybrid' && options.ablations !== false) {
        // The same system with the governance lexicon off (no query expansion, no related terms in the extract).
        const plain: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode, expand: false }) };
        const result = await evaluateSystem('hybrid', plain, gold, { threshold, indexTexts, embedder, logger, catalog: index, strategy: { relatedTerms: false } });
        results.push({ ...result, label: 'Hybrid without the governance lexicon' });
      }
    }
    const outcome: QaEvalResult = { questions: gold.length, answerable: gold.filter((item) => item.type !== 'unanswerable').length, relevanceThreshold: threshold, systems: results };
    if (options.ablations !== false) {
      const hybrid: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode: 'hybrid' }) };
      const answerableGold = gold.filter((item) => item.type !== 'unanswerable');
      const ceilings: NonNullable<QaEvalResult['ceilings']> = [];
      // Ceiling for any extract: every fact somewhere in the top-k retrieved passages, then in the whole top-k sections.
      for (const k of [1, 3, 5]) {
        let hits = 0;
        let share = 0;
        for (const item of answerableGold) {
          const found = factShare({ answer: (await hybrid.search(item.question, { k })).map((result) => result.passage.text).join('\n'), citations: [] }, item.facts);
          share += found;
          if (found === 1) hits += 1;
        }
        ceilings.push({ text: `whole top-${k} passages`, factHitRate: round(hits / answerableGold.length), factShare: round(share / answerableGold.length) });
      }
      for (const k of [1, 3, 5]) {
        let hits = 0;
        let share = 0;
        for (const item of answerableGold) {
          const sections: Array<{ source: string; section: string }> = [];
          for (const result of await hybrid.search(item.question, { k: 20 })) {
            if (sections.length >= k) break;
            if (!sections.some((entry) => entry.source === result.passage.source && entry.section === result.passage.section)) sections.push(result.passage);
          }
          const text = sections.flatMap((entry) => index.findSection(entry.source, entry.section).filter((passage) => passage.section === entry.section).map((passage) => passage.text)).join('\n');
          const found = factShare({ answer: text, citations: [] }, item.facts);
          share += found;
          if (found === 1) hits += 1;
        }
        ceilings.push({ text: `whole top-${k} sections`, factHitRate: round(hits / answerableGold.length), factShare: round(share / answerableGold.length) });
      }
      outcome.ceilings = ceilings;
    }
    return outcome;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function systemRow(system: SystemResult): Record<string, string | number> {
  return {
    system: system.label,
    'recall@1': system.recallAt1,
    'recall@5': system.recallAt5,
    MRR: system.mrr,
    'answer fact-hit': system.answerTextFactHitRate,
    'fact-hit incl. quotes': system.factHitRate,
    abstention: system.abstentionAccuracy,
    'invalid citations': system.invalidCitations,
    'mean ms': system.meanAnswerMs,
    ...(system.note !== undefined ? { note: system.note } : {}),
  };
}

function missTable(caption: string, system: SystemResult, listIds = true): { caption: string; rows: Array<Record<string, string | number>> } {
  const answerable = system.items.filter((item) => item.answerable);
  const causes = Object.keys(missCauseLabels) as MissCause[];
  return {
    caption,
    rows: causes.map((cause) => {
      const items = answerable.filter((item) => item.miss === cause);
      return {
        outcome: missCauseLabels[cause],
        questions: items.length,
        share: round(items.length / Math.max(1, answerable.length)),
        ...(cause === 'hit' || !listIds ? {} : { ids: items.map((item) => item.id).join(' ') }),
      };
    }),
  };
}

/** The groups the reader's table reports: all questions, each language, and the chat-style questions. */
export function readerGroups(items: ItemOutcome[]): Array<[string, ItemOutcome[]]> {
  const groups: Array<[string, ItemOutcome[]]> = [
    ['all', items],
    ['English', items.filter((item) => item.language === 'en')],
    ['Japanese', items.filter((item) => item.language === 'ja')],
    ['chat-style (new)', items.filter((item) => item.style === 'chat')],
  ];
  return groups.filter(([, group]) => group.length > 0);
}

function readerRows(set: string, hybrid: SystemResult): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const [group, items] of readerGroups(hybrid.items)) {
    const reader = readerMetrics(items);
    rows.push({
      set,
      questions: group,
      n: reader.questions,
      'answer fact-hit': reader.answerFactHit,
      'BM25 top-3 passages': reader.searchBoxFactHit ?? '—',
      'lead precision': reader.leadPrecision,
      'off-topic / answer': reader.offTopicPerAnswer,
      'fragment rate': reader.fragmentRate,
      'false abstention': reader.falseAbstention,
      'correct abstention': items.some((item) => !item.answerable) ? reader.correctAbstention : '—',
      'median words': reader.medianWords,
      'invalid citations': reader.invalidCitations,
    });
  }
  return rows;
}

/** Metrics for latest.json and the floors: `<set>.<group>.<metric>` for the shipped default. */
function readerMetricEntries(set: string, hybrid: SystemResult): Record<string, number> {
  const entries: Record<string, number> = {};
  const keys: Record<string, string> = { all: 'all', English: 'en', Japanese: 'ja', 'chat-style (new)': 'chat' };
  for (const [group, items] of readerGroups(hybrid.items)) {
    const reader = readerMetrics(items);
    for (const [name, value] of Object.entries(reader)) if (typeof value === 'number') entries[`${set}.${keys[group] ?? group}.${name}`] = value;
  }
  return entries;
}

/** Suite entry point for evals/run.ts. */
export async function run(options: QaEvalOptions = {}) {
  const result = await runQaEval(options);
  const metrics: Record<string, number> = { questions: result.questions, relevanceThreshold: result.relevanceThreshold };
  const hybrid = result.systems.find((system) => system.system === 'hybrid');
  const tables: Array<{ caption: string; rows: Array<Record<string, string | number>> }> = [];
  const holdoutFile = path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl');
  // The held-out set is never tuned on: it only checks that gains on the gold set generalise.
  const holdout = options.goldFile === undefined && existsSync(holdoutFile) ? await runQaEval({ ...options, goldFile: holdoutFile, systems: ['bm25', 'dense', 'hybrid'], ablations: false }) : undefined;
  const holdoutHybrid = holdout?.systems.find((system) => system.system === 'hybrid');
  if (hybrid !== undefined) {
    tables.push({
      caption:
        'What the reader gets (shipped default: hybrid retrieval, offline extractive answers). Answer fact-hit counts facts in the answer text only; "BM25 top-3 passages" is the same measure on the whole text of the top three BM25 passages (a plain search box)',
      rows: [...readerRows('gold', hybrid), ...(holdoutHybrid !== undefined ? readerRows('held-out', holdoutHybrid) : [])],
    });
    Object.assign(metrics, readerMetricEntries('gold', hybrid));
    if (holdoutHybrid !== undefined) Object.assign(metrics, readerMetricEntries('holdout', holdoutHybrid));
  }
  tables.push({
    caption: `Retrieval and answers by system on ${result.questions} gold questions (${result.answerable} answerable); relevance threshold ${result.relevanceThreshold}`,
    rows: result.systems.map((system) => systemRow(system)),
  });
  if (holdout !== undefined) {
    tables.push({
      caption: `Held-out set (evals/qa-holdout.jsonl): ${holdout.questions} questions (${holdout.answerable} answerable), by system, never tuned on`,
      rows: holdout.systems.map((system) => systemRow(system)),
    });
  }
  if (hybrid !== undefined) tables.push(missTable('Where facts were lost (hybrid, gold, answerable questions): first failing stage', hybrid));
  if (holdoutHybrid !== undefined) tables.push(missTable('Where facts were lost on the held-out set (hybrid)', holdoutHybrid, false));
  if (result.ceilings !== undefined) {
    tables.push({
      caption: 'Retrieval ceiling on the gold set: every fact somewhere in the whole top-k retrieved text (hybrid)',
      rows: result.ceilings.map((row) => ({ 'retrieved text': row.text, 'fact-hit': row.factHitRate, 'facts found': row.factShare })),
    });
  }
  for (const [set, outcome] of [['gold', result], ['holdout', holdout]] as const) {
    for (const system of outcome?.systems ?? []) {
      const prefix = `${set}.system.${system.system}${system.label.includes('without') ? '-plain' : ''}`;
      metrics[`${prefix}.recallAt1`] = system.recallAt1;
      metrics[`${prefix}.recallAt5`] = system.recallAt5;
      metrics[`${prefix}.mrr`] = system.mrr;
      metrics[`${prefix}.answerFactHit`] = system.answerTextFactHitRate;
    }
  }
  return { title: 'Question answering (evals/qa-gold.jsonl, evals/qa-holdout.jsonl)', tables, metrics };
}
