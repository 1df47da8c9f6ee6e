// Mapping between stored rows and the port's records, shared by the SQLite and PostgreSQL stores.
// SQLite hands JSON columns back as text and timestamps as ISO text; PostgreSQL as parsed JSONB and
// Date objects. Both end up as the same IntakeRecord / AuditEntry.
import type { Actor } from '../../core/actor.js';
import type { StoredIntakeColumns } from '../../core/review/audit-reconciliation.js';
import type { Classification } from '../../core/intake/classification.js';
import type { IntakeInput } from '../../core/intake/intake-schema.js';
import type { Decision, IntakeRecord, IntakeStatus, ReviewMessageRef } from '../../core/review/review-types.js';
import type { AuditEntry } from '../../ports/intake-store.js';

/** An intake row as read from either database. */
export interface IntakeRow {
  id: string;
  version: number | string;
  previous_id: string | null;
  input: unknown;
  classification: unknown;
  status: string;
  submitted_by: unknown;
  submitted_at: string | Date;
  decided_by: unknown;
  decided_at: string | Date | null;
  decision: string | null;
  decision_comment: string | null;
  idempotency_key: string;
  updated_at: string | Date;
  /** Insertion order (SQLite INTEGER, PostgreSQL BIGINT as text). */
  position?: number | string;
  /** Kept beside the classification for queries; `audit verify` checks they agree. */
  tier?: string;
  flagged?: boolean | number;
}

export interface ReviewMessageRow {
  intake_id: string;
  channel: string;
  reference: unknown;
}

export interface AuditRow {
  sequence: number | string;
  at: string;
  action: string;
  actor: unknown;
  intake_id: string | null;
  details: unknown;
  previous_hash: string;
  hash: string;
}

/** JSON columns: text in SQLite, already parsed in PostgreSQL. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function readTimestamp(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

export function toIntakeRecord(row: IntakeRow, reviewMessages: ReviewMessageRef[]): IntakeRecord {
  const record: IntakeRecord = {
    id: row.id,
    version: Number(row.version),
    input: readJson<IntakeInput>(row.input),
    classification: readJson<Classification>(row.classification),
    status: row.status as IntakeStatus,
    submittedBy: readJson<Actor>(row.submitted_by),
    submittedAt: readTimestamp(row.submitted_at),
    idempotencyKey: row.idempotency_key,
    reviewMessages,
    updatedAt: readTimestamp(row.updated_at),
  };
  if (row.previous_id !== null) record.previousId = row.previous_id;
  if (row.decided_by !== null && row.decided_by !== undefined) record.decidedBy = readJson<Actor>(row.decided_by);
  if (row.decided_at !== null) record.decidedAt = readTimestamp(row.decided_at);
  if (row.decision !== null) record.decision = row.decision as Decision;
  if (row.decision_comment !== null) record.decisionComment = row.decision_comment;
  return record;
}

/** The columns stored beside the record, for reconciliation with the audit trail. */
export function storedIntakeColumns(row: IntakeRow): StoredIntakeColumns {
  return {
    ...(row.tier === undefined ? {} : { tier: row.tier }),
    ...(row.flagged === undefined ? {} : { flagged: row.flagged === true || row.flagged === 1 }),
  };
}

/** Intakes read per page by `verifyAudit`. */
export const verificationPageSize = 500;

export function toReviewMessage(row: ReviewMessageRow): ReviewMessageRef {
  return { channel: row.channel as ReviewMessageRef['channel'], reference: readJson<Record<string, unknown>>(row.reference) };
}

/** Groups review message rows by intake id, keeping their stored order. */
export function groupReviewMessages(rows: ReviewMessageRow[]): Map<string, ReviewMessageRef[]> {
  const grouped = new Map<string, ReviewMessageRef[]>();
  for (const row of rows) {
    const list = grouped.get(row.intake_id) ?? [];
    list.push(toReviewMessage(row));
    grouped.set(row.intake_id, list);
  }
  return grouped;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    sequence: Number(row.sequence),
    at: row.at,
    action: row.action,
    actor: readJson<AuditEntry['actor']>(row.actor),
    details: readJson<Record<string, unknown>>(row.details),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
  if (row.intake_id !== null) entry.intakeId = row.intake_id;
  return entry;
}

/** Default time-to-live of a claimed chat event id: one day (chat platforms retry for minutes). */
export const defaultEventTtlSeconds = 24 * 60 * 60;

/** How often (at most) a store sweeps expired event ids. */
export const eventPruneIntervalMilliseconds = 60_000;
