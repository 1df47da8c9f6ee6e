// Question-answering evaluation on evals/qa-gold.jsonl. Builds a fresh index from corpus/ in a temp
// folder and compares, side by side, BM25 only, dense only, hybrid (the shipped default) and the
// LangChain default recipe: recall@1, recall@5, MRR, fact-hit rate, abstention accuracy and invalid
// citations. Every system answers through the same answer service (extractive, no LLM), so the
// differences come from retrieval. Also measures the coverage rule with and without the term-overlap
// check, on the whole gold set.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import type { AnswerDetails } from '../../src/core/answer/answer.js';
import { createAnswerService, type AnswerServiceOptions } from '../../src/core/answer/answer-service.js';
import { defaultMinTermOverlap } from '../../src/core/answer/coverage.js';
import { defaultExtractWords } from '../../src/core/answer/extractive-answer.js';
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
});
export type GoldItem = z.infer<typeof goldItemSchema>;

export type SystemName = 'bm25' | 'dense' | 'hybrid' | 'langchain';

export const systemLabels: Record<SystemName, string> = {
  bm25: 'BM25 only',
  dense: 'Dense only',
  hybrid: 'Hybrid (shipped default)',
  langchain: 'LangChain default recipe',
};

/** Coverage settings of the answer service that the evaluation compares. */
type CoverageSettings = Pick<AnswerServiceOptions, 'minTermOverlap' | 'checkNames' | 'thresholdScale' | 'extractWords' | 'relatedTerms'>;

export interface QaEvalOptions {
  corpusDir?: string;
  goldFile?: string;
  systems?: SystemName[];
  logger?: Logger;
  /** Also compare coverage rules and extract budgets (hybrid only). Default true. */
  coverageAblation?: boolean;
}

export interface BudgetRow {
  budget: string;
  factHitRate: number;
  factShare: number;
  answerTextFactHitRate?: number;
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
}

/**
 * Where an answerable question's facts were lost: `abstained` (answered "not covered"), `retrieval`
 * (an expected section is not among the top 3 results), `selection` (retrieved in the top 3 but not
 * cited), `extraction` (every expected section cited, yet a fact is in neither the answer nor a quote).
 */
export type MissCause = 'hit' | 'abstained' | 'retrieval' | 'selection' | 'extraction';
export const missCauseLabels: Record<MissCause, string> = {
  hit: 'every fact found',
  abstained: 'abstained (answered "not covered")',
  retrieval: 'retrieval: an expected section not in the top 3 results',
  selection: 'selection: retrieved in the top 3 but not cited',
  extraction: 'extraction: expected sections cited, a fact in neither answer nor quotes',
};

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
  items: ItemOutcome[];
  note?: string;
}

