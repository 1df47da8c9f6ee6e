// The governance workbench through the JSON API on the real application (index, classifier, rules,
// SQLite) over real HTTP, with a clock the test moves: an approved high-risk intake's obligation
// items, completed with evidence by the submitter and an assigned owner, reopened by a member; the
// register's filters; the dashboard figures; and six months later the re-review, back in the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewScheduler } from '../../src/core/review/review-scheduler.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { cvScreeningIntake, meetingNotesIntake } from '../helpers/intake-examples.js';
import { ManualClock } from '../store/intake-fixtures.js';
import { call } from './http-client.js';

let server: TestServer;
const clock = new ManualClock('2026-11-25T09:00:00.000Z');
const alice = 'alice-token';
const bob = 'bob-token';
const reviewer = 'reviewer-token';
const day = 24 * 60 * 60 * 1000;

interface Item {
  id: string;
  text: string;
  status: string;
  owner?: string;
  dueAt?: string;
  evidence?: { note?: string; link?: string };
  revision: number;
}

beforeAll(async () => {
  server = await startTestServer(
    { API_TOKENS: `${alice}=web:alice,${bob}=web:bob,${reviewer}=web:reviewer`, GOVERNANCE_MEMBERS: 'web:reviewer' },
    { clock },
  );
});
afterAll(async () => {
  await server?.close();
});

const api = (path: string) => `${server.url}${path}`;

