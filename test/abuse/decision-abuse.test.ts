// Abuse of the decision routes, on one real service with Slack (HTTP mode, fake Web API), Teams
// (loopback, fake connector; no review conversation, so submissions post no Teams cards), the JSON API and the console: a governance member cannot approve
// their own intake at any door (refused with one actionable sentence, and audited), and many
// clients hammering refused decisions — with 8 KB intake ids — cannot grow the audit trail beyond
// the per-person rate (DECISION_RATE_LIMIT_PER_MINUTE), nor write an entry larger than a few hundred bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionModalCallbackId, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import type { Actor } from '../../src/core/actor.js';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { buttonClick, governanceMember, reviewChannel, startSlackHarness, viewSubmission, type SlackHarness } from '../slack/slack-harness.js';

const teamsReviewer = { id: '29:abuse-reviewer', name: 'Rei Reviewer', aadObjectId: 'aad-self-reviewer' };
const governanceConversation = '19:decision-abuse@thread.tacv2';
const decisionsPerMinute = 10;
const proxyHeader = 'x-authenticated-user';

let harness: SlackHarness;
let connector: FakeBotConnector;
let base: string;
let submissions = 0;

beforeAll(async () => {
  connector = await FakeBotConnector.start();
  harness = await startSlackHarness({
    DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
    GOVERNANCE_MEMBERS: `slack:${governanceMember},teams:${teamsReviewer.aadObjectId},web:reviewer,web:second`,
    API_TOKENS: 'reviewer-token=web:reviewer,second-token=web:second,mallory-token=web:mallory,alice-token=web:alice',
    TRUSTED_PROXY_USER_HEADER: proxyHeader,
    RATE_LIMIT_PER_MINUTE: '100000',
    DECISION_RATE_LIMIT_PER_MINUTE: String(decisionsPerMinute),
  });
  base = harness.service.web.url;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await connector?.close();
});

/** A flagged intake submitted through the core service as `actor` (the door it came from does not matter here). */
async function intakeBy(actor: Actor): Promise<string> {
  submissions += 1;
  const { record } = await harness.service.app.intakes.submit({ input: cvScreeningIntake, submittedBy: actor, idempotencyKey: `decision-abuse-${submissions}` });
  expect(record.status).toBe('pending_review');
  return record.id;
}

async function refusals(intakeId: string) {
  return (await harness.service.app.store.listAudit({ intakeId })).filter((entry) => entry.action === 'decision.refused');
}

const selfReviewMessage = (intakeId: string) => `You submitted ${intakeId}; ask another member of the governance team to decide on it.`;

describe('self-review at every decision door', () => {
  it('refuses a member deciding their own intake through the JSON API, the console, a Slack modal and a Teams card, and audits each', async () => {
    const viaApi = await intakeBy({ channel: 'web', id: 'reviewer' });
    const api = await call(`${base}/api/intakes/${viaApi}/decision`, { token: 'reviewer-token', body: { decision: 'approve' } });
    expect(api.status).toBe(403);
    expect(api.body).toMatchObject({ error: { code: 'not_authorised', message: selfReviewMessage(viaApi) } });

    // The console, as the same person signed in through the authenticating proxy.
    const viaConsole = await intakeBy({ channel: 'web', id: 'reviewer' });
    const identity = { [proxyHeader]: 'reviewer' };
    const page = await fetch(`${base}/console/intakes/${viaConsole}`, { headers: identity });
    expect(page.status).toBe(200);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const form = await fetch(`${base}/console/intakes/${viaConsole}/decision`, {
      method: 'POST',
      headers: { ...identity, cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(403);
    expect(await form.text()).toContain(selfReviewMessage(viaConsole));

    // Slack: the member's button opens the decision modal; submitting it is refused privately.
    const viaSlack = await intakeBy({ channel: 'slack', id: governanceMember });
    await harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: viaSlack, channel: reviewChannel }));
    const modal = await harness.fake.waitForCall(
      'views.open',
      (made) => (made.args.view as { callback_id?: string }).callback_id === decisionModalCallbackId && String((made.args.view as { private_metadata?: string }).private_metadata).includes(viaSlack),
    );
    await harness.interaction(
      viewSubmission({
        user: governanceMember,
        callbackId: decisionModalCallbackId,
        viewId: 'VSELFREVIEW1',
        privateMetadata: (modal.args.view as { private_metadata: string }).private_metadata,
        values: { comment: { comment: { type: 'plain_text_input', value: 'Mine, and fine.' } } },
      }),
    );
    const told = await harness.fake.waitForCall('chat.postEphemeral', (made) => made.args.user === governanceMember && String(made.args.text).includes(viaSlack));
    expect(told.args.text).toBe(selfReviewMessage(viaSlack));

    // Teams: the card's decision action from the member who submitted it.
    const viaTeams = await intakeBy({ channel: 'teams', id: teamsReviewer.aadObjectId, displayName: teamsReviewer.name });
    const teams = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        connector.activity(teamsReviewer, { id: `${governanceConversation};messageid=7`, conversationType: 'channel' }, { value: { action: 'review.decide', intakeId: viaTeams, decision: 'approve' } }),
      ),
    });
    expect(teams.status).toBeLessThan(300);
    const reply = await connector.nextActivity((record) => typeof record.activity.text === 'string' && record.activity.text.includes(viaTeams));
    expect(reply.activity.text).toBe(`${selfReviewMessage(viaTeams)} ${viaTeams} was not changed.`);

    for (const intakeId of [viaApi, viaConsole, viaSlack, viaTeams]) {
      expect((await refusals(intakeId)).map((entry) => entry.details.reason)).toEqual(['self_review']);
      expect((await harness.service.app.intakes.get(intakeId)).status).toBe('pending_review');
    }
    // Another member decides it as usual.
    const decided = await call(`${base}/api/intakes/${viaApi}/decision`, { token: 'second-token', body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    expect((await harness.service.app.store.verifyAudit()).ok).toBe(true);
  });
});

