// Widens the passages an extractive answer may draw on from the retrieved chunks to their whole
// heading sections. Passages are ~600-character chunks of a section, so the chunk that ranked best
// is often the section's introduction while the sentence that answers (the amount, the exception,
// the list) sits in the next chunk of the same section. Each sibling chunk joins the pool with its
// own retrieval score when it was retrieved, else slightly below the chunk that brought it in.
import type { Passage, ScoredPassage } from '../../ports/passage.js';
import type { PassageCatalog } from '../../ports/retriever.js';

/** Read access needed to find the other chunks of a section. */
export type SectionCatalog = Pick<PassageCatalog, 'findSection'>;

export interface SectionContextOptions {
  /** Score of a sibling that was not retrieved itself, as a share of the chunk that brought it in. Default 0.9. */
  siblingShare?: number;
  /** Most chunks taken from one section. Default 5. */
  maxPerSection?: number;
}

/** Whether a retriever also offers section look-ups (the corpus index does). */
export function asSectionCatalog(value: unknown): SectionCatalog | undefined {
  return value !== null && typeof value === 'object' && typeof (value as { findSection?: unknown }).findSection === 'function' ? (value as SectionCatalog) : undefined;
}

/**
 * The candidate passages followed by the other chunks of their sections (exact section only, not
 * sub-sections), each chunk once, in section order after the candidate that brought them in.
 */
export function withSectionContext(candidates: ScoredPassage[], retrieved: ScoredPassage[], catalog: SectionCatalog | undefined, options: SectionContextOptions = {}): ScoredPassage[] {
  if (catalog === undefined) return candidates;
  const share = options.siblingShare ?? 0.9;
  const maxPerSection = options.maxPerSection ?? 5;
  const retrievedScore = new Map<string, number>();
  for (const item of retrieved) retrievedScore.set(item.passage.chunkId, Math.max(retrievedScore.get(item.passage.chunkId) ?? 0, item.score));
  const seen = new Set(candidates.map((item) => item.passage.chunkId));
  const pool: ScoredPassage[] = [];
  for (const item of candidates) {
    pool.push(item);
    let siblings: Passage[];
    try {
      siblings = catalog.findSection(item.passage.source, item.passage.section).filter((passage) => passage.section === item.passage.section);
    } catch {
      siblings = [];
    }
    let taken = siblings.filter((passage) => seen.has(passage.chunkId)).length;
    for (const passage of siblings) {
      if (taken >= maxPerSection) break;
      if (seen.has(passage.chunkId)) continue;
      seen.add(passage.chunkId);
      taken += 1;
      pool.push({ passage, score: retrievedScore.get(passage.chunkId) ?? item.score * share });
    }
  }
  return pool;
}
