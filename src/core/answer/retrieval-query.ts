// Builds the retrieval query for a question. Follow-ups ("what about for Japan?") carry little on
// their own, so salient words of the recent user turns are added to what is searched.
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
