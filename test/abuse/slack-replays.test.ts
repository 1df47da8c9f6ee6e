// Replays of signed Slack interactive payloads and slash commands: an attacker who captured one
// genuine request can send the very same bytes again within Slack's five-minute signature window.
// Each replay must be acknowledged with 200 and do nothing — one escalation post, one modal, one
// refusal audit entry, one decision, one answer — as events already are. After the replays a fresh
// request of the same kind is sent and awaited, so the count is taken only once every replay has had
// its chance to act (the duplicates are decided before their 200 is sent). The claim lives in the
// shared store, so a replay sent to another replica on the same PostgreSQL database does nothing too.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerActionIds } from '../../src/channels/slack/answer-blocks.js';
import { decisionModalCallbackId, reviewActionIds } from '../../src/channels/slack/intake-blocks.js';
import { postSignedCommand, postSignedInteraction, type RecordedCall } from '../helpers/fake-slack-api.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { describeWithPeer } from '../helpers/peers.js';
import { openPostgresTestDatabase, postgresSkippedReason } from '../store/postgres-test-schema.js';
import { buttonClick, governanceMember, outsider, reviewChannel, signingSecret, startSlackHarness, submitter, viewSubmission, type SlackHarness } from '../slack/slack-harness.js';

const replays = 3;

let harness: SlackHarness;
let counter = 0;

beforeAll(async () => {
  harness = await startSlackHarness();
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/**
 * Sends the same signed interactive payload `times` times: identical bytes, timestamp and signature,
 * to one service or in turn to each of several.
 */
async function replayInteraction(payload: Record<string, unknown>, times = replays, targets: SlackHarness[] = [harness]): Promise<Response[]> {
  const timestamp = Math.floor(Date.now() / 1000);
  const full = { team: { id: 'TTEAM0001' }, api_app_id: 'A1', token: 'legacy', ...payload };
  const responses: Response[] = [];
  for (let index = 0; index < times; index += 1) {
    const target = targets[index % targets.length] ?? harness;
    const response = await postSignedInteraction(target.eventsUrl, signingSecret, full, { timestamp });
    expect(response.status).toBe(200);
    responses.push(response);
  }
  return responses;
}

function commandFields(text: string, responseUrl: string): Record<string, string> {
  counter += 1;
  return {
    token: 'legacy',
    team_id: 'TTEAM0001',
    team_domain: 'test',
    channel_id: 'CGENERAL1',
    channel_name: 'general',
    user_id: submitter,
    user_name: submitter.toLowerCase(),
    command: '/shishin',
    text,
    api_app_id: 'A1',
    response_url: responseUrl,
    trigger_id: `replay-command-trigger-${counter}`,
  };
}

/** Sends the same signed slash command `times` times; returns the acknowledgement bodies. */
async function replayCommand(fields: Record<string, string>, times = replays): Promise<string[]> {
  const timestamp = Math.floor(Date.now() / 1000);
  const bodies: string[] = [];
  for (let index = 0; index < times; index += 1) {
    const response = await postSignedCommand(harness.eventsUrl, signingSecret, fields, { timestamp });
    expect(response.status).toBe(200);
    bodies.push(await response.text());
  }
  return bodies;
}

const isDecisionModal = (call: RecordedCall) => (call.args.view as { callback_id?: string } | undefined)?.callback_id === decisionModalCallbackId;

async function flaggedIntake(): Promise<string> {
  const { record } = await harness.service.app.intakes.submit({ input: cvScreeningIntake, submittedBy: { channel: 'web', id: 'alice' }, idempotencyKey: `slack-replays-${++counter}` });
  expect(record.status).toBe('pending_review');
  return record.id;
}

describe('replayed Slack interactive payloads', () => {
  it('posts one escalation for three replays of the same “Ask the governance team” click', async () => {
    const question = `Replayed escalation ${++counter}: may we use emotion recognition in interviews?`;
    const click = buttonClick({ user: submitter, actionId: answerActionIds.escalate, value: question, channel: 'CGENERAL1', responseUrl: harness.fake.responseUrl('replayed-escalation') });
    await replayInteraction(click);
    const escalations = (text: string) => harness.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === reviewChannel && String(call.args.text).includes(text));
    await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && String(call.args.text).includes(question));

    const fresh = `Fresh escalation ${++counter}: is a chatbot disclosure needed?`;
    await replayInteraction(buttonClick({ user: submitter, actionId: answerActionIds.escalate, value: fresh, channel: 'CGENERAL1' }), 1);
    await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && String(call.args.text).includes(fresh));

    expect(escalations(question)).toHaveLength(1);
    expect(harness.fake.callsTo('response_url').filter((call) => call.responseId === 'replayed-escalation')).toHaveLength(1);
  });

  it('opens one decision modal for three replays of a member’s Approve click, and records one decision for three replays of its submission', async () => {
    const intakeId = await flaggedIntake();
    const click = buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: intakeId });
    const trigger = String(click.trigger_id);
    await replayInteraction(click);
    const modal = await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === trigger);
    expect(isDecisionModal(modal)).toBe(true);

    const freshClick = buttonClick({ user: governanceMember, actionId: reviewActionIds.approve, value: intakeId });
    await replayInteraction(freshClick, 1);
    await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === freshClick.trigger_id);
    expect(harness.fake.callsTo('views.open').filter((call) => call.args.trigger_id === trigger)).toHaveLength(1);

    const submission = viewSubmission({
      user: governanceMember,
      callbackId: decisionModalCallbackId,
      viewId: `VREPLAY${++counter}`,
      privateMetadata: (modal.args.view as { private_metadata: string }).private_metadata,
      values: { comment: { comment: { type: 'plain_text_input', value: 'Approved with the DPIA attached.' } } },
    });
    await replayInteraction(submission);
    await harness.fake.waitForCall('chat.update', (call) => call.args.channel === reviewChannel && JSON.stringify(call.args.blocks).includes(intakeId));
    const record = await harness.service.app.intakes.get(intakeId);
    expect(record.status).toBe('approved');
    const decided = (await harness.service.app.store.listAudit({ intakeId })).filter((entry) => entry.action === 'intake.decided');
    expect(decided).toHaveLength(1);
  });

  it('audits one refusal for three replays of a non-member’s decision click', async () => {
    const intakeId = await flaggedIntake();
    await replayInteraction(buttonClick({ user: outsider, actionId: reviewActionIds.reject, value: intakeId }));
    await harness.fake.waitForCall('chat.postEphemeral', (call) => call.args.user === outsider && call.args.channel === reviewChannel);

    await replayInteraction(buttonClick({ user: outsider, actionId: reviewActionIds.reject, value: intakeId, channel: 'CFRESH001' }), 1);
    await harness.fake.waitForCall('chat.postEphemeral', (call) => call.args.user === outsider && call.args.channel === 'CFRESH001');

    const refusals = (await harness.service.app.store.listAudit({ intakeId })).filter((entry) => entry.action === 'decision.refused');
    expect(refusals).toHaveLength(2);
    expect(harness.fake.callsTo('chat.postEphemeral').filter((call) => call.args.user === outsider && call.args.channel === reviewChannel)).toHaveLength(1);
  });
});

