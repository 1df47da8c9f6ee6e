// Embeddings from an OpenAI-compatible endpoint (OpenAI, Azure-style proxies, local servers that
// speak the same API). Inputs are sent in batches; any provider error becomes
// ShishinError('provider_failed') with the SDK error as its cause.
import OpenAI from 'openai';
import { Embeddings } from '@langchain/core/embeddings';
import { ShishinError } from '../../errors.js';
import type { Embedder } from '../../ports/embedder.js';

export interface OpenAiEmbedderOptions {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  /** Vector length; when omitted it is learned from the first response. Known models have defaults. */
  dimensions?: number;
  /** Inputs per request (default 96). */
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

const knownDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export class OpenAiEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  private knownLength: number | undefined;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly batchSize: number;

  constructor(options: OpenAiEmbedderOptions) {
    super({});
    this.model = options.model;
    this.id = `openai:${options.model}`;
    this.knownLength = options.dimensions ?? knownDimensions[options.model];
    this.batchSize = options.batchSize ?? 96;
    this.client = new OpenAI({
      // The SDK insists on a key; OpenAI-compatible local servers accept any placeholder.
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 20_000,
      maxRetries: options.maxRetries ?? 2,
    });
  }

  /** Vector length (0 until known for a model without a default; call `embedQuery` once to learn it). */
  get dimensions(): number {
    return this.knownLength ?? 0;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < documents.length; start += this.batchSize) {
      const batch = documents.slice(start, start + this.batchSize).map((text) => (text.trim() === '' ? ' ' : text));
      vectors.push(...(await this.request(batch)));
    }
    return vectors;
  }

  async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.request([document.trim() === '' ? ' ' : document]);
    if (!vector) throw new ShishinError('provider_failed', 'Embedding provider returned no vector');
    return vector;
  }

  private async request(input: string[]): Promise<number[][]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({ model: this.model, input, encoding_format: 'float' });
    } catch (error) {
      const status = error instanceof OpenAI.APIError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
      throw new ShishinError('provider_failed', `Embedding request to model ${this.model} failed${status}`, { cause: error });
    }
    const rows = [...response.data].sort((left, right) => left.index - right.index);
    if (rows.length !== input.length) {
      throw new ShishinError('provider_failed', `Embedding provider returned ${rows.length} vectors for ${input.length} inputs`);
    }
    const vectors = rows.map((row) => row.embedding);
    for (const vector of vectors) {
      if (!Array.isArray(vector) || vector.length === 0) {
        throw new ShishinError('provider_failed', 'Embedding provider returned a malformed vector');
      }
      if (this.knownLength === undefined) this.knownLength = vector.length;
      if (vector.length !== this.knownLength) {
        throw new ShishinError('provider_failed', `Embedding provider returned ${vector.length} dimensions, expected ${this.knownLength}`);
      }
    }
    return vectors;
  }
}