export interface QaEvalResult {
  questions: number;
  answerable: number;
  relevanceThreshold: number;
  systems: SystemResult[];
  coverageAblation?: Array<{ rule: string; abstentionAccuracy: number; factHitRate: number; falseAbstentions: number; missedAbstentions: number }>;
  /** Fact-hit of hybrid by extract word budget, and the ceiling of quoting whole top passages. */
  budgets?: BudgetRow[];
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
  context: { threshold: number; indexTexts: string[]; embedder: Embedder; logger: Logger; coverage?: CoverageSettings; catalog?: SectionCatalog },
): Promise<SystemResult> {
  const recorder = recording(retriever);
  const service = createAnswerService({
    retriever: recorder.retriever,
    relevanceThreshold: context.threshold,
    promptsDir: path.join(repositoryRoot, 'prompts'),
    logger: context.logger,
    embedder: context.embedder,
    ...(context.catalog !== undefined ? { catalog: context.catalog } : {}),
    ...context.coverage,
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
    let miss: MissCause | undefined;
    if (answerable) {
      if (factHit) miss = 'hit';
      else if (!answer.grounded) miss = 'abstained';
      else if (recallAt(ranking, item.expected, 3) < 1) miss = 'retrieval';
      else if (!item.expected.every((location) => answer.citations.slice(0, 3).some((citation) => matchesExpected(citation, location)))) miss = 'selection';
      else miss = 'extraction';
    }
    items.push({
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
      answerTextFactHit: answerable && answer.grounded && factShare({ answer: answer.answer, citations: [] }, item.facts) === 1,
      ...(miss !== undefined ? { miss } : {}),
      invalidCitations: invalidCitationCount(answer, [...context.indexTexts, ...recorder.texts]),
      answerMs,
    });
  }
  return summarise(system, items);
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
    const results: SystemResult[] = [];
    for (const system of systems) {
      if (system === 'langchain') {
        const baseline = await langchainRetriever(corpusDir, embedder);
        if (typeof baseline === 'string') {
          results.push({ ...summarise('langchain', []), note: baseline });
          continue;
        }
        // The default recipe has no calibrated "covered" score: it always answers from its top hits.
        const result = await evaluateSystem('langchain', baseline, gold, {
          threshold: Number.NEGATIVE_INFINITY,
          indexTexts,
          embedder,
          logger,
          coverage: { minTermOverlap: 0, checkNames: false },
        });
        results.push({ ...result, note: 'no abstention in the recipe: always answers from its top passages' });
        continue;
      }
      const mode: SearchMode = system;
      const retriever: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode }) };
      results.push(await evaluateSystem(system, retriever, gold, { threshold, indexTexts, embedder, logger, catalog: index }));
      if (system === 'hybrid') {
        // The same system with the governance lexicon off (no query expansion, no related terms in the extract).
        const plain: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode, expand: false }) };
        const result = await evaluateSystem('hybrid', plain, gold, { threshold, indexTexts, embedder, logger, catalog: index, coverage: { relatedTerms: null } });
        results.push({ ...result, label: 'Hybrid without the governance lexicon' });
      }
    }
    const outcome: QaEvalResult = { questions: gold.length, answerable: gold.filter((item) => item.type !== 'unanswerable').length, relevanceThreshold: threshold, systems: results };
    if (options.coverageAblation ?? true) {
      const hybrid: Retriever = { search: (query, searchOptions) => index.search(query, { ...searchOptions, mode: 'hybrid' }) };
      const rows = [];
      const rules: Array<[string, CoverageSettings]> = [
        ['score ≥ threshold', { minTermOverlap: 0, checkNames: false, thresholdScale: {} }],
        ['+ Japanese questions judged on the lexical half (threshold × 0.5)', { minTermOverlap: 0, checkNames: false }],
        [`+ term overlap ≥ ${defaultMinTermOverlap}`, { checkNames: false }],
        ['+ names in the question must appear in the top passages (shipped)', {}],
      ];
      for (const [rule, coverage] of rules) {
        const result = await evaluateSystem('hybrid', hybrid, gold, { threshold, indexTexts, embedder, logger, coverage, catalog: index });
        rows.push({
          rule,
          abstentionAccuracy: result.abstentionAccuracy,
          factHitRate: result.factHitRate,
          falseAbstentions: result.items.filter((item) => item.answerable && !item.grounded).length,
          missedAbstentions: result.items.filter((item) => !item.answerable && item.grounded).length,
        });
      }
      outcome.coverageAblation = rows;
      const budgets: BudgetRow[] = [];
      for (const words of [80, 100, defaultExtractWords, 200]) {
        const result = await evaluateSystem('hybrid', hybrid, gold, { threshold, indexTexts, embedder, logger, coverage: { extractWords: words }, catalog: index });
        budgets.push({
          budget: `extract of ${words} words${words === defaultExtractWords ? ' (shipped)' : ''}`,
          factHitRate: result.factHitRate,
          factShare: result.factShare,
          answerTextFactHitRate: result.answerTextFactHitRate,
        });
      }
      // Ceiling for any extract: every fact somewhere in the top-k retrieved passages.
      const answerableGold = gold.filter((item) => item.type !== 'unanswerable');
      for (const k of [1, 3, 5]) {
        let hits = 0;
        let share = 0;
        for (const item of answerableGold) {
          const results = await hybrid.search(item.question, { k });
          const found = factShare({ answer: results.map((result) => result.passage.text).join('\n'), citations: [] }, item.facts);
          share += found;
          if (found === 1) hits += 1;
        }
        budgets.push({ budget: `ceiling: whole top-${k} passages`, factHitRate: round(hits / answerableGold.length), factShare: round(share / answerableGold.length) });
      }
      // The same ceiling at the level an extract reads: the whole text of the top-k distinct sections.
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
        budgets.push({ budget: `ceiling: whole top-${k} sections`, factHitRate: round(hits / answerableGold.length), factShare: round(share / answerableGold.length) });
      }
      outcome.budgets = budgets;
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
    'fact-hit': system.factHitRate,
    'facts found': system.factShare,
    'fact-hit, answer text only': system.answerTextFactHitRate,
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

