// The console as a reviewer and an asker meet it, on the real app over HTTP (development identity on
// loopback, a governance member that may review its own test intakes): a review form that cannot
// mislead, decisions shown as outcomes in local time, "not covered" that reaches the governance team
// once, and the small things (favicon, error summary wording, navigation on a refused form).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

let server: TestServer;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  server = await startTestServer({ DISPLAY_TIME_ZONE: 'Asia/Tokyo', GOVERNANCE_MEMBERS: 'web:dev' });
  const first = await fetch(`${server.url}/console/ask`);
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
});
afterAll(async () => server?.close());

const page = async (path: string) => (await fetch(`${server.url}${path}`, { headers: { cookie } })).text();
const post = (path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
    redirect: 'manual',
  });

describe('review form', () => {
  it('pre-selects nothing, shows a refused decision at the form, and reports the outcome naming the intake', async () => {
    const created = await call<{ id: string }>(`${server.url}/api/intakes`, { body: { ...cvScreeningIntake, title: 'Résumé ranker' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const detail = await page(`/console/intakes/${id}`);
    expect(detail).toContain(`action="/console/intakes/${id}/decision#decide-${id}"`);
    expect(detail).not.toMatch(/type="radio"[^>]*checked/);

    const refused = await post(`/console/intakes/${id}/decision`, { decision: 'reject', comment: '', returnTo: `/console/intakes/${id}` });
    expect(refused.status).toBe(400);
    const shown = await refused.text();
    expect(shown).toContain('id="error-summary"');
    expect(shown).toContain(`The decision on ${id} was not recorded`);
    expect(shown).toMatch(new RegExp(`id="decide-${id}-reject"[^>]*checked`));
    expect(shown).toMatch(/<a href="#decide-[^"]+-comment">[^<]+<\/a>/);

    const decided = await post(`/console/intakes/${id}/decision`, { decision: 'approve_with_conditions', comment: 'Keep a recruiter on every shortlist.', returnTo: `/console/intakes/${id}` });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toBe(`/console/intakes/${id}?decided=${id}`);
    const after = await page(decided.headers.get('location') ?? '');
    expect(after).toContain(`Decision recorded: ${id} “Résumé ranker” — Approved with conditions.`);
    // An outcome with who and when, in the display time zone, without milliseconds.
    expect(after).toMatch(/Approved with conditions by web:dev on <time datetime="[^"]+\.\d{3}Z">\d{4}-\d{2}-\d{2} \d{2}:\d{2} JST<\/time>/);
    expect(after).not.toMatch(/>\d{4}-\d{2}-\d{2}T[^<]*<\/time>/);

    const register = await page('/console/register');
    expect(register).toContain('<th scope="col">Decision comment</th>');
    expect(register).toContain('Keep a recruiter on every shortlist.');
    expect(register).toContain('download="ai-register.json"');
  });
});

describe('"not covered" in the console', () => {
  it('offers to ask the governance team, sends the question once and lists it in the review queue', async () => {
    const question = 'How do I book a meeting room in the Osaka office?';
    const answer = await page(`/console/ask?q=${encodeURIComponent(question)}`);
    expect(answer).toContain('data-mode="not_covered"');
    expect(answer).toContain('action="/console/escalations"');
    expect(answer.match(/does not cover/g)?.length ?? 0).toBeLessThanOrEqual(1);
    const answerId = /name="answerId" value="([^"]+)"/.exec(answer)?.[1] ?? '';
    const sent = await post('/console/escalations', { question, answerId });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/console/ask?escalated=queued');
    expect(await page('/console/ask?escalated=queued')).toContain('in the governance team’s review queue');
    const again = await post('/console/escalations', { question, answerId });
    expect(again.headers.get('location')).toBe('/console/ask?escalated=already');
    const queue = await page('/console/queue');
    expect(queue).toContain('Questions for the governance team');
    expect(queue.split(question).length - 1).toBe(1);
    const audit = await server.app.store.listAudit({ order: 'descending', limit: 20 });
    expect(audit.filter((entry) => entry.action === 'question.escalated')).toHaveLength(1);
  });
});

describe('console details', () => {
  it('has a favicon, a submit-on-Enter question box and one label per error in the summary', async () => {
    const ask = await page('/console/ask');
    expect(ask).toContain('<link rel="icon" href="/console/assets/favicon.svg"');
    expect(ask).toContain('data-submit-on-enter');
    const icon = await fetch(`${server.url}/console/assets/favicon.svg`);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect((await fetch(`${server.url}/favicon.ico`, { redirect: 'manual' })).status).toBe(301);

    const refused = await post('/console/intakes', { idempotencyKey: 'key-details-1', title: 'Helper', description: 'Drafts replies to customer emails for agents to edit.' });
    expect(refused.status).toBe(400);
    const form = await refused.text();
    expect(form).toContain('Profiles people: answer yes or no.');
    expect(form).not.toContain('Profiles people: Profiles people');
    expect(form).toMatch(/<a href="\/console\/intakes\/new" aria-current="page">New intake<\/a>/);
    expect(form).not.toMatch(/<a href="\/console\/intakes" aria-current="page">/);
  });
});
