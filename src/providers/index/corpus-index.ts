// The corpus index: a hybrid retriever over the governance corpus. Dense side: hnswlib (cosine) over
// the configured embedder's vectors; lexical side: BM25 (bm25-index.ts) over stemmed English and
// segmented Japanese tokens; both fused into one [0, 1] score (see fusion.ts). Persisted under
// DATA_DIR/index/ as one generation of files plus a manifest written last (temp file + rename), so a
// reader never sees a half-written index. Ingestion is incremental by file content hash.
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { chunkDocument, defaultChunking, sectionSeparator, sha256, type ChunkingSettings } from '../../core/ingest/chunk-document.js';
import { collectFiles, type CorpusFile } from '../../core/ingest/collect-files.js';
import { IngestFileError } from '../../core/ingest/ingest-file-error.js';
import { loadDocumentData } from '../../core/ingest/load-document.js';
import { ShishinError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Embedder } from '../../ports/embedder.js';
import type { Passage, PassageFilter, ScoredPassage } from '../../ports/passage.js';
import type { PassageCatalog, Retriever, SearchOptions } from '../../ports/retriever.js';
import { defaultFusion, fuseRankings, type FusionOptions, type RankedCandidate } from './fusion.js';
import { Bm25Index, defaultFieldWeights, type Bm25FieldWeights } from './bm25-index.js';
import { lexicalTokens, nameTokens } from './lexical-tokenizer.js';
import { QueryLexicon, type QueryExpansion } from './query-lexicon.js';
import { KanjiGlossary } from './kanji-glossary.js';
import { WordnetThesaurus } from './wordnet-thesaurus.js';

const cjkText = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const FORMAT_VERSION = 3;

/** Retrieval mode: both sides fused (default), or one side alone (for evaluation and debugging). */
export type SearchMode = 'hybrid' | 'dense' | 'bm25';

export interface CorpusSearchOptions extends SearchOptions {
  mode?: SearchMode;
  /** Overrides the index's fusion settings for this call (evaluation). */
  fusion?: Partial<FusionOptions>;
  /** Expand the lexical query with the governance lexicon and WordNet synonyms (default true when the index has them). */
  expand?: boolean;
}

/** Why the top result should (or should not) be trusted: the answer service's abstention input. */
export interface RetrievalEvidence {
  /** Fused score of the best passage (0 when nothing matched). */
  topScore: number;
  /** Best dense similarity among the results, on the [0, 1] scale. */
  topDense: number;
  /** Best lexical score: idf-weighted share of the query's terms found in one passage, [0, 1]. */
  topLexical: number;
  /**
   * Share of the query's idf-weighted terms that occur anywhere in the corpus (names weigh
   * `nameWeight`×). Every fused score is multiplied by this share squared, so a question about a
   * name or topic the corpus never mentions scores low even when its other words match well.
   */
  queryCoverage: number;
  /** Query terms (lexical tokens) found nowhere in the corpus. */
  unknownTerms: string[];
  /** Whether `topScore` reaches `relevanceThreshold`. */
  covered: boolean;
}

export interface HnswSettings {
  /** Graph degree. */
  m: number;
  efConstruction: number;
  /** Search breadth (at least k is used). */
  ef: number;
}

export const defaultHnsw: HnswSettings = { m: 16, efConstruction: 200, ef: 400 };

/**
 * Scale mapping for dense cosine similarities: similarity is re-based to (cos − floor) / (1 − floor)
 * so unrelated passages score 0. Measured on the gold set with centred vectors (floors 0, 0.1, 0.2).
 */
export const defaultDenseFloor = 0.1;

/** Fused score at or above which the corpus is taken to cover a question (calibrated; see docs/retrieval.md). */
export const defaultRelevanceThreshold = 0.05;

export interface CorpusIndexOptions {
  /** Service data folder; the index lives in `<dataDir>/index/`. */
  dataDir: string;
  /** Corpus root: default ingest location and the base of passage `source` names. */
  corpusDir: string;
  embedder: Embedder;
  logger?: Logger;
  /** Ingest the corpus folder when no usable index exists (default false: start empty). */
  autoIngest?: boolean;
  chunking?: ChunkingSettings;
  tokenizer?: TokenizerSettings;
  fusion?: Partial<FusionOptions>;
  hnsw?: Partial<HnswSettings>;
  denseFloor?: number;
  /** Subtract the corpus mean vector before cosine search (removes the shared component of averaged word vectors). */
  centreVectors?: boolean;
  /** Weight of names (capitalised words, acronyms) in the query-coverage evidence (default 3). */
  nameWeight?: number;
  relevanceThreshold?: number;
  /**
   * Synonym groups and Japanese↔English terms for query expansion (default: the file
   * `governance-lexicon.yaml` next to query-lexicon.ts, when present); `null` turns expansion off.
   */
  lexicon?: QueryLexicon | null;
  /**
   * WordNet synonyms for question words, restricted to the corpus vocabulary (default: the file
   * `models/wordnet-thesaurus.json` built at install time; absent → a warning and no synonyms);
   * `null` turns them off.
   */
  thesaurus?: WordnetThesaurus | null;
  /**
   * English meanings of the kanji in Japanese questions, restricted to the corpus vocabulary
   * (default: KANJIDIC from the npm package `kanjidic`; absent → a warning and no bridge); `null` turns it off.
   */
  glossary?: KanjiGlossary | null;
  /** Weights of heading-path and title terms in BM25, relative to body terms (default `defaultFieldWeights`). */
  fieldWeights?: Partial<Bm25FieldWeights>;
}

