// The governance workbench in the web console, on the real application over real HTTP: an approved
// intake's items with their update forms (shown to those who may use them), a completed item with
// evidence through a form post, "My obligations", the register's filters, the dashboard's accessible
// SVG charts, and the re-review in the queue. The browser test (test/e2e) clicks through the same pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewScheduler } from '../../src/core/review/review-scheduler.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { cvScreeningIntake, meetingNotesIntake } from '../helpers/intake-examples.js';
import { ManualClock } from '../store/intake-fixtures.js';
import { call } from '../api/http-client.js';

let server: TestServer;
const clock = new ManualClock('2026-11-25T09:00:00.000Z');
const tokens = { alice: 'alice-token', bob: 'bob-token', reviewer: 'reviewer-token' } as const;
let intakeId: string;

beforeAll(async () => {
  server = await startTestServer(
    { API_TOKENS: `${tokens.alice}=web:alice,${tokens.bob}=web:bob,${tokens.reviewer}=web:reviewer`, GOVERNANCE_MEMBERS: 'web:reviewer' },
    { clock },
  );
  intakeId = String((await call(`${server.url}/api/intakes`, { token: tokens.alice, body: cvScreeningIntake })).body.id);
  await call(`${server.url}/api/intakes`, { token: tokens.bob, body: meetingNotesIntake });
  await call(`${server.url}/api/intakes/${intakeId}/decision`, { token: tokens.reviewer, body: { decision: 'approve_with_conditions', comment: 'Human review of every shortlist' } });
});
afterAll(async () => {
  await server?.close();
});

async function page(path: string, who: keyof typeof tokens): Promise<{ status: number; html: string; cookie: string; csrf: string }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  const html = await response.text();
  return {
    status: response.status,
    html,
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
  };
}

async function post(path: string, who: keyof typeof tokens, fields: Record<string, string>, from: { cookie: string; csrf: string }) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { authorization: `Bearer ${tokens[who]}`, cookie: from.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: from.csrf, ...fields }),
  });
}