describe('flooding refused decisions', () => {
  it('keeps the audit trail within the per-person rate, whatever 20 clients send', async () => {
    const target = await intakeBy({ channel: 'web', id: 'alice' });
    const own = await intakeBy({ channel: 'web', id: 'reviewer' });
    const hugeId = `AI-${'Q'.repeat(8 * 1024)}`;
    // Two people flood: a non-member (on a real intake, and with 8 KB ids) and a member deciding
    // their own intake (and 8 KB ids).
    const longComment = 'c'.repeat(3000);
    const attempts = [
      { token: 'mallory-token', intakeId: target, comment: longComment },
      { token: 'mallory-token', intakeId: hugeId, comment: longComment },
      { token: 'reviewer-token', intakeId: own, comment: 'Mine.' },
      { token: 'reviewer-token', intakeId: hugeId, comment: 'Mine.' },
    ];
    const store = harness.service.app.store;
    const before = (await store.listAudit()).length;
    const started = Date.now();
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        for (let request = 0; request < 25; request += 1) {
          const attempt = attempts[(client + request) % attempts.length] as (typeof attempts)[number];
          const reply = await call(`${base}/api/intakes/${attempt.intakeId}/decision`, { token: attempt.token, body: { decision: 'approve', comment: attempt.comment } });
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        }
      }),
    );
    const elapsedMinutes = (Date.now() - started) / 60_000;

    const written = (await store.listAudit()).slice(before);
    // Per person: the attempts the rate allows (the burst plus what refilled meanwhile), plus one
    // rate-limited entry per minute.
    const perPerson = decisionsPerMinute + Math.ceil(decisionsPerMinute * elapsedMinutes) + 1 + Math.ceil(elapsedMinutes);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThanOrEqual(2 * perPerson);
    expect(written.every((entry) => entry.action === 'decision.refused')).toBe(true);
    expect(new Set(written.map((entry) => entry.details.reason))).toEqual(new Set(['not_governance_member', 'self_review', 'rate_limited']));
    // No entry names a made-up intake or carries the flood's payload.
    expect(written.every((entry) => entry.intakeId === undefined || entry.intakeId === target || entry.intakeId === own)).toBe(true);
    expect(Math.max(...written.map((entry) => JSON.stringify(entry).length))).toBeLessThan(600);
    // Refused (403), not found / invalid (404, 400) or rate-limited (429) — never decided, never a 500.
    expect([...statuses.keys()].every((status) => [400, 403, 404, 429].includes(status))).toBe(true);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(400);
    expect((await harness.service.app.intakes.get(target)).status).toBe('pending_review');
    expect((await harness.service.app.intakes.get(own)).status).toBe('pending_review');
    expect((await store.verifyAudit()).ok).toBe(true);

    // The flood held back only the two who sent it.
    const decided = await call(`${base}/api/intakes/${own}/decision`, { token: 'second-token', body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
  }, 60_000);
});
