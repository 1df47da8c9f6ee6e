// The ingestion pipeline: walks the corpus folder (or the files and folders given), decides for each
// file whether it is unchanged (same SHA-256 at the same path), changed, new, gone or broken, chunks
// and embeds only what changed, and writes the outcome through the PassageIndex port in one commit.
// A file that fails to load is reported and left out, with its old passages; the others are indexed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ShishinError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Embedder } from '../../ports/embedder.js';
import type { Passage } from '../../ports/passage.js';
import type { IndexedSource, PassageIndex, PassageIndexManifest, PassageIndexWriter } from '../../ports/passage-index.js';
import { chunkDocument, defaultChunking, sha256, type ChunkingSettings } from './chunk-document.js';
import { collectFiles, type CorpusFile } from './collect-files.js';
import { embeddingText } from './embedding-text.js';
import { IngestFileError } from './ingest-file-error.js';
import { loadDocumentData } from './load-document.js';

/** Outcome of one ingest. File lists hold source names; failures of paths that do not exist hold the path as given. */
export interface IngestReport {
  /** Sources indexed for the first time. */
  added: string[];
  /** Sources whose content changed: re-chunked and re-embedded. */
  updated: string[];
  /** Sources skipped: same content at the same path. */
  unchanged: string[];
  /** Sources dropped: gone from a scanned folder, or no longer loadable. */
  removed: string[];
  /** Files that could not be ingested, with a reason a person can act on. */
  failed: Array<{ file: string; reason: string }>;
  /** Passages in the index afterwards. */
  passages: number;
  /** Time spent, in milliseconds. */
  ms: number;
}

export interface IngestDependencies {
  /** Where the passages go. */
  index: PassageIndex;
  /** Embeds the passages of new and changed files. */
  embedder: Embedder;
  /** Corpus root: the default location to ingest and the base of source names. */
  corpusDir: string;
  /** Default `defaultChunking`. */
  chunking?: ChunkingSettings;
  logger?: Logger;
}

export interface IngestOptions {
  /** Files and folders to ingest (default: the corpus folder). Indexed sources outside them are kept. */
  paths?: string[];
  /** Discard the index and ingest everything again (default false). */
  rebuild?: boolean;
}

/** A new or changed file, loaded and chunked. */
interface FreshFile {
  file: CorpusFile;
  hash: string;
  passages: Passage[];
}

/**
 * Brings the index up to date with the corpus. Unchanged files are skipped, changed ones re-chunked
 * and re-embedded, files gone from the scanned folders dropped; the index is committed only when
 * something changed (always on `rebuild`).
 */
export async function ingestCorpus(dependencies: IngestDependencies, options: IngestOptions = {}): Promise<IngestReport> {
  const rebuild = options.rebuild === true;
  return dependencies.index.update((writer) => ingestInto(writer, dependencies, options.paths, rebuild), { discard: rebuild });
}

