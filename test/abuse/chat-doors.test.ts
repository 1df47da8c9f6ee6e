// Abuse of the chat doors and the decision routes, on one real service with Slack (HTTP mode, fake
// Web API), Teams (loopback, fake connector) and the JSON API, over a corpus with a planted hostile
// document: pings and phishing links in questions and documents are escaped in Slack blocks; forged
// signatures and replays are refused without side effects; signed random Slack payloads and random
// Teams activities never produce a 500; and a non-member is refused and audited at every door.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { fakeBotUserId, postSignedEvent, type RecordedCall } from '../helpers/fake-slack-api.js';
import { buttonClick, governanceMember, outsider, shownText, startSlackHarness, submitter, type SlackHarness } from '../slack/slack-harness.js';
import { createInjectedCorpus, type InjectedCorpus } from './injected-corpus.js';

// Pings, and links to the planted phishing host (an answer may link its real sources: related sources
// and citations carry the corpus documents' own https originals).
const pingPattern = /<!(?:channel|here|everyone)|<@U|<!subteam|<https?:\/\/evil\.example/;
const teamsOutsider = { id: '29:fuzz-outsider', name: 'Olli Outsider', aadObjectId: 'aad-outsider' };
const teamsReviewer = { id: '29:fuzz-reviewer', name: 'Rei Reviewer', aadObjectId: 'aad-reviewer' };
const governanceChannel = '19:abuse-governance@thread.tacv2';

let corpus: InjectedCorpus;
let harness: SlackHarness;
let connector: FakeBotConnector;
let base: string;
let counter = 0;
const nextTs = () => `1764200000.${String(++counter).padStart(6, '0')}`;

