// Ask through Slack against the real service and a fake Slack Web API: signed events, fast acks,
// threaded answers with citations, retries, follow-ups, escaping, slash commands and a failing LLM.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { slackSignature, fakeBotUserId, type RecordedCall } from '../helpers/fake-slack-api.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../helpers/fake-openai-server.js';
import { answerActionIds } from '../../src/channels/slack/answer-blocks.js';
import { buttonClick, reviewChannel, shownText, signingSecret, startSlackHarness, submitter, type SlackHarness } from './slack-harness.js';

const pingPattern = /<!(channel|here|everyone)|<@U(?!SUBMIT01|BOT)|<!subteam/;

function blocksOf(call: RecordedCall): Array<Record<string, unknown>> {
  return (call.args.blocks as Array<Record<string, unknown>>) ?? [];
}

function duplicates(harness: SlackHarness): Promise<number> {
  return harness.service.app.metrics.chatEvents.get().then((metric) =>
    metric.values.filter((value) => value.labels.outcome === 'duplicate').reduce((sum, value) => sum + value.value, 0),
  );
}

let counter = 0;
const nextTs = () => `1764100000.${String(++counter).padStart(6, '0')}`;

describe('Slack ask (HTTP mode, extractive answers)', () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    harness = await startSlackHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('says which mode is active at start-up', () => {
    expect(harness.service.lines.join('\n')).toMatch(/Slack: HTTP mode at POST \/slack\/events/);
  });

  it('acks a signed app_mention at once and answers in the thread with cited blocks', async () => {
    const ts = nextTs();
    const started = performance.now();
    const response = await harness.event({
      type: 'app_mention',
      user: submitter,
      channel: 'CGENERAL1',
      text: `<@${fakeBotUserId}> Is an AI system that screens job applicants high-risk under the EU AI Act?`,
      ts,
      event_ts: ts,
    });
    const ackMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(ackMs).toBeLessThan(1000);

    const reaction = await harness.fake.waitForCall('reactions.add', (call) => call.args.timestamp === ts);
    expect(reaction.args.name).toBe('eyes');
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === ts);
    expect(posted.args.channel).toBe('CGENERAL1');
    expect(posted.args.link_names).toBe('false');
    const blocks = blocksOf(posted);
    const text = JSON.stringify(blocks);
    expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(text).toMatch(/\[1\]/);
    expect(text).toContain('Sources');
    expect(text).toMatch(/Annex III|high-risk/i);
    expect(text).toContain('AI-generated');
    const actions = blocks.at(-1) as { type: string; elements: Array<{ action_id: string }> };
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((element) => element.action_id)).toContain(answerActionIds.escalate);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('answers a retried delivery of the same event only once', async () => {
    const ts = nextTs();
    const event = { type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> What does Article 50 require?`, ts, event_ts: ts };
    const before = await duplicates(harness);
    const first = await harness.event(event, { eventId: `EvRetry${ts}` });
    expect(first.status).toBe(200);
    await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === ts);
    const retry = await harness.event(event, { eventId: `EvRetry${ts}`, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await vi.waitFor(async () => expect(await duplicates(harness)).toBe(before + 1), { timeout: 5000, interval: 20 });
    expect(harness.fake.callsTo('chat.postMessage').filter((call) => call.args.thread_ts === ts)).toHaveLength(1);
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const bad = await harness.event({ type: 'app_mention', user: submitter, channel: 'C1', text: 'hi', ts: nextTs() }, { signature: 'v0=deadbeef' });
    expect(bad.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const old = await harness.event({ type: 'app_mention', user: submitter, channel: 'C1', text: 'hi', ts: nextTs() }, { timestamp: stale });
    expect(old.status).toBe(401);
    // A correctly signed but stale request is still refused (the signature covers the timestamp).
    const body = '{"type":"url_verification","challenge":"x"}';
    const replayed = await fetch(harness.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(stale), 'x-slack-signature': slackSignature(signingSecret, stale, body) },
      body,
    });
    expect(replayed.status).toBe(401);
  });

  it('answers follow-ups in a thread it answers in, without a new mention, using the thread as history', async () => {
    const root = nextTs();
    await harness.event({ type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> Which AI practices are prohibited?`, ts: root, event_ts: root });
    await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === root);
    const followUp = nextTs();
    harness.fake.setReplies('CGENERAL1', root, [
      { ts: root, user: submitter, text: `<@${fakeBotUserId}> Which AI practices are prohibited?` },
      { ts: nextTs(), user: fakeBotUserId, bot_id: 'BBOT00001', text: 'Social scoring and manipulative techniques are prohibited [1].' },
      { ts: followUp, user: submitter, text: 'And when does that apply from?' },
    ]);
    await harness.event({ type: 'message', channel_type: 'channel', user: submitter, channel: 'CGENERAL1', text: 'And when does that apply from?', ts: followUp, thread_ts: root });
    const replies = await harness.fake.waitForCall('conversations.replies', (call) => call.args.ts === root);
    expect(replies.args.channel).toBe('CGENERAL1');
    const answer = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === root);
    expect(JSON.stringify(blocksOf(answer))).toContain('Sources');

    // A reply in a thread the bot never answered in is left alone.
    const otherRoot = nextTs();
    const other = nextTs();
    await harness.event({ type: 'message', channel_type: 'channel', user: submitter, channel: 'CGENERAL1', text: 'unrelated chat', ts: other, thread_ts: otherRoot });
    const marker = nextTs();
    await harness.event({ type: 'message', channel_type: 'im', user: submitter, channel: 'DSUBMIT01', text: 'What is a GPAI model?', ts: marker });
    await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === 'DSUBMIT01');
    expect(harness.fake.callsTo('chat.postMessage').some((call) => call.args.thread_ts === otherRoot)).toBe(false);
  });

  it('answers direct messages at the top level', async () => {
    const ts = nextTs();
    await harness.event({ type: 'message', channel_type: 'im', user: submitter, channel: 'DSUBMIT02', text: 'Do we need to label AI-generated images?', ts });
    const answer = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === 'DSUBMIT02');
    expect(answer.args.thread_ts).toBeUndefined();
    expect(JSON.stringify(blocksOf(answer))).toContain('[1]');
  });

  it('never lets a question ping a channel: escalation escapes it', async () => {
    const question = '<!channel> is emotion recognition at work allowed? <@U0TARGET1>';
    const response = await harness.interaction(
      buttonClick({ user: submitter, actionId: answerActionIds.escalate, value: question, channel: 'CGENERAL1', responseUrl: harness.fake.responseUrl('escalate') }),
    );
    expect(response.status).toBe(200);
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && String(call.args.text).includes('Question for the governance team'));
    const shown = `${String(posted.args.text)}\n${shownText(posted.args.blocks)}`;
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).not.toMatch(pingPattern);
    const confirmation = await harness.fake.waitForCall('response_url', (call) => call.responseId === 'escalate');
    expect(confirmation.args.response_type).toBe('ephemeral');
  });

  it('answers /shishin <question> privately, then shares it in the channel on request', async () => {
    const started = performance.now();
    const response = await harness.command('What are the penalties for prohibited AI practices?');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(200);
    const ack = (await response.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    const answer = await harness.fake.waitForCall('response_url', (call) => Array.isArray(call.args.blocks));
    expect(answer.args.response_type).toBe('ephemeral');
    const blocks = answer.args.blocks as Array<{ type: string; block_id?: string; elements?: Array<{ action_id: string; value: string }> }>;
    const actions = blocks.at(-1);
    const share = actions?.elements?.find((element) => element.action_id === answerActionIds.share);
    expect(share).toBeDefined();

    const shareUrl = harness.fake.responseUrl('share');
    await harness.interaction(
      buttonClick({ user: submitter, actionId: answerActionIds.share, value: share?.value ?? '', blockId: actions?.block_id ?? '', channel: 'CGENERAL1', responseUrl: shareUrl }),
    );
    const shared = await harness.fake.waitForCall('response_url', (call) => call.responseId === 'share' && call.args.response_type === 'in_channel');
    expect(JSON.stringify(shared.args.blocks)).toContain('asked:');
    await harness.fake.waitForCall('response_url', (call) => call.responseId === 'share' && call.args.delete_original === true);
  });

  it('stores feedback from the thumbs buttons', async () => {
    const url = harness.fake.responseUrl('feedback');
    await harness.interaction(buttonClick({ user: submitter, actionId: answerActionIds.feedbackDown, value: 'answer-123', channel: 'CGENERAL1', responseUrl: url }));
    const thanks = await harness.fake.waitForCall('response_url', (call) => call.responseId === 'feedback');
    expect(String(thanks.args.text)).toMatch(/Thanks/);
  });

  it('says a failure in the thread in one friendly line, never silence', async () => {
    const ts = nextTs();
    await harness.event({ type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> ${'why '.repeat(700)}`, ts, event_ts: ts });
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === ts);
    expect(String(posted.args.text)).toMatch(/2000|too long|at most/i);
    expect(String(posted.args.text)).not.toMatch(/Error|stack|at .*\.ts/);
    expect(String(posted.args.text).split('\n')).toHaveLength(1);
  });

  it('publishes App Home with the intake button', async () => {
    await harness.event({ type: 'app_home_opened', user: submitter, channel: 'DSUBMIT01', tab: 'home', event_ts: nextTs() });
    const published = await harness.fake.waitForCall('views.publish', (call) => call.args.user_id === submitter);
    expect(JSON.stringify(published.args.view)).toContain('Submit an AI use case');
  });
});

describe('Slack ask with a slow LLM', () => {
  let harness: SlackHarness;
  let openai: FakeOpenAIServer;
  beforeAll(async () => {
    openai = await startFakeOpenAIServer();
    openai.setChatHandler({ status: 500, delayMs: 3500 });
    harness = await startSlackHarness({ OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: 'sk-test', LLM_TIMEOUT_MS: '5000' });
  });
  afterAll(async () => {
    await harness?.close();
    await openai?.close();
  });

  it('acks well before the answer is ready', async () => {
    const ts = `1764300000.${String(++counter).padStart(6, '0')}`;
    const started = Date.now();
    const response = await harness.event({ type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> Is CV screening high-risk?`, ts, event_ts: ts });
    const ackMs = Date.now() - started;
    expect(response.status).toBe(200);
    expect(ackMs).toBeLessThan(500);
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === ts, 20_000);
    expect(posted.at - started).toBeGreaterThan(3000);
  });
});

describe('Slack ask with a failing LLM', () => {
  let harness: SlackHarness;
  let openai: FakeOpenAIServer;
  beforeAll(async () => {
    openai = await startFakeOpenAIServer();
    openai.setChatHandler({ status: 500 });
    harness = await startSlackHarness({ OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: 'sk-test', LLM_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    await harness?.close();
    await openai?.close();
  });

  it('still answers, from extracts, with citations', async () => {
    const ts = `1764200000.${String(++counter).padStart(6, '0')}`;
    await harness.event({ type: 'app_mention', user: submitter, channel: 'CGENERAL1', text: `<@${fakeBotUserId}> Is CV screening high-risk under the EU AI Act?`, ts, event_ts: ts });
    const posted = await harness.fake.waitForCall('chat.postMessage', (call) => call.args.thread_ts === ts, 20_000);
    expect(openai.chatRequests().length).toBeGreaterThan(0);
    const text = JSON.stringify(posted.args.blocks);
    expect(text).toContain('[1]');
    expect(text).not.toMatch(/went wrong/);
  });
});
