// The answer service: validate the question → retrieve → decide coverage → generate with the chat
// model and verify its citations, or extract sentences → a cited Answer. The one brain behind every
// "ask" door. The model never has the last word on sources: every [n] it writes is checked, and any
// failure falls back to an extractive answer with a short note.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logger.js';
import { ShishinError, isShishinError } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ChatModel } from '../../ports/chat-model.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Embedder } from '../../ports/embedder.js';
import type { ScoredPassage } from '../../ports/passage.js';
import type { Retriever } from '../../ports/retriever.js';
import type { AnswerDetails, AnswerService, AskRequest, Citation } from './answer.js';
import { buildAnswerMessages, loadAnswerPrompts, type AnswerPrompts } from './answer-prompt.js';
import { verifyCitations } from './citation-verification.js';
import { corpusVocabulary, decideCoverage, type CoverageDecision } from './coverage.js';
import { bestQuote, candidateSentences, extractiveAnswer, type ExtractSettings } from './extractive-answer.js';
import { resolveStrategy, type AnswerStrategy } from './answer-strategy.js';
import { cosine } from './logistic-model.js';
import { loadSectionReranker, rerankSections, sectionCandidates } from './section-reranker.js';
import { buildRetrievalQuery } from './retrieval-query.js';
import { asSectionCatalog, type SectionCatalog } from './section-context.js';
import { contentTerms, detectLanguage, type AnswerLanguage } from './text-terms.js';
import { citationUrl, documentPath } from '../documents/document-links.js';
import { t } from '../i18n/translate.js';

export { verifyCitations } from './citation-verification.js';
export { extractiveAnswer } from './extractive-answer.js';
export { decideCoverage } from './coverage.js';
export { buildRetrievalQuery } from './retrieval-query.js';

/** Gives lexicon phrases related to a question's words (CorpusIndex implements it). */
export interface RelatedTermSource {
  relatedPhrases(question: string): string[];
}

function asRelatedTermSource(value: unknown): RelatedTermSource | undefined {
  return typeof value === 'object' && value !== null && typeof (value as Partial<RelatedTermSource>).relatedPhrases === 'function'
    ? (value as RelatedTermSource)
    : undefined;
}

export interface AnswerServiceOptions {
  retriever: Retriever;
  /** Fused score at or above which the corpus covers a question (from the index's calibration). */
  relevanceThreshold: number;
  /** When present, answers are generated and verified; otherwise extractive. */
  chatModel?: ChatModel;
  /** Folder with `answer-system.md` and `answer-user.md`. */
  promptsDir: string;
  logger: Logger;
  metrics?: Metrics;
  clock?: Clock;
  /** Longest accepted question, in characters. Default 2000. */
  maxQuestionChars?: number;
  /** Optional: ranks extract sentences by dense similarity too. */
  embedder?: Embedder;
  /**
   * Section look-up, so extracts can read the whole of a retrieved passage's section.
   * Default: the retriever itself when it offers `findSection` (the corpus index does).
   */
  catalog?: SectionCatalog;
  /**
   * Source of words related to the question's (Japanese↔English equivalents from the governance
   * lexicon). Default: the retriever or catalog when it offers `relatedPhrases` (CorpusIndex does).
   */
  relatedTerms?: RelatedTermSource;
  /** How answers are composed; `productionStrategy` unless fields are overridden (evaluation, tests). */
  strategy?: Partial<Omit<AnswerStrategy, 'extract'>> & { extract?: Partial<ExtractSettings> };
}

/** `ans_` followed by 16 base-36 characters. */
function newAnswerId(): string {
  return `ans_${BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36).padStart(16, '0').slice(-16)}`;
}

/**
 * The failure reason a chat model attached to its error (`reason` on the error or its causes, as the
 * OpenAI provider does), used as a metrics label; `unknown` otherwise. Duck-typed so core code does
 * not depend on a provider.
 */
