// The web door's HTTP behaviour on an in-memory AppContext: escaping, rate limiting, authentication
// modes, error mapping, CSRF and the console's form round trip.
import { afterEach, describe, expect, it } from 'vitest';
import { html, escapeHtml, linkableUrl } from '../../src/channels/web/html.js';
import { createRateLimiter } from '../../src/core/rate-limiter.js';
import { startWebServer, type RunningWebServer } from '../../src/channels/web/web-server.js';
import { createFakeAppContext, fakeRelatedSources } from './fake-app-context.js';
import type { Environment } from '../../src/config.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { requestIdMixin } from '../../src/observability/request-scope.js';

const servers: RunningWebServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(1000)));
});

async function serve(environment: Environment = {}) {
  const app = createFakeAppContext(environment);
  const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return { app, url: server.url };
}

describe('html template', () => {
  it('escapes interpolations but keeps nested fragments', () => {
    const inner = html`<em>${'a&b'}</em>`;
    expect(html`<p title="${'"x"'}">${'<script>'}${inner}${['<i>', inner]}</p>`.value).toBe(
      '<p title="&quot;x&quot;">&lt;script&gt;<em>a&amp;b</em>&lt;i&gt;<em>a&amp;b</em></p>',
    );
    expect(escapeHtml("'`")).toBe('&#39;&#96;');
  });

  it('lets only http(s) URLs and paths on this site become links', () => {
    expect(linkableUrl('https://example.org/a?b=1#c')).toBe('https://example.org/a?b=1#c');
    expect(linkableUrl('http://example.org')).toBe('http://example.org');
    expect(linkableUrl('/console/documents/eu-ai-act#article-50')).toBe('/console/documents/eu-ai-act#article-50');
    for (const unsafe of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example/x', '/\\evil.example', 'vbscript:x', 'relative/path', undefined]) {
      expect(linkableUrl(unsafe)).toBeUndefined();
    }
  });
});

