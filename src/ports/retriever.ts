// The retriever port: ranked passages for a query.
import type { PassageFilter, ScoredPassage } from './passage.js';

export interface SearchOptions {
  /** Number of passages wanted (default 8). */
  k?: number;
  /** Metadata restrictions. */
  filter?: PassageFilter;
}

export interface Retriever {
  /** Ranked passages, best first. Scores are comparable across queries for the same retriever. */
  search(query: string, options?: SearchOptions): Promise<ScoredPassage[]>;
}

/** Read access to the indexed corpus, for citation checks (rules cite document + section). */
export interface PassageCatalog {
  /** All passages of a source file whose section path equals or starts with `section`. */
  findSection(source: string, section: string): import('./passage.js').Passage[];
  /** Number of passages in the index. */
  size(): number;
}
