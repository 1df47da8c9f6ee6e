// The durable store port. SQLite (default) and PostgreSQL implement it and pass one contract suite.
// Every write is transactional: a submission either lands whole (intake + audit entries) or not at all.
import type { Actor } from '../core/actor.js';
import type { IntakeDrift } from '../core/review/audit-reconciliation.js';
import type { ObligationItem, ObligationStatus } from '../core/review/obligation-types.js';
import type { Decision, IntakeRecord, IntakeStatus, ReviewMessageRef } from '../core/review/review-types.js';

export interface AuditEntryInput {
  /**
   * What happened: `intake.submitted`, `intake.classified`, `intake.decided`, `intake.attested`,
   * `decision.refused`, `obligations.created`, `obligation.updated`, `review.due`, …
   */
  action: string;
  actor: Actor | { channel: 'system'; id: string };
  /** Intake concerned, if any. */
  intakeId?: string;
  /** Details (no secrets). Stored as canonical JSON and covered by the hash. */
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  /** 1, 2, 3 … without gaps. */
  sequence: number;
  at: string;
  /** SHA-256 of the previous entry (`0` × 64 for the first). */
  previousHash: string;
  /** SHA-256 over sequence, at, action, actor, intakeId, details and previousHash. */
  hash: string;
}

export interface AuditVerification {
  /** True when the chain is intact, every intake matches it, and the expected head (if given) is in it. */
  ok: boolean;
  /** How many entries the trail holds (all of them are read, even past a broken one). */
  entries: number;
  /** The first entry whose hash or link does not match, when the chain is broken. */
  firstBrokenSequence?: number;
  /** Why the chain is broken, when it is. */
  reason?: string;
  /** The latest entry: anchor its hash outside the database to detect a truncated tail later. */
  head?: { sequence: number; hash: string };
  /** How many stored intakes were reconciled with the trail. */
  intakes: number;
  /** How many stored obligation items were reconciled with the trail. */
  obligationItems: number;
  /** Intakes whose stored state differs from the trail (at most the first 1000). */
  drift: IntakeDrift[];
  /** How many differences were found in all (`drift` may hold fewer). */
  driftCount: number;
  /** The outcome for `expectHead`, when one was given. */
  expectedHead?: { hash: string; found: boolean; sequence?: number };
}

export interface AuditVerifyOptions {
  /**
   * A head hash anchored earlier (`shishin audit head`). The trail must still hold an entry with this
   * hash; when it does not, entries were removed from the end or the chain was rewritten.
   */
  expectHead?: string;
}

export interface NewIntake {
  record: Omit<IntakeRecord, 'updatedAt'>;
  /** Audit entries written in the same transaction. */
  audit: AuditEntryInput[];
}

export interface DecisionUpdate {
  intakeId: string;
  /** The status the caller saw; the update fails with `conflict` if it changed meanwhile. */
  expectedStatus: IntakeStatus;
  status: IntakeStatus;
  decision: Decision;
  decidedBy: Actor;
  decidedAt: string;
  comment?: string;
  /** The next review an approval schedules; undefined clears it. */
  nextReviewAt?: string;
  /** Obligation items the decision creates (an approval's checklist and conditions), written with it. */
  newItems?: ObligationItem[];
  audit: AuditEntryInput[];
}

export interface IntakeListQuery {
  status?: IntakeStatus[];
  submittedBy?: Actor;
  /** Only intakes whose next review is at or before this time. */
  reviewDueBy?: string;
  /** Only intakes with no next review date. */
  withoutNextReview?: boolean;
  limit?: number;
  /** `oldest` first (submission order, the default) or `newest` first. */
  order?: 'oldest' | 'newest';
}

export interface ObligationItemQuery {
  /** Items of these intakes only. */
  intakeIds?: string[];
  /** Items owned by this `channel:id`. */
  ownerKey?: string;
  status?: ObligationStatus[];
  /** Only items with a due date at or before this time. */
  dueBy?: string;
}

export interface ObligationItemUpdate {
  /** The item's new state; its revision must be `expectedRevision + 1`. */
  item: ObligationItem;
  /** The revision the caller changed; the update fails with `conflict` if it moved on meanwhile. */
  expectedRevision: number;
  audit: AuditEntryInput[];
}

/** Schedules the first review of an intake approved before reviews were scheduled, with its items. */
export interface ReviewScheduleUpdate {
  intakeId: string;
  /** The approved status the caller saw; `conflict` when it changed, or when a review date was set meanwhile. */
  expectedStatus: IntakeStatus;
  nextReviewAt: string;
  updatedAt: string;
  newItems: ObligationItem[];
  audit: AuditEntryInput[];
}

export interface ReviewDueUpdate {
  intakeId: string;
  /** The approved status the caller saw; `conflict` when it changed. */
  expectedStatus: IntakeStatus;
  /** The next review date the caller saw; `conflict` when it changed (a newer decision). */
  expectedNextReviewAt: string;
  updatedAt: string;
  audit: AuditEntryInput[];
  /** Reminders to send, queued in the same transaction (see `claimNotifications`). */
  notifications: NewNotification[];
}