/** Outcome of one `ingest` call; file lists hold passage `source` names (or paths for failures). */
export interface IngestReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  failed: Array<{ file: string; reason: string }>;
  /** Passages in the index afterwards. */
  passages: number;
  ms: number;
}

const artifactSchema = z.object({ name: z.string(), sha256: z.string() });
const manifestSchema = z.object({
  formatVersion: z.number(),
  generation: z.string(),
  embedder: z.object({ id: z.string(), dimensions: z.number().int().nonnegative() }),
  chunking: z.object({ chunkSize: z.number(), chunkOverlap: z.number(), version: z.number() }),
  hnsw: z.object({ m: z.number(), efConstruction: z.number() }),
  tokenizer: z.object({
    cjkBigrams: z.boolean(),
    version: z.number(),
    /** BM25 field weights; absent in indexes written before they were configurable (then 1.5 / 0.5). */
    fields: z.object({ section: z.number(), title: z.number() }).optional(),
  }),
  /** Mean vector subtracted before dense search, or null when centring is off. */
  centre: z.array(z.number()).nullable(),
  builtAt: z.string(),
  passageCount: z.number().int().nonnegative(),
  files: z.record(z.string(), z.object({ path: z.string(), sha256: z.string(), passages: z.number().int().nonnegative() })),
  artifacts: z.object({ passages: artifactSchema, vectors: artifactSchema, hnsw: artifactSchema.nullable(), lexical: artifactSchema }),
});
type Manifest = z.infer<typeof manifestSchema>;

interface IndexState {
  manifest: Manifest | undefined;
  passages: Passage[];
  /** Row-major vectors, `passages.length × dimensions`; undefined until needed for a rebuild. */
  vectors: Float32Array | undefined;
  hnsw: hnswlib.HierarchicalNSW | undefined;
  lexical: Bm25Index;
  bySource: Map<string, number[]>;
}

/** Lexical tokenizer settings recorded in the manifest (a change rebuilds the BM25 side). */
export interface TokenizerSettings {
  cjkBigrams: boolean;
  version: number;
}

export const defaultTokenizer: TokenizerSettings = { cjkBigrams: false, version: 2 };

/** Text embedded for a passage: the heading path gives short passages their topic. */
export function embeddingText(passage: Pick<Passage, 'title' | 'section' | 'text'>): string {
  return `${passage.section.replace(/ › /g, ', ')}\n${passage.text}`;
}

function emptyLexical(): Bm25Index {
  return Bm25Index.build([], () => []);
}

function buildLexical(passages: Passage[], tokenizer: TokenizerSettings, fields: Bm25FieldWeights): Bm25Index {
  return Bm25Index.build(passages, (text) => lexicalTokens(text, { cjkBigrams: tokenizer.cjkBigrams }), fields);
}

/** Mean of the stored vectors (the centre subtracted before search when centring is on). */
function meanVector(vectors: Float32Array, count: number, dimensions: number): number[] {
  const mean = new Array<number>(dimensions).fill(0);
  for (let row = 0; row < count; row += 1) {
    for (let d = 0; d < dimensions; d += 1) mean[d] = (mean[d] as number) + (vectors[row * dimensions + d] as number) / count;
  }
  return mean;
}

function buildHnsw(vectors: Float32Array, count: number, dimensions: number, settings: HnswSettings, centre: number[] | undefined): hnswlib.HierarchicalNSW | undefined {
  if (count === 0) return undefined;
  const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
  index.initIndex(count, settings.m, settings.efConstruction, 100);
  for (let row = 0; row < count; row += 1) {
    const vector = Array.from(vectors.subarray(row * dimensions, (row + 1) * dimensions));
    index.addPoint(centre ? vector.map((value, d) => value - (centre[d] as number)) : vector, row);
  }
  index.setEf(settings.ef);
  return index;
}

