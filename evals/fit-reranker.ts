// Fits the section re-ranker (src/core/answer/section-reranker.ts) on the gold set and checks it on
// the held-out set: a pairwise logistic model (a ranking objective) over interpretable features of the
// top sections of each question's ranking — for every expected and unexpected candidate of one
// question, the difference of their features should score positive. Prints how often the first
// section is an expected one (section recall@1) before and after re-ranking on both sets, and writes
// src/core/answer/section-reranker.json. `npx tsx evals/fit-reranker.ts [--dry-run]`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cosine } from '../src/core/answer/logistic-model.js';
import { buildRetrievalQuery } from '../src/core/answer/retrieval-query.js';
import { rerankSections, sectionCandidates, sectionFeatureNames, sectionRerankerFile, type SectionCandidate, type SectionFeatures, type SectionRerankerModel } from '../src/core/answer/section-reranker.js';
import type { Embedder } from '../src/ports/embedder.js';
import type { ScoredPassage } from '../src/ports/passage.js';
import type { CorpusIndex } from '../src/providers/index/corpus-index.js';
import { fitLogistic, fitSettingsFromEnvironment, repositoryRoot, withEvalIndex, type FitRow } from './logistic-fit.js';
import { loadGold, matchesExpected, type GoldItem } from './suites/qa.js';

interface Question {
  item: GoldItem;
  candidates: SectionCandidate[];
  ranked: ScoredPassage[];
}

/** The candidates of every answerable question of a set, with dense similarity as the answer service computes it. */
async function questionsOf(file: string, index: CorpusIndex, embedder: Embedder): Promise<Question[]> {
  const questions: Question[] = [];
  for (const item of await loadGold(file)) {
    if (item.type === 'unanswerable') continue;
    const ranked = await index.search(buildRetrievalQuery(item.question, []).text, { k: 8, mode: 'hybrid' });
    const [questionVector, vectors] = await Promise.all([embedder.embedQuery(item.question), embedder.embedDocuments(ranked.map((entry) => entry.passage.text))]);
    const dense = new Map(ranked.map((entry, position) => [entry.passage.chunkId, cosine(questionVector, vectors[position] ?? [])]));
    questions.push({ item, ranked, candidates: sectionCandidates(item.question, ranked, { catalog: index, dense }) });
  }
  return questions;
}

const expected = (question: Question, candidate: { source: string; section: string }) => question.item.expected.some((location) => matchesExpected(candidate, location));

/** Share of questions whose first section (after re-ranking with `model`, or as retrieved) is expected. */
function recallAt1(questions: Question[], model?: SectionRerankerModel): number {
  const hits = questions.filter((question) => {
    const first = (model === undefined ? question.ranked : rerankSections(question.candidates, question.ranked, model))[0]?.passage;
    return first !== undefined && expected(question, first);
  }).length;
  return Math.round((hits / Math.max(1, questions.length)) * 1000) / 1000;
}

/** Pairwise rows: winner − loser labelled 1, and the reverse labelled 0. */
function pairwiseRows(questions: Question[]): Array<FitRow<keyof SectionFeatures>> {
  return questions.flatMap((question) => {
    const good = question.candidates.filter((candidate) => expected(question, candidate));
    const bad = question.candidates.filter((candidate) => !expected(question, candidate));
    return good.flatMap((winner) =>
      bad.flatMap((loser) => {
        const difference = { ...winner.features };
        const reverse = { ...winner.features };
        for (const name of sectionFeatureNames) {
          difference[name] = winner.features[name] - loser.features[name];
          reverse[name] = -difference[name];
        }
        return [
          { features: difference, label: 1 },
          { features: reverse, label: 0 },
        ];
      }),
    );
  });
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const result = await withEvalIndex(async (index, embedder) => {
    const gold = await questionsOf(path.join(repositoryRoot, 'evals', 'qa-gold.jsonl'), index, embedder);
    const holdout = await questionsOf(path.join(repositoryRoot, 'evals', 'qa-holdout.jsonl'), index, embedder);
    const model = fitLogistic(pairwiseRows(gold), sectionFeatureNames, fitSettingsFromEnvironment({ iterations: 20000, rate: 0.5, l2: 0.001, bias: false }));
    const validation = {
      gold: { retrieved: recallAt1(gold), reranked: recallAt1(gold, model), questions: gold.length },
      holdout: { retrieved: recallAt1(holdout), reranked: recallAt1(holdout, model), questions: holdout.length },
    };
    return { ...model, fittedOn: 'evals/qa-gold.jsonl (evals/fit-reranker.ts)', validation: { sectionRecallAt1: validation } };
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (!dryRun) await writeFile(sectionRerankerFile, `${JSON.stringify(result, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
