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
import { decideCoverage, defaultMinTermOverlap, type CoverageDecision } from './coverage.js';
import { bestQuote, candidateSentences, extractiveAnswer, type SelectionSettings } from './extractive-answer.js';
import { buildRetrievalQuery, interleaveRankings, subQuestions } from './retrieval-query.js';
import { asSectionCatalog, type SectionCatalog } from './section-context.js';
import { contentTerms, detectLanguage, type AnswerLanguage } from './text-terms.js';

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
  /** Passages retrieved per question. Default 8. */
  topK?: number;
  /** Passages given to the chat model. Default 6. */
  llmPassages?: number;
  /** Least share of query terms the top passages must contain (see coverage.ts). */
  minTermOverlap?: number;
  /** Require names in the question to appear in the top passages (see coverage.ts). Default true. */
  checkNames?: boolean;
  /** Word budget of extractive answers. Default 120. */
  extractWords?: number;
  /** Threshold multiplier per question language (see coverage.ts); default `{ ja: 0.5 }`. */
  thresholdScale?: Partial<Record<AnswerLanguage, number>>;
  /**
   * Section look-up, so extracts can draw on the other chunks of a retrieved passage's section.
   * Default: the retriever itself when it offers `findSection` (the corpus index does).
   */
  catalog?: SectionCatalog;
  /** Search each part of a two-part question too (see retrieval-query.ts). Default false: measured on the gold set it did not raise fact-hit (0.566 without, 0.557 with). */
  splitQuestions?: boolean;
  /**
   * Source of words related to the question's (synonyms, Japanese↔English equivalents from the
   * governance lexicon), which count at half weight when choosing extract sentences. Default: the
   * retriever or catalog when it offers `relatedPhrases` (CorpusIndex does); `null` turns it off.
   */
  relatedTerms?: RelatedTermSource | null;
  /** Sentence selection settings of extractive answers (evaluation); see extractive-answer.ts. */
  selection?: Partial<SelectionSettings>;
}

const messages = {
  en: {
    notCovered:
      'The governance documents do not cover this question, so I cannot answer it from them. You can ask the governance team for help.',
    llmUnavailable: 'The language model was unavailable, so this answer quotes the documents directly.',
    llmUnverified: "The language model's answer could not be checked against the documents, so this answer quotes them directly.",
    tooLong: (limit: number) => `The question is too long (at most ${limit} characters).`,
    empty: 'Please type a question.',
  },
  ja: {
    notCovered: 'ガバナンス文書にはこの質問への答えが見当たりません。ガバナンスチームにお問い合わせください。',
    llmUnavailable: '言語モデルを利用できなかったため、文書の該当箇所をそのまま引用しています。',
    llmUnverified: '言語モデルの回答を文書と照合できなかったため、文書の該当箇所をそのまま引用しています。',
    tooLong: (limit: number) => `質問が長すぎます（${limit} 文字まで）。`,
    empty: '質問を入力してください。',
  },
} as const;

/** `ans_` followed by 16 base-36 characters. */
function newAnswerId(): string {
  return `ans_${BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36).padStart(16, '0').slice(-16)}`;
}

function cosine(left: number[], right: number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
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
  if (item.passage.url !== undefined) citation.url = item.passage.url;
  return citation;
}

/** Builds the answer service. Reads the prompt files now (when a chat model is set) so a bad PROMPTS_DIR fails at start-up. */
export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const logger = options.logger.child({ component: 'answer-service' });
  const clock = options.clock ?? systemClock;
  const maxQuestionChars = options.maxQuestionChars ?? 2000;
  const topK = options.topK ?? 8;
  const llmPassageCount = options.llmPassages ?? 6;
  const minTermOverlap = options.minTermOverlap ?? defaultMinTermOverlap;
  const catalog = options.catalog ?? asSectionCatalog(options.retriever);
  const relatedTerms = options.relatedTerms === null ? undefined : (options.relatedTerms ?? asRelatedTermSource(options.retriever) ?? asRelatedTermSource(options.catalog));
  const prompts: AnswerPrompts | undefined = options.chatModel === undefined ? undefined : loadAnswerPrompts(options.promptsDir);

  async function denseSimilarity(question: string, passages: ScoredPassage[]): Promise<Map<string, number> | undefined> {
    if (options.embedder === undefined) return undefined;
    try {
      const texts = [...new Set(candidateSentences(passages, 5, catalog).map((sentence) => sentence.text))];
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
      ...(options.selection !== undefined ? { selection: options.selection } : {}),
      ...(options.extractWords !== undefined ? { maxWords: options.extractWords } : {}),
      ...(dense !== undefined ? { denseSimilarity: dense } : {}),
    });
  }

  function cancelled(): ShishinError {
    return new ShishinError('unavailable', 'The question was cancelled.');
  }

  return {
    async ask(request: AskRequest): Promise<AnswerDetails> {
      const started = clock.now().getTime();
      const question = typeof request.question === 'string' ? request.question.trim() : '';
      const language = detectLanguage(question);
      if (question === '') {
        throw new ShishinError('input_invalid', messages[language].empty, { fields: [{ field: 'question', message: messages[language].empty }] });
      }
      if (question.length > maxQuestionChars) {
        const message = messages[language].tooLong(maxQuestionChars);
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

      const coverage: CoverageDecision = decideCoverage(query.text, passages, {
        relevanceThreshold: options.relevanceThreshold,
        minTermOverlap,
        ...(options.checkNames !== undefined ? { checkNames: options.checkNames } : {}),
        ...(options.thresholdScale !== undefined ? { thresholdScale: options.thresholdScale } : {}),
      });
      const finish = (result: Omit<AnswerDetails, 'answerId' | 'timings'>): AnswerDetails => {
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
            coverage: coverage.reason,
            questionChars: question.length,
            historyTurns: request.history?.length ?? 0,
            retrievalMs,
            totalMs,
          },
          'answered',
        );
        return { ...result, answerId, timings: { retrievalMs, totalMs } };
      };
      // A two-part question gets each part's best passages next to the whole question's, so the
      // answer can address both parts. Coverage is still decided on the whole question.
      let answerPassages = passages;
      const parts = coverage.covered && options.splitQuestions === true ? subQuestions(question) : [];
      if (parts.length > 0) {
        try {
          const lists = await Promise.all(parts.map((part) => options.retriever.search(part, { k: topK, ...(request.filter !== undefined ? { filter: request.filter } : {}) })));
          answerPassages = interleaveRankings([passages, ...lists], topK + 4);
        } catch (error) {
          logger.warn({ err: error, answerId }, 'searching the parts of a question failed; answering from the whole question');
        }
      }
      const notCovered = () => finish({ answer: messages[language].notCovered, grounded: false, citations: [], mode: 'not_covered' });
      const extractive = async (note?: string) => {
        const result = await extract(question, language, answerPassages, query.contextTerms);
        if (result.citations.length === 0) return notCovered();
        return finish({ answer: result.answer, grounded: true, citations: result.citations, mode: 'extractive', ...(note !== undefined ? { note } : {}) });
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
        return extractive(messages[language].llmUnavailable);
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
        return extractive(messages[language].llmUnverified);
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
      return finish({ answer: verification.text, grounded: true, citations, mode: 'llm' });
    },
  };
}
