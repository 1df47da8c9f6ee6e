// Re-ranks the top sections of a retrieval by a small logistic model over interpretable features:
// the fused retrieval score and rank, how much of the question the section's heading, document title
// and text hold, whether the text holds the kind of answer the question expects (a date, an amount),
// whether the section is in the question's language, and dense similarity. Fitted on the gold set by
// `evals/fit-reranker.ts` and stored in section-reranker.json; the answer then leads with the section
// ranked first after re-ranking. Passages keep their own scores; only their order changes.
import type { ScoredPassage } from '../../ports/passage.js';
import { answerTypePattern } from './extractive-answer.js';
import { loadLogisticModel, logit, type LogisticModel } from './logistic-model.js';
import type { SectionCatalog } from './section-context.js';
import { contentTerms, detectLanguage, termSet } from './text-terms.js';

/** The signals of one candidate section, each an interpretable number. */
export interface SectionFeatures {
  /** Best fused score of the section over the best of the ranking. */
  score: number;
  /** 1 for the section the search ranked first. */
  first: number;
  /** Weighted share of the question's terms in the section's heading path. */
  heading: number;
  /** Weighted share of the question's terms in the document title. */
  title: number;
  /** Weighted share of the question's terms in the section's text. */
  body: number;
  /** The section's text holds the kind of answer the question expects (0 when no kind is expected). */
  answerType: number;
  /** 1 when the section is in the question's language. */
  sameLanguage: number;
  /** Cosine similarity of the question and the section's best passage (0 when unknown). */
  dense: number;
}

export const sectionFeatureNames = ['score', 'first', 'heading', 'title', 'body', 'answerType', 'sameLanguage', 'dense'] as const satisfies ReadonlyArray<keyof SectionFeatures>;

/** A candidate section: its retrieved passages (best first) and its features. */
export interface SectionCandidate {
  source: string;
  section: string;
  passages: ScoredPassage[];
  features: SectionFeatures;
}

const sectionKey = (passage: { source: string; section: string }) => `${passage.source}\u0000${passage.section}`;

/** The distinct sections of a ranking (best first), at most `limit`, with their features. */
export function sectionCandidates(
  question: string,
  ranked: ScoredPassage[],
  options: { limit?: number; catalog?: SectionCatalog; dense?: Map<string, number> } = {},
): SectionCandidate[] {
  const limit = options.limit ?? 4;
  const groups = new Map<string, ScoredPassage[]>();
  for (const item of ranked) {
    const key = sectionKey(item.passage);
    const group = groups.get(key);
    if (group !== undefined) group.push(item);
    else if (groups.size < limit) groups.set(key, [item]);
  }
  const language = detectLanguage(question);
  const questionTerms = [...new Set(contentTerms(question))];
  // Rarer terms among the candidates weigh more (IDF over the candidates' texts).
  const texts = [...groups.values()].map((group) => {
    const first = group[0]?.passage;
    let text = group.map((item) => item.passage.text).join('\n');
    if (first !== undefined && options.catalog !== undefined) {
      try {
        const whole = options.catalog.findSection(first.source, first.section).filter((passage) => passage.section === first.section);
        if (whole.length > 0) text = whole.map((passage) => passage.text).join('\n');
      } catch {
        // the retrieved chunks stand in for the section
      }
    }
    return text;
  });
  const textTerms = texts.map((text) => termSet(text));
  const weight = new Map<string, number>();
  let total = 0;
  for (const term of questionTerms) {
    const frequency = textTerms.filter((terms) => terms.has(term)).length;
    const value = Math.log(1 + (textTerms.length + 1) / (frequency + 0.5));
    weight.set(term, value);
    total += value;
  }
  const share = (terms: Set<string>) => (total === 0 ? 0 : questionTerms.reduce((sum, term) => sum + (terms.has(term) ? (weight.get(term) ?? 0) : 0), 0) / total);
  const best = ranked[0]?.score ?? 1;
  const answerType = answerTypePattern(question);
  return [...groups.values()].map((group, index) => {
    const top = group[0] as ScoredPassage;
    const passageLanguage = top.passage.language ?? detectLanguage(top.passage.text);
    return {
      source: top.passage.source,
      section: top.passage.section,
      passages: group,
      features: {
        score: best <= 0 ? 0 : top.score / best,
        first: index === 0 ? 1 : 0,
        heading: share(termSet(top.passage.section)),
        title: share(termSet(top.passage.title)),
        body: share(textTerms[index] ?? new Set<string>()),
        answerType: answerType !== undefined && answerType.test(texts[index] ?? '') ? 1 : 0,
        sameLanguage: passageLanguage.startsWith(language) ? 1 : 0,
        dense: Math.max(0, options.dense?.get(top.passage.chunkId) ?? 0),
      },
    };
  });
}

export type SectionRerankerModel = Pick<LogisticModel, 'weights' | 'bias'> & Partial<LogisticModel>;

/** Location of the shipped model: section-reranker.json next to this module. */
export const sectionRerankerFile = new URL('./section-reranker.json', import.meta.url);

/** The shipped fitted model (read once), or another model file. */
export function loadSectionReranker(file: URL = sectionRerankerFile): SectionRerankerModel {
  return loadLogisticModel(file);
}

/** The model's score of a candidate (a logit: higher is better). */
export function sectionScore(features: SectionFeatures, model: SectionRerankerModel): number {
  return logit(features, sectionFeatureNames, model);
}

/**
 * The ranking with its top sections re-ordered by the model: the passages of each re-ranked section
 * together, in the new section order, followed by every passage of the sections beyond the candidates.
 */
export function rerankSections(candidates: SectionCandidate[], ranked: ScoredPassage[], model: SectionRerankerModel): ScoredPassage[] {
  if (candidates.length < 2) return ranked;
  const order = [...candidates].sort((left, right) => sectionScore(right.features, model) - sectionScore(left.features, model));
  const taken = new Set(order.flatMap((candidate) => candidate.passages.map((item) => item.passage.chunkId)));
  return [...order.flatMap((candidate) => candidate.passages), ...ranked.filter((item) => !taken.has(item.passage.chunkId))];
}
