// Cross-site request forgery against the decision routes, on the real service on loopback in
// development (the development identity is a governance member, as after `npm start`):
// - a page on another site cannot approve an intake through the JSON API: form and text bodies get
//   415, JSON with a foreign Origin / Sec-Fetch-Site gets 403, and nothing changes;
// - the same check guards the console, and a proxy identity; a bearer token is exempt;
// - DNS rebinding (a foreign Host name) and proxied requests never get the development identity.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    API_TOKENS: 'alice-token=web:alice',
    TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User',
    GOVERNANCE_MEMBERS: 'web:dev,web:carol',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

interface RawReply {
  status: number;
  body: string;
}

/** A request with full control over the headers (Host included), as a browser or a rebinding page would send it. */
function raw(method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<RawReply> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path: pathname, headers: { ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function pendingIntake(): Promise<string> {
  const created = await call<{ id: string; status: string }>(`${server.url}/api/intakes`, { token: 'alice-token', body: cvScreeningIntake });
  expect(created.body.status).toBe('pending_review');
  return created.body.id;
}

async function statusOf(id: string): Promise<string> {
  return (await server.app.intakes.get(id)).status;
}

const host = () => new URL(server.url).host;

describe('cross-site decisions through the JSON API', () => {
  it('refuses a form post from another site with 415 and decides nothing', async () => {
    const id = await pendingIntake();
    const attempts = [
      { 'content-type': 'application/x-www-form-urlencoded', body: 'decision=approve' },
      // A text/plain form can carry a JSON-looking body; it still is not application/json.
      { 'content-type': 'text/plain', body: '{"decision":"approve","x":"="}' },
      { 'content-type': 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="decision"\r\n\r\napprove\r\n--x--\r\n' },
    ];
    for (const attempt of attempts) {
      const reply = await raw('POST', `/api/intakes/${id}/decision`, { host: host(), origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': attempt['content-type'] }, attempt.body);
      expect(reply.status, attempt['content-type']).toBe(415);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringMatching(/application\/json/) } });
    }
    expect(await statusOf(id)).toBe('pending_review');
  });

  it('refuses JSON sent from another origin with 403 and a clear message', async () => {
    const id = await pendingIntake();
    const foreign: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sibling.localhost' },
      { origin: `http://${host()}`, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      const reply = await raw('POST', `/api/intakes/${id}/decision`, { host: host(), 'content-type': 'application/json', ...headers }, JSON.stringify({ decision: 'approve' }));
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'not_authorised', message: expect.stringMatching(/Cross-site request refused/) } });
    }
    // Through the authenticating proxy's identity too.
    const proxied = await raw('POST', `/api/intakes/${id}/decision`, { host: host(), 'content-type': 'application/json', 'x-forwarded-user': 'carol', origin: 'http://evil.example' }, JSON.stringify({ decision: 'approve' }));
    expect(proxied.status).toBe(403);
    expect(await statusOf(id)).toBe('pending_review');

    // The same request from the console's own origin is a member's decision.
    const sameOrigin = await raw('POST', `/api/intakes/${id}/decision`, { host: host(), 'content-type': 'application/json', origin: server.url, 'sec-fetch-site': 'same-origin' }, JSON.stringify({ decision: 'approve' }));
    expect(sameOrigin.status).toBe(200);
    expect(await statusOf(id)).toBe('approved');
  });

  it('lets bearer-token callers through whatever their Origin (a token is never sent by the browser on its own)', async () => {
    const reply = await raw('POST', '/api/ask', { host: host(), 'content-type': 'application/json', authorization: 'Bearer alice-token', origin: 'http://tool.example' }, JSON.stringify({ question: 'What does Article 50 require?' }));
    expect(reply.status).toBe(200);
  });

  it('guards every state-changing API route, not only decisions', async () => {
    for (const route of ['/api/ask', '/api/feedback', '/api/intakes']) {
      const form = await raw('POST', route, { host: host(), 'content-type': 'application/x-www-form-urlencoded' }, 'question=x');
      expect(form.status, route).toBe(415);
      const json = await raw('POST', route, { host: host(), 'content-type': 'application/json', origin: 'http://evil.example' }, '{}');
      expect(json.status, route).toBe(403);
    }
  });
});

describe('the console uses the same check', () => {
  it('refuses a same-site or opaque-origin post even with a valid CSRF token', async () => {
    const first = await fetch(`${server.url}/console/ask`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: token, answerId: 'a1', rating: 'up' }).toString();
    const headers = { host: host(), cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const foreign: Array<Record<string, string>> = [{ 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { origin: 'http://evil.example' }];
    for (const extra of foreign) {
      const reply = await raw('POST', '/console/feedback', { ...headers, ...extra }, body);
      expect(reply.status, JSON.stringify(extra)).toBe(403);
    }
    const own = await raw('POST', '/console/feedback', { ...headers, origin: server.url, 'sec-fetch-site': 'same-origin' }, body);
    expect(own.status).toBe(201);
  });
});

describe('the development identity stays on this machine', () => {
  it('is refused to a request addressed to another host name (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const me = await raw('GET', '/api/me', { host: `rebind.evil.example:${port}` });
    expect(me.status).toBe(401);
    expect(JSON.parse(me.body)).toMatchObject({ error: { code: 'not_authenticated', message: expect.stringMatching(/development identity/) } });
    const id = await pendingIntake();
    const decided = await raw(
      'POST',
      `/api/intakes/${id}/decision`,
      { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}`, 'content-type': 'application/json' },
      JSON.stringify({ decision: 'approve' }),
    );
    expect(decided.status).toBe(401);
    expect(await statusOf(id)).toBe('pending_review');
    // Loopback names keep working.
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const local = await raw('GET', '/api/me', { host: `${name}:${port}` });
      expect(local.status, name).toBe(200);
      expect(JSON.parse(local.body)).toMatchObject({ user: 'web:dev', authenticatedBy: 'development' });
    }
  });

  it('is refused to a request relayed by a proxy', async () => {
    const relayed: Array<Record<string, string>> = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }];
    for (const header of relayed) {
      const reply = await raw('GET', '/api/me', { host: host(), ...header });
      expect(reply.status, JSON.stringify(header)).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { message: expect.stringMatching(/proxy/) } });
    }
  });
});
