// The review scheduler: each run (every SCHEDULER_INTERVAL_SECONDS, in every replica) it
//   0. gives approved intakes that have no review date (approved before reviews were scheduled, or
//      under a rules file without an interval for their tier) their first one, with their items;
//   1. puts approved intakes whose next review date passed back in the review queue (`review_due`),
//      queuing their reminders in the same transaction — a compare-and-set on the intake, so of
//      several replicas exactly one does it;
//   2. queues one digest per person per day (UTC) of obligation items due within 7 days or overdue —
//      the notification key is unique, so a second replica or a second run that day adds nothing;
//   3. delivers queued reminders it claims (a claimed row with a lease: a replica that dies mid-way
//      leaves them to the next one after the lease), retrying failures a few times.
// The timer only says when to look; what is due lives in the database, so restarts lose nothing.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { actorKey, parseActorKey, type Actor } from '../actor.js';
import { isShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Clock } from '../../ports/clock.js';
import type { IntakeStore, NewNotification, Notification } from '../../ports/intake-store.js';
import { itemsCreatedAuditEntry, reviewDueAuditEntry, reviewScheduledAuditEntry, schedulerActor } from './intake-audit.js';
import { itemsForApproval } from './obligation-items.js';
import type { ObligationEntry } from './obligation-service.js';
import type { ReviewSchedule } from './review-schedule.js';
import { isDueSoon, isOverdue } from './obligation-types.js';
import { summariseReviewChanges, type DeliveryOutcome, type ReminderChannel, type ReviewDueReminder } from './reminders.js';
import { approvedStatuses, trackedStatuses } from './review-transitions.js';
import type { IntakeRecord } from './review-types.js';

/** Items due within this many days (or overdue) go into the owner's daily digest. */
export const dueSoonDays = 7;

export interface ReviewSchedulerOptions {
  store: IntakeStore;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** The chat doors that deliver reminders (none: reviews still come due, nothing is sent). */
  channels: readonly ReminderChannel[];
  /** The rules file's intervals, to schedule approvals that have no review date yet (none: they stay unscheduled). */
  reviewSchedule?: ReviewSchedule;
  /** Time between runs (default 60 000 ms). */
  intervalMs?: number;
  /** How long a claimed reminder is held before another replica may take it (default 120 000 ms). */
  leaseMs?: number;
  /** Deliveries of one reminder before it is given up (default 5). */
  maxAttempts?: number;
  /** Names this scheduler's claims (default host, process and a random part). */
  claimant?: string;
}

export interface SchedulerRun {
  /** Approved intakes without a review date that this run scheduled. */
  scheduled: number;
  /** Intakes this run put back in the queue. */
  markedDue: number;
  /** Digests this run queued (0 when another replica or run queued them today). */
  digestsQueued: number;
  /** Reminders this run delivered, by outcome. */
  delivered: Record<'sent' | 'skipped' | 'unreachable' | 'failed', number>;
}

export interface ReviewScheduler {
  /** Runs once now (a run already in progress is shared, never doubled). */
  runOnce(): Promise<SchedulerRun>;
  /** Starts the timer (a first run right away). */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** Resolves with the next completed run (timer or runOnce). */
  nextRun(): Promise<SchedulerRun>;
  readonly claimant: string;
}

const dayMilliseconds = 24 * 60 * 60 * 1000;

/** Delay before retry n (1-based): 1, 5, 15, 60 minutes… */
function retryDelayMs(attempt: number): number {
  return [60_000, 5 * 60_000, 15 * 60_000][attempt - 1] ?? 60 * 60_000;
}

/** `review:slack` → the review conversation of a door; `person:web:alice` → that person. */
function parseTarget(target: string): { kind: 'review'; channel: string } | { kind: 'person'; person: Actor } | undefined {
  if (target.startsWith('review:')) return { kind: 'review', channel: target.slice('review:'.length) };
  if (target.startsWith('person:')) {
    const person = parseActorKey(target.slice('person:'.length));
    return person === undefined ? undefined : { kind: 'person', person };
  }
  return undefined;
}

/** The metric label for a target: the door for a review post, `person` for a direct reminder. */
function targetLabel(target: string): string {
  return target.startsWith('review:') ? target : 'person';
}

