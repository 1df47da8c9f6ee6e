// Picks the embedder from configuration: the offline GloVe embedder by default, or an
// OpenAI-compatible endpoint with EMBEDDINGS=openai.
import type { Config } from '../../config.js';
import type { Embedder } from '../../ports/embedder.js';
import { LocalEmbedder } from './local-embedder.js';
import { OpenAiEmbedder } from './openai-embedder.js';

/** Builds the configured embedder. The local one is loaded eagerly so a missing file fails at start-up. */
export async function createEmbedder(config: Pick<Config, 'embeddings' | 'openai'>): Promise<Embedder> {
  if (config.embeddings === 'openai') {
    return new OpenAiEmbedder({
      apiKey: config.openai.apiKey,
      baseUrl: config.openai.baseUrl,
      model: config.openai.embeddingModel,
      timeoutMs: config.openai.timeoutMs,
    });
  }
  const embedder = new LocalEmbedder();
  embedder.load();
  return embedder;
}
