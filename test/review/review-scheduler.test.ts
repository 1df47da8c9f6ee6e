// The review scheduler on both stores with a clock the test moves: six months after an approval the
// intake is back in the review queue and each reminder goes out once — also with two schedulers on
// one database racing, after a failed delivery, and after a scheduler died holding a claim — and
// each owner gets one digest a day of the items due within 7 days or overdue.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { createObligationService } from '../../src/core/review/create-obligation-service.js';
import type { IntakeService } from '../../src/core/review/intake-service.js';
import type { ObligationService } from '../../src/core/review/obligation-service.js';
import type { DeliveryOutcome, PersonalReminder, ReminderChannel, ReviewDueReminder } from '../../src/core/review/reminders.js';
import { createReviewSchedule } from '../../src/core/review/review-schedule.js';
import { createReviewScheduler, type ReviewScheduler } from '../../src/core/review/review-scheduler.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import { alice, ManualClock, newDecision, reviewer, sampleClassification, sampleInput } from '../store/intake-fixtures.js';
import { openPostgresTestDatabase, type PostgresTestDatabase } from '../store/postgres-test-schema.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const database = await openPostgresTestDatabase();
afterAll(async () => {
  await database?.dropAll();
});

const day = 24 * 60 * 60 * 1000;
const slackOwner: Actor = { channel: 'slack', id: 'U0OWNER', displayName: 'Olive Owner' };

/** A chat door that records what it was asked to deliver; `failures` makes the next calls throw. */
class RecordingChannel implements ReminderChannel {
  readonly reviews: ReviewDueReminder[] = [];
  readonly personal: Array<{ person: Actor; reminder: PersonalReminder }> = [];
  failures = 0;
  constructor(readonly name: 'slack' | 'teams') {}
  async reviewDue(reminder: ReviewDueReminder): Promise<DeliveryOutcome> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('chat platform down');
    }
    this.reviews.push(reminder);
    return 'sent';
  }
  async remind(person: Actor, reminder: PersonalReminder): Promise<DeliveryOutcome> {
    this.personal.push({ person, reminder });
    return 'sent';
  }
}

