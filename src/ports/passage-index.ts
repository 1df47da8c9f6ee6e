// The passage-index port: what the ingestion pipeline (core/ingest/ingest-corpus.ts) needs from an
// index store — what is indexed, and a way to replace or drop one source's passages and store the
// result as a whole. How passages are searched and kept is the store's business (CorpusIndex:
// hnswlib, BM25 and files under DATA_DIR/index; tests: an in-memory store).
import type { ChunkingSettings } from '../core/ingest/chunk-document.js';
import type { Passage } from './passage.js';

/** One indexed source file, as recorded when its passages were committed. */
export interface IndexedSource {
  /** Absolute path of the file the passages were read from. */
  path: string;
  /** SHA-256 (hex) of the file's bytes at that time: the same hash at the same path means the passages are current. */
  sha256: string;
  /** Number of passages the file gave. */
  passages: number;
}

/** What an index holds, as a writer sees it. */
export interface PassageIndexManifest {
  /** Identity of the embedder whose vectors the index holds (`Embedder.id`); undefined before the first commit. */
  embedderId: string | undefined;
  /** Chunking the passages were cut with; undefined before the first commit. */
  chunking: ChunkingSettings | undefined;
  /** Indexed sources by source name (path relative to the corpus root, `/`-separated), in name order. */
  sources: Readonly<Record<string, IndexedSource>>;
  /** Passages in the index (the sum of the sources' `passages`). */
  passages: number;
}

/** How the passages of a commit were produced; recorded in the manifest. */
export interface IndexBuildSettings {
  /** Identity of the embedder that produced the vectors (`Embedder.id`). */
  embedderId: string;
  /** Chunking the passages were cut with. */
  chunking: ChunkingSettings;
}

/** The passages of one source file with their vectors, stored in place of whatever the source had. */
export interface SourcePassages {
  /** Source name, as in `Passage.source`. */
  source: string;
  /** Absolute path of the file read. */
  path: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  /** The source's passages, in document order. */
  passages: Passage[];
  /** One embedding per passage, in the same order (`vectors[i]` belongs to `passages[i]`). */
  vectors: number[][];
}

/** Changes to an index during one `update`: staged by `putSource` / `removeSource`, stored by `commit`. */
export interface PassageIndexWriter {
  /** What the index holds: as of the start of the update, then as of the last `commit`. */
  readonly manifest: PassageIndexManifest;
  /** Stages a source's passages, replacing what the source had (and a staged removal of it). Throws ShishinError `input_invalid` when `vectors` and `passages` differ in number. */
  putSource(entry: SourcePassages): void;
  /** Stages the removal of a source's passages (and drops a staged `putSource` of it). */
  removeSource(source: string): void;
  /**
   * Stores the index with the staged changes applied, all at once (a reader of the stored index sees
   * the old one or the new one, never a mix), and returns the new manifest. Throws ShishinError
   * `provider_failed` when the vectors do not all have one length, `conflict` when the store cannot
   * hold vectors of `settings.embedderId`; the stored index is then unchanged.
   */
  commit(settings: IndexBuildSettings): Promise<PassageIndexManifest>;
}

export interface UpdateOptions {
  /** Start from an empty index instead of the stored one (a full rebuild); default false. */
  discard?: boolean;
}

export interface PassageIndex {
  /**
   * Runs `work` as the only writer of the index (other writers, in this process or another, wait
   * their turn), on the latest stored state. Changes not committed when `work` ends are dropped.
   */
  update<T>(work: (writer: PassageIndexWriter) => Promise<T>, options?: UpdateOptions): Promise<T>;
}
