// Checks the fake OpenAI-compatible server against the real `openai` SDK.
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server.js';

describe('fake OpenAI server', () => {
  let fake: FakeOpenAIServer;
  let client: OpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAIServer();
    client = new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0, timeout: 2000 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('answers chat completions from a queue and records the prompt', async () => {
    fake.setChatHandler([{ content: 'first' }, { content: 'second' }]);
    const one = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hello' }] });
    const two = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'again' }] });
    expect(one.choices[0]?.message.content).toBe('first');
    expect(two.choices[0]?.message.content).toBe('second');
    expect(fake.chatRequests()[0]?.body?.['messages']).toEqual([{ role: 'user', content: 'hello' }]);
    expect(fake.chatRequests()[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('answers with a function of the request', async () => {
    fake.setChatHandler((request) => ({ content: `model was ${String(request.body?.['model'])}` }));
    const reply = await client.chat.completions.create({ model: 'x-1', messages: [{ role: 'user', content: 'q' }] });
    expect(reply.choices[0]?.message.content).toBe('model was x-1');
  });

  it('serves embeddings as base64 by default and floats on request', async () => {
    const base64 = await client.embeddings.create({ model: 'e', input: ['alpha', 'beta'] });
    expect(base64.data).toHaveLength(2);
    expect(base64.data[0]?.embedding).toHaveLength(16);
    const floats = await client.embeddings.create({ model: 'e', input: 'alpha', encoding_format: 'float' });
    expect(floats.data[0]?.embedding[0]).toBeCloseTo(base64.data[0]?.embedding[0] ?? Number.NaN, 5);
    expect(fake.embeddingRequests()[0]?.rawBody).toContain('"encoding_format":"base64"');
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toContain('gpt-4o-mini');
  });

  it('scripts 429 with retry-after, 500 and malformed JSON', async () => {
    fake.setChatHandler([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 500 },
      { rawBody: '{"choices": [' },
    ]);
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toThrow();
  });

  it('hangs until the client times out, and close() does not wait for the hanging socket', async () => {
    fake.setChatHandler({ hang: true });
    const started = Date.now();
    await expect(client.chat.completions.create({ model: 'm', messages: [] }, { timeout: 150 })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    const pending = client.chat.completions.create({ model: 'm', messages: [] }, { timeout: 60_000 }).catch((error: unknown) => error);
    await expect.poll(() => fake.chatRequests().length).toBe(2);
    const closing = Date.now();
    await fake.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    fake = await startFakeOpenAIServer(); // afterEach closes again
  });

  it('delays a reply', async () => {
    fake.setChatHandler({ content: 'late', delayMs: 120 });
    const started = Date.now();
    const reply = await client.chat.completions.create({ model: 'm', messages: [] });
    expect(reply.choices[0]?.message.content).toBe('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
