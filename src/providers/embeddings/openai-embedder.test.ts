import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../test/helpers/fake-openai-server.js';
import { isShishinError } from '../../errors.js';
import { createEmbedder } from './create-embedder.js';
import { OpenAiEmbedder } from './openai-embedder.js';

let server: FakeOpenAIServer;
beforeEach(async () => {
  server = await startFakeOpenAIServer({ embeddingDimensions: 8 });
});
afterEach(async () => {
  await server.close();
});

describe('OpenAiEmbedder', () => {
  it('embeds through the real SDK in batches, asking for float vectors', async () => {
    const embedder = new OpenAiEmbedder({ baseUrl: server.baseURL, apiKey: 'sk-test', model: 'my-embedder', batchSize: 2 });
    expect(embedder.id).toBe('openai:my-embedder');
    const vectors = await embedder.embedDocuments(['one', 'two', 'three']);
    expect(vectors).toHaveLength(3);
    expect(vectors[0]).toHaveLength(8);
    expect(embedder.dimensions).toBe(8);
    const requests = server.embeddingRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0]?.body).toMatchObject({ model: 'my-embedder', input: ['one', 'two'], encoding_format: 'float' });
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-test');
    expect(await embedder.embedQuery('three')).toEqual(vectors[2]);
  });

  it('turns provider errors into provider_failed', async () => {
    server.setEmbeddingHandler({ status: 400, body: { error: { message: 'bad model', type: 'invalid_request_error' } } });
    const embedder = new OpenAiEmbedder({ baseUrl: server.baseURL, model: 'nope', maxRetries: 0 });
    const error = await embedder.embedQuery('hello').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isShishinError(error, 'provider_failed')).toBe(true);
    expect((error as Error).message).toContain('HTTP 400');
  });

  it('rejects a response with the wrong number of vectors', async () => {
    server.setEmbeddingHandler({ vectors: [[1, 0]] });
    const embedder = new OpenAiEmbedder({ baseUrl: server.baseURL, model: 'm', maxRetries: 0 });
    await expect(embedder.embedDocuments(['a', 'b'])).rejects.toMatchObject({ code: 'provider_failed' });
  });

  it('is chosen by createEmbedder when EMBEDDINGS=openai', async () => {
    const embedder = await createEmbedder({
      embeddings: 'openai',
      openai: { apiKey: 'k', baseUrl: server.baseURL, chatModel: 'c', embeddingModel: 'custom-embedder', chatEnabled: true, timeoutMs: 5000 },
    });
    expect(embedder.id).toBe('openai:custom-embedder');
    expect(await embedder.embedQuery('x')).toHaveLength(8);
  });
});
