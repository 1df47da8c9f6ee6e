// Picks the embedder from configuration: the offline GloVe embedder by default, or an
// OpenAI-compatible endpoint with EMBEDDINGS=openai. Each one is imported only when chosen: the OpenAI
// SDK alone is some 150 modules, a noticeable share of a command's start-up.
import type { Config } from '../../config.js';
import type { Embedder } from '../../ports/embedder.js';

/** Builds the configured embedder. The local one is loaded eagerly so a missing file fails at start-up. */
export async function createEmbedder(config: Pick<Config, 'embeddings' | 'openai'>): Promise<Embedder> {
  if (config.embeddings === 'openai') {
    const { OpenAiEmbedder } = await import('./openai-embedder.js');
    return new OpenAiEmbedder({
      apiKey: config.openai.apiKey,
      baseUrl: config.openai.baseUrl,
      model: config.openai.embeddingModel,
      timeoutMs: config.openai.timeoutMs,
    });
  }
  const { LocalEmbedder } = await import('./local-embedder.js');
  const embedder = new LocalEmbedder();
  embedder.load();
  return embedder;
}