/** Suite entry point for evals/run.ts. */
export async function run(options: QaEvalOptions = {}) {
  const result = await runQaEval(options);
  const metrics: Record<string, number> = { questions: result.questions, relevanceThreshold: result.relevanceThreshold };
  const tables: Array<{ caption: string; rows: Array<Record<string, string | number>> }> = [
    {
      caption: `Retrieval and answers on ${result.questions} gold questions (${result.answerable} answerable); extractive answers; relevance threshold ${result.relevanceThreshold}`,
      rows: result.systems.map((system) => systemRow(system)),
    },
  ];
  const hybrid = result.systems.find((system) => system.system === 'hybrid');
  if (hybrid !== undefined) {
    const groups = new Map<string, ItemOutcome[]>();
    for (const item of hybrid.items) {
      for (const key of [`type: ${item.type}`, `language: ${item.language}`]) groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    tables.push({
      caption: 'Hybrid (shipped default) by question type and language',
      rows: [...groups.entries()].map(([group, items]) => {
        const answerable = items.filter((item) => item.answerable);
        return {
          group,
          questions: items.length,
          'recall@5': answerable.length === 0 ? '—' : round(mean(answerable.map((item) => item.recallAt5))),
          'fact-hit': answerable.length === 0 ? '—' : round(mean(answerable.map((item) => (item.factHit ? 1 : 0)))),
          abstention: round(mean(items.map((item) => (item.grounded === item.answerable ? 1 : 0)))),
        };
      }),
    });
    tables.push(missTable('Where facts were lost (hybrid, answerable questions): first failing stage', hybrid));
  }
  const holdoutFile = path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl');
  if (options.goldFile === undefined && existsSync(holdoutFile)) {
    // The held-out set is never tuned on: it only checks that gains on the gold set generalise.
    const holdout = await runQaEval({ ...options, goldFile: holdoutFile, systems: ['bm25', 'dense', 'hybrid'], coverageAblation: false });
    tables.push({
      caption: `Held-out set (evals/qa-holdout.jsonl): ${holdout.questions} questions (${holdout.answerable} answerable), same metrics, never tuned on`,
      rows: holdout.systems.map((system) => systemRow(system)),
    });
    const holdoutHybrid = holdout.systems.find((system) => system.system === 'hybrid');
    if (holdoutHybrid !== undefined) {
      tables.push(missTable('Where facts were lost on the held-out set (hybrid)', holdoutHybrid, false));
      metrics['holdout.hybrid.recallAt1'] = holdoutHybrid.recallAt1;
      metrics['holdout.hybrid.recallAt5'] = holdoutHybrid.recallAt5;
      metrics['holdout.hybrid.mrr'] = holdoutHybrid.mrr;
      metrics['holdout.hybrid.factHitRate'] = holdoutHybrid.factHitRate;
      metrics['holdout.hybrid.abstentionAccuracy'] = holdoutHybrid.abstentionAccuracy;
      metrics['holdout.hybrid.invalidCitations'] = holdoutHybrid.invalidCitations;
    }
  }
  if (result.coverageAblation !== undefined) {
    tables.push({
      caption: 'Coverage rule (hybrid), measured on the whole gold set',
      rows: result.coverageAblation.map((row) => ({
        rule: row.rule,
        abstention: row.abstentionAccuracy,
        'fact-hit': row.factHitRate,
        'answerable but abstained': row.falseAbstentions,
        'unanswerable but answered': row.missedAbstentions,
      })),
    });
  }
  if (result.budgets !== undefined) {
    tables.push({
      caption: 'Fact-hit (hybrid) by extract length, and the retrieval ceiling',
      rows: result.budgets.map((row) => ({
        'answer text': row.budget,
        'fact-hit': row.factHitRate,
        'facts found': row.factShare,
        'fact-hit, answer text only': row.answerTextFactHitRate ?? '—',
      })),
    });
  }
  for (const system of result.systems) {
    metrics[`${system.system}.recallAt1`] = system.recallAt1;
    metrics[`${system.system}.recallAt5`] = system.recallAt5;
    metrics[`${system.system}.mrr`] = system.mrr;
    metrics[`${system.system}.factHitRate`] = system.factHitRate;
    metrics[`${system.system}.abstentionAccuracy`] = system.abstentionAccuracy;
    metrics[`${system.system}.invalidCitations`] = system.invalidCitations;
  }
  return { title: 'Question answering (evals/qa-gold.jsonl)', tables, metrics };
}
