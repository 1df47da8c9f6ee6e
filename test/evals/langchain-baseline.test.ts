import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLangchainBaseline } from '../../evals/baselines/langchain-default.js';
import { LocalEmbedder } from '../../src/providers/embeddings/local-embedder.js';

describe('LangChain default-recipe baseline', () => {
  it('maps each chunk back to its source and the heading section it overlaps most', async () => {
    const corpus = mkdtempSync(path.join(tmpdir(), 'shishin-baseline-'));
    try {
      copyFileSync(path.resolve('test/fixtures/ingest/guide.md'), path.join(corpus, 'guide.md'));
      const long = Array.from({ length: 40 }, (_, index) => `Sentence ${index} explains record keeping duties for providers.`).join(' ');
      writeFileSync(path.join(corpus, 'long.md'), `---\ntitle: Long\n---\n# Long\n## Logging\n\n${long}\n\n## Oversight\n\nHumans must be able to stop the system.\n`);
      const baseline = await buildLangchainBaseline(corpus, new LocalEmbedder());
      const results = await baseline.search('Deployers must disclose that deepfake content is artificially generated', { k: 3 });
      expect(results[0]?.passage).toMatchObject({ source: 'guide.md', title: 'Sample governance guide', url: 'https://example.org/guide' });
      for (const result of results) {
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
      }
      const logging = await baseline.search('record keeping duties for providers', { k: 2 });
      expect(logging.every((result) => result.passage.source === 'long.md' && result.passage.section === 'Logging')).toBe(true);
    } finally {
      rmSync(corpus, { recursive: true, force: true });
    }
  });
});
