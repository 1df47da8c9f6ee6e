// What the audit trail says about an intake, defined once: the entries a submission, a decision, a
// refused attempt and the upgrade attestation write, and the digests that tie an intake's stored
// content to them. `audit verify` replays these entries and reconciles every intake with them
// (audit-reconciliation.ts), so whatever these entries carry is what tampering cannot hide.
import { createHash } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Classification } from '../intake/classification.js';
import type { AuditEntryInput } from '../../ports/intake-store.js';
import { canonicalJson } from './canonical-json.js';
import type { ObligationItem } from './obligation-types.js';
import type { Decision, IntakeRecord, IntakeStatus } from './review-types.js';

/** The actions that carry an intake's state (decision.refused carries none). */
export const intakeAuditActions = {
  submitted: 'intake.submitted',
  classified: 'intake.classified',
  decided: 'intake.decided',
  /** Written once by the upgrade that introduced content hashes, for intakes stored before it. */
  attested: 'intake.attested',
  refused: 'decision.refused',
  /** An approval's checklist and conditions became tracked items. */
  itemsCreated: 'obligations.created',
  /** One item changed: status, evidence, reason, owner or due date. */
  itemUpdated: 'obligation.updated',
  /** The next review date passed: the intake went back to the review queue. */
  reviewDue: 'review.due',
  /** An intake approved before reviews were scheduled got its first review date (and its items). */
  reviewScheduled: 'review.scheduled',
} as const;

export const classifierActor = { channel: 'system', id: 'classifier' } as const;
export const migrationActor = { channel: 'system', id: 'migration' } as const;
export const schedulerActor = { channel: 'system', id: 'scheduler' } as const;

/** Why a decision attempt was refused, as recorded in `decision.refused` entries. */
export type RefusalReason = 'not_governance_member' | 'self_review' | 'rate_limited';

