// An in-memory Retriever over a handful of passages for answer tests: scores are the share of query
// words found in the passage, scaled into [0, 1], so tests control coverage through wording.
import { createHash } from 'node:crypto';
import type { Passage, ScoredPassage } from '../../src/ports/passage.js';
import type { Retriever, SearchOptions } from '../../src/ports/retriever.js';

export function makePassage(fields: Partial<Passage> & Pick<Passage, 'source' | 'section' | 'text'>, index = 0): Passage {
  return {
    chunkId: `${fields.source}#${index}`,
    title: fields.title ?? fields.source.replace(/\.md$/u, ''),
    contentHash: createHash('sha256').update(fields.text).digest('hex'),
    language: 'en',
    ...fields,
  };
}

/** A retriever returning fixed passages with fixed scores, whatever the query; records queries. */
export function fixedRetriever(results: ScoredPassage[]): Retriever & { queries: string[]; options: Array<SearchOptions | undefined> } {
  const queries: string[] = [];
  const options: Array<SearchOptions | undefined> = [];
  return {
    queries,
    options,
    async search(query, searchOptions) {
      queries.push(query);
      options.push(searchOptions);
      return results.slice(0, searchOptions?.k ?? 8);
    },
  };
}
