// What the audit trail says about an intake, defined once: the entries a submission, a decision, a
// refused attempt and the upgrade attestation write, and the digests that tie an intake's stored
// content to them. `audit verify` replays these entries and reconciles every intake with them
// (audit-reconciliation.ts), so whatever these entries carry is what tampering cannot hide.
import { createHash } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Classification } from '../intake/classification.js';
import type { AuditEntryInput } from '../../ports/intake-store.js';
import { canonicalJson } from './canonical-json.js';
import type { Decision, IntakeRecord, IntakeStatus } from './review-types.js';

/** The actions that carry an intake's state (decision.refused carries none). */
export const intakeAuditActions = {
  submitted: 'intake.submitted',
  classified: 'intake.classified',
  decided: 'intake.decided',
  /** Written once by the upgrade that introduced content hashes, for intakes stored before it. */
  attested: 'intake.attested',
  refused: 'decision.refused',
} as const;

export const classifierActor = { channel: 'system', id: 'classifier' } as const;
export const migrationActor = { channel: 'system', id: 'migration' } as const;

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
    },
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
