// Builds the retrieval query for a question. Follow-ups ("what about for Japan?") carry little on
// their own, so salient words of the recent user turns are added to what is searched.
import type { ScoredPassage } from '../../ports/passage.js';
import { contentTerms, termSet } from './text-terms.js';

export interface HistoryTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface RetrievalQuery {
  /** Text sent to the retriever. */
  text: string;
  /** Terms borrowed from earlier turns (stemmed), used at reduced weight when ranking sentences. */
  contextTerms: string[];
}

const maxBorrowedWords = 8;

/** Surface words of a text whose stemmed form is a content term, most frequent first. */
function salientWords(text: string): string[] {
  const counts = new Map<string, number>();
  const pattern = /[\p{Script=Han}\p{Script=Katakana}ー]{2,}|[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
  for (const match of text.matchAll(pattern)) {
    const word = match[0];
    if (contentTerms(word).length === 0) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()].sort((left, right) => right[1] - left[1]).map(([word]) => word);
}

/**
 * The question, plus up to eight salient words from the last two user turns (newest first) that the
 * question does not already contain. Assistant turns are not mined: they quote many passages and
 * would pull retrieval towards the previous answer rather than the topic.
 */
export function buildRetrievalQuery(question: string, history: HistoryTurn[] = []): RetrievalQuery {
  const userTurns = history.filter((turn) => turn.role === 'user' && turn.text.trim() !== '').slice(-2).reverse();
  if (userTurns.length === 0) return { text: question, contextTerms: [] };
  const present = termSet(question);
  const borrowed: string[] = [];
  const borrowedTerms: string[] = [];
  for (const turn of userTurns) {
    for (const word of salientWords(turn.text)) {
      if (borrowed.length >= maxBorrowedWords) break;
      const terms = contentTerms(word);
      if (terms.every((term) => present.has(term))) continue;
      borrowed.push(word);
      for (const term of terms) {
        present.add(term);
        borrowedTerms.push(term);
      }
    }
  }
  if (borrowed.length === 0) return { text: question, contextTerms: [] };
  return { text: `${question} ${borrowed.join(' ')}`, contextTerms: borrowedTerms };
}

const clauseStart = /(?:,?\s+and\s+|;\s*)(?=(?:what|which|who|when|where|why|how|is|are|does|do|did|can|could|must|should|would|will|has|have|since)\b)/giu;

/**
 * The parts of a question that asks two things ("Is it high-risk, and what must we tell
 * customers?", "…？…？"): split at a question mark followed by another question, or where a new
 * interrogative clause starts after "and" or ";". Statements before the question ("We want
 * cameras in our stores.") are kept in front of every part, since they give each its subject.
 * Each part needs at least two content terms; for a one-part question the result is empty.
 */
export function subQuestions(question: string): string[] {
  const sentences = question.split(/(?<=[.!?。！？])\s*(?=\S)/u).map((sentence) => sentence.trim());
  const preamble = sentences.filter((sentence) => !/[?？]$/u.test(sentence)).join(' ');
  const asked = sentences.filter((sentence) => /[?？]$/u.test(sentence));
  const parts = (asked.length > 0 ? asked : sentences).flatMap((sentence) => sentence.split(clauseStart)).map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length < 2) return [];
  const usable = parts.filter((part) => termSet(part).size >= 1 && termSet(`${preamble} ${part}`).size >= 2);
  if (usable.length < 2) return [];
  return usable.slice(0, 3).map((part) => (preamble === '' ? part : `${preamble} ${part}`));
}

/**
 * Interleaves ranked lists (the whole question's first, then each part's) by rank, each passage
 * once with the score of the list that reached it first, so every part of a two-part question has
 * its best passages near the top.
 */
export function interleaveRankings(lists: ScoredPassage[][], limit: number): ScoredPassage[] {
  const merged: ScoredPassage[] = [];
  const seen = new Set<string>();
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let rank = 0; rank < longest && merged.length < limit; rank += 1) {
    for (const list of lists) {
      const item = list[rank];
      if (item === undefined || seen.has(item.passage.chunkId)) continue;
      seen.add(item.passage.chunkId);
      merged.push(item);
      if (merged.length >= limit) break;
    }
  }
  return merged;
}