async function ingestInto(writer: PassageIndexWriter, dependencies: IngestDependencies, paths: string[] | undefined, rebuild: boolean): Promise<IngestReport> {
  const started = performance.now();
  const { embedder } = dependencies;
  const chunking = dependencies.chunking ?? defaultChunking;
  const logger = dependencies.logger ?? silentLogger();
  const difference = settingsDifference(writer.manifest, embedder.id, chunking);
  if (difference) throw new ShishinError('conflict', `The index was built ${difference}; ingest with rebuild`);
  const previous = writer.manifest.sources;
  const report: IngestReport = { added: [], updated: [], unchanged: [], removed: [], failed: [], passages: 0, ms: 0 };
  const { files, missing } = await collectFiles(dependencies.corpusDir, paths);
  for (const entry of missing) {
    // A path that held indexed files is not a failure: its sources are dropped below.
    const absolute = path.resolve(entry);
    if (!Object.values(previous).some((record) => within(record.path, absolute))) report.failed.push({ file: entry, reason: 'not found' });
  }
  const fresh = new Map<string, FreshFile>();
  for (const file of files) {
    const outcome = await readChangedFile(file, previous[file.source], chunking, logger);
    if ('failure' in outcome) report.failed.push({ file: file.source, reason: outcome.failure });
    else if (outcome.fresh === undefined) report.unchanged.push(file.source);
    else {
      fresh.set(file.source, outcome.fresh);
      (previous[file.source] ? report.updated : report.added).push(file.source);
    }
  }
  const seen = new Set(files.map((file) => file.source));
  const failedSources = new Set(report.failed.map((failure) => failure.file));
  const given = (paths ?? []).map((entry) => path.resolve(entry));
  const inScope = (recordedPath: string) => given.length === 0 || given.some((entry) => within(recordedPath, entry));
  for (const [source, record] of Object.entries(previous)) {
    if (fresh.has(source)) continue;
    // A file that still exists but no longer loads is dropped with its old passages.
    if (failedSources.has(source) || (!seen.has(source) && inScope(record.path))) report.removed.push(source);
  }

  let manifest = writer.manifest;
  if (rebuild || report.added.length + report.updated.length + report.removed.length > 0) {
    await stageChanges(writer, embedder, fresh, report.removed);
    manifest = await writer.commit({ embedderId: embedder.id, chunking });
  }
  report.passages = manifest.passages;
  report.ms = Math.round(performance.now() - started);
  logger.info(
    {
      added: report.added.length,
      updated: report.updated.length,
      unchanged: report.unchanged.length,
      removed: report.removed.length,
      failed: report.failed.length,
      passages: report.passages,
      ms: report.ms,
    },
    'ingest finished',
  );
  return report;
}

/** Whether `recordedPath` is `entry` or lies under it. */
function within(recordedPath: string, entry: string): boolean {
  return recordedPath === entry || recordedPath.startsWith(`${entry}${path.sep}`);
}

/** How the index's passages were built differently from how this ingest builds them (undefined: the same). */
function settingsDifference(manifest: PassageIndexManifest, embedderId: string, chunking: ChunkingSettings): string | undefined {
  if (manifest.embedderId !== undefined && manifest.embedderId !== embedderId) return `with embedder ${manifest.embedderId}, now ${embedderId}`;
  const stored = manifest.chunking;
  if (stored && (stored.chunkSize !== chunking.chunkSize || stored.chunkOverlap !== chunking.chunkOverlap || stored.version !== chunking.version)) {
    return 'with other chunking settings';
  }
  return undefined;
}

/** Reads one file: unchanged (no `fresh`), loaded and chunked, or a failure reason. */
async function readChangedFile(
  file: CorpusFile,
  record: IndexedSource | undefined,
  chunking: ChunkingSettings,
  logger: Logger,
): Promise<{ fresh?: FreshFile } | { failure: string }> {
  let data: Buffer;
  try {
    data = await readFile(file.file);
  } catch (error) {
    return { failure: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const hash = sha256(data);
  if (record && record.sha256 === hash && record.path === file.file) return {};
  try {
    const document = await loadDocumentData(file.file, data);
    const passages = await chunkDocument(file.source, document, chunking);
    if (passages.length === 0) throw new IngestFileError('empty', 'no text content');
    return { fresh: { file, hash, passages } };
  } catch (error) {
    if (error instanceof IngestFileError) return { failure: error.message };
    logger.error({ err: error, file: file.source }, 'unexpected loader failure');
    return { failure: `cannot load (${(error as Error).message})` };
  }
}

/** Embeds the fresh passages (one batch) and stages them, and the removals, on the writer. */
async function stageChanges(writer: PassageIndexWriter, embedder: Embedder, fresh: Map<string, FreshFile>, removed: string[]): Promise<void> {
  const texts = [...fresh.values()].flatMap((entry) => entry.passages.map((passage) => embeddingText(passage)));
  const vectors = texts.length > 0 ? await embedder.embedDocuments(texts) : [];
  let offset = 0;
  for (const [source, entry] of fresh) {
    writer.putSource({ source, path: entry.file.file, sha256: entry.hash, passages: entry.passages, vectors: vectors.slice(offset, offset + entry.passages.length) });
    offset += entry.passages.length;
  }
  for (const source of removed) writer.removeSource(source);
}
