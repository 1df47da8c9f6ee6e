import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isShishinError } from '../../errors.js';
import { createEmbedder } from './create-embedder.js';
import { LocalEmbedder, Vocabulary, defaultEmbedderFile, englishWordTokens } from './local-embedder.js';

const cosine = (left: number[], right: number[]) => left.reduce((sum, value, index) => sum + value * (right[index] as number), 0);
const embedder = new LocalEmbedder();

describe('LocalEmbedder', () => {
  it('has a stable identity and unit-length 100-d vectors', async () => {
    expect(embedder.id).toBe('local-glove-100d-int8@1');
    const vector = await embedder.embedQuery('High-risk AI systems need human oversight.');
    expect(vector).toHaveLength(100);
    expect(cosine(vector, vector)).toBeCloseTo(1, 5);
    expect(await embedder.embedQuery('High-risk AI systems need human oversight.')).toEqual(vector);
  });

  it('places paraphrases closer than unrelated text', async () => {
    const [pictures, images, contract] = await embedder.embedDocuments(['synthetic pictures', 'generated images', 'employment contract termination']);
    expect(cosine(pictures as number[], images as number[])).toBeGreaterThan(cosine(pictures as number[], contract as number[]) + 0.2);
  });

  it('keeps known hyphenated words, splits unknown ones, and skips numbers', () => {
    const known = new Set(['high-risk', 'risk', 'system', 'foo', 'bar']);
    expect(englishWordTokens('High-risk system foo-bar 2025', (word) => known.has(word))).toEqual(['high-risk', 'system', 'foo', 'bar']);
  });

  it('gives Japanese text a deterministic vector that reflects shared character bigrams', async () => {
    const [full, part, other] = await embedder.embedDocuments(['人工知能の適正性を確保するための指針', '人工知能の指針', '個人情報保護法']);
    expect(cosine(full as number[], full as number[])).toBeCloseTo(1, 5);
    expect(cosine(full as number[], part as number[])).toBeGreaterThan(cosine(full as number[], other as number[]) + 0.2);
    const empty = await embedder.embedQuery('12345');
    expect(cosine(empty, empty)).toBeCloseTo(1, 5);
  });

  it('fails with a clear error naming the file and the build command when the vectors are missing or corrupt', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'shishin-embedder-'));
    try {
      const missing = new LocalEmbedder({ file: path.join(folder, 'absent.bin') });
      expect(() => missing.load()).toThrowError(/absent\.bin is missing.*build-embedder\.mjs/);
      const corrupt = path.join(folder, 'corrupt.bin');
      writeFileSync(corrupt, 'SHGV not really');
      let caught: unknown;
      try {
        new LocalEmbedder({ file: corrupt }).load();
      } catch (error) {
        caught = error;
      }
      expect(isShishinError(caught, 'config_invalid')).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('checks the whole file at load: a changed byte anywhere, or a missing tail, is reported', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'shishin-embedder-'));
    try {
      const original = readFileSync(defaultEmbedderFile);
      const count = original.readUInt32LE(12);
      const dimensions = original.readUInt32LE(8);
      // One byte in the vectors (which are otherwise read only when a word needs them), one in the words.
      for (const offset of [64 + count * 4 + Math.floor((count * dimensions) / 2), original.length - 3]) {
        const changed = Buffer.from(original);
        changed[offset] = (changed[offset] as number) ^ 0x01;
        const file = path.join(folder, `changed-${offset}.bin`);
        writeFileSync(file, changed);
        expect(() => new LocalEmbedder({ file }).load()).toThrowError(/checksum mismatch/);
      }
      const truncated = path.join(folder, 'truncated.bin');
      writeFileSync(truncated, original.subarray(0, original.length - 100));
      expect(() => new LocalEmbedder({ file: truncated }).load()).toThrowError(/truncated/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('is what createEmbedder returns by default', async () => {
    const created = await createEmbedder({ embeddings: 'local', openai: { apiKey: undefined, baseUrl: undefined, chatModel: 'x', embeddingModel: 'y', chatEnabled: false, timeoutMs: 1000 } });
    expect(created.id).toBe('local-glove-100d-int8@1');
  });
});

describe('Vocabulary', () => {
  const vocabulary = Vocabulary.fromBytes(new TextEncoder().encode(['the', 'oversight', 'café', 'the', '監督', 'a'].join('\n')));

  it('finds every word at its row, the first row of a repeated word, and nothing else', () => {
    expect(vocabulary.size).toBe(6);
    expect(vocabulary.get('the')).toBe(0);
    expect(vocabulary.get('oversight')).toBe(1);
    expect(vocabulary.get('café')).toBe(2);
    expect(vocabulary.get('監督')).toBe(4);
    expect(vocabulary.get('a')).toBe(5);
    expect(vocabulary.get('oversigh')).toBe(-1);
    expect(vocabulary.get('oversights')).toBe(-1);
    expect(vocabulary.get('cafe')).toBe(-1);
    expect(vocabulary.get('')).toBe(-1);
    expect(vocabulary.has('x'.repeat(300))).toBe(false);
  });
});