/** The fields of a stored intake that its submission fixes for good. */
export type SubmittedContent = Pick<IntakeRecord, 'id' | 'version' | 'previousId' | 'input' | 'submittedBy' | 'submittedAt' | 'idempotencyKey'>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Timestamps as the stores give them back (PostgreSQL returns Dates; SQLite the text written). */
export function normaliseTimestamp(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** SHA-256 over the canonical JSON of what was submitted: fields, submitter, time, version link and key. */
export function intakeContentHash(content: SubmittedContent): string {
  return sha256(
    canonicalJson({
      id: content.id,
      version: content.version,
      previousId: content.previousId ?? null,
      input: content.input,
      submittedBy: content.submittedBy,
      submittedAt: normaliseTimestamp(content.submittedAt),
      idempotencyKey: content.idempotencyKey,
    }),
  );
}

/** SHA-256 over the canonical JSON of the whole classification (tier, reasons, obligations, signals). */
export function classificationHash(classification: Classification): string {
  return sha256(canonicalJson(classification));
}

/** The two entries a new intake is stored with: what was submitted, and how it was classified. */
export function submissionAuditEntries(record: Omit<IntakeRecord, 'updatedAt'>): AuditEntryInput[] {
  const { classification } = record;
  return [
    {
      action: intakeAuditActions.submitted,
      actor: record.submittedBy,
      intakeId: record.id,
      details: {
        version: record.version,
        ...(record.previousId === undefined ? {} : { previousId: record.previousId }),
        contentHash: intakeContentHash(record),
      },
    },
    {
      action: intakeAuditActions.classified,
      actor: classifierActor,
      intakeId: record.id,
      details: {
        tier: classification.tier,
        flagged: classification.flagged,
        rulesVersion: classification.rulesVersion,
        status: record.status,
        ruleIds: classification.reasons.map((reason) => reason.ruleId),
        classificationHash: classificationHash(classification),
      },
    },
  ];
}

/** The entry of a decision; its actor is the decider. */
export function decisionAuditEntry(decision: {
  intakeId: string;
  decidedBy: Actor;
  decision: Decision;
  from: IntakeStatus;
  to: IntakeStatus;
  decidedAt: string;
  comment?: string;
  /** The next review an approval schedules (null: none). Left out, the entry says nothing about it. */
  nextReviewAt?: string | null;
}): AuditEntryInput {
  return {
    action: intakeAuditActions.decided,
    actor: decision.decidedBy,
    intakeId: decision.intakeId,
    details: {
      decision: decision.decision,
      from: decision.from,
      to: decision.to,
      ...(decision.comment === undefined ? {} : { comment: decision.comment }),
      decidedAt: decision.decidedAt,
      ...(decision.nextReviewAt === undefined ? {} : { nextReviewAt: decision.nextReviewAt }),
    },
  };
}

/**
 * SHA-256 over the canonical JSON of everything stored about an item: what it is, its status,
 * owner, due date, evidence, reason, revision and who changed it last, when. The item entries carry
 * it, so `audit verify` notices any change made to an item outside Shishin.
 */
export function obligationItemHash(item: ObligationItem): string {
  return sha256(
    canonicalJson({
      id: item.id,
      intakeId: item.intakeId,
      number: item.number,
      source: item.source,
      obligationId: item.obligationId ?? null,
      framework: item.framework ?? null,
      text: item.text,
      status: item.status,
      owner: item.owner ?? null,
      dueAt: item.dueAt === undefined ? null : normaliseTimestamp(item.dueAt),
      evidence: item.evidence ?? null,
      reason: item.reason ?? null,
      revision: item.revision,
      createdAt: normaliseTimestamp(item.createdAt),
      updatedAt: normaliseTimestamp(item.updatedAt),
      updatedBy: item.updatedBy,
    }),
  );
}

/** The entry written with an approval (or a re-approval) that creates items. */
export function itemsCreatedAuditEntry(intakeId: string, actor: Actor | { channel: 'system'; id: string }, items: readonly ObligationItem[]): AuditEntryInput {
  return {
    action: intakeAuditActions.itemsCreated,
    actor,
    intakeId,
    details: {
      count: items.length,
      items: items.map((item) => ({ id: item.id, source: item.source, stateHash: obligationItemHash(item) })),
    },
  };
}

/** What an item change did, field by field (`from` → `to`), for the history and the audit trail. */
export type ItemChanges = Partial<Record<'status' | 'owner' | 'dueAt' | 'evidence' | 'reason', { from: unknown; to: unknown }>>;

export function itemChanges(before: ObligationItem, after: ObligationItem): ItemChanges {
  const changes: ItemChanges = {};
  const ownerKey = (item: ObligationItem) => (item.owner === undefined ? null : `${item.owner.channel}:${item.owner.id}`);
  const compare = (field: keyof ItemChanges, from: unknown, to: unknown) => {
    if (canonicalJson(from ?? null) !== canonicalJson(to ?? null)) changes[field] = { from: from ?? null, to: to ?? null };
  };
  compare('status', before.status, after.status);
  compare('owner', ownerKey(before), ownerKey(after));
  compare('dueAt', before.dueAt, after.dueAt);
  compare('evidence', before.evidence, after.evidence);
  compare('reason', before.reason, after.reason);
  return changes;
}

/** The entry of one item change; its actor is the person who made it. */
export function itemUpdatedAuditEntry(change: { actor: Actor; before: ObligationItem; after: ObligationItem; comment?: string }): AuditEntryInput {
  return {
    action: intakeAuditActions.itemUpdated,
    actor: change.actor,
    intakeId: change.after.intakeId,
    details: {
      itemId: change.after.id,
      changes: itemChanges(change.before, change.after),
      ...(change.comment === undefined ? {} : { comment: change.comment }),
      revision: change.after.revision,
      stateHash: obligationItemHash(change.after),
    },
  };
}

/** The entry of an intake approved before reviews were scheduled, when it gets its first review date. */
export function reviewScheduledAuditEntry(scheduled: { intakeId: string; nextReviewAt: string; approvedAt: string | undefined }): AuditEntryInput {
  return {
    action: intakeAuditActions.reviewScheduled,
    actor: schedulerActor,
    intakeId: scheduled.intakeId,
    details: {
      nextReviewAt: scheduled.nextReviewAt,
      approvedAt: scheduled.approvedAt ?? null,
      reason: 'approved before reviews were scheduled',
    },
  };
}

/** The entry of an intake whose next review date passed. */
export function reviewDueAuditEntry(due: { intakeId: string; from: IntakeStatus; nextReviewAt: string }): AuditEntryInput {
  return {
    action: intakeAuditActions.reviewDue,
    actor: schedulerActor,
    intakeId: due.intakeId,
    details: { from: due.from, to: 'review_due', nextReviewAt: due.nextReviewAt },
  };
}

/** A refused decision attempt. Callers pass only checked values: a well-formed intake id, a short decision. */
export function refusalAuditEntry(refusal: { actor: Actor; intakeId?: string; decision: string; reason: RefusalReason }): AuditEntryInput {
  return {
    action: intakeAuditActions.refused,
    actor: refusal.actor,
    ...(refusal.intakeId === undefined ? {} : { intakeId: refusal.intakeId }),
    details: { decision: refusal.decision, reason: refusal.reason },
  };
}

/**
 * For an intake stored before submission entries carried content hashes: its content and
 * classification as they were when the upgrade ran. It cannot prove what happened before the
 * upgrade; from then on, any change is reported.
 */
export function attestationAuditEntry(record: IntakeRecord): AuditEntryInput {
  return {
    action: intakeAuditActions.attested,
    actor: migrationActor,
    intakeId: record.id,
    details: {
      contentHash: intakeContentHash(record),
      classificationHash: classificationHash(record.classification),
      reason: 'stored before submitted content was hashed into the audit trail',
    },
  };
}
