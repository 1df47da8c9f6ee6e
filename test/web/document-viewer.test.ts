// The document viewer over real HTTP on the real app: every citation links to its section, internal
// documents are readable without any external link, and only signed-in users see documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

let server: TestServer;
const token = 'viewer-token';
const auth = { authorization: `Bearer ${token}` };

beforeAll(async () => {
  server = await startTestServer({ API_TOKENS: `${token}=web:viewer` });
});
afterAll(async () => server?.close());

describe('document viewer', () => {
  it('shows an internal policy cited by an answer at the cited section, with no external link', async () => {
    const answer = await call<{ citations: Array<{ source: string; section: string; url?: string; documentUrl?: string }> }>(`${server.url}/api/ask`, {
      token,
      body: { question: 'Which data may I paste into an unapproved AI tool under our internal policy?' },
    });
    expect(answer.status).toBe(200);
    const internal = answer.body.citations.find((citation) => citation.source === 'internal-ai-policy-sample.md');
    expect(internal, JSON.stringify(answer.body.citations)).toBeDefined();
    expect(internal?.url).toBe(internal?.documentUrl);
    expect(internal?.documentUrl).toMatch(/^\/console\/documents\/internal-ai-policy-sample\.md#s-/);
    const page = await fetch(`${server.url}${internal?.documentUrl}`, { headers: auth });
    expect(page.status).toBe(200);
    const body = await page.text();
    const anchor = internal?.documentUrl?.split('#')[1] ?? '';
    expect(body).toContain(`<section id="${anchor}"`);
    expect(body).toContain('no public original');
    expect(body).not.toContain('internal://');
    expect([...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1]).filter((href) => /^https?:/.test(href ?? ''))).toEqual([]);
  });

  it('links an EU AI Act citation to the viewer and the original in the console', async () => {
    const page = await (await fetch(`${server.url}/console/ask?q=${encodeURIComponent('What must deployers of high-risk AI do?')}`, { headers: auth })).text();
    expect(page).toMatch(/<a href="\/console\/documents\/eu-ai-act-[a-z-]+\.md#s-[^"]+">Read in context/);
    expect(page).toMatch(/<a href="https:\/\/[^"]+" rel="noopener noreferrer" target="_blank">Read the original/);
  });

  it('lists every indexed document and answers 404 for anything else', async () => {
    const list = await (await fetch(`${server.url}/console/documents`, { headers: auth })).text();
    expect(list).toContain('href="/console/documents/internal-ai-policy-sample.md"');
    expect(list).toContain('href="/console/documents/japan-ai-guidelines-2025-summary-ja.md"');
    for (const id of ['nope.md', '..%2F..%2Fpackage.json', '%2Fetc%2Fpasswd']) {
      expect((await fetch(`${server.url}/console/documents/${id}`, { headers: auth })).status, id).toBe(404);
    }
    const japanese = await (await fetch(`${server.url}/console/documents/japan-ai-guidelines-2025-summary-ja.md`, { headers: auth })).text();
    expect(japanese).toMatch(/<article class="document" lang="ja">/);
  });

  it('is for signed-in users only', async () => {
    const response = await fetch(`${server.url}/console/documents/internal-ai-policy-sample.md`, { headers: { authorization: 'Bearer wrong-token' } });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('Data handling');
  });
});