export function createReviewScheduler(options: ReviewSchedulerOptions): ReviewScheduler {
  const { store, clock, metrics } = options;
  const logger = options.logger.child({ component: 'review-scheduler' });
  const channels = new Map(options.channels.map((channel) => [channel.name as string, channel]));
  const intervalMs = options.intervalMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const claimant = options.claimant ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<SchedulerRun> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let waiters: Array<(run: SchedulerRun) => void> = [];

  const reachable = (person: Actor) => channels.has(person.channel);

  function reviewDueNotifications(record: IntakeRecord, nextReviewAt: string, now: string): NewNotification[] {
    const targets = [...channels.keys()].map((name) => `review:${name}`);
    if (reachable(record.submittedBy)) targets.push(`person:${actorKey(record.submittedBy)}`);
    return targets.map((target) => ({
      key: `review_due:${record.id}:${nextReviewAt}:${target}`,
      kind: 'review_due',
      target,
      intakeId: record.id,
      payload: { nextReviewAt },
      createdAt: now,
    }));
  }

  /**
   * Approvals without a review date get one from the decision time (which may already be past: the
   * next step then puts them in the queue), and, if they have no items yet, the items of their
   * approval. Tiers without an interval are left alone.
   */
  async function scheduleUnscheduled(now: Date): Promise<number> {
    const schedule = options.reviewSchedule;
    if (schedule === undefined) return 0;
    const at = now.toISOString();
    let scheduled = 0;
    for (const record of await store.listIntakes({ status: [...approvedStatuses], withoutNextReview: true, order: 'oldest' })) {
      const approvedAt = new Date(record.decidedAt ?? record.submittedAt);
      const nextReviewAt = schedule.nextReviewAt(record.classification.tier, approvedAt);
      if (nextReviewAt === undefined) continue;
      const existing = await store.listObligationItems({ intakeIds: [record.id] });
      const newItems =
        existing.length > 0 || record.decision === undefined
          ? []
          : itemsForApproval({
              record,
              existing,
              decision: record.decision,
              comment: record.decisionComment,
              decidedBy: schedulerActor,
              decidedAt: at,
              dueAt: schedule.itemsDueAt(record.classification.tier, approvedAt),
            });
      try {
        await store.scheduleReview({
          intakeId: record.id,
          expectedStatus: record.status,
          nextReviewAt,
          updatedAt: at,
          newItems,
          audit: [
            reviewScheduledAuditEntry({ intakeId: record.id, nextReviewAt, approvedAt: record.decidedAt }),
            ...(newItems.length === 0 ? [] : [itemsCreatedAuditEntry(record.id, schedulerActor, newItems)]),
          ],
        });
      } catch (error) {
        if (isShishinError(error, 'conflict') || isShishinError(error, 'not_found')) continue;
        throw error;
      }
      scheduled += 1;
      logger.info({ intakeId: record.id, nextReviewAt, items: newItems.length }, 'first review scheduled for an earlier approval');
    }
    return scheduled;
  }

  async function markDueReviews(now: Date): Promise<number> {
    const at = now.toISOString();
    const due = await store.listIntakes({ status: [...approvedStatuses], reviewDueBy: at, order: 'oldest' });
    let marked = 0;
    for (const record of due) {
      const nextReviewAt = record.nextReviewAt;
      if (nextReviewAt === undefined) continue;
      try {
        await store.markReviewDue({
          intakeId: record.id,
          expectedStatus: record.status,
          expectedNextReviewAt: nextReviewAt,
          updatedAt: at,
          audit: [reviewDueAuditEntry({ intakeId: record.id, from: record.status, nextReviewAt })],
          notifications: reviewDueNotifications(record, nextReviewAt, at),
        });
      } catch (error) {
        // Another replica (or a decision) got there first: nothing left to do for this one.
        if (isShishinError(error, 'conflict') || isShishinError(error, 'not_found')) continue;
        throw error;
      }
      marked += 1;
      metrics?.reviewsMarkedDue.inc({ tier: record.classification.tier });
      logger.info({ intakeId: record.id, nextReviewAt }, 're-review due: intake back in the review queue');
    }
    return marked;
  }

  /** Live open items due by `horizon`, with their intakes. */
  async function dueEntries(now: Date): Promise<ObligationEntry[]> {
    const items = await store.listObligationItems({ status: ['open'], dueBy: new Date(now.getTime() + dueSoonDays * dayMilliseconds).toISOString() });
    if (items.length === 0) return [];
    const intakes = new Map((await store.listIntakes({ status: [...trackedStatuses] })).map((record) => [record.id, record]));
    return items.flatMap((item) => {
      const intake = intakes.get(item.intakeId);
      return intake === undefined ? [] : [{ item, intake }];
    });
  }

  async function queueDigests(now: Date): Promise<number> {
    const entries = await dueEntries(now);
    const byPerson = new Map<string, string[]>();
    for (const { item, intake } of entries) {
      const person = item.owner ?? intake.submittedBy;
      if (!reachable(person)) continue;
      const list = byPerson.get(actorKey(person)) ?? [];
      list.push(item.id);
      byPerson.set(actorKey(person), list);
    }
    const day = now.toISOString().slice(0, 10);
    const at = now.toISOString();
    const notifications: NewNotification[] = [...byPerson].map(([person, itemIds]) => ({
      key: `obligation_digest:${person}:${day}`,
      kind: 'obligation_digest',
      target: `person:${person}`,
      payload: { day, itemIds },
      createdAt: at,
    }));
    return store.enqueueNotifications(notifications);
  }

  async function reviewReminder(intakeId: string | undefined, now: Date): Promise<ReviewDueReminder | undefined> {
    const record = intakeId === undefined ? undefined : await store.getIntake(intakeId);
    // Decided again before the reminder went out: nothing to remind of.
    if (record === undefined || record.status !== 'review_due') return undefined;
    const items = await store.listObligationItems({ intakeIds: [record.id] });
    const entries = await store.listAudit({ intakeId: record.id });
    return { record, items, changes: summariseReviewChanges(record, items, entries, now) };
  }

  async function deliver(notification: Notification, now: Date): Promise<DeliveryOutcome> {
    const target = parseTarget(notification.target);
    if (target === undefined) return 'skipped';
    const channel = channels.get(target.kind === 'review' ? target.channel : target.person.channel);
    if (channel === undefined) return 'unreachable';
    if (notification.kind === 'review_due') {
      const reminder = await reviewReminder(notification.intakeId, now);
      if (reminder === undefined) return 'skipped';
      return target.kind === 'review' ? channel.reviewDue(reminder) : channel.remind(target.person, { kind: 'review_due', reminder });
    }
    if (target.kind !== 'person') return 'skipped';
    const wanted = new Set(Array.isArray(notification.payload.itemIds) ? notification.payload.itemIds.map(String) : []);
    const entries = (await dueEntries(now)).filter(({ item }) => wanted.has(item.id));
    const overdue = entries.filter(({ item }) => isOverdue(item, now));
    const dueSoon = entries.filter(({ item }) => isDueSoon(item, now, dueSoonDays));
    if (overdue.length === 0 && dueSoon.length === 0) return 'skipped';
    const day = typeof notification.payload.day === 'string' ? notification.payload.day : now.toISOString().slice(0, 10);
    return channel.remind(target.person, { kind: 'obligation_digest', digest: { person: target.person, day, overdue, dueSoon } });
  }

  async function deliverQueued(now: Date): Promise<SchedulerRun['delivered']> {
    const delivered = { sent: 0, skipped: 0, unreachable: 0, failed: 0 };
    const batch = 20;
    for (let round = 0; round < 10; round += 1) {
      const claimed = await store.claimNotifications({
        claimant,
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
        limit: batch,
      });
      for (const notification of claimed) {
        let outcome: DeliveryOutcome | 'failed';
        try {
          outcome = await deliver(notification, now);
        } catch (error) {
          outcome = 'failed';
          logger.error({ err: error, key: notification.key, attempt: notification.attempts }, 'reminder delivery failed');
        }
        const finishedAt = clock.now();
        const retry = outcome === 'failed' && notification.attempts < maxAttempts;
        const recorded = await store.finishNotification({
          key: notification.key,
          claimant,
          outcome,
          at: finishedAt.toISOString(),
          ...(retry ? { retryAt: new Date(finishedAt.getTime() + retryDelayMs(notification.attempts)).toISOString() } : {}),
        });
        if (!recorded) logger.warn({ key: notification.key }, 'reminder claim lapsed before its outcome was recorded');
        delivered[outcome] += 1;
        metrics?.reminders.inc({ kind: notification.kind, target: targetLabel(notification.target), outcome: retry ? 'retry' : outcome });
        logger.info({ key: notification.key, kind: notification.kind, target: targetLabel(notification.target), outcome, attempt: notification.attempts }, 'reminder handled');
      }
      if (claimed.length < batch) break;
    }
    return delivered;
  }

  async function updateGauges(now: Date): Promise<void> {
    if (metrics === undefined) return;
    metrics.reviewsDueWaiting.set((await store.listIntakes({ status: ['review_due'] })).length);
    metrics.obligationItemsOverdue.set((await dueEntries(now)).filter(({ item }) => isOverdue(item, now)).length);
  }

  async function run(): Promise<SchedulerRun> {
    const now = clock.now();
    const scheduled = await scheduleUnscheduled(now);
    const markedDue = await markDueReviews(now);
    const digestsQueued = await queueDigests(now);
    const delivered = await deliverQueued(now);
    await updateGauges(now);
    return { scheduled, markedDue, digestsQueued, delivered };
  }

  function runOnce(): Promise<SchedulerRun> {
    running ??= run()
      .then((result) => {
        metrics?.schedulerRuns.inc({ outcome: 'ok' });
        if (result.scheduled + result.markedDue + result.digestsQueued + result.delivered.sent + result.delivered.failed > 0) logger.info(result, 'scheduler run');
        const ready = waiters;
        waiters = [];
        for (const resolve of ready) resolve(result);
        return result;
      })
      .catch((error: unknown) => {
        metrics?.schedulerRuns.inc({ outcome: 'failed' });
        throw error;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const tick = () => {
    runOnce().catch((error: unknown) => logger.error({ err: error }, 'scheduler run failed; trying again at the next interval'));
  };

  return {
    claimant,
    runOnce,
    start() {
      if (timer !== undefined) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
    nextRun: () => new Promise<SchedulerRun>((resolve) => waiters.push(resolve)),
  };
}
