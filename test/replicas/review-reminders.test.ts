// Two replicas of the whole service (startService: web, Slack and Teams doors, scheduler) sharing one
// PostgreSQL schema and one clock the test moves, talking to one fake Slack Web API and one fake Bot
// Framework connector. An approved high-risk intake comes due six months later; both replicas run
// their schedulers at the same moment, again and again: it goes back to the queue once, and the
// review channel, the governance conversation and the owner are each reminded exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { startService, type RunningService } from '../../src/main.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { FakeBotConnector } from '../helpers/fake-bot-connector.js';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { repositoryRoot } from '../helpers/test-app.js';
import { call } from '../api/http-client.js';
import { ManualClock } from '../store/intake-fixtures.js';
import { openPostgresTestDatabase } from '../store/postgres-test-schema.js';

const database = await openPostgresTestDatabase();
const reviewChannel = 'CREVIEW001';
const governanceConversation = '19:governance@thread.tacv2';
const owner = 'UOWNER001';
const member = 'UGOVERN01';

describe.skipIf(database === undefined)('re-review reminders with two replicas on one PostgreSQL database', () => {
  const clock = new ManualClock('2026-11-25T09:00:00.000Z');
  const replicas: RunningService[] = [];
  const dataDirs: string[] = [];
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  let intakeId: string;

  beforeAll(async () => {
    const db = database!;
    const schema = await db.createSchema('replicas');
    slack = await startFakeSlackApi();
    connector = await FakeBotConnector.start();
    for (const name of ['a', 'b']) dataDirs.push(await mkdtemp(path.join(os.tmpdir(), `shishin-reminders-${name}-`)));
    for (const [index, dataDir] of dataDirs.entries()) {
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        // The second replica reads the index the first one built.
        ...(index === 0 ? {} : { INDEX_DIR: path.join(dataDirs[0] as string, 'index') }),
        CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
        RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
        PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
        DATABASE_URL: db.url,
        API_TOKENS: 'reviewer-token=web:reviewer',
        GOVERNANCE_MEMBERS: `slack:${member},web:reviewer`,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        SLACK_REVIEW_CHANNEL: reviewChannel,
        DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
        TEAMS_REVIEW_CONVERSATION: governanceConversation,
        // The test runs the schedulers itself, at the same moment in both replicas.
        SCHEDULER_INTERVAL_SECONDS: '0',
      });
      replicas.push(await startService(config, { port: 0, clock, databaseSchema: schema, logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.stop(1000);
    await slack?.close();
    await connector?.close();
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
    await database?.dropAll();
  });

  it('approves a high-risk intake through one replica and sees it from the other', async () => {
    const [a, b] = replicas as [RunningService, RunningService];
    // Teams learns its service URL from any activity; the review conversation is configured.
    const hello = await fetch(`${b.web.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(connector.activity({ id: '29:someone', name: 'Someone', aadObjectId: 'aad-someone' }, { id: 'a:someone' }, { text: 'help' })),
    });
    expect(hello.status).toBe(200);
    await connector.nextMessage('a:someone');
    const submitted = await a.app.intakes.submit({ input: cvScreeningIntake, submittedBy: { channel: 'slack', id: owner }, idempotencyKey: 'replica-reminders' });
    intakeId = submitted.record.id;
    await b.app.intakes.decide({ intakeId, actor: { channel: 'slack', id: member }, decision: 'approve_with_conditions', comment: 'Human review of every shortlist' });
    const seen = await call<{ status: string; nextReviewAt: string; obligationItems: unknown[] }>(`${a.web.url}/api/intakes/${intakeId}`, { token: 'reviewer-token' });
    expect(seen.body.status).toBe('approved_with_conditions');
    expect(seen.body.nextReviewAt.slice(0, 10)).toBe('2027-05-25');
    expect(seen.body.obligationItems.length).toBeGreaterThan(2);
  });

  it('six months later puts it back in the queue once and reminds each target exactly once', async () => {
    const [a, b] = replicas as [RunningService, RunningService];
    const isReminder = (text: unknown) => String(text).startsWith('Re-review due');
    expect((await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce()])).map((run) => run.markedDue)).toEqual([0, 0]);
    clock.advance(183 * 24 * 60 * 60 * 1000);
    const runs = [];
    for (let round = 0; round < 3; round += 1) runs.push(...(await Promise.all([a.scheduler.runOnce(), b.scheduler.runOnce()])));
    expect(runs.reduce((sum, run) => sum + run.markedDue, 0)).toBe(1);

    const queue = await call<{ intakes: Array<{ id: string; status: string }> }>(`${b.web.url}/api/queue`, { token: 'reviewer-token' });
    expect(queue.body.intakes).toEqual([expect.objectContaining({ id: intakeId, status: 'review_due' })]);

    await slack.waitForCall('chat.postMessage', (call) => call.args.channel === reviewChannel && isReminder(call.args.text));
    await slack.waitForCall('chat.postMessage', (call) => call.args.channel === `D${owner.slice(1)}` && String(call.args.text).includes('scheduled re-review'));
    await connector.nextActivity((record) => record.conversationId === governanceConversation && String(record.activity.summary).startsWith('Re-review'));
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === reviewChannel && isReminder(call.args.text))).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === `D${owner.slice(1)}` && String(call.args.text).includes('scheduled re-review'))).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === `D${owner.slice(1)}` && String(call.args.text).startsWith('Obligations due'))).toHaveLength(1);
    expect(connector.activities.filter((record) => record.conversationId === governanceConversation && String(record.activity.summary).startsWith('Re-review'))).toHaveLength(1);

    // Each replica reports only what it did; together, one intake marked due and one reminder per target.
    const marked = async (replica: RunningService) => (await replica.app.metrics.reviewsMarkedDue.get()).values.reduce((sum, value) => sum + value.value, 0);
    expect((await marked(a)) + (await marked(b))).toBe(1);
    const sent = async (replica: RunningService, target: string) =>
      (await replica.app.metrics.reminders.get()).values.filter((value) => value.labels.target === target && value.labels.outcome === 'sent').reduce((sum, value) => sum + value.value, 0);
    for (const target of ['review:slack', 'review:teams']) expect((await sent(a, target)) + (await sent(b, target))).toBe(1);
    const exposition = await fetch(`${a.web.url}/metrics`).then((response) => response.text());
    expect(exposition).toContain('shishin_reviews_due_waiting 1');
    expect(await a.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
  });
});