export function failureReasonOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const reason = (current as { reason?: unknown }).reason;
    if (typeof reason === 'string' && /^[a-z_]{1,32}$/u.test(reason)) return reason;
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown';
}

function citationFrom(item: ScoredPassage, n: number, quote: string): Citation {
  const citation: Citation = {
    n,
    title: item.passage.title,
    source: item.passage.source,
    section: item.passage.section,
    quote,
    score: Math.round(item.score * 1000) / 1000,
  };
  citation.url = citationUrl(item.passage.source, item.passage.section, item.passage.url);
  citation.documentUrl = documentPath(item.passage.source, item.passage.section);
  return citation;
}

/** Builds the answer service. Reads the prompt files now (when a chat model is set) so a bad PROMPTS_DIR fails at start-up. */
export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const logger = options.logger.child({ component: 'answer-service' });
  const clock = options.clock ?? systemClock;
  const maxQuestionChars = options.maxQuestionChars ?? 2000;
  const strategy = resolveStrategy(options.strategy);
  const topK = strategy.topK;
  const llmPassageCount = strategy.llmPassages;
  const catalog = options.catalog ?? asSectionCatalog(options.retriever);
  const relatedTerms = strategy.relatedTerms ? (options.relatedTerms ?? asRelatedTermSource(options.retriever) ?? asRelatedTermSource(options.catalog)) : undefined;
  const prompts: AnswerPrompts | undefined = options.chatModel === undefined ? undefined : loadAnswerPrompts(options.promptsDir);

  const vocabularyOption = (): { vocabulary?: ReadonlySet<string> } => {
    const vocabulary = corpusVocabulary(catalog ?? options.retriever);
    return vocabulary === undefined ? {} : { vocabulary };
  };

  async function rerank(question: string, passages: ScoredPassage[]): Promise<ScoredPassage[]> {
    let dense: Map<string, number> | undefined;
    if (options.embedder !== undefined && passages.length > 1) {
      try {
        const [questionVector, vectors] = await Promise.all([options.embedder.embedQuery(question), options.embedder.embedDocuments(passages.map((item) => item.passage.text))]);
        dense = new Map(passages.map((item, index) => [item.passage.chunkId, cosine(questionVector, vectors[index] ?? [])]));
      } catch (error) {
        logger.warn({ err: error }, 'passage embedding failed; re-ranking sections without dense similarity');
      }
    }
    const candidates = sectionCandidates(question, passages, { ...(catalog !== undefined ? { catalog } : {}), ...(dense !== undefined ? { dense } : {}) });
    return rerankSections(candidates, passages, loadSectionReranker());
  }

  /** Dense similarity of the question and its best passage (a coverage signal); 0 without an embedder. */
  async function topPassageSimilarity(question: string, passages: ScoredPassage[]): Promise<number> {
    const top = passages[0];
    if (options.embedder === undefined || top === undefined) return 0;
    try {
      const [questionVector, passageVectors] = await Promise.all([options.embedder.embedQuery(question), options.embedder.embedDocuments([top.passage.text])]);
      return cosine(questionVector, passageVectors[0] ?? []);
    } catch (error) {
      logger.warn({ err: error }, 'question embedding failed; deciding coverage without dense similarity');
      return 0;
    }
  }

  async function denseSimilarity(question: string, passages: ScoredPassage[]): Promise<Map<string, number> | undefined> {
    if (options.embedder === undefined) return undefined;
    try {
      const texts = [...new Set(candidateSentences(passages, strategy.extract.sections, catalog).map((sentence) => sentence.text))];
      if (texts.length === 0) return undefined;
      const [questionVector, sentenceVectors] = await Promise.all([options.embedder.embedQuery(question), options.embedder.embedDocuments(texts)]);
      return new Map(texts.map((text, index) => [text, cosine(questionVector, sentenceVectors[index] ?? [])]));
    } catch (error) {
      logger.warn({ err: error }, 'sentence embedding failed; ranking extract sentences lexically');
      return undefined;
    }
  }

  async function extract(question: string, language: AnswerLanguage, passages: ScoredPassage[], contextTerms: string[]) {
    const dense = await denseSimilarity(question, passages);
    // Only equivalents in the other language: a Japanese question's words never match an English
    // passage's sentences, while English synonyms measured as a distraction (docs/answering.md).
    const related =
      relatedTerms === undefined ? [] : contentTerms(relatedTerms.relatedPhrases(question).filter((phrase) => detectLanguage(phrase) !== language).join('\n'));
    return extractiveAnswer(question, passages, {
      language,
      contextTerms: [...new Set([...contextTerms, ...related])],
      ...(catalog !== undefined ? { sectionCatalog: catalog } : {}),
      settings: strategy.extract,
      ...(dense !== undefined ? { denseSimilarity: dense } : {}),
    });
  }

  /** Other strong sections the answer does not cite, numbered after its citations. */
  function relatedSources(ranked: ScoredPassage[], cited: Citation[], question = ''): Citation[] {
    const best = ranked[0]?.score ?? 0;
    const citedSections = new Set(cited.map((citation) => `${citation.source}\u0000${citation.section}`));
    const related: Citation[] = [];
    for (const item of ranked) {
      if (related.length >= strategy.relatedSources || item.score < best * strategy.relatedMinShare) break;
      const key = `${item.passage.source}\u0000${item.passage.section}`;
      if (citedSections.has(key)) continue;
      citedSections.add(key);
      related.push(citationFrom(item, cited.length + related.length + 1, bestQuote(item.passage.text, question)));
    }
    return related;
  }

  function cancelled(): ShishinError {
    return new ShishinError('unavailable', 'The question was cancelled.');
  }

  return {
    async ask(request: AskRequest): Promise<AnswerDetails> {
      const started = clock.now().getTime();
      const question = typeof request.question === 'string' ? request.question.trim() : '';
      const language = detectLanguage(question);
      // The framing (notes, not-covered text) is in the question's language unless the request names one.
      const locale = request.locale ?? language;
      if (question === '') {
        const message = t(locale, 'answer.empty');
        throw new ShishinError('input_invalid', message, { fields: [{ field: 'question', message }] });
      }
      if (question.length > maxQuestionChars) {
        const message = t(locale, 'answer.tooLong', { limit: maxQuestionChars });
        throw new ShishinError('input_invalid', message, { fields: [{ field: 'question', message }] });
      }
      const answerId = newAnswerId();
      const query = buildRetrievalQuery(question, request.history ?? []);

      let passages: ScoredPassage[];
      try {
        passages = await options.retriever.search(query.text, { k: topK, ...(request.filter !== undefined ? { filter: request.filter } : {}) });
      } catch (error) {
        if (isShishinError(error)) throw error;
        throw new ShishinError('unavailable', 'The document index is unavailable.', { cause: error });
      }
      const retrievalMs = clock.now().getTime() - started;
      options.metrics?.retrievalDuration.observe(retrievalMs / 1000);
      if (request.signal?.aborted) throw cancelled();

      const coverage: CoverageDecision =
        strategy.coverage === 'always'
          ? { covered: passages.length > 0, topScore: passages[0]?.score ?? 0, termOverlap: 1, missingNames: [], reason: passages.length > 0 ? 'ok' : 'empty' }
          : decideCoverage(query.text, passages, {
              relevanceThreshold: options.relevanceThreshold,
              dense: await topPassageSimilarity(question, passages),
              ...vocabularyOption(),
            });
      const finish = (result: Omit<AnswerDetails, 'answerId' | 'timings' | 'related'> & { related?: Citation[] }): AnswerDetails => {
        const totalMs = clock.now().getTime() - started;
        options.metrics?.answerDuration.observe({ mode: result.mode, channel: request.channel ?? 'unknown' }, totalMs / 1000);
        logger.info(
          {
            answerId,
            mode: result.mode,
            grounded: result.grounded,
            citations: result.citations.length,
            passages: passages.length,
            topScore: Math.round(coverage.topScore * 1000) / 1000,
            termOverlap: Math.round(coverage.termOverlap * 100) / 100,
            ...(coverage.probability !== undefined ? { coverageProbability: Math.round(coverage.probability * 1000) / 1000 } : {}),
            coverage: coverage.reason,
            questionChars: question.length,
            historyTurns: request.history?.length ?? 0,
            retrievalMs,
            totalMs,
          },
          'answered',
        );
        return { ...result, related: result.related ?? [], answerId, locale, timings: { retrievalMs, totalMs } };
      };
      // The top sections re-ranked by the fitted model (section-reranker.ts); the answer leads with the first.
      const answerPassages = strategy.rerank && coverage.covered ? await rerank(question, passages) : passages;
      // A Japanese reader given English passages (or the reverse) is told so.
      const otherLanguageNote = (cited: Citation[]) =>
        cited.length > 0 && cited.every((citation) => detectLanguage(citation.quote) !== locale) ? t(locale, 'answer.otherLanguageSource') : undefined;
      const notCovered = () => finish({ answer: t(locale, 'answer.notCovered'), grounded: false, citations: [], mode: 'not_covered' });
      const extractive = async (note?: string) => {
        const result = await extract(question, language, answerPassages, query.contextTerms);
        if (result.citations.length === 0) return notCovered();
        const notes = [note, otherLanguageNote(result.citations)].filter((entry): entry is string => entry !== undefined);
        return finish({
          answer: result.answer,
          grounded: true,
          citations: result.citations,
          related: relatedSources(answerPassages, result.citations, question),
          mode: 'extractive',
          ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
        });
      };

      if (!coverage.covered) return notCovered();
      if (options.chatModel === undefined || prompts === undefined) return extractive();

      const given = answerPassages.slice(0, llmPassageCount);
      let reply: string;
      try {
        reply = await options.chatModel.complete(buildAnswerMessages(prompts, question, given), {
          ...(request.signal !== undefined ? { signal: request.signal } : {}),
          temperature: 0,
          maxTokens: 500,
        });
      } catch (error) {
        if (request.signal?.aborted) throw cancelled();
        const reason = failureReasonOf(error);
        options.metrics?.llmErrors.inc({ reason });
        options.metrics?.llmFallbacks.inc({ reason });
        logger.warn({ answerId, reason, chatModel: options.chatModel.id }, 'chat model failed; answering by extraction');
        return extractive(t(locale, 'answer.llmUnavailable'));
      }

      const verification = verifyCitations(reply, given.length);
      if (verification.invalidMarkers.length > 0 || verification.droppedSentences.length > 0) {
        logger.info(
          { answerId, invalidMarkers: verification.invalidMarkers.length, droppedSentences: verification.droppedSentences.length },
          'removed unsupported parts of the generated answer',
        );
      }
      if (verification.notCovered) return notCovered();
      if (verification.used.length === 0) {
        options.metrics?.llmErrors.inc({ reason: 'invalid_output' });
        options.metrics?.llmFallbacks.inc({ reason: 'invalid_output' });
        logger.warn({ answerId, chatModel: options.chatModel.id }, 'generated answer had no valid citation; answering by extraction');
        return extractive(t(locale, 'answer.llmUnverified'));
      }
      const sentencesCiting = (n: number) =>
        verification.text
          .split(/(?<=[.!?。！？])\s*/u)
          .filter((sentence) => sentence.includes(`[${n}]`))
          .join(' ');
      const citations = verification.used.flatMap((original, index) => {
        const item = given[original - 1];
        return item === undefined ? [] : [citationFrom(item, index + 1, bestQuote(item.passage.text, sentencesCiting(index + 1)))];
      });
      return finish({ answer: verification.text, grounded: true, citations, related: relatedSources(given, citations, question), mode: 'llm' });
    },
  };
}
