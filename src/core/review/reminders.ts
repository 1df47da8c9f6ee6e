// What reminders say, independent of the door that sends them: a re-review reminder (the intake,
// its items, and what changed since the last decision) and a person's daily digest of obligation
// items due soon or overdue. Chat doors implement ReminderChannel and render these in their own
// markup; the review scheduler decides when, and makes sure each goes out once.
import type { Actor, ActorChannel } from '../actor.js';
import type { AuditEntry } from '../../ports/intake-store.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import { intakeAuditActions } from './intake-audit.js';
import { countObligations, type ObligationCounts, type ObligationItem } from './obligation-types.js';
import type { ObligationEntry } from './obligation-service.js';
import type { IntakeRecord } from './review-types.js';

/** One item change since the last decision, as one line. */
export interface ItemChangeLine {
  at: string;
  itemId: string;
  text: string;
  /** `channel:id` of who changed it. */
  actor: string;
  /** "done", "not applicable: no EU users", "reopened", "owner web:bob", "due 2027-02-01", "evidence updated". */
  summary: string;
}

/** What changed since the intake was last decided: its conditions and items, and each item change. */
export interface ReviewChanges {
  /** When the last decision was made. */
  since?: string;
  /** The intake's conditions (items created from "approve with conditions") and where they stand. */
  conditions: ObligationItem[];
  counts: ObligationCounts;
  /** Item changes after the last decision, oldest first. */
  changes: ItemChangeLine[];
}

export interface ReviewDueReminder {
  record: IntakeRecord;
  items: ObligationItem[];
  changes: ReviewChanges;
}

/** A person's items, for one day's digest. */
export interface ObligationDigest {
  person: Actor;
  /** `YYYY-MM-DD` (UTC) of the digest. */
  day: string;
  overdue: ObligationEntry[];
  dueSoon: ObligationEntry[];
}

export type PersonalReminder = { kind: 'review_due'; reminder: ReviewDueReminder } | { kind: 'obligation_digest'; digest: ObligationDigest };

/** `skipped`: nothing to send (no review channel configured); `unreachable`: no way to reach this person. */
export type DeliveryOutcome = 'sent' | 'skipped' | 'unreachable';

/**
 * A chat door able to deliver reminders. Throwing means "failed, try again later": the scheduler
 * retries with a growing delay, a few times.
 */
export interface ReminderChannel {
  /** The people this door reaches (`slack`, `teams`). */
  readonly name: ActorChannel;
  /** Posts a re-review reminder to the door's governance conversation (with the decision buttons). */
  reviewDue(reminder: ReviewDueReminder): Promise<DeliveryOutcome>;
  /** Sends a reminder to one person of this door (a direct message). */
  remind(person: Actor, reminder: PersonalReminder): Promise<DeliveryOutcome>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describeItemChange(details: Record<string, unknown>, locale: Locale): string {
  const changes = (details.changes ?? {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  const parts: string[] = [];
  const status = changes.status;
  if (status !== undefined) {
    if (status.to === 'open') parts.push(t(locale, 'obligation.change.reopened'));
    else if (status.to === 'not_applicable') parts.push(t(locale, 'obligation.change.notApplicable'));
    else if (status.to === 'done') parts.push(t(locale, 'obligation.change.done'));
    else parts.push(String(status.to));
  }
  if (changes.reason !== undefined && text(changes.reason.to) !== undefined) parts.push(t(locale, 'obligation.change.reason', { reason: String(changes.reason.to) }));
  if (changes.evidence !== undefined && status === undefined) parts.push(t(locale, 'obligation.change.evidenceUpdated'));
  if (changes.owner !== undefined) {
    const owner = text(changes.owner.to);
    parts.push(owner === undefined ? t(locale, 'obligation.change.noOwner') : t(locale, 'obligation.change.owner', { owner }));
  }
  if (changes.dueAt !== undefined) {
    const due = text(changes.dueAt.to)?.slice(0, 10);
    parts.push(due === undefined ? t(locale, 'obligation.change.noDue') : t(locale, 'obligation.change.due', { date: due }));
  }
  const comment = text(details.comment);
  if (comment !== undefined) parts.push(t(locale, 'obligation.change.comment', { comment }));
  return parts.length === 0 ? t(locale, 'obligation.change.changed') : parts.join(t(locale, 'obligation.change.separator'));
}

/**
 * What changed since the last decision on `record`, from its audit entries (any order; sorted here)
 * and its current items, the change summaries worded in `locale`.
 */
export function summariseReviewChanges(record: IntakeRecord, items: readonly ObligationItem[], entries: readonly AuditEntry[], now: Date, locale: Locale = 'en'): ReviewChanges {
  const sorted = [...entries].sort((left, right) => left.sequence - right.sequence);
  let lastDecision = -1;
  sorted.forEach((entry, index) => {
    if (entry.action === intakeAuditActions.decided) lastDecision = index;
  });
  const texts = new Map(items.map((item) => [item.id, item.text]));
  const changes: ItemChangeLine[] = sorted
    .slice(lastDecision + 1)
    .filter((entry) => entry.action === intakeAuditActions.itemUpdated)
    .map((entry) => {
      const itemId = text(entry.details.itemId) ?? '';
      return { at: entry.at, itemId, text: texts.get(itemId) ?? '', actor: `${entry.actor.channel}:${entry.actor.id}`, summary: describeItemChange(entry.details, locale) };
    });
  return {
    ...(record.decidedAt === undefined ? {} : { since: record.decidedAt }),
    conditions: items.filter((item) => item.source === 'condition'),
    counts: countObligations(items, now),
    changes,
  };
}
