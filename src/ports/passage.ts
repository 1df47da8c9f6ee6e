// A passage is one retrievable chunk of a governance document, with everything a citation needs.

export interface Passage {
  /** Stable id: `<source>#<index>`; unique within the index. */
  chunkId: string;
  /** Path of the source file relative to the corpus root, e.g. `eu-ai-act.md`. */
  source: string;
  /** Document title (front matter `title`, else the first heading, else the file name). */
  title: string;
  /** Heading path inside the document, e.g. `Article 50 › Deepfakes`; `page 3` for PDFs. */
  section: string;
  /** Link to the authoritative original (front matter `source_url`). */
  url?: string;
  /** The passage text (plain text, no markup). */
  text: string;
  /** SHA-256 of `text`, hex. */
  contentHash: string;
  /** Front matter `jurisdiction` (e.g. `JP`, `EU`, `US`, `international`, `internal`). */
  jurisdiction?: string;
  /** Front matter `kind` (e.g. `law`, `guideline`, `standard`, `framework`, `policy`, `summary`). */
  kind?: string;
  /** Front matter `framework` short name (e.g. `eu-ai-act`, `iso-42001`), used by filters. */
  framework?: string;
  /** Document language (BCP 47, e.g. `en`, `ja`). */
  language?: string;
  /** 1-based page number for paginated sources (PDF). */
  page?: number;
}

/** A passage with its relevance for one query: higher is better, in [0, 1] for fused scores. */
export interface ScoredPassage {
  passage: Passage;
  score: number;
}

/** Restricts a search to passages whose metadata match every given field. */
export interface PassageFilter {
  jurisdiction?: string[];
  framework?: string[];
  kind?: string[];
  source?: string[];
}
