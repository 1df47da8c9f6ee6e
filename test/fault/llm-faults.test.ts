// The language model failing in every usual way — down (connection refused), slower than its
// timeout, answering garbage, answering without citations, 429 and 500 storms — through the real
// HTTP API and the answer service: the user always gets a cited extractive answer with a short
// note, never an error; an intake still classifies. The LLM sits behind a TCP proxy we can cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeScript } from '../helpers/fake-openai-server.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { expectValidCitations, type AnswerJson } from './answer-checks.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const timeoutMs = 1500;
const question = 'Which AI practices are prohibited under the EU AI Act?';

let fake: FakeOpenAIServer;
let proxy: TcpProxy;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  proxy = await startTcpProxy('127.0.0.1', Number(new URL(fake.url).port));
  server = await startTestServer({
    OPENAI_BASE_URL: `http://127.0.0.1:${proxy.port}/v1`,
    OPENAI_API_KEY: 'test-key',
    LLM_TIMEOUT_MS: String(timeoutMs),
    RATE_LIMIT_PER_MINUTE: '100000',
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await fake?.close();
});

async function ask(): Promise<{ status: number; body: AnswerJson; ms: number }> {
  const started = performance.now();
  const reply = await call<AnswerJson>(`${server.url}/api/ask`, { body: { question } });
  return { status: reply.status, body: reply.body, ms: performance.now() - started };
}

function expectExtractiveWithNote(body: AnswerJson): void {
  expect(body.mode).toBe('extractive');
  expect(body.grounded).toBe(true);
  expect(body.citations.length).toBeGreaterThan(0);
  expect(body.note).toMatch(/language model/i);
  expect(JSON.stringify(body)).not.toMatch(/error|stack|ECONN|status code/i);
  expectValidCitations(body, server.app.catalog);
}

describe('LLM faults', () => {
  it('uses the LLM while it is healthy (the fallbacks below are not the normal path)', async () => {
    fake.setChatHandler({ content: 'Article 5 of the EU AI Act prohibits manipulative and exploitative AI practices [1].' });
    const { status, body } = await ask();
    expect(status).toBe(200);
    expect(body.mode).toBe('llm');
    expect(body.note).toBeNull();
    expectValidCitations(body, server.app.catalog);
  });

  it('answers by extraction with a note when the LLM is down (connection refused)', async () => {
    await proxy.cut();
    try {
      const before = fake.chatRequests().length;
      const { status, body } = await ask();
      expect(status).toBe(200);
      expectExtractiveWithNote(body);
      expect(fake.chatRequests().length).toBe(before);
      const direct = await server.app.answers.ask({ question });
      expectExtractiveWithNote(direct);
      // Classification does not depend on the LLM either.
      const intake = await call(`${server.url}/api/intakes`, { body: cvScreeningIntake });
      expect(intake.status).toBe(201);
      expect(intake.body).toMatchObject({ classification: { tier: 'high' } });
    } finally {
      await proxy.restore();
    }
  });

  const scripts: Array<[string, FakeScript]> = [
    ['slower than its timeout', { content: 'Too late [1].', delayMs: timeoutMs * 4 }],
    ['hanging without ever answering', { hang: true }],
    ['answering malformed JSON', { rawBody: '{"choices": [ {"message": ', status: 200 }],
    ['answering an empty choice list', { status: 200, body: { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] } }],
    ['answering prose without any citation', { content: 'Lorem ipsum dolor sit amet. Everything is allowed.' }],
    ['answering only citations to passages it was never given', { content: 'All AI is prohibited [42]. Nothing else applies [0].' }],
    ['in a 429 storm', { status: 429, headers: { 'retry-after': '0' } }],
    ['in a 429 storm asking to retry much later', { status: 429, headers: { 'retry-after': '30' } }],
    ['in a 500 storm', { status: 500 }],
    ['answering 401 (revoked key)', { status: 401 }],
  ];

  it.each(scripts)('answers by extraction with a note when the LLM is %s', async (_name, script) => {
    fake.setChatHandler(script);
    const { status, body, ms } = await ask();
    expect(status).toBe(200);
    expectExtractiveWithNote(body);
    // One time budget across retries: the user waits about the timeout, never the retry-after.
    expect(ms).toBeLessThan(timeoutMs + 3000);
  });

  it('keeps serving concurrent users during a 429 storm', async () => {
    fake.setChatHandler({ status: 429, headers: { 'retry-after': '0' } });
    const replies = await Promise.all(Array.from({ length: 12 }, () => ask()));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expectExtractiveWithNote(reply.body);
    }
  });

  it('returns to LLM answers by itself once the LLM recovers', async () => {
    fake.setChatHandler({ content: 'Article 5 bans certain AI practices [1].' });
    const { status, body } = await ask();
    expect(status).toBe(200);
    expect(body.mode).toBe('llm');
  });
});
