// Opens the corpus index where the configuration says it lives (INDEX_DIR, default DATA_DIR/index),
// with the configured embedder. The service and every CLI command open it through here, so a
// prebuilt read-only index (e.g. in the container image) is the one they all use.
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Embedder } from '../../ports/embedder.js';
import { createEmbedder } from '../embeddings/create-embedder.js';
import { CorpusIndex } from './corpus-index.js';

export interface ConfiguredIndex {
  index: CorpusIndex;
  embedder: Embedder;
}

export async function openConfiguredIndex(
  config: Pick<Config, 'embeddings' | 'openai' | 'indexDir' | 'corpusDir'>,
  logger: Logger,
  options: { autoIngest: boolean },
): Promise<ConfiguredIndex> {
  const embedder = await createEmbedder(config);
  const index = await CorpusIndex.open({
    // CorpusIndex keeps its files in `<dataDir>/index`; config guarantees INDEX_DIR ends in `index`.
    dataDir: path.dirname(config.indexDir),
    corpusDir: config.corpusDir,
    embedder,
    logger,
    autoIngest: options.autoIngest,
  });
  return { index, embedder };
}
