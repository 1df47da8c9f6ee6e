// The files of a stored corpus index (DATA_DIR/index/): one generation of artifacts — passages as
// ASCII JSON, vectors as float32, the hnswlib graph, the BM25 index — plus a manifest naming them
// with their SHA-256, written last (temp file + rename) so a reader never sees a half-written index.
// Every artifact is verified against its checksum before use.
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { sha256 } from '../../core/ingest/chunk-document.js';
import { ShishinError } from '../../errors.js';
import type { Passage } from '../../ports/passage.js';
import { Bm25Index } from './bm25-index.js';

/** Bumped when the files change shape; an index of another format is rebuilt. */
export const indexFormatVersion = 3;

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

export type IndexManifest = z.infer<typeof manifestSchema>;

/** What a generation records besides its identity, build time and artifacts. */
export type GenerationDescription = Pick<IndexManifest, 'embedder' | 'chunking' | 'hnsw' | 'tokenizer' | 'centre' | 'passageCount' | 'files'>;

/** The searchable parts of a generation (vectors are read separately, only when a writer needs them). */
export interface StoredGeneration {
  passages: Passage[];
  lexical: Bm25Index;
  /** Undefined for an empty index. */
  hnsw: hnswlib.HierarchicalNSW | undefined;
}

/** The content of a new generation. */
export interface GenerationContent {
  passages: Passage[];
  /** Row-major, `passages.length × dimensions`. */
  vectors: Float32Array;
  hnsw: hnswlib.HierarchicalNSW | undefined;
  lexical: Bm25Index;
}

export class IndexFiles {
  constructor(readonly directory: string) {}

  /** The current manifest; `problem` when the file exists but cannot be used; neither when there is none. */
  async readManifest(): Promise<{ manifest?: IndexManifest; problem?: string }> {
    const file = path.join(this.directory, 'manifest.json');
    if (!existsSync(file)) return {};
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? { manifest: parsed.data } : { problem: 'manifest has an unknown format' };
    } catch {
      return { problem: 'manifest is not valid JSON' };
    }
  }

  /** Reads and verifies the generation `manifest` names; throws (ENOENT for a missing file) when any part is unusable. */
  async readGeneration(manifest: IndexManifest): Promise<StoredGeneration> {
    // Passages are written as ASCII JSON (see writeGeneration), which decodes several times faster than UTF-8.
    const passagesData = await this.readArtifact(manifest.artifacts.passages);
    const passages = JSON.parse(isAscii(passagesData) ? passagesData.toString('latin1') : passagesData.toString('utf8')) as Passage[];
    if (!Array.isArray(passages) || passages.length !== manifest.passageCount) throw new Error('passage count does not match the manifest');
    const lexical = Bm25Index.deserialize(await this.readArtifact(manifest.artifacts.lexical));
    let hnsw: hnswlib.HierarchicalNSW | undefined;
    if (manifest.artifacts.hnsw) {
      // Hashed as a stream (hnswlib reads the file itself, so holding it in memory would only raise
      // the peak), and verified before hnswlib sees it: it must never read a damaged file.
      const name = manifest.artifacts.hnsw.name;
      if ((await sha256OfFile(path.join(this.directory, name))) !== manifest.artifacts.hnsw.sha256) throw new Error(`${name} is corrupt (checksum mismatch)`);
      hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimensions);
      await hnsw.readIndex(path.join(this.directory, name));
      if (hnsw.getCurrentCount() !== passages.length) throw new Error('vector count does not match the manifest');
    } else if (passages.length > 0) {
      throw new Error('vector index missing');
    }
    return { passages, lexical, hnsw };
  }

  /** The stored vectors of `manifest`'s generation, row-major. */
  async readVectors(manifest: IndexManifest): Promise<Float32Array> {
    const artifact = manifest.artifacts.vectors;
    const data = await readFile(path.join(this.directory, artifact.name));
    if (sha256(data) !== artifact.sha256) throw new ShishinError('conflict', 'Stored vectors are corrupt');
    const vectors = new Float32Array(data.byteLength / 4);
    new Uint8Array(vectors.buffer).set(data);
    return vectors;
  }

  /**
   * Writes a new generation and makes it current (manifest last, by rename). Files of generations
   * older than `previousGeneration` are deleted (a reader may still be opening that one).
   */
  async writeGeneration(content: GenerationContent, description: GenerationDescription, previousGeneration: string | undefined): Promise<IndexManifest> {
    await mkdir(this.directory, { recursive: true });
    const generation = `${Date.now().toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const write = async (name: string, data: string | Buffer) => {
      await writeFile(path.join(this.directory, name), data);
      return { name, sha256: sha256(data) };
    };
    const { vectors } = content;
    const passagesArtifact = await write(`passages-${generation}.json`, asciiJson(content.passages));
    const vectorsArtifact = await write(`vectors-${generation}.f32`, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    let hnswArtifact: { name: string; sha256: string } | null = null;
    if (content.hnsw) {
      const name = `hnsw-${generation}.bin`;
      await content.hnsw.writeIndex(path.join(this.directory, name));
      hnswArtifact = { name, sha256: sha256(await readFile(path.join(this.directory, name))) };
    }
    const lexicalArtifact = await write(`lexical-${generation}.bin`, content.lexical.serialize());
    // Written field by field so the manifest keeps one key order whatever the description's.
    const manifest: IndexManifest = {
      formatVersion: indexFormatVersion,
      generation,
      embedder: description.embedder,
      chunking: description.chunking,
      hnsw: description.hnsw,
      tokenizer: description.tokenizer,
      centre: description.centre,
      builtAt: new Date().toISOString(),
      passageCount: description.passageCount,
      files: description.files,
      artifacts: { passages: passagesArtifact, vectors: vectorsArtifact, hnsw: hnswArtifact, lexical: lexicalArtifact },
    };
    const temporary = path.join(this.directory, `manifest.json.${generation}.tmp`);
    await writeFile(temporary, JSON.stringify(manifest, null, 2));
    await rename(temporary, path.join(this.directory, 'manifest.json'));
    await this.removeOldGenerations(generation, previousGeneration);
    return manifest;
  }

  private async readArtifact(artifact: { name: string; sha256: string }): Promise<Buffer> {
    const data = await readFile(path.join(this.directory, artifact.name));
    if (sha256(data) !== artifact.sha256) throw new Error(`${artifact.name} is corrupt (checksum mismatch)`);
    return data;
  }

  private async removeOldGenerations(current: string, previous: string | undefined): Promise<void> {
    const keep = new Set([current, previous].filter((value): value is string => value !== undefined));
    for (const name of await readdir(this.directory)) {
      const match = /^(?:passages|vectors|hnsw|lexical)-(.+)\.(?:json|f32|bin)$/.exec(name) ?? /^manifest\.json\.(.+)\.tmp$/.exec(name);
      if (match && !keep.has(match[1] as string)) await rm(path.join(this.directory, name), { force: true });
    }
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
