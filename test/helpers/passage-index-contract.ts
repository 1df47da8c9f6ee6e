// The PassageIndex contract: one suite every implementation passes (CorpusIndex and the in-memory
// test store run it from their own test files). Each test gets a fresh, empty index.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultChunking } from '../../src/core/ingest/chunk-document.js';
import { isShishinError } from '../../src/errors.js';
import type { Passage } from '../../src/ports/passage.js';
import type { PassageIndex, PassageIndexManifest, SourcePassages } from '../../src/ports/passage-index.js';

export interface PassageIndexHarness {
  index: PassageIndex;
  /** The embedder identity the index accepts vectors of. */
  embedderId: string;
  /** The vector length the index takes. */
  dimensions: number;
  /** Another instance over the same storage (another process would open one), or the same instance for a store in memory. */
  openAnother(): Promise<PassageIndex>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A source with `count` passages and distinct, non-zero vectors of `dimensions`. */
export function sourcePassages(source: string, count: number, dimensions: number): SourcePassages {
  const passages: Passage[] = Array.from({ length: count }, (_, position) => {
    const text = `Passage ${position + 1} of ${source}.`;
    return { chunkId: `${source}#${position}`, source, title: source, section: `Part ${position + 1}`, text, contentHash: createHash('sha256').update(text).digest('hex') };
  });
  const vectors = passages.map((_, position) => Array.from({ length: dimensions }, (_unused, d) => 1 + ((position + d + source.length) % 5)));
  return { source, path: `/corpus/${source}`, sha256: createHash('sha256').update(source).digest('hex'), passages, vectors };
}

async function manifestOf(index: PassageIndex): Promise<PassageIndexManifest> {
  return index.update(async (writer) => writer.manifest);
}

export function describePassageIndexContract(name: string, open: () => Promise<PassageIndexHarness>): void {
  describe(`PassageIndex contract: ${name}`, () => {
    it('starts empty', async () => {
      const { index } = await open();
      expect(await manifestOf(index)).toEqual({ embedderId: undefined, chunking: undefined, sources: {}, passages: 0 });
    });

    it('stores staged sources together at commit, in name order, for every later writer', async () => {
      const { index, embedderId, dimensions, openAnother } = await open();
      const committed = await index.update(async (writer) => {
        writer.putSource(sourcePassages('b.md', 1, dimensions));
        writer.putSource(sourcePassages('a.md', 2, dimensions));
        expect(writer.manifest.sources).toEqual({});
        return writer.commit({ embedderId, chunking: defaultChunking });
      });
      expect(Object.keys(committed.sources)).toEqual(['a.md', 'b.md']);
      expect(committed).toMatchObject({ embedderId, chunking: defaultChunking, passages: 3 });
      expect(committed.sources['a.md']).toEqual({ path: '/corpus/a.md', sha256: sourcePassages('a.md', 2, dimensions).sha256, passages: 2 });
      expect(await manifestOf(await openAnother())).toEqual(committed);
    });

    it('replaces and removes sources; what was not committed is dropped', async () => {
      const { index, embedderId, dimensions } = await open();
      const settings = { embedderId, chunking: defaultChunking };
      await index.update(async (writer) => {
        writer.putSource(sourcePassages('a.md', 2, dimensions));
        writer.putSource(sourcePassages('b.md', 1, dimensions));
        await writer.commit(settings);
      });
      await index.update(async (writer) => writer.putSource(sourcePassages('c.md', 1, dimensions)));
      const failed = index.update(async (writer) => {
        writer.removeSource('a.md');
        throw new Error('work failed');
      });
      expect(await rejection(failed)).toMatchObject({ message: 'work failed' });
      expect(Object.keys((await manifestOf(index)).sources)).toEqual(['a.md', 'b.md']);
      const committed = await index.update(async (writer) => {
        writer.removeSource('a.md');
        writer.putSource(sourcePassages('b.md', 3, dimensions));
        // The last call for a source wins.
        writer.putSource(sourcePassages('c.md', 1, dimensions));
        writer.removeSource('c.md');
        writer.removeSource('d.md');
        writer.putSource(sourcePassages('d.md', 1, dimensions));
        return writer.commit(settings);
      });
      expect(committed.sources).toEqual({ 'b.md': expect.objectContaining({ passages: 3 }), 'd.md': expect.objectContaining({ passages: 1 }) });
      expect(committed.passages).toBe(4);
    });

    it('starts from an empty index when asked to discard, and replaces the stored one at commit', async () => {
      const { index, embedderId, dimensions } = await open();
      const settings = { embedderId, chunking: defaultChunking };
      await index.update(async (writer) => {
        writer.putSource(sourcePassages('a.md', 2, dimensions));
        await writer.commit(settings);
      });
      const committed = await index.update(
        async (writer) => {
          expect(writer.manifest).toMatchObject({ sources: {}, passages: 0 });
          writer.putSource(sourcePassages('b.md', 1, dimensions));
          return writer.commit(settings);
        },
        { discard: true },
      );
      expect(Object.keys(committed.sources)).toEqual(['b.md']);
      expect(await manifestOf(index)).toEqual(committed);
    });

    it('runs one writer at a time: a second writer sees the first one’s commit', async () => {
      const { index, embedderId, dimensions, openAnother } = await open();
      const other = await openAnother();
      let started!: () => void;
      const firstStarted = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = index.update(async (writer) => {
        started();
        await gate;
        writer.putSource(sourcePassages('a.md', 1, dimensions));
        await writer.commit({ embedderId, chunking: defaultChunking });
      });
      await firstStarted;
      const second = other.update(async (writer) => Object.keys(writer.manifest.sources));
      release();
      await first;
      expect(await second).toEqual(['a.md']);
    });

    it('refuses vectors that do not fit, and keeps the stored index', async () => {
      const { index, embedderId, dimensions } = await open();
      const settings = { embedderId, chunking: defaultChunking };
      await index.update(async (writer) => {
        writer.putSource(sourcePassages('a.md', 1, dimensions));
        await writer.commit(settings);
      });
      const before = await manifestOf(index);
      const mismatched = await index.update(async (writer) => {
        const entry = sourcePassages('b.md', 2, dimensions);
        return rejection(Promise.resolve().then(() => writer.putSource({ ...entry, vectors: entry.vectors.slice(1) })));
      });
      expect(isShishinError(mismatched, 'input_invalid')).toBe(true);
      const wrongLength = await index.update(async (writer) => {
        writer.putSource(sourcePassages('b.md', 1, dimensions + 1));
        return rejection(writer.commit(settings));
      });
      expect(isShishinError(wrongLength, 'provider_failed')).toBe(true);
      expect(await manifestOf(index)).toEqual(before);
    });
  });
}