describe('rate limiter', () => {
  it('allows the budget per minute, then reports when to retry', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 2, clock: { now: () => new Date(now) } });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.take('b').allowed).toBe(true);
    now = 30_000;
    expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('web door over HTTP', () => {
  it('answers the JSON API and labels metrics by route pattern', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' }, body: JSON.stringify({ question: 'employment?' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ grounded: true, answerId: 'ans-1', mode: 'extractive', note: null });
    expect(Object.keys(body).slice(0, 4)).toEqual(['answer', 'grounded', 'citations', 'related']);
    expect(body['related']).toEqual(fakeRelatedSources);
    await fetch(`${url}/api/intakes/AI-NOPE1`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('shishin_http_requests_total{method="POST",route="/api/ask",status="200"} 1');
    expect(metrics).toContain('route="/api/intakes/:id",status="404"');
  });

  it('answers related: [] when there are no related sources', async () => {
    const { url } = await serve();
    const ask = async (question: string) =>
      (await (await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) })).json()) as Record<string, unknown>;
    expect(await ask('employment, no related?')).toMatchObject({ grounded: true, related: [] });
    expect(await ask('unknown topic?')).toMatchObject({ grounded: false, citations: [], related: [] });
  });

  it('lists related sources under the citations, escaped, linking only http(s) URLs', async () => {
    const { url } = await serve();
    const page = await (await fetch(`${url}/console/ask?q=employment`)).text();
    const section = page.slice(page.indexOf('id="related-heading"'));
    expect(page.indexOf('id="sources-heading"')).toBeLessThan(page.indexOf('id="related-heading"'));
    expect(section).toContain('>Related sources</h3>');
    expect(section).toContain('<li id="related-2"><a href="https://example.org/act#art-26" rel="noopener noreferrer" target="_blank">EU AI Act — Article 26</a></li>');
    // No http(s) original: the label links to the passage in the document viewer instead.
    expect(section).toMatch(/<li id="related-3"><a href="\/console\/documents\/[^"#]+#s-scope">Policy &lt;img src=x onerror=alert\(1\)&gt; — Scope<\/a><\/li>/);
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('<img');
    // Related sources are not cited: no quote is shown for them.
    expect(page).not.toContain('Deployers shall monitor.');
    const without = await (await fetch(`${url}/console/ask?q=${encodeURIComponent('employment, no related')}`)).text();
    expect(without).toContain('id="source-1"');
    expect(without).not.toContain('Related sources');
  });

  it('maps bad input to 400/413 with the error shape', async () => {
    const { url } = await serve();
    const post = (body: string) => fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"question":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'input_invalid', message: 'The request body is not valid JSON.' } });
    const missing = await post('{}');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { fields: unknown } }).error.fields).toEqual([{ field: 'question', message: 'question is required.' }]);
    const large = await post(JSON.stringify({ question: 'x'.repeat(70_000) }));
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const unknown = await fetch(`${url}/api/nothing`);
    expect(unknown.status).toBe(404);
  });

  it('requires credentials in production and accepts tokens and the trusted proxy header', async () => {
    const { url } = await serve({ NODE_ENV: 'production', API_TOKENS: 'secret-token=web:alice', TRUSTED_PROXY_USER_HEADER: 'X-Forwarded-User' });
    const anonymous = await fetch(`${url}/api/me`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${url}/api/me`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const token = await fetch(`${url}/api/me`, { headers: { authorization: 'Bearer secret-token' } });
    expect(await token.json()).toMatchObject({ user: 'web:alice', authenticatedBy: 'token' });
    const proxied = await fetch(`${url}/api/me`, { headers: { 'x-forwarded-user': 'bob' } });
    expect(await proxied.json()).toMatchObject({ user: 'web:bob', authenticatedBy: 'proxy' });
  });

  it('renders answers escaped with linked markers and refuses posts without the CSRF token', async () => {
    const { url } = await serve();
    const page = await (await fetch(`${url}/console/ask?q=employment`)).text();
    expect(page).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('<a class="marker" href="#source-1"');
    expect(page).toContain('id="source-1"');
    expect(page).toContain('Development identity: <strong>web:dev</strong>');
    const refused = await fetch(`${url}/console/feedback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answerId=a&rating=up', redirect: 'manual' });
    expect(refused.status).toBe(403);
    // With a valid token, a post from another site is still refused.
    const first = await fetch(`${url}/console/ask`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: token, answerId: 'a', rating: 'up' });
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const crossSite = await fetch(`${url}/console/feedback`, { method: 'POST', headers: { ...headers, origin: 'http://evil.example' }, body, redirect: 'manual' });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${url}/console/feedback`, { method: 'POST', headers: { ...headers, origin: url }, body, redirect: 'manual' });
    expect(sameSite.status).toBe(303);
    expect(sameSite.headers.get('location')).toBe('/console/ask?feedback=thanks');
  });

  it('keeps entered values and shows inline errors, then redirects after a valid submit', async () => {
    const { url, app } = await serve();
    const first = await fetch(`${url}/console/intakes/new`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const form = new URLSearchParams({ _csrf: token, idempotencyKey: 'key-12345678', title: 'CV <screening>', description: 'short' });
    const invalid = await fetch(`${url}/console/intakes`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toContain('value="CV &lt;screening&gt;"');
    expect(page).toContain('id="description-error"');
    for (const [name, value] of Object.entries({
      description: 'Ranks job applicants from their CVs for recruiters.',
      businessUnit: 'HR',
      lifecycleStage: 'pilot',
      role: 'business_user',
      modelSource: 'vendor_product',
      personalData: 'personal',
      decisionImpact: 'significant',
      profilesPeople: 'yes',
      interactsWithPeople: 'no',
      generatesContent: 'no',
      regions: 'EU',
    })) form.set(name, value);
    form.append('domains', 'employment');
    form.append('affectedPersons', 'job_applicants');
    const created = await fetch(`${url}/console/intakes`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/console/intakes/AI-TEST1?submitted=1');
    const again = await fetch(`${url}/console/intakes`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/console/intakes/AI-TEST1?submitted=1');
    expect((await app.intakes.list()).length).toBe(1);
    const detail = await (await fetch(`${url}${created.headers.get('location')}`, { headers: { cookie } })).text();
    expect(detail).toContain('data-tier="high"');
  });
});

describe('request ids in logs', () => {
  it('tags every log line of a request, including lines written by core code, with its id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter((text) => text !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const app = createFakeAppContext();
    app.logger = createLogger({ level: 'info', destination, mixin: requestIdMixin });
    const ask = app.answers.ask.bind(app.answers);
    app.answers = {
      async ask(request) {
        await new Promise((resolve) => setImmediate(resolve));
        app.logger.info({ component: 'core' }, 'core work');
        return ask(request);
      },
    };
    const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
    servers.push(server);
    const response = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' }, body: JSON.stringify({ question: 'employment?' }) });
    expect(response.status).toBe(200);
    await server.close(1000);
    servers.pop();
    const core = lines.find((line) => line.msg === 'core work');
    expect(core?.requestId).toBe('trace-42');
    const access = lines.find((line) => line.msg === 'request');
    expect(access).toMatchObject({ requestId: 'trace-42', route: '/api/ask', status: 200 });
    expect(JSON.stringify(lines)).not.toContain('employment?');
  });
});