describe('replayed Slack slash commands', () => {
  it('opens one intake modal for three replays of `/shishin intake`', async () => {
    const fields = commandFields('intake', harness.fake.responseUrl());
    await replayCommand(fields);
    await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === fields.trigger_id);

    const fresh = commandFields('intake', harness.fake.responseUrl());
    await replayCommand(fresh, 1);
    await harness.fake.waitForCall('views.open', (call) => call.args.trigger_id === fresh.trigger_id);
    expect(harness.fake.callsTo('views.open').filter((call) => call.args.trigger_id === fields.trigger_id)).toHaveLength(1);
  });

  it('answers a question once for three replays of `/shishin <question>`; the replays get an empty 200', async () => {
    const fields = commandFields('What are the penalties for prohibited AI practices?', harness.fake.responseUrl('replayed-question'));
    const [first, ...rest] = await replayCommand(fields);
    expect(JSON.parse(first ?? '{}')).toMatchObject({ response_type: 'ephemeral' });
    expect(rest).toEqual(rest.map(() => ''));
    await harness.fake.waitForCall('response_url', (call) => call.responseId === 'replayed-question');

    const fresh = commandFields('What does Article 50 require?', harness.fake.responseUrl('fresh-question'));
    await replayCommand(fresh, 1);
    await harness.fake.waitForCall('response_url', (call) => call.responseId === 'fresh-question');
    expect(harness.fake.callsTo('response_url').filter((call) => call.responseId === 'replayed-question')).toHaveLength(1);
  });
});

// Without PostgreSQL this fails, as the store suites do, unless SHISHIN_SKIP_POSTGRES=1 asks to skip.
const postgres = await openPostgresTestDatabase();

describeWithPeer('replays across two replicas sharing PostgreSQL', postgres === undefined ? postgresSkippedReason : undefined, () => {
  const database = `shishin_slack_replays_${randomBytes(6).toString('hex')}`;
  const replicas: SlackHarness[] = [];

  beforeAll(async () => {
    await postgres?.execute(`CREATE DATABASE ${database}`);
    const url = new URL(postgres?.url ?? '');
    url.pathname = `/${database}`;
    // One after the other: the first creates the tables.
    for (let index = 0; index < 2; index += 1) replicas.push(await startSlackHarness({ DATABASE_URL: url.toString() }));
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await postgres?.execute(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await postgres?.dropAll();
  });

  it('posts one escalation when the same click is replayed to one replica and then the other', async () => {
    const question = `Cross-replica escalation ${++counter}: do we need a DPIA?`;
    const isReplayed = (call: RecordedCall) => call.args.channel === reviewChannel && String(call.args.text).includes(question);
    await replayInteraction(buttonClick({ user: submitter, actionId: answerActionIds.escalate, value: question, channel: 'CGENERAL1' }), 4, replicas);

    // A fresh click on each replica, awaited, so every replay has had its chance to post.
    for (const replica of replicas) {
      const fresh = `Fresh cross-replica escalation ${++counter}`;
      await replayInteraction(buttonClick({ user: submitter, actionId: answerActionIds.escalate, value: fresh, channel: 'CGENERAL1' }), 1, [replica]);
      await replica.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && String(call.args.text).includes(fresh));
    }
    const posts = replicas.flatMap((replica) => replica.fake.callsTo('chat.postMessage').filter(isReplayed));
    expect(posts).toHaveLength(1);
  });
});