/** Opens stores on one fresh database: the first and, on request, more instances (other replicas). */
interface Backend {
  name: string;
  open(clock: ManualClock): Promise<{ open(): Promise<IntakeStore>; cleanup(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'SQLite',
  async open(clock) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-scheduler-'));
    const stores: IntakeStore[] = [];
    return {
      async open() {
        const store = new SqliteIntakeStore({ file: path.join(directory, 'shishin.db'), logger: silentLogger(), clock });
        await store.migrate();
        stores.push(store);
        return store;
      },
      async cleanup() {
        for (const store of stores) await store.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  },
};

function postgres(db: PostgresTestDatabase): Backend {
  return {
    name: 'PostgreSQL',
    async open(clock) {
      const schema = await db.createSchema('scheduler');
      const stores: IntakeStore[] = [];
      return {
        async open() {
          const store = new PostgresIntakeStore({ connectionString: db.url, schema, logger: silentLogger(), clock });
          await store.migrate();
          stores.push(store);
          return store;
        },
        async cleanup() {
          for (const store of stores) await store.close();
        },
      };
    },
  };
}

function describeScheduler(backend: Backend): void {
  describe(`review scheduler on ${backend.name}`, () => {
    let clock: ManualClock;
    let opened: Awaited<ReturnType<Backend['open']>>;
    let store: IntakeStore;
    let intakes: IntakeService;
    let obligations: ObligationService;
    let slack: RecordingChannel;
    let teams: RecordingChannel;
    let metrics: Metrics;
    const schedulers: ReviewScheduler[] = [];

    beforeEach(async () => {
      clock = new ManualClock('2026-11-25T09:00:00.000Z');
      opened = await backend.open(clock);
      store = await opened.open();
      intakes = createIntakeService({
        store,
        classifier: { classify: async () => sampleClassification('high') },
        governanceMembers: ['teams:aad-reviewer-1'],
        clock,
        logger: silentLogger(),
        reviewSchedule: createReviewSchedule(new Map([['high', { months: 6, itemsDueDays: undefined }]])),
      });
      obligations = createObligationService({ store, intakes, clock, logger: silentLogger() });
      slack = new RecordingChannel('slack');
      teams = new RecordingChannel('teams');
      metrics = createMetrics({ defaultMetrics: false });
    });

    afterEach(async () => {
      for (const scheduler of schedulers.splice(0)) await scheduler.stop();
      await opened.cleanup();
    });

    function scheduler(options: { store?: IntakeStore; channels?: ReminderChannel[]; claimant?: string; metrics?: Metrics } = {}): ReviewScheduler {
      const created = createReviewScheduler({
        store: options.store ?? store,
        clock,
        logger: silentLogger(),
        metrics: options.metrics ?? metrics,
        channels: options.channels ?? [slack, teams],
        intervalMs: 3_600_000,
        ...(options.claimant === undefined ? {} : { claimant: options.claimant }),
      });
      schedulers.push(created);
      return created;
    }

    let keys = 0;
    async function approvedIntake(submittedBy: Actor = slackOwner): Promise<IntakeRecord> {
      keys += 1;
      const { record } = await intakes.submit({ input: sampleInput(), submittedBy, idempotencyKey: `key-${keys}` });
      return intakes.decide({ intakeId: record.id, actor: reviewer, decision: 'approve_with_conditions', comment: 'Keep a human in the loop.' });
    }

    const counter = async (name: 'reviewsMarkedDue' | 'reminders', labels: Record<string, string> = {}) =>
      (await metrics[name].get()).values
        .filter((value) => Object.entries(labels).every(([key, label]) => (value.labels as Record<string, unknown>)[key] === label))
        .reduce((sum, value) => sum + value.value, 0);

    it('puts an approval back in the queue six months later and reminds the review channels and the owner once', async () => {
      const record = await approvedIntake();
      await obligations.update({ itemId: `${record.id}-1`, actor: slackOwner, status: 'done', evidence: { link: 'https://docs.example/risk' } });
      const first = scheduler();
      expect(await first.runOnce()).toMatchObject({ markedDue: 0, delivered: { sent: 0 } });
      expect((await intakes.get(record.id)).status).toBe('approved_with_conditions');

      clock.advance(182 * day);
      const run = await first.runOnce();
      expect(run.markedDue).toBe(1);
      // Three re-review reminders (two review channels, the owner) and the owner's digest: the items
      // were due by this review.
      expect(run.delivered.sent).toBe(4);
      const due = await intakes.get(record.id);
      expect(due).toMatchObject({ status: 'review_due', nextReviewAt: record.nextReviewAt, decision: 'approve_with_conditions' });
      expect((await intakes.queue()).map((queued) => [queued.id, queued.status])).toEqual([[record.id, 'review_due']]);
      expect(slack.reviews.map((reminder) => reminder.record.id)).toEqual([record.id]);
      expect(teams.reviews.map((reminder) => reminder.record.id)).toEqual([record.id]);
      expect(slack.personal.map(({ person, reminder }) => [person.id, reminder.kind]).sort()).toEqual([
        ['U0OWNER', 'obligation_digest'],
        ['U0OWNER', 'review_due'],
      ]);
      expect(teams.personal).toEqual([]);
      // What changed since the approval travels with the reminder.
      const { changes } = slack.reviews[0] as ReviewDueReminder;
      expect(changes.since).toBe(record.decidedAt);
      expect(changes.conditions.map((item) => item.text)).toEqual(['Keep a human in the loop.']);
      expect(changes.counts).toMatchObject({ total: 3, open: 2, done: 1 });
      expect(changes.changes).toEqual([expect.objectContaining({ itemId: `${record.id}-1`, actor: 'slack:U0OWNER', summary: 'done' })]);

      expect(await first.runOnce()).toMatchObject({ markedDue: 0, delivered: { sent: 0 } });
      const restarted = scheduler({ store: await opened.open() });
      expect(await restarted.runOnce()).toMatchObject({ markedDue: 0, delivered: { sent: 0 } });
      expect(slack.reviews).toHaveLength(1);
      expect(await counter('reviewsMarkedDue', { tier: 'high' })).toBe(1);
      expect(await counter('reminders', { kind: 'review_due', outcome: 'sent' })).toBe(3);
      expect((await metrics.reviewsDueWaiting.get()).values[0]?.value).toBe(1);
      const trail = await store.listAudit({ intakeId: record.id });
      expect(trail.filter((entry) => entry.action === 'review.due')).toEqual([
        expect.objectContaining({ actor: { channel: 'system', id: 'scheduler' }, details: { from: 'approved_with_conditions', to: 'review_due', nextReviewAt: record.nextReviewAt } }),
      ]);
      expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });

      // The re-review: approved again, a new date six months on, nothing more to remind of.
      const again = await intakes.decide({ intakeId: record.id, actor: reviewer, decision: 'approve' });
      expect(Date.parse(again.nextReviewAt as string)).toBeGreaterThan(Date.parse(record.nextReviewAt as string) + 150 * day);
      expect(await first.runOnce()).toMatchObject({ markedDue: 0 });
      expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
    });

    it('marks and reminds exactly once when two replicas run at the same moment', async () => {
      const records = [await approvedIntake(), await approvedIntake(alice)];
      clock.advance(183 * day);
      const metricsA = createMetrics({ defaultMetrics: false });
      const metricsB = createMetrics({ defaultMetrics: false });
      const a = scheduler({ claimant: 'replica-a', metrics: metricsA });
      const b = scheduler({ store: await opened.open(), claimant: 'replica-b', metrics: metricsB });
      const runs = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      const settled = await Promise.all([a.runOnce(), b.runOnce()]);
      // A scheduler shares a run in progress, so count each run once.
      const all = [...new Set([...runs, ...settled])];
      expect(all.reduce((sum, run) => sum + run.markedDue, 0)).toBe(2);
      // Two review channels per intake, and the Slack owner of the first, reminded and sent a digest
      // (alice is a web user: no door reaches her).
      expect(all.reduce((sum, run) => sum + run.delivered.sent, 0)).toBe(6);
      expect(slack.reviews.map((reminder) => reminder.record.id).sort()).toEqual(records.map((record) => record.id).sort());
      expect(teams.reviews.map((reminder) => reminder.record.id).sort()).toEqual(records.map((record) => record.id).sort());
      expect(slack.personal.map(({ reminder }) => reminder.kind).sort()).toEqual(['obligation_digest', 'review_due']);
      const marked = async (registry: Metrics) => (await registry.reviewsMarkedDue.get()).values.reduce((sum, value) => sum + value.value, 0);
      expect((await marked(metricsA)) + (await marked(metricsB))).toBe(2);
      for (const record of records) expect((await store.listAudit({ intakeId: record.id })).filter((entry) => entry.action === 'review.due')).toHaveLength(1);
    });

    it('retries a failed delivery later, and sends it once', async () => {
      await approvedIntake();
      clock.advance(183 * day);
      slack.failures = 1;
      const first = scheduler();
      const run = await first.runOnce();
      expect(run.delivered).toMatchObject({ failed: 1, sent: 3 });
      expect(slack.reviews).toHaveLength(0);
      expect(await first.runOnce()).toMatchObject({ delivered: { sent: 0, failed: 0 } });
      clock.advance(61_000);
      expect(await first.runOnce()).toMatchObject({ delivered: { sent: 1 } });
      expect(slack.reviews).toHaveLength(1);
      expect(await counter('reminders', { target: 'review:slack', outcome: 'retry' })).toBe(1);
      expect(await counter('reminders', { target: 'review:slack', outcome: 'sent' })).toBe(1);
    });

    it('hands the reminders of a replica that died holding them to another once their claim lapses', async () => {
      await approvedIntake();
      clock.advance(183 * day);
      // A replica marks the review due, claims the reminders and hangs in its first delivery, never
      // to finish (as if the process had died there).
      let entered: () => void = () => undefined;
      const delivering = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const hang = (name: 'slack' | 'teams'): ReminderChannel => ({
        name,
        reviewDue: () => {
          entered();
          return new Promise<DeliveryOutcome>(() => undefined);
        },
        remind: () => {
          entered();
          return new Promise<DeliveryOutcome>(() => undefined);
        },
      });
      const dying = createReviewScheduler({ store: await opened.open(), clock, logger: silentLogger(), channels: [hang('slack'), hang('teams')], claimant: 'dying' });
      void dying.runOnce();
      await delivering;
      const survivor = scheduler({ claimant: 'survivor' });
      expect(await survivor.runOnce()).toMatchObject({ markedDue: 0, digestsQueued: 0, delivered: { sent: 0 } });
      clock.advance(121_000);
      expect(await survivor.runOnce()).toMatchObject({ delivered: { sent: 4 } });
      expect(slack.reviews).toHaveLength(1);
      expect(teams.reviews).toHaveLength(1);
      expect(slack.personal.map(({ reminder }) => reminder.kind).sort()).toEqual(['obligation_digest', 'review_due']);
    });

    it('sends each owner one digest a day of items due within 7 days or overdue', async () => {
      const record = await approvedIntake();
      await obligations.update({ itemId: `${record.id}-1`, actor: slackOwner, dueAt: new Date(clock.now().getTime() + 7.5 * day).toISOString() });
      await obligations.update({ itemId: `${record.id}-2`, actor: slackOwner, dueAt: new Date(clock.now().getTime() + 3 * day).toISOString() });
      await obligations.update({ itemId: `${record.id}-3`, actor: slackOwner, owner: 'teams:aad-carol', dueAt: new Date(clock.now().getTime() - day).toISOString() });
      const first = scheduler();
      const run = await first.runOnce();
      expect(run.digestsQueued).toBe(2);
      expect(run.delivered.sent).toBe(2);
      const slackDigest = slack.personal.find(({ reminder }) => reminder.kind === 'obligation_digest');
      expect(slackDigest?.person.id).toBe('U0OWNER');
      const digest = slackDigest?.reminder.kind === 'obligation_digest' ? slackDigest.reminder.digest : undefined;
      expect(digest?.dueSoon.map((entry) => entry.item.id)).toEqual([`${record.id}-2`]);
      expect(digest?.overdue).toEqual([]);
      expect(digest?.day).toBe(clock.now().toISOString().slice(0, 10));
      const teamsDigest = teams.personal.find(({ reminder }) => reminder.kind === 'obligation_digest')?.reminder;
      expect(teamsDigest?.kind === 'obligation_digest' ? teamsDigest.digest.overdue.map((entry) => entry.item.id) : []).toEqual([`${record.id}-3`]);
      expect((await metrics.obligationItemsOverdue.get()).values[0]?.value).toBe(1);

      // The same day: nothing more, from this scheduler or another replica.
      clock.advance(60 * 60 * 1000);
      expect(await first.runOnce()).toMatchObject({ digestsQueued: 0, delivered: { sent: 0 } });
      expect(await scheduler({ store: await opened.open() }).runOnce()).toMatchObject({ digestsQueued: 0 });
      // The next day: again, without the item done meanwhile.
      await obligations.update({ itemId: `${record.id}-2`, actor: slackOwner, status: 'done', evidence: { note: 'done' } });
      clock.advance(day);
      const next = await first.runOnce();
      expect(next.digestsQueued).toBe(2);
      const digests = slack.personal.filter(({ reminder }) => reminder.kind === 'obligation_digest');
      expect(digests).toHaveLength(2);
      const latest = digests[1]?.reminder;
      expect(latest?.kind === 'obligation_digest' ? latest.digest.dueSoon.map((entry) => entry.item.id) : []).toEqual([`${record.id}-1`]);
    });

    it('skips a digest whose items were done before it went out, and people no door can reach', async () => {
      const record = await approvedIntake(alice);
      await obligations.update({ itemId: `${record.id}-1`, actor: alice, dueAt: new Date(clock.now().getTime() + day).toISOString() });
      // alice is a web user: no chat door reaches her, so no digest is queued at all.
      expect(await scheduler().runOnce()).toMatchObject({ digestsQueued: 0 });
      await obligations.update({ itemId: `${record.id}-1`, actor: alice, owner: 'slack:U0OWNER' });
      await store.enqueueNotifications([
        { key: 'obligation_digest:slack:U0OWNER:manual', kind: 'obligation_digest', target: 'person:slack:U0OWNER', payload: { itemIds: [`${record.id}-1`] }, createdAt: clock.now().toISOString() },
      ]);
      await obligations.update({ itemId: `${record.id}-1`, actor: alice, status: 'done', evidence: { note: 'early' } });
      const run = await scheduler().runOnce();
      expect(run.delivered).toMatchObject({ skipped: 1, sent: 0 });
      expect(slack.personal).toEqual([]);
    });

    it('schedules approvals made before reviews were scheduled, with their items, and puts them in the queue when overdue', async () => {
      keys += 1;
      const { record } = await intakes.submit({ input: sampleInput(), submittedBy: slackOwner, idempotencyKey: `key-${keys}` });
      // Approved the way earlier versions did: no review date, no items, an entry without nextReviewAt.
      await store.recordDecision(
        newDecision(record.id, { status: 'approved_with_conditions', decision: 'approve_with_conditions', comment: '- Keep a human in the loop\n- Log every ranking', decidedAt: '2026-01-15T10:00:00.000Z' }),
      );
      const unscheduled = scheduler({ channels: [slack] });
      const noSchedule = await unscheduled.runOnce();
      expect(noSchedule).toMatchObject({ scheduled: 0, markedDue: 0 });
      const upgraded = createReviewScheduler({
        store,
        clock,
        logger: silentLogger(),
        metrics,
        channels: [slack],
        reviewSchedule: createReviewSchedule(new Map([['high', { months: 6, itemsDueDays: undefined }]])),
      });
      schedulers.push(upgraded);
      const run = await upgraded.runOnce();
      // Approved in January: its review was due in July, so it goes straight to the queue.
      expect(run).toMatchObject({ scheduled: 1, markedDue: 1 });
      const due = await intakes.get(record.id);
      expect(due).toMatchObject({ status: 'review_due', nextReviewAt: '2026-07-15T10:00:00.000Z' });
      expect((await obligations.forIntake(record.id)).map((item) => [item.source, item.text, item.updatedBy])).toEqual([
        ['obligation', 'Run a risk management system', { channel: 'system', id: 'scheduler' }],
        ['obligation', 'Ensure human oversight, with "stop" authority', { channel: 'system', id: 'scheduler' }],
        ['condition', 'Keep a human in the loop', { channel: 'system', id: 'scheduler' }],
        ['condition', 'Log every ranking', { channel: 'system', id: 'scheduler' }],
      ]);
      expect((await store.listAudit({ intakeId: record.id })).map((entry) => entry.action).slice(-3)).toEqual(['review.scheduled', 'obligations.created', 'review.due']);
      expect(await upgraded.runOnce()).toMatchObject({ scheduled: 0, markedDue: 0 });
      expect(slack.reviews).toHaveLength(1);
      expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
    });

    it('runs on its timer until stopped', async () => {
      await approvedIntake();
      clock.advance(183 * day);
      const timed = createReviewScheduler({ store, clock, logger: silentLogger(), channels: [slack], intervalMs: 50 });
      schedulers.push(timed);
      const first = timed.nextRun();
      timed.start();
      expect(await first).toMatchObject({ markedDue: 1 });
      expect(await timed.nextRun()).toMatchObject({ markedDue: 0 });
      await timed.stop();
      expect(slack.reviews).toHaveLength(1);
    });
  });
}

describeScheduler(sqlite);
if (database === undefined) {
  describe.skip('review scheduler on PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  describeScheduler(postgres(database));
}
