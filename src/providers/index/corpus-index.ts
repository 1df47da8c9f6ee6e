// The corpus index: a hybrid retriever over the governance corpus. Dense side: hnswlib (cosine) over
// the configured embedder's vectors; lexical side: BM25 (bm25-index.ts) over stemmed English and
// segmented Japanese tokens; both fused into one [0, 1] score (see fusion.ts). It is also the
// PassageIndex the ingestion pipeline (core/ingest/ingest-corpus.ts) writes through: each commit
// becomes one generation of files under DATA_DIR/index/ (index-files.ts); `open` and `ingest` run
// that pipeline for callers that only hold a CorpusIndex.
import { existsSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { defaultChunking, sectionSeparator, type ChunkingSettings } from '../../core/ingest/chunk-document.js';
import type { IngestReport } from '../../core/ingest/ingest-corpus.js';
import { ShishinError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Embedder } from '../../ports/embedder.js';
import type { Passage, PassageFilter, ScoredPassage } from '../../ports/passage.js';
import type { IndexBuildSettings, PassageIndex, PassageIndexManifest, PassageIndexWriter, SourcePassages, UpdateOptions } from '../../ports/passage-index.js';
import type { PassageCatalog, Retriever, SearchOptions } from '../../ports/retriever.js';
import { defaultFusion, fuseRankings, type FusionOptions, type RankedCandidate } from './fusion.js';
import { Bm25Index, defaultFieldWeights, type Bm25FieldWeights } from './bm25-index.js';
import { IndexFiles, indexFormatVersion, type IndexManifest } from './index-files.js';
import { withIndexWriteLock } from './index-write-lock.js';
import { lexicalTokens, nameTokens } from './lexical-tokenizer.js';
import { QueryLexicon, type QueryExpansion } from './query-lexicon.js';
import { KanjiGlossary } from './kanji-glossary.js';
import { WordnetThesaurus } from './wordnet-thesaurus.js';

const cjkText = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

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


interface IndexState {
  manifest: IndexManifest | undefined;
  passages: Passage[];
  /** Row-major vectors, `passages.length × dimensions`; undefined until needed for a rebuild. */
  vectors: Float32Array | undefined;
  hnsw: hnswlib.HierarchicalNSW | undefined;
  lexical: Bm25Index;
  bySource: Map<string, number[]>;
}

function emptyState(): IndexState {
  return { manifest: undefined, passages: [], vectors: undefined, hnsw: undefined, lexical: Bm25Index.build([], () => []), bySource: new Map() };
}

/** Lexical tokenizer settings recorded in the manifest (a change rebuilds the BM25 side). */
export interface TokenizerSettings {
  cjkBigrams: boolean;
  version: number;
}

export const defaultTokenizer: TokenizerSettings = { cjkBigrams: false, version: 2 };

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

export class CorpusIndex implements Retriever, PassageCatalog, PassageIndex {
  /** Fused score at or above which the corpus covers a question. */
  readonly relevanceThreshold: number;
  readonly fusion: FusionOptions;
  private readonly directory: string;
  private readonly files: IndexFiles;
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
    this.files = new IndexFiles(this.directory);
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
    this.state = emptyState();
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
      const { manifest } = await index.files.readManifest();
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
   * Ingests files and folders (default: the whole corpus folder) with the core pipeline
   * (core/ingest/ingest-corpus.ts), this index's embedder and chunking.
   */
  async ingest(paths?: string[], options: { rebuild?: boolean } = {}): Promise<IngestReport> {
    // Loaded on first use: opening a built index (every `ask`) needs none of the document loaders.
    const { ingestCorpus } = await import('../../core/ingest/ingest-corpus.js');
    return ingestCorpus(
      { index: this, embedder: this.embedder, corpusDir: this.corpusDir, chunking: this.chunking, logger: this.logger },
      { paths, rebuild: options.rebuild === true },
    );
  }

  async update<T>(work: (writer: PassageIndexWriter) => Promise<T>, options: UpdateOptions = {}): Promise<T> {
    return withIndexWriteLock(this.directory, async () => {
      // Another process may have written a newer generation while we waited for the lock.
      if (options.discard === true) this.state = emptyState();
      else await this.refreshFromDisk();
      return work(this.writer());
    });
  }

  /** A writer staging changes until `commit` (see PassageIndexWriter). */
  private writer(): PassageIndexWriter {
    const puts = new Map<string, SourcePassages>();
    const removals = new Set<string>();
    const manifest = () => this.passageManifest();
    const commit = async (settings: IndexBuildSettings) => {
      await this.commitChanges(puts, removals, settings);
      puts.clear();
      removals.clear();
      return this.passageManifest();
    };
    return {
      get manifest() {
        return manifest();
      },
      putSource(entry) {
        if (entry.vectors.length !== entry.passages.length) {
          throw new ShishinError('input_invalid', `${entry.vectors.length} vectors for ${entry.passages.length} passages of ${entry.source}`);
        }
        removals.delete(entry.source);
        puts.set(entry.source, entry);
      },
      removeSource(source) {
        puts.delete(source);
        removals.add(source);
      },
      commit,
    };
  }

  private passageManifest(): PassageIndexManifest {
    const manifest = this.state.manifest;
    return { embedderId: manifest?.embedder.id, chunking: manifest?.chunking, sources: manifest?.files ?? {}, passages: this.state.passages.length };
  }

  /** Assembles the next generation (kept passages and vectors, staged ones in their place), persists it and serves it. */
  private async commitChanges(puts: Map<string, SourcePassages>, removals: Set<string>, settings: IndexBuildSettings): Promise<void> {
    if (settings.embedderId !== this.embedder.id) {
      throw new ShishinError('conflict', `This index embeds questions with ${this.embedder.id}; it cannot hold vectors of ${settings.embedderId}`);
    }
    const old = this.state;
    const previous = old.manifest?.files ?? {};
    const oldVectors = old.passages.length > 0 ? await this.storedVectors() : undefined;
    const dimensions = this.embedder.dimensions || (puts.values().next().value?.vectors[0]?.length ?? 0);
    const files: IndexManifest['files'] = {};
    const ordered = [...new Set<string>([...Object.keys(previous), ...puts.keys()])].filter((source) => !removals.has(source)).sort();
    const passages: Passage[] = [];
    const rows: Array<ArrayLike<number>> = [];
    for (const source of ordered) {
      const entry = puts.get(source);
      if (entry) {
        entry.passages.forEach((passage, position) => {
          passages.push(passage);
          rows.push(entry.vectors[position] as number[]);
        });
        files[source] = { path: entry.path, sha256: entry.sha256, passages: entry.passages.length };
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
    const { chunkSize, chunkOverlap, version } = settings.chunking;
    const manifest = await this.files.writeGeneration(
      { passages, vectors, hnsw, lexical },
      {
        embedder: { id: this.embedder.id, dimensions },
        chunking: { chunkSize, chunkOverlap, version },
        hnsw: { m: this.hnswSettings.m, efConstruction: this.hnswSettings.efConstruction },
        tokenizer: { ...this.tokenizer, fields: { ...this.fieldWeights } },
        centre: centre ?? null,
        passageCount: passages.length,
        files,
      },
      old.manifest?.generation,
    );
    this.state = { manifest, passages, vectors, hnsw, lexical, bySource: groupBySource(passages) };
  }

  private async storedVectors(): Promise<Float32Array | undefined> {
    if (this.state.vectors) return this.state.vectors;
    if (!this.state.manifest) return undefined;
    this.state.vectors = await this.files.readVectors(this.state.manifest);
    return this.state.vectors;
  }

  /** Why a stored index cannot serve this one's settings (it is then rebuilt), or undefined. */
  private staleReason(manifest: IndexManifest): string | undefined {
    if (manifest.formatVersion !== indexFormatVersion) return `index format ${manifest.formatVersion}, expected ${indexFormatVersion}`;
    if (manifest.embedder.id !== this.embedder.id) return `built with embedder ${manifest.embedder.id}, now ${this.embedder.id}`;
    if (this.embedder.dimensions > 0 && manifest.embedder.dimensions !== this.embedder.dimensions && manifest.passageCount > 0) {
      return `built with ${manifest.embedder.dimensions} dimensions, embedder gives ${this.embedder.dimensions}`;
    }
    if (manifest.chunking.chunkSize !== this.chunking.chunkSize || manifest.chunking.chunkOverlap !== this.chunking.chunkOverlap || manifest.chunking.version !== this.chunking.version) {
      return 'chunking settings changed';
    }
    if (manifest.tokenizer.cjkBigrams !== this.tokenizer.cjkBigrams || manifest.tokenizer.version !== this.tokenizer.version) return 'tokenizer settings changed';
    const fields = manifest.tokenizer.fields ?? { section: 1.5, title: 0.5 };
    if (fields.section !== this.fieldWeights.section || fields.title !== this.fieldWeights.title) return 'lexical field weights changed';
    if ((manifest.centre !== null) !== this.centreVectors) return 'vector centring setting changed';
    if (manifest.hnsw.m !== this.hnswSettings.m || manifest.hnsw.efConstruction !== this.hnswSettings.efConstruction) return 'HNSW settings changed';
    return undefined;
  }

  private async loadFromDisk(): Promise<{ loaded: true } | { loaded: false; stale: boolean; reason?: string; paths?: string[]; generation?: string }> {
    const { manifest, problem } = await this.files.readManifest();
    if (problem) return { loaded: false, stale: true, reason: problem };
    if (!manifest) return { loaded: false, stale: false };
    const recorded = Object.values(manifest.files).map((record) => record.path);
    const paths = recorded.length > 0 ? recorded.filter((file) => existsSync(file)) : undefined;
    const stale = (reason: string) => ({ loaded: false as const, stale: true, reason, paths, generation: manifest.generation });
    const reason = this.staleReason(manifest);
    if (reason !== undefined) return stale(reason);
    try {
      const { passages, lexical, hnsw } = await this.files.readGeneration(manifest);
      hnsw?.setEf(this.hnswSettings.ef);
      this.state = { manifest, passages, vectors: undefined, hnsw, lexical, bySource: groupBySource(passages) };
      return { loaded: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return stale(code === 'ENOENT' ? `index file missing (${path.basename((error as NodeJS.ErrnoException).path ?? '')})` : (error as Error).message);
    }
  }

  /** Reloads when another process wrote a newer generation; a broken one is ignored (we rewrite it). */
  private async refreshFromDisk(): Promise<void> {
    const { manifest } = await this.files.readManifest();
    if (!manifest || manifest.generation === this.state.manifest?.generation) return;
    const outcome = await this.loadFromDisk();
    if (!outcome.loaded) this.state = emptyState();
  }
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
