// The embedder port. Implementations extend LangChain's `Embeddings` class and add an identity so an
// index built by one embedder is never queried with another.
import type { EmbeddingsInterface } from '@langchain/core/embeddings';

export interface Embedder extends EmbeddingsInterface {
  /** Identity of the model and its settings, e.g. `local-glove-100d-int8@1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  /** Vector length produced by this embedder. */
  readonly dimensions: number;
}