describe('workbench pages in the console', () => {
  it('shows the items with their update forms, the next review date, and saves an item with evidence', async () => {
    const detail = await page(`/console/intakes/${intakeId}`, 'alice');
    expect(detail.status).toBe(200);
    expect(detail.html).toContain(`id="item-${intakeId}-1"`);
    expect(detail.html).toContain(`action="/console/intakes/${intakeId}/obligations/${intakeId}-1"`);
    expect(detail.html).toMatch(/<dt>Next review<\/dt><dd><time datetime="2027-05-25T[^"]+" data-next-review>2027-05-25<\/time>/);
    expect(detail.html).toContain('Human review of every shortlist');

    const missing = await post(`/console/intakes/${intakeId}/obligations/${intakeId}-1`, 'alice', { status: 'done', note: '', link: '', revision: '1' }, detail);
    expect(missing.status).toBe(400);
    const refused = await missing.text();
    expect(refused).toContain('Add evidence to mark it done');
    expect(refused).toContain('aria-invalid="true"');
    expect(refused).toMatch(/<details class="item-update" open>/);

    const saved = await post(
      `/console/intakes/${intakeId}/obligations/${intakeId}-1`,
      'alice',
      { status: 'done', note: 'Risk register entry R-17', link: 'https://docs.example/risk/R-17', owner: '', dueAt: '2027-05-25', comment: '', revision: '1' },
      detail,
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/console/intakes/${intakeId}?updated=${intakeId}-1#item-${intakeId}-1`);
    const after = await page(`/console/intakes/${intakeId}?updated=${intakeId}-1`, 'alice');
    expect(after.html).toContain(`${intakeId}-1 saved.`);
    expect(after.html).toContain('<a href="https://docs.example/risk/R-17" rel="noopener noreferrer" target="_blank">https://docs.example/risk/R-17</a>');
    expect(after.html).toMatch(new RegExp(`id="item-${intakeId}-1" class="obligation obligation-done"`));
    expect(after.html).toContain(`${intakeId}-1 marked done`);
  });

  it('offers members only reopening and reassigning, and outsiders nothing', async () => {
    const member = await page(`/console/intakes/${intakeId}`, 'reviewer');
    expect(member.html).toContain(`id="item-${intakeId}-1-status-open"`);
    expect(member.html).not.toContain(`id="item-${intakeId}-1-note"`);
    expect(member.html).toContain(`id="item-${intakeId}-1-owner"`);
    const note = await post(`/console/intakes/${intakeId}/obligations/${intakeId}-2`, 'reviewer', { status: 'done', note: 'done by the reviewer' }, member);
    expect(note.status).toBe(403);
    expect((await page(`/console/intakes/${intakeId}`, 'bob')).status).toBe(403);
  });

  it('lists a person’s items under My obligations', async () => {
    const mine = await page('/console/obligations', 'alice');
    expect(mine.html).toContain('<h1>My obligations</h1>');
    expect(mine.html).toContain(`href="/console/intakes/${intakeId}#item-${intakeId}-2"`);
    expect((await page('/console/obligations', 'bob')).html).toContain('Nothing to do');
  });

  it('filters the register and keeps the filters in the download links', async () => {
    const filtered = await page('/console/register?tier=high&latest=1', 'reviewer');
    expect(filtered.html).toContain('Showing 1 of 2 register rows.');
    expect(filtered.html).toContain(`data-intake="${intakeId}"`);
    expect(filtered.html).toContain('href="/api/register?format=csv&amp;tier=high&amp;latest=1"');
    expect(filtered.html).toMatch(/<option value="high" selected>/);
    expect(filtered.html).toMatch(/<td>\d+ \/ 1<\/td><td>2027-05-25<\/td>/);
    expect((await page('/console/register?tier=extreme', 'reviewer')).status).toBe(400);
  });

  it('renders the dashboard for members as accessible SVG charts whose bars and tables link to the register', async () => {
    expect((await page('/console/dashboard', 'alice')).status).toBe(403);
    expect((await page('/console/register', 'alice')).html).not.toContain('href="/console/dashboard"');
    const dashboard = await page('/console/dashboard', 'reviewer');
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain('href="/console/dashboard" aria-current="page"');
    for (const chart of ['chart-tier', 'chart-status', 'chart-unit', 'chart-months']) {
      expect(dashboard.html).toContain(`<svg class="chart" role="img" aria-labelledby="${chart}-title ${chart}-desc"`);
      expect(dashboard.html).toContain(`<title id="${chart}-title">`);
    }
    expect(dashboard.html).toContain('<desc id="chart-tier-desc">Prohibited: 0; High risk: 1; Limited risk (transparency): 1; Minimal risk: 0 (use cases).</desc>');
    expect(dashboard.html).toContain('<a href="/console/register?tier=high&amp;latest=1" tabindex="-1" aria-hidden="true" class="chart-link" data-label="High risk">');
    expect(dashboard.html).toContain('<th scope="row"><a href="/console/register?tier=high&amp;latest=1">High risk</a></th><td>1</td>');
    expect(dashboard.html).toContain('href="/console/register?obligations=open&amp;latest=1"');
    expect(dashboard.html).toContain('href="/console/register?submitted=2026-11"');
    expect(dashboard.html).toContain('No re-review is due in the next 30 days.');
  });

  it('shows a re-review in the queue with what changed since the last decision', async () => {
    clock.advance(183 * 24 * 60 * 60 * 1000);
    await createReviewScheduler({ store: server.app.store, clock, logger: server.app.logger, channels: [] }).runOnce();
    const queue = await page('/console/queue', 'reviewer');
    expect(queue.html).toContain('Re-review due');
    expect(queue.html).toContain(`<strong>${intakeId}-1</strong> `);
    expect(queue.html).toContain('done — web:alice');
    expect(queue.html).toContain(`action="/console/intakes/${intakeId}/decision#decide-${intakeId}"`);
    const dashboard = await page('/console/dashboard', 'reviewer');
    expect(dashboard.html).toContain(`<a href="/console/intakes/${intakeId}">${intakeId}</a>`);
  });
});