describe('obligations, register filters, dashboard and re-review through the API', () => {
  let intakeId: string;
  let items: Item[];
  let minimalId: string;

  it('turns an approval into obligation items with owners, due dates and the next review', async () => {
    const created = await call(api('/api/intakes'), { token: alice, body: cvScreeningIntake });
    expect(created.status).toBe(201);
    intakeId = String(created.body.id);
    expect(created.body.obligationItems).toEqual([]);
    expect(created.body.nextReviewAt).toBeUndefined();
    const decided = await call(api(`/api/intakes/${intakeId}/decision`), {
      token: reviewer,
      body: { decision: 'approve_with_conditions', comment: '- Human review of every shortlist\n- Quarterly bias report' },
    });
    expect(decided.status).toBe(200);
    const reply = await call<{ obligationItems: Item[]; nextReviewAt: string; decidedAt: string; classification: { obligations: Array<{ text: string }> } }>(
      api(`/api/intakes/${intakeId}`),
      { token: alice },
    );
    expect(reply.status).toBe(200);
    items = reply.body.obligationItems;
    const checklist = reply.body.classification.obligations.map((obligation) => obligation.text);
    expect(items.map((item) => item.text)).toEqual([...checklist, 'Human review of every shortlist', 'Quarterly bias report']);
    expect(items.length).toBeGreaterThan(4);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'text', 'status', 'owner', 'dueAt']));
      expect(item).toMatchObject({ status: 'open', owner: 'web:alice', dueAt: reply.body.nextReviewAt });
    }
    // High risk: reviewed again six months after the approval (rules/risk-rules.yaml).
    expect(reply.body.nextReviewAt.slice(0, 10)).toBe('2027-05-25');
    expect(Date.parse(reply.body.nextReviewAt)).toBe(Date.UTC(2027, 4, 25) + (Date.parse(reply.body.decidedAt) - Date.UTC(2026, 10, 25)));
  });

  it('lets the submitter complete an item with evidence, and refuses others or incomplete changes', async () => {
    const [first, second] = items as [Item, Item];
    const path = api(`/api/intakes/${intakeId}/obligations/${first.id}`);
    const noEvidence = await call(path, { token: alice, body: { status: 'done' } });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body).toMatchObject({ error: { code: 'input_invalid', fields: [{ field: 'evidence' }] } });
    expect((await call(path, { token: alice, body: { status: 'done', evidence: 'yes' } })).status).toBe(400);
    expect((await call(path, { token: alice, body: { status: 'done', colour: 'green' } })).status).toBe(400);
    expect((await call(path, { token: bob, body: { status: 'done', evidence: { note: 'x' } } })).status).toBe(403);
    expect((await call(path, { token: reviewer, body: { status: 'done', evidence: { note: 'x' } } })).status).toBe(403);
    expect((await call(api(`/api/intakes/AI-0000000/obligations/${first.id}`), { token: alice, body: { status: 'open' } })).status).toBe(404);
    expect((await call(api(`/api/intakes/${intakeId}/obligations/${intakeId}-999`), { token: alice, body: { status: 'open' } })).status).toBe(404);

    const done = await call<Item>(path, { token: alice, body: { status: 'done', evidence: { note: 'Risk register R-17', link: 'https://docs.example/risk/R-17' }, revision: first.revision } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: first.id, status: 'done', evidence: { note: 'Risk register R-17', link: 'https://docs.example/risk/R-17' }, revision: 2, updatedBy: 'web:alice' });
    const stale = await call(path, { token: alice, body: { status: 'not_applicable', reason: 'x', revision: first.revision } });
    expect(stale.status).toBe(409);

    // Reassigned to bob, who can now read the intake and complete his item.
    expect((await call(api(`/api/intakes/${intakeId}`), { token: bob })).status).toBe(403);
    const assigned = await call<Item>(api(`/api/intakes/${intakeId}/obligations/${second.id}`), { token: alice, body: { owner: 'web:bob', dueAt: '2027-01-15' } });
    expect(assigned.body).toMatchObject({ owner: 'web:bob', dueAt: '2027-01-15T23:59:59.999Z' });
    expect((await call(api(`/api/intakes/${intakeId}`), { token: bob })).status).toBe(200);
    const mine = await call<{ items: Array<Item & { intake: { id: string } }> }>(api('/api/obligations'), { token: bob });
    expect(mine.body.items.map((item) => [item.id, item.intake.id])).toEqual([[second.id, intakeId]]);
    const bobDone = await call<Item>(api(`/api/intakes/${intakeId}/obligations/${second.id}`), { token: bob, body: { status: 'not_applicable', reason: 'The vendor runs human oversight (contract §4).' } });
    expect(bobDone.body.status).toBe('not_applicable');

    // The governance team reopens it: the contract does not cover it after all.
    const reopened = await call<Item>(api(`/api/intakes/${intakeId}/obligations/${second.id}`), { token: reviewer, body: { status: 'open', comment: 'Contract §4 covers monitoring, not overrides.' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', updatedBy: 'web:reviewer' });
    expect(reopened.body).not.toHaveProperty('reason');

    const history = (await call<{ history: Array<{ action: string; actor: string }> }>(api(`/api/intakes/${intakeId}`), { token: alice })).body.history;
    expect(history.filter((entry) => entry.action === 'obligation.updated').map((entry) => entry.actor)).toEqual(['web:alice', 'web:alice', 'web:bob', 'web:reviewer']);
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
  });

  it('filters the register, and counts items per intake in the export', async () => {
    minimalId = String((await call(api('/api/intakes'), { token: bob, body: meetingNotesIntake })).body.id);
    const all = await call<Array<{ id: string }>>(api('/api/register?format=json'), { token: reviewer });
    expect(all.body.map((row) => row.id)).toEqual([intakeId, minimalId]);
    const high = await call<Array<{ id: string; obligationsOpen: number; obligationsDone: number; obligationsNotApplicable: number; nextReviewAt: string }>>(
      api('/api/register?format=json&tier=high&latest=1'),
      { token: reviewer },
    );
    expect(high.body.map((row) => row.id)).toEqual([intakeId]);
    expect(high.body[0]).toMatchObject({ obligationsOpen: items.length - 1, obligationsDone: 1, obligationsNotApplicable: 0 });
    expect((await call<Array<{ id: string }>>(api('/api/register?format=json&obligations=open'), { token: reviewer })).body.map((row) => row.id)).toEqual([intakeId]);
    expect((await call<Array<{ id: string }>>(api(`/api/register?format=json&status=auto_cleared&businessUnit=${encodeURIComponent(meetingNotesIntake.businessUnit.toUpperCase())}`), { token: reviewer })).body.map((row) => row.id)).toEqual([minimalId]);
    const invalid = await call(api('/api/register?format=json&tier=extreme'), { token: reviewer });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { fields: [{ field: 'tier' }] } });
    const csv = await call(api('/api/register?format=csv&tier=high'), { token: reviewer });
    const [header, row] = csv.text.split('\r\n');
    expect(header).toContain('obligations_open,obligations_done,obligations_not_applicable,obligations_overdue,next_review_at,superseded_by');
    expect(row).toContain(`,${items.length - 1},1,0,0,2027-05-25`);
  });

  it('gives governance members the dashboard figures as JSON, each with its register query', async () => {
    expect((await call(api('/api/dashboard'), { token: alice })).status).toBe(403);
    const reply = await call<{
      intakes: { count: number; byTier: Array<{ tier: string; count: number; link: string; data: string }>; byStatus: Array<{ status: string; count: number }>; byBusinessUnit: Array<{ businessUnit: string; count: number }>; overTime: Array<{ month: string; count: number }> };
      obligations: { open: number; done: number; notApplicable: number; overdue: number; withOpen: { count: number; link: string } };
      reviews: { due: { count: number }; next30Days: { count: number } };
    }>(api('/api/dashboard'), { token: reviewer });
    expect(reply.status).toBe(200);
    const { intakes, obligations, reviews } = reply.body;
    expect(intakes.count).toBe(2);
    expect(intakes.byTier.find((entry) => entry.tier === 'high')).toEqual({ tier: 'high', count: 1, link: '/console/register?tier=high&latest=1', data: '/api/register?format=json&tier=high&latest=1' });
    expect(intakes.byStatus.find((entry) => entry.status === 'approved_with_conditions')?.count).toBe(1);
    expect(intakes.byBusinessUnit.map((entry) => entry.count).reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(intakes.overTime).toHaveLength(12);
    expect(intakes.overTime.at(-1)).toMatchObject({ month: '2026-11', count: 2 });
    expect(obligations).toMatchObject({ open: items.length - 1, done: 1, notApplicable: 0, overdue: 0, withOpen: { count: 1, link: '/console/register?obligations=open&latest=1' } });
    expect(reviews.due.count).toBe(0);
    // Each figure's data link gives the rows it counts.
    const rows = await call<unknown[]>(api(intakes.byTier.find((entry) => entry.tier === 'high')?.data ?? ''), { token: reviewer });
    expect(rows.body).toHaveLength(1);
  });

  it('shows overdue items on the dashboard once their date passes', async () => {
    clock.advance(60 * day);
    const reply = await call<{ obligations: { overdue: number; withOverdue: { count: number } } }>(api('/api/dashboard'), { token: reviewer });
    expect(reply.body.obligations).toMatchObject({ overdue: 1, withOverdue: { count: 1 } });
    expect((await call<Array<{ id: string; obligationsOverdue: number }>>(api('/api/register?format=json&obligations=overdue'), { token: reviewer })).body).toEqual([
      expect.objectContaining({ id: intakeId, obligationsOverdue: 1 }),
    ]);
  });

  it('puts the intake back in the queue six months after the approval, with what changed', async () => {
    const scheduler = createReviewScheduler({ store: server.app.store, clock, logger: server.app.logger, metrics: server.app.metrics, channels: [] });
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 0 });
    clock.advance(125 * day);
    expect(await scheduler.runOnce()).toMatchObject({ markedDue: 1 });
    const reply = await call<{ status: string; reviewChanges: { counts: { done: number }; conditions: Array<{ text: string }>; changes: Array<{ itemId: string; actor: string }> } }>(
      api(`/api/intakes/${intakeId}`),
      { token: reviewer },
    );
    expect(reply.body.status).toBe('review_due');
    expect(reply.body.reviewChanges.conditions.map((condition) => condition.text)).toEqual(['Human review of every shortlist', 'Quarterly bias report']);
    expect(reply.body.reviewChanges.changes.map((change) => change.actor)).toEqual(['web:alice', 'web:alice', 'web:bob', 'web:reviewer']);
    const queue = await call<{ intakes: Array<{ id: string; status: string }> }>(api('/api/queue'), { token: reviewer });
    expect(queue.body.intakes.map((intake) => [intake.id, intake.status])).toEqual([[intakeId, 'review_due']]);
    const dashboard = await call<{ reviews: { due: { count: number; link: string } } }>(api('/api/dashboard'), { token: reviewer });
    expect(dashboard.body.reviews.due).toMatchObject({ count: 1, link: '/console/register?review=due&latest=1' });
    const metrics = await fetch(api('/metrics')).then((response) => response.text());
    expect(metrics).toMatch(/shishin_reviews_marked_due_total\{tier="high"\} 1/);
    expect(metrics).toMatch(/shishin_reviews_due_waiting 1/);

    // Items still move while the re-review waits; the decision brings a new date.
    expect((await call(api(`/api/intakes/${intakeId}/obligations/${items[2]?.id}`), { token: alice, body: { status: 'done', evidence: { note: 'Oversight runbook v3' } } })).status).toBe(200);
    const again = await call<{ status: string; nextReviewAt: string }>(api(`/api/intakes/${intakeId}/decision`), { token: reviewer, body: { decision: 'approve' } });
    expect(again.body.status).toBe('approved');
    expect(again.body.nextReviewAt.slice(0, 10)).toBe('2027-11-29');
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
  });
});
