// Abuse of the HTTP surface on the real app: oversize questions, bodies and intake fields get 413/400
// with clear messages; random JSON and random bytes, with random content types, to every route never
// produce a 500 or crash the server, and every refusal is the error JSON (or the console's page).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonReply } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

let server: TestServer;
let intakeId: string;

beforeAll(async () => {
  server = await startTestServer({
    NODE_ENV: 'production',
    API_TOKENS: 'alice-token=web:alice,reviewer-token=web:reviewer',
    GOVERNANCE_MEMBERS: 'web:reviewer',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const created = await call(`${server.url}/api/intakes`, { token: 'alice-token', body: cvScreeningIntake });
  intakeId = String(created.body.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

interface ErrorJson {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

function expectClearError(reply: JsonReply<unknown>, status: number): ErrorJson['error'] {
  expect(reply.status).toBe(status);
  const body = reply.body as ErrorJson;
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(reply.text).not.toMatch(/\n\s+at |node_modules|Error:/);
  return body.error;
}

describe('oversize input', () => {
  it('refuses a question over the limit with a 400 naming the limit', async () => {
    const reply = await call(`${server.url}/api/ask`, { token: 'alice-token', body: { question: 'Is this allowed? '.repeat(200) } });
    const error = expectClearError(reply, 400);
    expect(error.message + JSON.stringify(error.fields)).toMatch(/2000 characters/);
  });

  it('refuses a body over 64 kB with a 413 naming the limit, on the API and on chat-free routes', async () => {
    const huge = JSON.stringify({ question: 'x'.repeat(70 * 1024) });
    for (const route of ['/api/ask', '/api/intakes', `/api/intakes/${intakeId}/decision`, '/api/feedback']) {
      const reply = await call(`${server.url}${route}`, { token: 'alice-token', rawBody: huge });
      const error = expectClearError(reply, 413);
      expect(error.code).toBe('payload_too_large');
      expect(error.message).toMatch(/64 kB/);
    }
  });

  it('refuses oversize intake fields with field errors', async () => {
    const reply = await call(`${server.url}/api/intakes`, {
      token: 'alice-token',
      body: { ...cvScreeningIntake, title: 'T'.repeat(121), description: 'D'.repeat(4001), businessUnit: 'B'.repeat(81) },
    });
    const error = expectClearError(reply, 400);
    const fields = Object.fromEntries((error.fields ?? []).map((field) => [field.field, field.message]));
    expect(fields.title).toMatch(/at most 120/);
    expect(fields.description).toMatch(/at most 4000/);
    expect(fields.businessUnit).toMatch(/at most 80/);
  });

  it('refuses an oversize decision comment, feedback comment and idempotency key', async () => {
    const decision = await call(`${server.url}/api/intakes/${intakeId}/decision`, { token: 'reviewer-token', body: { decision: 'approve', comment: 'c'.repeat(4001) } });
    expect(expectClearError(decision, 400).fields?.[0]?.message).toMatch(/4000/);
    const feedback = await call(`${server.url}/api/feedback`, { token: 'alice-token', body: { answerId: 'a1', rating: 'up', comment: 'c'.repeat(2001) } });
    expect(expectClearError(feedback, 400).fields?.[0]?.message).toMatch(/2000/);
    const keyed = await call(`${server.url}/api/intakes`, { token: 'alice-token', body: cvScreeningIntake, headers: { 'idempotency-key': 'k'.repeat(201) } });
    expect(expectClearError(keyed, 400).message).toMatch(/Idempotency-Key/);
    expect((await call(`${server.url}/api/intakes/${intakeId}`, { token: 'reviewer-token' })).body).toMatchObject({ status: 'pending_review' });
  });
});

describe('fuzzing every route', () => {
  const postRoutes = ['/api/ask', '/api/feedback', '/api/intakes', '/api/intakes?replaces=AI-0001', `/api/intakes/${'%'}/decision`, '/console/feedback', '/console/dev-identity', '/console/intakes', '/console/intakes/AI-0001/decision', '/nope'];
  const getRoutes = ['/healthz', '/readyz', '/api/me', '/api/intakes', '/api/queue', '/api/register', '/api/intakes/AI-0001', '/console/ask', '/console/intakes', '/console/register', '/console/assets/console.css', '/nope'];
  const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'application/vnd.api+json', 'multipart/form-data; boundary=x', undefined);
  const tokens = fc.constantFrom('alice-token', 'reviewer-token', 'forged-token', undefined);
  const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('csv', 'json', 'all', 'pending_review,approved', '%', '<script>'));

  function expectSafe(status: number, text: string, contentType: string | null): void {
    expect(status).toBeLessThan(500);
    if (status >= 400 && text !== '' && contentType?.includes('application/json') === true) {
      const body = JSON.parse(text) as ErrorJson;
      expect(typeof body.error.code).toBe('string');
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(text).not.toMatch(/\n\s+at |node_modules/);
  }

  it('never answers a random JSON body with a 500', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ question: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 })), filter: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
      fc.record({ decision: fc.oneof(fc.constantFrom('approve', 'reject', 'request_changes', 'approve_with_conditions'), fc.string()), comment: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom(...Object.keys(cvScreeningIntake), '__proto__', 'constructor', 'extra'), fc.jsonValue({ maxDepth: 2 })).map((fields) => ({ ...cvScreeningIntake, ...fields })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postRoutes), body, contentTypes, tokens, async (route, value, contentType, token) => {
        const headers: Record<string, string> = {};
        if (contentType !== undefined) headers['content-type'] = contentType;
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        const response = await fetch(`${server.url}${route}`, { method: 'POST', headers, body: JSON.stringify(value) });
        expectSafe(response.status, await response.text(), response.headers.get('content-type'));
      }),
      { numRuns: 200 },
    );
  });

  it('never answers random bytes with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postRoutes), fc.uint8Array({ maxLength: 2048 }), contentTypes, tokens, async (route, bytes, contentType, token) => {
        const headers: Record<string, string> = {};
        if (contentType !== undefined) headers['content-type'] = contentType;
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        const response = await fetch(`${server.url}${route}`, { method: 'POST', headers, body: bytes });
        expectSafe(response.status, await response.text(), response.headers.get('content-type'));
      }),
      { numRuns: 150 },
    );
  });

  it('never answers random query strings and methods with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...getRoutes, ...postRoutes),
        fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.dictionary(fc.constantFrom('format', 'scope', 'status', 'replaces', 'q', 'id'), queryValue),
        tokens,
        async (route, method, query, token) => {
          const url = new URL(`${server.url}${route}`);
          for (const [key, value] of Object.entries(query)) url.searchParams.append(key, value);
          const response = await fetch(url, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
          expectSafe(response.status, method === 'HEAD' ? '' : await response.text(), response.headers.get('content-type'));
        },
      ),
      { numRuns: 150 },
    );
    // Still up and still correct after all of it.
    expect((await call(`${server.url}/readyz`)).status).toBe(200);
    const answer = await call(`${server.url}/api/ask`, { token: 'alice-token', body: { question: 'Which AI practices are prohibited under the EU AI Act?' } });
    expect(answer.status).toBe(200);
  });
});
