// Mapping between stored rows and the port's records, shared by the SQLite and PostgreSQL stores.
// SQLite hands JSON columns back as text and timestamps as ISO text; PostgreSQL as parsed JSONB and
// Date objects. Both end up as the same IntakeRecord / AuditEntry.
import type { Actor } from '../../core/actor.js';
import type { StoredIntakeColumns } from '../../core/review/audit-reconciliation.js';
import type { Classification } from '../../core/intake/classification.js';
import type { IntakeInput } from '../../core/intake/intake-schema.js';
import type { ObligationItem, ObligationSource, ObligationStatus } from '../../core/review/obligation-types.js';
import type { Decision, IntakeRecord, IntakeStatus, ReviewMessageRef } from '../../core/review/review-types.js';
import type { AuditEntry, Notification } from '../../ports/intake-store.js';

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
  next_review_at?: string | Date | null;
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
  if (row.next_review_at !== null && row.next_review_at !== undefined) record.nextReviewAt = readTimestamp(row.next_review_at);
  return record;
}

/** An obligation item row as read from either database. */
export interface ObligationItemRow {
  position?: number | string;
  id: string;
  intake_id: string;
  number: number | string;
  source: string;
  obligation_id: string | null;
  framework: string | null;
  text: string;
  status: string;
  owner: unknown;
  due_at: string | Date | null;
  evidence_note: string | null;
  evidence_link: string | null;
  reason: string | null;
  revision: number | string;
  created_at: string | Date;
  updated_at: string | Date;
  updated_by: unknown;
}

export function toObligationItem(row: ObligationItemRow): ObligationItem {
  const item: ObligationItem = {
    id: row.id,
    intakeId: row.intake_id,
    number: Number(row.number),
    source: row.source as ObligationSource,
    text: row.text,
    status: row.status as ObligationStatus,
    revision: Number(row.revision),
    createdAt: readTimestamp(row.created_at),
    updatedAt: readTimestamp(row.updated_at),
    updatedBy: readJson<ObligationItem['updatedBy']>(row.updated_by),
  };
  if (row.obligation_id !== null) item.obligationId = row.obligation_id;
  if (row.framework !== null) item.framework = row.framework;
  if (row.owner !== null && row.owner !== undefined) item.owner = readJson<Actor>(row.owner);
  if (row.due_at !== null) item.dueAt = readTimestamp(row.due_at);
  if (row.evidence_note !== null || row.evidence_link !== null) {
    item.evidence = {
      ...(row.evidence_note === null ? {} : { note: row.evidence_note }),
      ...(row.evidence_link === null ? {} : { link: row.evidence_link }),
    };
  }
  if (row.reason !== null) item.reason = row.reason;
  return item;
}

/** The column values of an item, in the order both stores insert and update them. */
export function obligationItemValues(item: ObligationItem, ownerKey: (actor: Actor) => string): unknown[] {
  return [
    item.id,
    item.intakeId,
    item.number,
    item.source,
    item.obligationId ?? null,
    item.framework ?? null,
    item.text,
    item.status,
    item.owner === undefined ? null : JSON.stringify(item.owner),
    item.owner === undefined ? null : ownerKey(item.owner),
    item.dueAt ?? null,
    item.evidence?.note ?? null,
    item.evidence?.link ?? null,
    item.reason ?? null,
    item.revision,
    item.createdAt,
    item.updatedAt,
    JSON.stringify(item.updatedBy),
  ];
}

/** Column names matching `obligationItemValues`. */
export const obligationItemColumns = [
  'id',
  'intake_id',
  'number',
  'source',
  'obligation_id',
  'framework',
  'text',
  'status',
  'owner',
  'owner_key',
  'due_at',
  'evidence_note',
  'evidence_link',
  'reason',
  'revision',
  'created_at',
  'updated_at',
  'updated_by',
] as const;

/** A notification row as read from either database. */
export interface NotificationRow {
  key: string;
  kind: string;
  target: string;
  intake_id: string | null;
  payload: unknown;
  created_at: string | Date;
  attempts: number | string;
}

export function toNotification(row: NotificationRow): Notification {
  return {
    key: row.key,
    kind: row.kind as Notification['kind'],
    target: row.target,
    ...(row.intake_id === null ? {} : { intakeId: row.intake_id }),
    payload: readJson<Record<string, unknown>>(row.payload),
    createdAt: readTimestamp(row.created_at),
    attempts: Number(row.attempts),
  };
}

/** Finished notifications are kept this long (long enough to keep one digest a day per person), then pruned. */
export const finishedNotificationTtlMilliseconds = 30 * 24 * 60 * 60 * 1000;

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
