// How the answer service composes an answer, in one named object: how many passages it reads, how it
// decides that the corpus does not cover a question, how the offline answer is built, and how many
// related sources it shows. `productionStrategy` is the path every door takes; evaluations and tests
// override single fields to compare alternatives, so none of these knobs clutters the service's own
// options.
import { defaultExtractSettings, type ExtractSettings } from './extractive-answer.js';

export interface AnswerStrategy {
  /** Passages retrieved per question. */
  topK: number;
  /** Passages given to the chat model, when one is configured. */
  llmPassages: number;
  /**
   * How "not covered" is decided: `model` — the fitted decision over interpretable features
   * (coverage.ts, coverage-model.json); `always` — answer every question from its top passages (a
   * baseline with no abstention, such as the LangChain default recipe).
   */
  coverage: 'model' | 'always';
  /** Whether the top sections are re-ranked by the fitted section model (section-reranker.ts) before answering. */
  rerank: boolean;
  /**
   * Whether the retriever's lexicon equivalents in the other language (罰則 → "penalty") count as
   * question terms when an extract is composed: a Japanese question's own words match no English sentence.
   */
  relatedTerms: boolean;
  /** Composition of the offline (extractive) answer. */
  extract: ExtractSettings;
  /** Most related sources shown beside an answer. */
  relatedSources: number;
  /** A related source must score at least this share of the best passage. */
  relatedMinShare: number;
}

/** The production path. */
export const productionStrategy: AnswerStrategy = {
  topK: 8,
  llmPassages: 6,
  coverage: 'model',
  rerank: true,
  relatedTerms: true,
  extract: defaultExtractSettings,
  relatedSources: 3,
  relatedMinShare: 0.5,
};

/** The production strategy with some fields replaced (extract settings merged field by field). */
export function resolveStrategy(overrides: Partial<Omit<AnswerStrategy, 'extract'>> & { extract?: Partial<ExtractSettings> } = {}): AnswerStrategy {
  return { ...productionStrategy, ...overrides, extract: { ...productionStrategy.extract, ...overrides.extract } };
}
