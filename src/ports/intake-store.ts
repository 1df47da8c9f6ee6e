// The durable store port. SQLite (default) and PostgreSQL implement it and pass one contract suite.
// Every write is transactional: a submission either lands whole (intake + audit entries) or not at all.
import type { Actor } from '../core/actor.js';
import type { IntakeDrift } from '../core/review/audit-reconciliation.js';
import type { Decision, IntakeRecord, IntakeStatus, ReviewMessageRef } from '../core/review/review-types.js';

export interface AuditEntryInput {
  /** What happened: `intake.submitted`, `intake.classified`, `intake.decided`, `intake.attested`, `decision.refused`, … */
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
  audit: AuditEntryInput[];
}

export interface IntakeListQuery {
  status?: IntakeStatus[];
  submittedBy?: Actor;
  limit?: number;
  /** `oldest` first (submission order, the default) or `newest` first. */
  order?: 'oldest' | 'newest';
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
  /** Applies a decision atomically (compare-and-set on status) with its audit entries. */
  recordDecision(update: DecisionUpdate): Promise<IntakeRecord>;
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
