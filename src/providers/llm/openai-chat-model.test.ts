// The OpenAI chat-model provider against the fake OpenAI-compatible server, with the real SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { isShishinError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../test/helpers/fake-openai-server.js';
import { chatFailureReason } from './chat-model-failure.js';
import { createChatModel } from './create-chat-model.js';
import { OpenAIChatModel } from './openai-chat-model.js';

const logger = silentLogger();
const messages = [{ role: 'user' as const, content: 'What is Article 50?' }];

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAIChatModel', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const model = (timeoutMs = 2000, extra: { maxRetries?: number } = {}) =>
    new OpenAIChatModel({ model: 'gpt-test', baseURL: fake.baseURL, timeoutMs, logger, ...extra });

  it('returns the assistant text and sends model, messages and temperature 0', async () => {
    fake.setChatHandler({ content: 'Transparency duties [1].' });
    await expect(model().complete(messages)).resolves.toBe('Transparency duties [1].');
    const body = fake.chatRequests()[0]?.body;
    expect(body?.['model']).toBe('gpt-test');
    expect(body?.['messages']).toEqual(messages);
    expect(body?.['temperature']).toBe(0);
    expect(fake.chatRequests()[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('retries a 429 after the retry-after wait and then succeeds', async () => {
    fake.setChatHandler([{ status: 429, headers: { 'retry-after-ms': '150' } }, { content: 'fine' }]);
    const started = Date.now();
    await expect(model().complete(messages)).resolves.toBe('fine');
    const [first, second] = fake.chatRequests();
    expect(fake.chatRequests()).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at once when retry-after is beyond the budget (rate_limited)', async () => {
    fake.setChatHandler({ status: 429, headers: { 'retry-after': '30' } });
    const started = Date.now();
    const error = await failureOf(model(1000).complete(messages));
    expect(isShishinError(error, 'provider_failed')).toBe(true);
    expect(chatFailureReason(error)).toBe('rate_limited');
    expect(Date.now() - started).toBeLessThan(900);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('maps repeated 500s to server_error after a bounded number of retries', async () => {
    fake.setChatHandler({ status: 500 });
    const error = await failureOf(model(3000, { maxRetries: 2 }).complete(messages));
    expect(chatFailureReason(error)).toBe('server_error');
    expect((error as Error).message).toContain('server_error');
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('stops a hanging server at the total budget (timeout)', async () => {
    fake.setChatHandler({ hang: true });
    const started = Date.now();
    const error = await failureOf(model(300).complete(messages));
    expect(chatFailureReason(error)).toBe('timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1200);
  });

  it('keeps retries inside the budget: slow 500s never exceed it', async () => {
    fake.setChatHandler({ status: 500, delayMs: 200 });
    const started = Date.now();
    const error = await failureOf(model(500, { maxRetries: 5 }).complete(messages));
    expect(['server_error', 'timeout']).toContain(chatFailureReason(error));
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('maps malformed JSON and empty content to invalid_output', async () => {
    fake.setChatHandler({ rawBody: '{"choices": [' });
    expect(chatFailureReason(await failureOf(model().complete(messages)))).toBe('invalid_output');
    fake.setChatHandler({ content: '   ' });
    expect(chatFailureReason(await failureOf(model().complete(messages)))).toBe('invalid_output');
  });

  it('maps 401 to auth without retrying', async () => {
    fake.setChatHandler({ status: 401 });
    expect(chatFailureReason(await failureOf(model().complete(messages)))).toBe('auth');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('maps a refused connection to connection', async () => {
    const closed = await startFakeOpenAIServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const unreachable = new OpenAIChatModel({ model: 'm', baseURL, timeoutMs: 2000, maxRetries: 0, logger });
    expect(chatFailureReason(await failureOf(unreachable.complete(messages)))).toBe('connection');
  });

  it('honours the caller AbortSignal', async () => {
    fake.setChatHandler({ hang: true });
    const controller = new AbortController();
    const pending = failureOf(model(5000).complete(messages, { signal: controller.signal }));
    await expect.poll(() => fake.chatRequests().length).toBe(1);
    const started = Date.now();
    controller.abort();
    expect(chatFailureReason(await pending)).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('createChatModel', () => {
  it('is undefined without OPENAI_API_KEY or OPENAI_BASE_URL', () => {
    expect(createChatModel(loadConfig({}), logger)).toBeUndefined();
  });

  it('builds an OpenAI-compatible model from the configuration', async () => {
    const fake = await startFakeOpenAIServer({ defaultContent: 'hello' });
    try {
      const chat = createChatModel(loadConfig({ OPENAI_BASE_URL: fake.baseURL, OPENAI_CHAT_MODEL: 'local-model', LLM_TIMEOUT_MS: '1500' }), logger);
      expect(chat?.id).toBe('openai:local-model');
      await expect(chat?.complete(messages)).resolves.toBe('hello');
    } finally {
      await fake.close();
    }
  });
});
