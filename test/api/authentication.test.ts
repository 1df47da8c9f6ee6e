// Authentication modes and rate limiting on the real application.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { call } from './http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serve(environment: Record<string, string>) {
  const server = await startTestServer(environment);
  servers.push(server);
  return server;
}

describe('production mode', () => {
  it('refuses requests without credentials and accepts bearer tokens and the trusted proxy header', async () => {
    const { url } = await serve({ NODE_ENV: 'production', API_TOKENS: 'tok-alice=web:alice', TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User', GOVERNANCE_MEMBERS: 'web:carol' });
    const anonymous = await call(`${url}/api/ask`, { body: { question: 'What is the EU AI Act?' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'not_authenticated' } });
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="shishin"');
    expect((await call(`${url}/api/me`, { token: 'nope' })).status).toBe(401);

    const byToken = await call(`${url}/api/me`, { token: 'tok-alice' });
    expect(byToken.body).toMatchObject({ user: 'web:alice', authenticatedBy: 'token', mode: 'production' });
    const byProxy = await call(`${url}/api/me`, { headers: { 'x-forwarded-user': 'carol' } });
    expect(byProxy.body).toMatchObject({ user: 'web:carol', authenticatedBy: 'proxy', governanceMember: true });
    expect((await call(`${url}/api/me`, { headers: { 'x-forwarded-user': 'not a name!' } })).status).toBe(401);

    // The console asks for sign-in too, as a page; operations endpoints stay open for probes.
    const page = await fetch(`${url}/console/ask`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Sign-in required');
    expect((await call(`${url}/healthz`)).status).toBe(200);
    // Development identity switching does not exist in production.
    expect((await fetch(`${url}/console/dev-identity`, { method: 'POST', headers: { 'x-forwarded-user': 'carol' } })).status).toBe(403);
  });

  it('ignores the identity header when no trusted proxy is configured', async () => {
    const { url } = await serve({ NODE_ENV: 'production', API_TOKENS: 'tok-alice=web:alice' });
    expect((await call(`${url}/api/me`, { headers: { 'x-forwarded-user': 'mallory' } })).status).toBe(401);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a user exceeds the per-minute budget, per user', async () => {
    const { url } = await serve({ RATE_LIMIT_PER_MINUTE: '2', API_TOKENS: 'a=web:a,b=web:b' });
    const ask = (token: string) => call(`${url}/api/ask`, { token, body: { question: 'What does Article 50 require?' } });
    expect((await ask('a')).status).toBe(200);
    expect((await ask('a')).status).toBe(200);
    const limited = await ask('a');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'rate_limited', message: "You're asking faster than Shishin can keep up — please wait a few seconds." } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Submissions share the budget; another user has their own.
    expect((await call(`${url}/api/intakes`, { token: 'a', body: cvScreeningIntake })).status).toBe(429);
    expect((await ask('b')).status).toBe(200);
  });
});