function matchesFilter(passage: Passage, filter: PassageFilter | undefined): boolean {
  if (!filter) return true;
  const check = (allowed: string[] | undefined, value: string | undefined) =>
    allowed === undefined || allowed.length === 0 || (value !== undefined && allowed.includes(value));
  return (
    check(filter.jurisdiction, passage.jurisdiction) &&
    check(filter.framework, passage.framework) &&
    check(filter.kind, passage.kind) &&
    check(filter.source, passage.source)
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const inProcessLocks = new Map<string, Promise<unknown>>();

export class CorpusIndex implements Retriever, PassageCatalog {
  /** Fused score at or above which the corpus covers a question. */
  readonly relevanceThreshold: number;
  readonly fusion: FusionOptions;
  private readonly directory: string;
  private readonly corpusDir: string;
  private readonly embedder: Embedder;
  private readonly logger: Logger;
  private readonly chunking: ChunkingSettings;
  private readonly tokenizer: TokenizerSettings;
  private readonly hnswSettings: HnswSettings;
  private readonly denseFloor: number;
  private readonly centreVectors: boolean;
  private readonly nameWeight: number;
  private readonly lexicon: QueryLexicon | null;
  private readonly thesaurus: WordnetThesaurus | null;
  /** Undefined until the first Japanese question: only those need KANJIDIC (read in ~50 ms). */
  private glossaryValue: KanjiGlossary | null | undefined;
  private readonly fieldWeights: Bm25FieldWeights;
  private state: IndexState;

  private constructor(options: CorpusIndexOptions) {
    this.directory = path.join(path.resolve(options.dataDir), 'index');
    this.corpusDir = path.resolve(options.corpusDir);
    this.embedder = options.embedder;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'corpus-index' });
    this.chunking = options.chunking ?? defaultChunking;
    this.tokenizer = options.tokenizer ?? defaultTokenizer;
    this.hnswSettings = { ...defaultHnsw, ...options.hnsw };
    this.fusion = { ...defaultFusion, ...options.fusion };
    this.denseFloor = options.denseFloor ?? defaultDenseFloor;
    this.centreVectors = options.centreVectors ?? true;
    this.nameWeight = options.nameWeight ?? 3;
    this.lexicon = options.lexicon === undefined ? QueryLexicon.loadDefault({ cjkBigrams: this.tokenizer.cjkBigrams }) : options.lexicon;
    this.thesaurus = options.thesaurus === undefined ? WordnetThesaurus.loadDefault(this.logger) : options.thesaurus;
    this.glossaryValue = options.glossary;
    this.fieldWeights = { ...defaultFieldWeights, ...options.fieldWeights };
    this.relevanceThreshold = options.relevanceThreshold ?? defaultRelevanceThreshold;
    this.state = { manifest: undefined, passages: [], vectors: undefined, hnsw: undefined, lexical: emptyLexical(), bySource: new Map() };
  }

  /**
   * Opens the index in `<dataDir>/index/`. A stored index built with another embedder, other
   * chunking settings, or with missing/corrupt files is rebuilt from its recorded files (reason
   * logged). With no index at all: `autoIngest` ingests `corpusDir`, else the index starts empty.
   */
  static async open(options: CorpusIndexOptions): Promise<CorpusIndex> {
    const index = new CorpusIndex(options);
    const started = performance.now();
    let outcome = await index.loadFromDisk();
    // A writer in another process may have replaced the generation while we were reading it: if the
    // manifest changed meanwhile, read the new one instead of rebuilding.
    for (let attempt = 0; attempt < 3 && !outcome.loaded && outcome.stale && outcome.generation !== undefined; attempt += 1) {
      const { manifest } = await index.readManifest();
      if (manifest === undefined || manifest.generation === outcome.generation) break;
      outcome = await index.loadFromDisk();
    }
    if (outcome.loaded) {
      index.logger.info({ passages: index.size(), ms: Math.round(performance.now() - started) }, 'index loaded');
    } else if (outcome.stale) {
      index.logger.warn({ reason: outcome.reason }, 'stored index unusable; rebuilding');
      await index.ingest(outcome.paths, { rebuild: true });
    } else if (options.autoIngest) {
      index.logger.info({ corpusDir: index.corpusDir }, 'no index yet; ingesting the corpus');
      await index.ingest();
    }
    return index;
  }

  /** Number of passages in the index. */
  size(): number {
    return this.state.passages.length;
  }

  /** Every passage, in index order (read-only use). */
  allPassages(): readonly Passage[] {
    return this.state.passages;
  }

  /** Identity of the embedder this index was built with. */
  get embedderId(): string {
    return this.embedder.id;
  }

  /** Passages of `source` whose section equals `section` or lies under it (`section › …`). */
  findSection(source: string, section: string): Passage[] {
    const rows = this.state.bySource.get(source) ?? [];
    const prefix = `${section}${sectionSeparator}`;
    return rows
      .map((row) => this.state.passages[row] as Passage)
      .filter((passage) => passage.section === section || passage.section.startsWith(prefix));
  }

  /** Lexicon members related to the query's words (empty without a lexicon); see query-lexicon.ts. */
  relatedPhrases(query: string): string[] {
    return this.lexicon?.relatedPhrases(query) ?? [];
  }

  async search(query: string, options: CorpusSearchOptions = {}): Promise<ScoredPassage[]> {
    return (await this.searchWithEvidence(query, options)).results;
  }

  /** Ranked passages plus the evidence used to decide whether the corpus covers the question. */
  async searchWithEvidence(query: string, options: CorpusSearchOptions = {}): Promise<{ results: ScoredPassage[]; evidence: RetrievalEvidence }> {
    const k = Math.max(1, options.k ?? 8);
    const mode = options.mode ?? 'hybrid';
    const { passages } = this.state;
    const none = { results: [], evidence: { topScore: 0, topDense: 0, topLexical: 0, queryCoverage: 0, unknownTerms: [], covered: false } };
    if (passages.length === 0 || query.trim() === '') return none;
    const filter = options.filter;
    const allowed = (row: number) => matchesFilter(passages[row] as Passage, filter);
    const candidates = Math.max(50, k * 4);
    const dense = mode === 'bm25' ? [] : await this.denseCandidates(this.denseQuery(query, options.expand !== false), candidates, filter ? allowed : undefined);
    const queryTerms = [...new Set(lexicalTokens(query, { cjkBigrams: this.tokenizer.cjkBigrams }))];
    const expansions = options.expand === false ? [] : this.expansions(query, queryTerms);
    const lexical = mode === 'dense' ? [] : this.lexicalCandidates(queryTerms, expansions, candidates, filter ? allowed : undefined);
    const fusion = { ...this.fusion, ...options.fusion };
    const fused =
      mode === 'dense'
        ? dense.map((candidate) => ({ id: candidate.id, score: candidate.score, dense: candidate.score, lexical: 0 }))
        : mode === 'bm25'
          ? lexical.map((candidate) => ({ id: candidate.id, score: candidate.score, dense: 0, lexical: candidate.score }))
          : fuseRankings(dense, lexical, fusion);
    const { coverage, unknownTerms } = this.queryCoverage(query, expansions);
    const scale = coverage * coverage;
    const results = fused
      .filter((candidate) => candidate.score > 0)
      .slice(0, k)
      .map((candidate) => ({ passage: passages[candidate.id] as Passage, score: candidate.score * scale }));
    const topScore = results[0]?.score ?? 0;
    const evidence: RetrievalEvidence = {
      topScore,
      topDense: dense[0]?.score ?? 0,
      topLexical: lexical.reduce((best, candidate) => Math.max(best, candidate.score), 0),
      queryCoverage: coverage,
      unknownTerms,
      covered: topScore >= this.relevanceThreshold,
    };
    return { results, evidence };
  }

  private get glossary(): KanjiGlossary | null {
    if (this.glossaryValue === undefined) this.glossaryValue = KanjiGlossary.loadDefault(this.logger);
    return this.glossaryValue;
  }

  /**
   * Lexical expansions of a question: the reviewed governance lexicon first, then, for the words it
   * left alone and at lower weights, WordNet synonyms (English words) and kanji glosses (Japanese words).
   */
  private expansions(query: string, queryTerms: string[]): QueryExpansion[] {
    const reviewed = this.lexicon?.expand(query, queryTerms) ?? [];
    const japanese = cjkText.test(query);
    if (!this.thesaurus && !japanese) return reviewed;
    const covered = new Set(reviewed.flatMap((expansion) => expansion.replaces));
    const vocabulary = this.state.lexical;
    return [
      ...reviewed,
      ...(this.thesaurus?.expand(query, queryTerms, vocabulary, covered) ?? []),
      ...((japanese ? this.glossary?.expand(queryTerms, vocabulary, covered) : undefined) ?? []),
    ];
  }

  /**
   * The text embedded for the dense side. A Japanese question also carries the lexicon's English
   * equivalents of its terms and the first English meaning of each of its kanji (KANJIDIC): the local
   * embedder has English word vectors only, so without them a Japanese question cannot reach an
   * English passage by meaning. (Adding same-language synonyms to English questions measured worse;
   * see docs/retrieval.md.)
   */
  private denseQuery(query: string, expand: boolean): string {
    if (!expand || !cjkText.test(query)) return query;
    const english = (this.lexicon?.relatedPhrases(query) ?? []).filter((phrase) => !cjkText.test(phrase));
    english.push(...(this.glossary?.denseGlosses(lexicalTokens(query, { cjkBigrams: false })) ?? []));
    return english.length === 0 ? query : `${query} ${english.join(' ')}`;
  }

  private async denseCandidates(query: string, count: number, allowed?: (row: number) => boolean): Promise<RankedCandidate[]> {
    const hnsw = this.state.hnsw;
    if (!hnsw) return [];
    const raw = await this.embedder.embedQuery(query);
    const centre = this.state.manifest?.centre ?? undefined;
    const vector = centre ? raw.map((value, d) => value - (centre[d] as number)) : raw;
    const wanted = Math.min(count, hnsw.getCurrentCount());
    hnsw.setEf(Math.max(this.hnswSettings.ef, wanted));
    const { neighbors, distances } = allowed ? hnsw.searchKnn(vector, wanted, allowed) : hnsw.searchKnn(vector, wanted);
    const floor = this.denseFloor;
    return neighbors.map((id, position) => {
      const cosine = 1 - (distances[position] as number);
      return { id, score: Math.min(1, Math.max(0, (cosine - floor) / (1 - floor))) };
    });
  }

  /** idf-weighted share of the query's terms present in the corpus; names count `nameWeight`×. */
  private queryCoverage(query: string, expansions: QueryExpansion[] = []): { coverage: number; unknownTerms: string[] } {
    const terms = [...new Set(lexicalTokens(query, { cjkBigrams: this.tokenizer.cjkBigrams }))].filter((term) => !term.startsWith('¦') && !term.startsWith('§'));
    if (terms.length === 0) return { coverage: 1, unknownTerms: [] };
    const names = nameTokens(query);
    const lexical = this.state.lexical;
    let known = 0;
    let total = 0;
    const unknownTerms: string[] = [];
    for (const term of terms) {
      const weight = lexical.idf(term) * (names.has(term) ? this.nameWeight : 1);
      total += weight;
      if (lexical.documentFrequency(term) > 0) known += weight;
      else {
        unknownTerms.push(term);
        // A word the corpus never uses but whose lexicon equivalent it does ("supervising" →
        // "human oversight") counts at the expansion weight.
        const bridged = expansions.find(
          (expansion) => expansion.replaces.includes(term) && expansion.alternatives.some((alternative) => alternative.every((token) => lexical.documentFrequency(token) > 0)),
        );
        if (bridged) known += weight * bridged.weight;
      }
    }
    return { coverage: total > 0 ? known / total : 1, unknownTerms };
  }

  private lexicalCandidates(queryTerms: string[], expansions: QueryExpansion[], count: number, allowed?: (row: number) => boolean): RankedCandidate[] {
    if (queryTerms.length === 0) return [];
    const hits = this.state.lexical.search(queryTerms, count, allowed, expansions);
    const best = hits[0]?.score ?? 0;
    return hits
      .map((hit) => ({ id: hit.id, score: Math.min(1, hit.coverage * (0.5 + 0.5 * (best > 0 ? hit.score / best : 0))) }))
      .sort((left, right) => right.score - left.score || left.id - right.id);
  }

  /**
   * Ingests files and folders (default: the whole corpus folder). Unchanged files (same SHA-256)
   * are skipped, changed ones re-chunked and re-embedded, files gone from the scanned folders
   * dropped. A file that fails to load is reported and left out; the others are still indexed.
   */
  async ingest(paths?: string[], options: { rebuild?: boolean } = {}): Promise<IngestReport> {
    return this.withWriteLock(() => this.ingestLocked(paths, options.rebuild === true));
  }

  private async ingestLocked(paths: string[] | undefined, rebuild: boolean): Promise<IngestReport> {
    const started = performance.now();
    // Another process may have written a newer generation while we waited for the lock.
    if (!rebuild) await this.refreshFromDisk();
    if (rebuild) this.state = { manifest: undefined, passages: [], vectors: undefined, hnsw: undefined, lexical: emptyLexical(), bySource: new Map() };
    const report: IngestReport = { added: [], updated: [], unchanged: [], removed: [], failed: [], passages: 0, ms: 0 };
    const { files, missing } = await collectFiles(this.corpusDir, paths);
    const previous = this.state.manifest?.files ?? {};
    const given = (paths ?? []).map((entry) => path.resolve(entry));
    const inScope = (recordedPath: string) =>
      given.length === 0 ||
      given.some((entry) => recordedPath === entry || recordedPath.startsWith(`${entry}${path.sep}`));
    for (const entry of missing) {
      const absolute = path.resolve(entry);
      if (!Object.values(previous).some((record) => record.path === absolute || record.path.startsWith(`${absolute}${path.sep}`))) {
        report.failed.push({ file: entry, reason: 'not found' });
      }
    }

    const seen = new Set<string>();
    const fresh = new Map<string, { file: CorpusFile; hash: string; passages: Passage[] }>();
    for (const file of files) {
      seen.add(file.source);
      let data: Buffer;
      try {
        data = await readFile(file.file);
      } catch (error) {
        report.failed.push({ file: file.source, reason: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      const hash = sha256(data);
      const record = previous[file.source];
      if (record && record.sha256 === hash && record.path === file.file) {
        report.unchanged.push(file.source);
        continue;
      }
      try {
        const document = await loadDocumentData(file.file, data);
        const passages = await chunkDocument(file.source, document, this.chunking);
        if (passages.length === 0) throw new IngestFileError('empty', 'no text content');
        fresh.set(file.source, { file, hash, passages });
        (record ? report.updated : report.added).push(file.source);
      } catch (error) {
        const reason = error instanceof IngestFileError ? error.message : `cannot load (${(error as Error).message})`;
        if (!(error instanceof IngestFileError)) this.logger.error({ err: error, file: file.source }, 'unexpected loader failure');
        report.failed.push({ file: file.source, reason });
      }
    }
    const failedSources = new Set(report.failed.map((failure) => failure.file));
    for (const [source, record] of Object.entries(previous)) {
      if (fresh.has(source)) continue;
      // A file that still exists but no longer loads is dropped with its old passages.
      if (failedSources.has(source) || (!seen.has(source) && inScope(record.path))) report.removed.push(source);
    }

    const changed = rebuild || report.added.length + report.updated.length + report.removed.length > 0;
    if (changed) await this.rebuild(previous, fresh, new Set(report.removed));
    report.passages = this.size();
    report.ms = Math.round(performance.now() - started);
    this.logger.info(
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

  /** Assembles the next generation (kept passages + vectors, fresh ones embedded) and persists it. */
  private async rebuild(
    previous: Manifest['files'],
    fresh: Map<string, { file: CorpusFile; hash: string; passages: Passage[] }>,
    removed: Set<string>,
  ): Promise<void> {
    const old = this.state;
    const oldVectors = old.passages.length > 0 ? await this.storedVectors() : undefined;
    const embedded = new Map<string, number[][]>();
    const freshPassages = [...fresh.values()].flatMap((entry) => entry.passages);
    if (freshPassages.length > 0) {
      const vectors = await this.embedder.embedDocuments(freshPassages.map(embeddingText));
      let offset = 0;
      for (const [source, entry] of fresh) {
        embedded.set(source, vectors.slice(offset, offset + entry.passages.length));
        offset += entry.passages.length;
      }
    }
    const dimensions = this.embedder.dimensions || (embedded.values().next().value?.[0]?.length ?? 0);
    const files: Manifest['files'] = {};
    const sources = new Set<string>([...Object.keys(previous), ...fresh.keys()]);
    const ordered = [...sources].filter((source) => !removed.has(source) || fresh.has(source)).sort();
    const passages: Passage[] = [];
    const rows: Array<ArrayLike<number>> = [];
    for (const source of ordered) {
      const entry = fresh.get(source);
      if (entry) {
        const vectors = embedded.get(source) ?? [];
        entry.passages.forEach((passage, position) => {
          passages.push(passage);
          rows.push(vectors[position] as number[]);
        });
        files[source] = { path: entry.file.file, sha256: entry.hash, passages: entry.passages.length };
        continue;
      }
      const record = previous[source];
      const oldRows = old.bySource.get(source);
      if (!record || !oldRows || !oldVectors) continue;
      for (const row of oldRows) {
        passages.push(old.passages[row] as Passage);
        rows.push(oldVectors.subarray(row * dimensions, (row + 1) * dimensions));
      }
      files[source] = record;
    }
    const vectors = new Float32Array(passages.length * dimensions);
    rows.forEach((row, position) => {
      if (row.length !== dimensions) throw new ShishinError('provider_failed', `Embedder returned ${row.length} dimensions, expected ${dimensions}`);
      vectors.set(row, position * dimensions);
    });
    const centre = this.centreVectors && passages.length > 0 ? meanVector(vectors, passages.length, dimensions) : undefined;
    const hnsw = buildHnsw(vectors, passages.length, dimensions, this.hnswSettings, centre);
    const lexical = buildLexical(passages, this.tokenizer, this.fieldWeights);
    const manifest = await this.persist(passages, vectors, hnsw, lexical, files, dimensions, centre);
    this.state = { manifest, passages, vectors, hnsw, lexical, bySource: groupBySource(passages) };
  }

  private async storedVectors(): Promise<Float32Array | undefined> {
    if (this.state.vectors) return this.state.vectors;
    const artifact = this.state.manifest?.artifacts.vectors;
    if (!artifact) return undefined;
    const data = await readFile(path.join(this.directory, artifact.name));
    if (sha256(data) !== artifact.sha256) throw new ShishinError('conflict', 'Stored vectors are corrupt');
    const vectors = new Float32Array(data.byteLength / 4);
    new Uint8Array(vectors.buffer).set(data);
    this.state.vectors = vectors;
    return vectors;
  }

  private async persist(
    passages: Passage[],
    vectors: Float32Array,
    hnsw: hnswlib.HierarchicalNSW | undefined,
    lexical: Bm25Index,
    files: Manifest['files'],
    dimensions: number,
    centre: number[] | undefined,
  ): Promise<Manifest> {
    await mkdir(this.directory, { recursive: true });
    const generation = `${Date.now().toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const write = async (name: string, data: string | Buffer) => {
      await writeFile(path.join(this.directory, name), data);
      return { name, sha256: sha256(data) };
    };
    const passagesArtifact = await write(`passages-${generation}.json`, asciiJson(passages));
    const vectorsArtifact = await write(`vectors-${generation}.f32`, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    let hnswArtifact: { name: string; sha256: string } | null = null;
    if (hnsw) {
      const name = `hnsw-${generation}.bin`;
      await hnsw.writeIndex(path.join(this.directory, name));
      hnswArtifact = { name, sha256: sha256(await readFile(path.join(this.directory, name))) };
    }
    const lexicalArtifact = await write(`lexical-${generation}.bin`, lexical.serialize());
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      generation,
      embedder: { id: this.embedder.id, dimensions },
      chunking: { ...this.chunking },
      hnsw: { m: this.hnswSettings.m, efConstruction: this.hnswSettings.efConstruction },
      tokenizer: { ...this.tokenizer, fields: { ...this.fieldWeights } },
      centre: centre ?? null,
      builtAt: new Date().toISOString(),
      passageCount: passages.length,
      files,
      artifacts: { passages: passagesArtifact, vectors: vectorsArtifact, hnsw: hnswArtifact, lexical: lexicalArtifact },
    };
    const temporary = path.join(this.directory, `manifest.json.${generation}.tmp`);
    await writeFile(temporary, JSON.stringify(manifest, null, 2));
    await rename(temporary, path.join(this.directory, 'manifest.json'));
    await this.removeOldGenerations(generation, this.state.manifest?.generation);
    return manifest;
  }

  /** Deletes files of generations older than the previous one (a reader may still be opening that). */
  private async removeOldGenerations(current: string, previous: string | undefined): Promise<void> {
    const keep = new Set([current, previous].filter((value): value is string => value !== undefined));
    for (const name of await readdir(this.directory)) {
      const match = /^(?:passages|vectors|hnsw|lexical)-(.+)\.(?:json|f32|bin)$/.exec(name) ?? /^manifest\.json\.(.+)\.tmp$/.exec(name);
      if (match && !keep.has(match[1] as string)) await rm(path.join(this.directory, name), { force: true });
    }
  }

  private async readManifest(): Promise<{ manifest?: Manifest; problem?: string }> {
    const file = path.join(this.directory, 'manifest.json');
    if (!existsSync(file)) return {};
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? { manifest: parsed.data } : { problem: 'manifest has an unknown format' };
    } catch {
      return { problem: 'manifest is not valid JSON' };
    }
  }

  private async loadFromDisk(): Promise<{ loaded: true } | { loaded: false; stale: boolean; reason?: string; paths?: string[]; generation?: string }> {
    const { manifest, problem } = await this.readManifest();
    if (problem) return { loaded: false, stale: true, reason: problem };
    if (!manifest) return { loaded: false, stale: false };
    const recorded = Object.values(manifest.files).map((record) => record.path);
    const paths = recorded.length > 0 ? recorded.filter((file) => existsSync(file)) : undefined;
    const stale = (reason: string) => ({ loaded: false as const, stale: true, reason, paths, generation: manifest.generation });
    if (manifest.formatVersion !== FORMAT_VERSION) return stale(`index format ${manifest.formatVersion}, expected ${FORMAT_VERSION}`);
    if (manifest.embedder.id !== this.embedder.id) return stale(`built with embedder ${manifest.embedder.id}, now ${this.embedder.id}`);
    if (this.embedder.dimensions > 0 && manifest.embedder.dimensions !== this.embedder.dimensions && manifest.passageCount > 0) {
      return stale(`built with ${manifest.embedder.dimensions} dimensions, embedder gives ${this.embedder.dimensions}`);
    }
    if (manifest.chunking.chunkSize !== this.chunking.chunkSize || manifest.chunking.chunkOverlap !== this.chunking.chunkOverlap || manifest.chunking.version !== this.chunking.version) {
      return stale('chunking settings changed');
    }
    if (manifest.tokenizer.cjkBigrams !== this.tokenizer.cjkBigrams || manifest.tokenizer.version !== this.tokenizer.version) return stale('tokenizer settings changed');
    const fields = manifest.tokenizer.fields ?? { section: 1.5, title: 0.5 };
    if (fields.section !== this.fieldWeights.section || fields.title !== this.fieldWeights.title) return stale('lexical field weights changed');
    if ((manifest.centre !== null) !== this.centreVectors) return stale('vector centring setting changed');
    if (manifest.hnsw.m !== this.hnswSettings.m || manifest.hnsw.efConstruction !== this.hnswSettings.efConstruction) return stale('HNSW settings changed');
    try {
      const read = async (artifact: { name: string; sha256: string }) => {
        const data = await readFile(path.join(this.directory, artifact.name));
        if (sha256(data) !== artifact.sha256) throw new Error(`${artifact.name} is corrupt (checksum mismatch)`);
        return data;
      };
      // Passages are written as ASCII JSON (see persist), which decodes several times faster than UTF-8.
      const passagesData = await read(manifest.artifacts.passages);
      const passages = JSON.parse(isAscii(passagesData) ? passagesData.toString('latin1') : passagesData.toString('utf8')) as Passage[];
      if (!Array.isArray(passages) || passages.length !== manifest.passageCount) throw new Error('passage count does not match the manifest');
      const lexical = Bm25Index.deserialize(await read(manifest.artifacts.lexical));
      let hnsw: hnswlib.HierarchicalNSW | undefined;
      if (manifest.artifacts.hnsw) {
        // Hashed as a stream (hnswlib reads the file itself, so holding it in memory would only raise
        // the peak), and verified before hnswlib sees it: it must never read a damaged file.
        const name = manifest.artifacts.hnsw.name;
        if ((await sha256OfFile(path.join(this.directory, name))) !== manifest.artifacts.hnsw.sha256) throw new Error(`${name} is corrupt (checksum mismatch)`);
        hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimensions);
        await hnsw.readIndex(path.join(this.directory, name));
        if (hnsw.getCurrentCount() !== passages.length) throw new Error('vector count does not match the manifest');
        hnsw.setEf(this.hnswSettings.ef);
      } else if (passages.length > 0) {
        throw new Error('vector index missing');
      }
      this.state = { manifest, passages, vectors: undefined, hnsw, lexical, bySource: groupBySource(passages) };
      return { loaded: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return stale(code === 'ENOENT' ? `index file missing (${path.basename((error as NodeJS.ErrnoException).path ?? '')})` : (error as Error).message);
    }
  }

  /** Reloads when another process wrote a newer generation; a broken one is ignored (we rewrite it). */
  private async refreshFromDisk(): Promise<void> {
    const { manifest } = await this.readManifest();
    if (!manifest || manifest.generation === this.state.manifest?.generation) return;
    const outcome = await this.loadFromDisk();
    if (!outcome.loaded) this.state = { manifest: undefined, passages: [], vectors: undefined, hnsw: undefined, lexical: emptyLexical(), bySource: new Map() };
  }

  /** One writer at a time per index folder: an in-process queue plus a lock file across processes. */
  private async withWriteLock<T>(work: () => Promise<T>): Promise<T> {
    const key = this.directory;
    const before = inProcessLocks.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(async () => {
      await mkdir(this.directory, { recursive: true });
      const lockFile = path.join(this.directory, '.write.lock');
      const deadline = Date.now() + 10 * 60_000;
      for (;;) {
        try {
          const handle = await open(lockFile, 'wx');
          await handle.writeFile(String(process.pid));
          await handle.close();
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
          if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder) || holder === process.pid) {
            await rm(lockFile, { force: true });
            continue;
          }
          if (Date.now() > deadline) throw new ShishinError('conflict', `Index ${this.directory} is locked by process ${holder}`);
          // Polling: a lock file held by another process offers no event to wait on.
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      try {
        return await work();
      } finally {
        await rm(lockFile, { force: true });
      }
    });
    inProcessLocks.set(key, run);
    return run;
  }
}

/** JSON with every non-ASCII character escaped (\\uXXXX): the same value, but it can be decoded as Latin-1. */
export function asciiJson(value: unknown): string {
  // split('') gives UTF-16 units, so a character outside the Basic Multilingual Plane becomes its two escapes.
  const escape = (character: string) => character.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(value).replace(/[^\p{ASCII}]/gu, escape);
}

/** SHA-256 of a file, read in chunks. */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function groupBySource(passages: Passage[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  passages.forEach((passage, row) => {
    const rows = groups.get(passage.source);
    if (rows) rows.push(row);
    else groups.set(passage.source, [row]);
  });
  return groups;
}