beforeAll(async () => {
  corpus = await createInjectedCorpus();
  connector = await FakeBotConnector.start();
  harness = await startSlackHarness({
    CORPUS_DIR: corpus.dir,
    DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
    TEAMS_REVIEW_CONVERSATION: governanceChannel,
    GOVERNANCE_MEMBERS: `slack:${governanceMember},teams:${teamsReviewer.aadObjectId},web:reviewer`,
    API_TOKENS: 'alice-token=web:alice,mallory-token=web:mallory,reviewer-token=web:reviewer',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  base = harness.service.web.url;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await connector?.close();
  await corpus?.close();
});

describe('Slack mention and link injection', () => {
  async function answerTo(question: string): Promise<RecordedCall> {
    const ts = nextTs();
    const response = await harness.event({ type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> ${question}`, ts, event_ts: ts });
    expect(response.status).toBe(200);
    return harness.fake.waitForCall('chat.postMessage', (posted) => posted.args.thread_ts === ts, 20_000);
  }

  it('escapes pings and links planted in a corpus document', async () => {
    const posted = await answerTo('How does Kestrel account verification work?');
    const shown = `${String(posted.args.text)}\n${shownText(posted.args.blocks)}`;
    // The planted passage is what the answer quotes, so the test sees the hostile text…
    expect(shown).toMatch(/Kestrel account verification/);
    expect(shown).toMatch(/&lt;!channel&gt;/);
    // …and none of it can ping anyone or render as a link.
    expect(shown).not.toMatch(pingPattern);
  });

  it('escapes pings and links written in the question', async () => {
    const posted = await answerTo('<!channel> <!here> <!subteam^S0ADMINS> <https://evil.example/login|click here> which AI practices are prohibited in the EU?');
    const shown = `${String(posted.args.text)}\n${shownText(posted.args.blocks)}`;
    expect(shown).not.toMatch(pingPattern);
  });
});

describe('forged and replayed Slack requests', () => {
  it('refuses bad signatures, missing signatures and old timestamps on every Slack request kind, with no side effects', async () => {
    const before = harness.fake.calls.length;
    const payload = { token: 'x', team_id: 'TTEAM0001', api_app_id: 'A1', type: 'event_callback', event_id: 'EvForged1', event_time: 1, event: { type: 'app_mention', user: submitter, channel: 'CFORGED01', text: `<@${fakeBotUserId}> Which AI practices are prohibited?`, ts: nextTs() } };
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const attempts: Array<Promise<Response>> = [
      harness.event(payload.event, { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }),
      harness.event(payload.event, { timestamp: stale }),
      harness.event(payload.event, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }),
      postSignedEvent(harness.eventsUrl, 'not-the-secret', payload),
      fetch(harness.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
      harness.command('status', submitter, { signature: 'v0=forged' }),
      harness.interaction(buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: 'AI-0001' }), { timestamp: stale }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(401);
    // A genuine request sent afterwards is answered; by then a forged one would have acted too.
    const ts = nextTs();
    await harness.event({ type: 'app_mention', user: submitter, channel: 'CAFTER001', text: `<@${fakeBotUserId}> Which AI practices are prohibited?`, ts, event_ts: ts });
    await harness.fake.waitForCall('chat.postMessage', (posted) => posted.args.channel === 'CAFTER001', 20_000);
    const after = harness.fake.calls.slice(before);
    expect(after.filter((made) => made.args.channel === 'CFORGED01' || made.method === 'response_url' || made.method === 'views.open')).toEqual([]);
  });
});

describe('fuzzing the chat doors', () => {
  const text = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('<!channel>', 'intake', 'status AI-9999', 'queue', '', '\u0000', '🤖'.repeat(50), 'a'.repeat(5000)));
  const anyJson = fc.jsonValue({ maxDepth: 3 });

  it('answers every signed random Slack payload without a 500', async () => {
    const eventKinds = fc.constantFrom('app_mention', 'message', 'app_home_opened', 'reaction_added', 'member_joined_channel', 'nonsense');
    const event = fc.record(
      { type: eventKinds, user: fc.oneof(fc.constant(submitter), fc.string({ maxLength: 12 })), channel: fc.string({ maxLength: 12 }), text, ts: fc.string({ maxLength: 20 }), extra: anyJson },
      { requiredKeys: [] },
    );
    const interaction = fc.oneof(
      anyJson,
      fc.record({
        type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'weird'),
        user: fc.record({ id: fc.string({ maxLength: 12 }) }, { requiredKeys: [] }),
        actions: fc.array(fc.record({ action_id: fc.oneof(fc.constantFrom(...Object.values(reviewActionIds)), fc.string()), value: text }, { requiredKeys: [] }), { maxLength: 3 }),
        view: anyJson,
        trigger_id: fc.string({ maxLength: 10 }),
      }, { requiredKeys: [] }),
    );
    const payload = fc.oneof(
      event.map((value) => ({ kind: 'event' as const, value })),
      interaction.map((value) => ({ kind: 'interaction' as const, value })),
      text.map((value) => ({ kind: 'command' as const, value })),
    );
    const send = async (input: { kind: 'event' | 'interaction' | 'command'; value: unknown }) => {
      let response: Response;
      if (input.kind === 'event') response = await harness.event(input.value as Record<string, unknown>);
      else if (input.kind === 'interaction') response = await harness.interaction(input.value as Record<string, unknown>);
      else response = await harness.command(String(input.value));
      await response.arrayBuffer();
      return response.status;
    };
    // Batches of 25 in parallel: payloads no listener takes wait for Bolt's 3-second unhandled timeout.
    await fc.assert(
      fc.asyncProperty(fc.array(payload, { minLength: 25, maxLength: 25 }), async (batch) => {
        const statuses = await Promise.all(batch.map(send));
        for (const status of statuses) expect(status).toBeLessThan(500);
      }),
      { numRuns: 6 },
    );
    expect((await call(`${base}/healthz`)).status).toBe(200);
  }, 90_000);

  it('answers every random Teams activity without a 500', async () => {
    const teamsUrl = `${base}/api/messages`;
    const activity = fc.record(
      {
        type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'messageReaction', 'installationUpdate', 'event', 'bogus'),
        name: fc.constantFrom('adaptiveCard/action', 'message/submitAction', 'composeExtension/query', 'x'),
        text,
        value: fc.oneof(anyJson, fc.record({ action: fc.constantFrom('review.decide', 'intake.submit', 'intake.open', 'other'), intakeId: fc.string({ maxLength: 12 }), decision: fc.string({ maxLength: 20 }) }, { requiredKeys: [] })),
        replyToId: fc.string({ maxLength: 20 }),
        channelData: anyJson,
        entities: fc.array(anyJson, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(activity, anyJson.map((value) => ({ raw: value }))), fc.boolean(), async (fields, personal) => {
        const body =
          'raw' in fields
            ? fields.raw
            : connector.activity(teamsOutsider, personal ? { id: 'a:fuzz', conversationType: 'personal' } : { id: governanceChannel, conversationType: 'channel' }, fields as Record<string, unknown>);
        const response = await fetch(teamsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await response.arrayBuffer();
        // 501 is the Bot Framework's protocol answer to an invoke no handler implements.
        const unimplementedInvoke = response.status === 501 && (body as { type?: unknown }).type === 'invoke';
        if (!unimplementedInvoke) expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    // The fuzzed activities reached the bot (it replied to some), so the refusals above are not vacuous.
    expect(connector.summary().length).toBeGreaterThan(0);
    expect((await call(`${base}/healthz`)).status).toBe(200);
  });
});

describe('non-members at every decision door', () => {
  it('refuses and audits a non-member deciding through the web API, the console form, a Slack button and a Teams card', async () => {
    const created = await call(`${base}/api/intakes`, { token: 'alice-token', body: cvScreeningIntake });
    expect(created.status).toBe(201);
    const intakeId = String(created.body.id);
    const refusals = async () => (await harness.service.app.store.listAudit({ intakeId })).filter((entry) => entry.action === 'decision.refused');

    for (const token of ['mallory-token', 'alice-token']) {
      const refused = await call(`${base}/api/intakes/${intakeId}/decision`, { token, body: { decision: 'approve' } });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'not_authorised' } });
    }
    expect((await call(`${base}/api/intakes/${intakeId}/decision`, { body: { decision: 'approve' }, headers: { authorization: 'Bearer forged' } })).status).toBe(401);

    await harness.interaction(buttonClick({ user: outsider, actionId: reviewActionIds.approve, value: intakeId }));
    await harness.fake.waitForCall('chat.postEphemeral', (posted) => posted.args.user === outsider);

    const teamsResponse = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(connector.activity(teamsOutsider, { id: `${governanceChannel};messageid=1`, conversationType: 'channel' }, { value: { action: 'review.decide', intakeId, decision: 'approve' } })),
    });
    expect(teamsResponse.status).toBeLessThan(300);
    // The console's decision form, as the development identity (web:dev, not a member), with a valid CSRF token.
    const page = await fetch(`${base}/console/intakes/${intakeId}`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const consoleResponse = await fetch(`${base}/console/intakes/${intakeId}/decision`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(consoleResponse.status).toBe(403);
    await expect.poll(async () => (await refusals()).length, { timeout: 10_000 }).toBe(5);

    const actors = (await refusals()).map((entry) => `${entry.actor.channel}:${entry.actor.id}`).sort();
    expect(actors).toEqual(['slack:' + outsider, 'teams:' + teamsOutsider.aadObjectId, 'web:alice', 'web:dev', 'web:mallory'].sort());
    const record = await harness.service.app.intakes.get(intakeId);
    expect(record.status).toBe('pending_review');
    expect((await harness.service.app.store.verifyAudit()).ok).toBe(true);

    // A member can still decide: the refusals did not break the intake.
    const decided = await call(`${base}/api/intakes/${intakeId}/decision`, { token: 'reviewer-token', body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
  });
});