/**
 * A reminder waiting to be sent (an outbox row). Queued in the same transaction as what caused it;
 * sent by whichever replica claims it, so it survives restarts and goes out once across replicas.
 */
export interface NewNotification {
  /** Unique: a second notification with the same key is not queued (e.g. one digest per person per day). */
  key: string;
  kind: 'review_due' | 'obligation_digest';
  /** `review:<channel>` (the governance conversation of a chat door) or `person:<channel:id>`. */
  target: string;
  intakeId?: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface Notification extends NewNotification {
  /** Claims so far (this one included). */
  attempts: number;
}

export interface NotificationClaim {
  /** Who claims (one id per scheduler); only it may finish the claimed notifications. */
  claimant: string;
  now: string;
  /** The claim lapses then: a claimant that died meanwhile leaves the notification to another. */
  leaseUntil: string;
  limit: number;
}

export interface NotificationResult {
  key: string;
  claimant: string;
  /** `sent`, `skipped` (nothing left to say), `unreachable` (no way to reach the person) or `failed`. */
  outcome: 'sent' | 'skipped' | 'unreachable' | 'failed';
  at: string;
  /** For a failure worth retrying: when it may be claimed again. Without it the notification is finished. */
  retryAt?: string;
}

export interface AuditListOptions {
  intakeId?: string;
  /** Only entries with a sequence above this one. */
  afterSequence?: number;
  limit?: number;
  /** `ascending` sequence (the default) or `descending` (latest first, e.g. for `audit list`). */
  order?: 'ascending' | 'descending';
}

export interface Feedback {
  answerId: string;
  actor: Actor;
  rating: 'up' | 'down';
  comment?: string;
  at: string;
}

export interface IntakeStore {
  /** Which implementation, for start-up lines and readiness (`sqlite:/path`, `postgres`). */
  readonly description: string;
  /** Creates tables / runs migrations. Idempotent; safe when several replicas start at once. */
  migrate(): Promise<void>;
  /**
   * Inserts an intake unless one with the same idempotency key exists; returns the stored record and
   * whether it was created now. Atomic across processes sharing the database.
   */
  createIntake(intake: NewIntake): Promise<{ record: IntakeRecord; created: boolean }>;
  getIntake(id: string): Promise<IntakeRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<IntakeRecord | undefined>;
  listIntakes(query?: IntakeListQuery): Promise<IntakeRecord[]>;
  /**
   * Applies a decision atomically (compare-and-set on status) with its audit entries, its next
   * review date and the obligation items it creates.
   */
  recordDecision(update: DecisionUpdate): Promise<IntakeRecord>;
  /** Obligation items, by intake (submission order) and number. */
  listObligationItems(query?: ObligationItemQuery): Promise<ObligationItem[]>;
  getObligationItem(id: string): Promise<ObligationItem | undefined>;
  /** Replaces an item's state (compare-and-set on its revision) with its audit entries. `not_found`, `conflict`. */
  updateObligationItem(update: ObligationItemUpdate): Promise<ObligationItem>;
  /**
   * Puts an approved intake whose next review date passed back in the queue (`review_due`), with its
   * audit entries and queued reminders, in one transaction; compare-and-set on the status and the
   * date, so of several replicas exactly one succeeds (`conflict` for the others).
   */
  markReviewDue(update: ReviewDueUpdate): Promise<IntakeRecord>;
  /**
   * Sets the next review date of an approved intake that has none, with the items and audit entries
   * of that upgrade, in one transaction (compare-and-set: status unchanged, date still unset).
   */
  scheduleReview(update: ReviewScheduleUpdate): Promise<IntakeRecord>;
  /** Queues notifications whose key is new; returns how many were queued. */
  enqueueNotifications(notifications: NewNotification[]): Promise<number>;
  /**
   * Claims up to `limit` unfinished notifications nobody holds (or whose claim lapsed), oldest
   * first. Two claimants, in this process or another replica, never get the same one at once.
   */
  claimNotifications(claim: NotificationClaim): Promise<Notification[]>;
  /** Records the outcome of a claimed notification; false when the claim was lost meanwhile. */
  finishNotification(result: NotificationResult): Promise<boolean>;
  /** Remembers where a review message was posted (for in-place updates). */
  addReviewMessage(intakeId: string, reference: ReviewMessageRef): Promise<void>;
  /** Appends audit entries on their own (e.g. refused attempts). */
  appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]>;
  listAudit(options?: AuditListOptions): Promise<AuditEntry[]>;
  /**
   * Walks the hash chain and reconciles every stored intake's content, tier, status, decision,
   * decider and comment with the entries, all from one consistent snapshot.
   */
  verifyAudit(options?: AuditVerifyOptions): Promise<AuditVerification>;
  /**
   * Records a chat event id; returns true the first time it is seen, false for a repeat.
   * Holds across replicas. Old keys may be pruned after `ttlSeconds`.
   */
  claimEvent(channel: string, eventId: string, ttlSeconds?: number): Promise<boolean>;
  saveFeedback(feedback: Feedback): Promise<void>;
  /** Small key-value settings, e.g. a captured Teams conversation reference. */
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
