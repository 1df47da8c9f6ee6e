// The SQLite implementation of the IntakeStore port (the default): one file `DATA_DIR/shishin.db`,
// WAL journal, busy timeout, every write in one `BEGIN IMMEDIATE` transaction. better-sqlite3 is
// synchronous, so a transaction can never interleave with another call in this process; other
// processes sharing the file wait on the write lock (busy_timeout).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { actorKey } from '../../core/actor.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { ShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditListOptions,
  AuditVerification,
  AuditVerifyOptions,
  DecisionUpdate,
  Feedback,
  IntakeListQuery,
  IntakeStore,
  NewIntake,
  NewNotification,
  Notification,
  NotificationClaim,
  NotificationResult,
  ObligationItemQuery,
  ObligationItemUpdate,
  ReviewDueUpdate,
  ReviewScheduleUpdate,
} from '../../ports/intake-store.js';
import type { ObligationItem } from '../../core/review/obligation-types.js';
import type { ReviewMessageRef } from '../../core/review/review-types.js';
import { attestationAuditEntry } from '../../core/review/intake-audit.js';
import { AuditTrailVerifier, canonicalJson, chainAuditEntry } from './audit-chain.js';
import {
  defaultEventTtlSeconds,
  eventPruneIntervalMilliseconds,
  finishedNotificationTtlMilliseconds,
  groupReviewMessages,
  obligationItemColumns,
  obligationItemValues,
  storedIntakeColumns,
  toAuditEntry,
  toIntakeRecord,
  toNotification,
  toObligationItem,
  type AuditRow,
  type IntakeRow,
  type NotificationRow,
  type ObligationItemRow,
  type ReviewMessageRow,
  verificationPageSize,
} from './intake-rows.js';
import { sqliteMigrations } from './sqlite-migrations.js';
import {
  alreadySuperseded,
  idTaken,
  intakeMissing,
  itemMissing,
  previousMissing,
  reviewConflict,
  revisionConflict,
  statusConflict,
  unavailable,
} from './store-errors.js';
import type { StoreHooks } from './store-hooks.js';

export interface SqliteStoreOptions {
  /** Database file; created (with its folder) when missing. */
  file: string;
  logger: Logger;
  clock?: Clock;
  /** How long a writer waits for another process's write lock before giving up (ms). */
  busyTimeoutMs?: number;
  hooks?: StoreHooks;
}

/** Errors that mean "try again later" rather than a bug: lock timeouts, I/O, a full disk. */
function isUnavailableError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/.test(code);
}

export class SqliteIntakeStore implements IntakeStore {
  readonly description: string;
  private readonly database: Database.Database;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hooks: StoreHooks;
  private lastPrune = 0;

  constructor(options: SqliteStoreOptions) {
    this.description = `sqlite:${options.file}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ component: 'sqlite-store' });
    this.hooks = options.hooks ?? {};
    try {
      fs.mkdirSync(path.dirname(options.file), { recursive: true });
      this.database = new Database(options.file);
      this.database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      this.database.pragma('journal_mode = WAL');
      this.database.pragma('foreign_keys = ON');
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Runs `work` and translates driver errors that mean "unavailable". */
  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof ShishinError) throw error;
      if (isUnavailableError(error)) {
        this.logger.error({ err: error }, 'sqlite unavailable');
        throw unavailable(error);
      }
      throw error;
    }
  }

  private write<T>(work: () => T): T {
    return this.run(() => this.database.transaction(work).immediate());
  }

  async migrate(): Promise<void> {
    this.write(() => {
      this.database.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const applied = new Set(
        (this.database.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
      );
      for (const migration of sqliteMigrations) {
        if (applied.has(migration.version)) continue;
        if (migration.sql !== '') this.database.exec(migration.sql);
        if (migration.step === 'attest-intake-content') this.attestStoredIntakes();
        this.database
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, this.clock.now().toISOString());
        this.logger.info({ version: migration.version }, 'applied migration');
      }
    });
  }

  async createIntake(intake: NewIntake): Promise<{ record: IntakeRecord; created: boolean }> {
    const { record } = intake;
    return this.write(() => {
      let inserted: number;
      try {
        inserted = this.database
          .prepare(
            `INSERT INTO intakes (id, version, previous_id, input, classification, tier, flagged, status, submitted_by,
               submitted_by_key, submitted_at, decided_by, decided_at, decision, decision_comment, idempotency_key, updated_at,
               next_review_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (idempotency_key) DO NOTHING`,
          )
          .run(
            record.id,
            record.version,
            record.previousId ?? null,
            JSON.stringify(record.input),
            JSON.stringify(record.classification),
            record.classification.tier,
            record.classification.flagged ? 1 : 0,
            record.status,
            JSON.stringify(record.submittedBy),
            actorKey(record.submittedBy),
            record.submittedAt,
            record.decidedBy === undefined ? null : JSON.stringify(record.decidedBy),
            record.decidedAt ?? null,
            record.decision ?? null,
            record.decisionComment ?? null,
            record.idempotencyKey,
            record.submittedAt,
            record.nextReviewAt ?? null,
          ).changes;
      } catch (error) {
        throw translateInsertConflict(error, record.id, record.previousId);
      }
      if (inserted === 0) {
        const existing = this.selectIntakeByKey(record.idempotencyKey);
        if (existing === undefined) throw new Error('idempotency conflict without a stored row');
        return { record: existing, created: false };
      }
      for (const reference of record.reviewMessages) this.insertReviewMessage(record.id, reference);
      this.appendAuditInTransaction(intake.audit);
      this.hooks.insideTransaction?.('createIntake');
      const stored = this.selectIntake(record.id);
      if (stored === undefined) throw new Error('inserted intake not found');
      return { record: stored, created: true };
    });
  }

  async getIntake(id: string): Promise<IntakeRecord | undefined> {
    return this.run(() => this.selectIntake(id));
  }

  async findByIdempotencyKey(key: string): Promise<IntakeRecord | undefined> {
    return this.run(() => this.selectIntakeByKey(key));
  }

  async listIntakes(query: IntakeListQuery = {}): Promise<IntakeRecord[]> {
    return this.run(() => {
      const conditions: string[] = [];
      const parameters: unknown[] = [];
      if (query.status !== undefined) {
        if (query.status.length === 0) return [];
        conditions.push(`status IN (${query.status.map(() => '?').join(', ')})`);
        parameters.push(...query.status);
      }
      if (query.submittedBy !== undefined) {
        conditions.push('submitted_by_key = ?');
        parameters.push(actorKey(query.submittedBy));
      }
      if (query.reviewDueBy !== undefined) {
        conditions.push('next_review_at IS NOT NULL AND next_review_at <= ?');
        parameters.push(query.reviewDueBy);
      }
      if (query.withoutNextReview === true) conditions.push('next_review_at IS NULL');
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const order = query.order === 'newest' ? 'DESC' : 'ASC';
      const limit = query.limit === undefined ? '' : 'LIMIT ?';
      if (query.limit !== undefined) parameters.push(query.limit);
      const rows = this.database
        .prepare(`SELECT * FROM intakes ${where} ORDER BY position ${order} ${limit}`)
        .all(...parameters) as IntakeRow[];
      return this.withReviewMessages(rows);
    });
  }

  async recordDecision(update: DecisionUpdate): Promise<IntakeRecord> {
    return this.write(() => {
      const changed = this.database
        .prepare(
          `UPDATE intakes SET status = ?, decision = ?, decided_by = ?, decided_at = ?, decision_comment = ?, updated_at = ?,
             next_review_at = ?
           WHERE id = ? AND status = ?`,
        )
        .run(
          update.status,
          update.decision,
          JSON.stringify(update.decidedBy),
          update.decidedAt,
          update.comment ?? null,
          update.decidedAt,
          update.nextReviewAt ?? null,
          update.intakeId,
          update.expectedStatus,
        ).changes;
      if (changed === 0) {
        const current = this.selectIntake(update.intakeId);
        if (current === undefined) throw intakeMissing(update.intakeId);
        throw statusConflict(update.intakeId, update.expectedStatus, current.status);
      }
      for (const item of update.newItems ?? []) this.insertObligationItem(item);
      this.appendAuditInTransaction(update.audit);
      this.hooks.insideTransaction?.('recordDecision');
      const stored = this.selectIntake(update.intakeId);
      if (stored === undefined) throw new Error('decided intake not found');
      return stored;
    });
  }

  async listObligationItems(query: ObligationItemQuery = {}): Promise<ObligationItem[]> {
    return this.run(() => {
      const conditions: string[] = [];
      const parameters: unknown[] = [];
      if (query.ownerKey !== undefined) {
        conditions.push('o.owner_key = ?');
        parameters.push(query.ownerKey);
      }
      if (query.status !== undefined) {
        if (query.status.length === 0) return [];
        conditions.push(`o.status IN (${query.status.map(() => '?').join(', ')})`);
        parameters.push(...query.status);
      }
      if (query.dueBy !== undefined) {
        conditions.push('o.due_at IS NOT NULL AND o.due_at <= ?');
        parameters.push(query.dueBy);
      }
      const select = (extra: string[], values: unknown[]) => {
        const all = [...conditions, ...extra];
        const where = all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
        return this.database
          .prepare(`SELECT o.*, i.position AS intake_position FROM obligation_items o JOIN intakes i ON i.id = o.intake_id ${where} ORDER BY i.position, o.number`)
          .all(...parameters, ...values) as Array<ObligationItemRow & { intake_position: number }>;
      };
      if (query.intakeIds === undefined) return select([], []).map(toObligationItem);
      const rows: Array<ObligationItemRow & { intake_position: number }> = [];
      // Chunked to stay well under SQLite's bound-parameter limit.
      for (let start = 0; start < query.intakeIds.length; start += 500) {
        const ids = query.intakeIds.slice(start, start + 500);
        rows.push(...select([`o.intake_id IN (${ids.map(() => '?').join(', ')})`], ids));
      }
      rows.sort((left, right) => left.intake_position - right.intake_position || Number(left.number) - Number(right.number));
      return rows.map(toObligationItem);
    });
  }

  async getObligationItem(id: string): Promise<ObligationItem | undefined> {
    return this.run(() => {
      const row = this.database.prepare('SELECT * FROM obligation_items WHERE id = ?').get(id) as ObligationItemRow | undefined;
      return row === undefined ? undefined : toObligationItem(row);
    });
  }

  async updateObligationItem(update: ObligationItemUpdate): Promise<ObligationItem> {
    const { item } = update;
    return this.write(() => {
      const values = obligationItemValues(item, actorKey);
      const assignments = obligationItemColumns.map((column) => `${column} = ?`).join(', ');
      const changed = this.database
        .prepare(`UPDATE obligation_items SET ${assignments} WHERE id = ? AND revision = ?`)
        .run(...values, item.id, update.expectedRevision).changes;
      if (changed === 0) {
        const current = this.database.prepare('SELECT revision FROM obligation_items WHERE id = ?').get(item.id) as { revision: number } | undefined;
        if (current === undefined) throw itemMissing(item.id);
        throw revisionConflict(item.id);
      }
      this.appendAuditInTransaction(update.audit);
      const row = this.database.prepare('SELECT * FROM obligation_items WHERE id = ?').get(item.id) as ObligationItemRow | undefined;
      if (row === undefined) throw new Error('updated item not found');
      return toObligationItem(row);
    });
  }

  async markReviewDue(update: ReviewDueUpdate): Promise<IntakeRecord> {
    return this.write(() => {
      const changed = this.database
        .prepare(`UPDATE intakes SET status = 'review_due', updated_at = ? WHERE id = ? AND status = ? AND next_review_at = ?`)
        .run(update.updatedAt, update.intakeId, update.expectedStatus, update.expectedNextReviewAt).changes;
      if (changed === 0) {
        const current = this.selectIntake(update.intakeId);
        if (current === undefined) throw intakeMissing(update.intakeId);
        throw reviewConflict(update.intakeId, current.status);
      }
      this.insertNotifications(update.notifications);
      this.appendAuditInTransaction(update.audit);
      const stored = this.selectIntake(update.intakeId);
      if (stored === undefined) throw new Error('intake not found after marking its review due');
      return stored;
    });
  }

  async scheduleReview(update: ReviewScheduleUpdate): Promise<IntakeRecord> {
    return this.write(() => {
      const changed = this.database
        .prepare('UPDATE intakes SET next_review_at = ?, updated_at = ? WHERE id = ? AND status = ? AND next_review_at IS NULL')
        .run(update.nextReviewAt, update.updatedAt, update.intakeId, update.expectedStatus).changes;
      if (changed === 0) {
        const current = this.selectIntake(update.intakeId);
        if (current === undefined) throw intakeMissing(update.intakeId);
        throw reviewConflict(update.intakeId, current.status);
      }
      for (const item of update.newItems) this.insertObligationItem(item);
      this.appendAuditInTransaction(update.audit);
      const stored = this.selectIntake(update.intakeId);
      if (stored === undefined) throw new Error('intake not found after scheduling its review');
      return stored;
    });
  }

  async enqueueNotifications(notifications: NewNotification[]): Promise<number> {
    if (notifications.length === 0) return 0;
    return this.write(() => this.insertNotifications(notifications));
  }

  async claimNotifications(claim: NotificationClaim): Promise<Notification[]> {
    return this.write(() => {
      // The write transaction is the lock: no other process claims between this read and the update.
      const prunedBefore = new Date(Date.parse(claim.now) - finishedNotificationTtlMilliseconds).toISOString();
      this.database.prepare('DELETE FROM notifications WHERE finished_at IS NOT NULL AND finished_at < ?').run(prunedBefore);
      const rows = this.database
        .prepare(
          `SELECT * FROM notifications WHERE finished_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)
           ORDER BY created_at, key LIMIT ?`,
        )
        .all(claim.now, claim.limit) as NotificationRow[];
      const mark = this.database.prepare('UPDATE notifications SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 WHERE key = ?');
      for (const row of rows) mark.run(claim.claimant, claim.leaseUntil, row.key);
      return rows.map((row) => ({ ...toNotification(row), attempts: Number(row.attempts) + 1 }));
    });
  }

  async finishNotification(result: NotificationResult): Promise<boolean> {
    return this.write(() => {
      const statement =
        result.retryAt === undefined
          ? this.database
              .prepare('UPDATE notifications SET finished_at = ?, outcome = ?, claimed_by = NULL, claimed_until = NULL WHERE key = ? AND claimed_by = ? AND finished_at IS NULL')
              .bind(result.at, result.outcome, result.key, result.claimant)
          : this.database
              .prepare('UPDATE notifications SET outcome = ?, claimed_by = NULL, claimed_until = ? WHERE key = ? AND claimed_by = ? AND finished_at IS NULL')
              .bind(result.outcome, result.retryAt, result.key, result.claimant);
      return statement.run().changes === 1;
    });
  }

  async addReviewMessage(intakeId: string, reference: ReviewMessageRef): Promise<void> {
    this.write(() => {
      const exists = this.database.prepare('SELECT 1 FROM intakes WHERE id = ?').get(intakeId);
      if (exists === undefined) throw intakeMissing(intakeId);
      this.insertReviewMessage(intakeId, reference);
    });
  }

  async appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]> {
    return this.write(() => this.appendAuditInTransaction(entries));
  }

  async listAudit(options: AuditListOptions = {}): Promise<AuditEntry[]> {
    return this.run(() => {
      const conditions: string[] = [];
      const parameters: unknown[] = [];
      if (options.intakeId !== undefined) {
        conditions.push('intake_id = ?');
        parameters.push(options.intakeId);
      }
      if (options.afterSequence !== undefined) {
        conditions.push('sequence > ?');
        parameters.push(options.afterSequence);
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const order = options.order === 'descending' ? 'DESC' : 'ASC';
      const limit = options.limit === undefined ? '' : 'LIMIT ?';
      if (options.limit !== undefined) parameters.push(options.limit);
      const rows = this.database
        .prepare(`SELECT * FROM audit_entries ${where} ORDER BY sequence ${order} ${limit}`)
        .all(...parameters) as AuditRow[];
      return rows.map(toAuditEntry);
    });
  }

  async verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    // One read transaction: in WAL mode every page sees the same snapshot, so a write landing
    // meanwhile can never look like drift between an intake and its entries.
    return this.run(() =>
      this.database.transaction(() => {
        const verifier = new AuditTrailVerifier(options);
        const entries = this.database.prepare('SELECT * FROM audit_entries WHERE sequence > ? ORDER BY sequence LIMIT ?');
        for (let after = 0; ; ) {
          const rows = entries.all(after, verificationPageSize) as AuditRow[];
          for (const row of rows) verifier.addEntry(toAuditEntry(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.sequence);
        }
        const intakes = this.database.prepare('SELECT * FROM intakes WHERE position > ? ORDER BY position LIMIT ?');
        for (let after = 0; ; ) {
          const rows = intakes.all(after, verificationPageSize) as IntakeRow[];
          for (const row of rows) verifier.addIntake(toIntakeRecord(row, []), storedIntakeColumns(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.position);
        }
        const items = this.database.prepare('SELECT * FROM obligation_items WHERE position > ? ORDER BY position LIMIT ?');
        for (let after = 0; ; ) {
          const rows = items.all(after, verificationPageSize) as ObligationItemRow[];
          for (const row of rows) verifier.addObligationItem(toObligationItem(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.position);
        }
        return verifier.result();
      }).deferred(),
    );
  }

  async claimEvent(channel: string, eventId: string, ttlSeconds = defaultEventTtlSeconds): Promise<boolean> {
    const now = this.clock.now();
    const nowText = now.toISOString();
    return this.write(() => {
      if (now.getTime() - this.lastPrune >= eventPruneIntervalMilliseconds) {
        this.lastPrune = now.getTime();
        this.database.prepare('DELETE FROM processed_events WHERE expires_at <= ?').run(nowText);
      } else {
        this.database.prepare('DELETE FROM processed_events WHERE channel = ? AND event_id = ? AND expires_at <= ?').run(channel, eventId, nowText);
      }
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
      const inserted = this.database
        .prepare('INSERT INTO processed_events (channel, event_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .run(channel, eventId, expiresAt).changes;
      return inserted === 1;
    });
  }

  async saveFeedback(feedback: Feedback): Promise<void> {
    this.write(() => {
      this.database
        .prepare(
          `INSERT INTO answer_feedback (answer_id, actor_key, actor, rating, comment, at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (answer_id, actor_key) DO UPDATE SET actor = excluded.actor, rating = excluded.rating,
             comment = excluded.comment, at = excluded.at`,
        )
        .run(feedback.answerId, actorKey(feedback.actor), JSON.stringify(feedback.actor), feedback.rating, feedback.comment ?? null, feedback.at);
    });
  }

  async getSetting(key: string): Promise<unknown> {
    return this.run(() => {
      const row = this.database.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    });
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (value === undefined) throw new ShishinError('input_invalid', `Setting ${key} needs a JSON value.`);
    this.write(() => {
      this.database
        .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
        .run(key, JSON.stringify(value), this.clock.now().toISOString());
    });
  }

  async ping(): Promise<void> {
    this.run(() => this.database.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.database.open) this.database.close();
  }

  private selectIntake(id: string): IntakeRecord | undefined {
    const row = this.database.prepare('SELECT * FROM intakes WHERE id = ?').get(id) as IntakeRow | undefined;
    return row === undefined ? undefined : this.withReviewMessages([row])[0];
  }

  private selectIntakeByKey(key: string): IntakeRecord | undefined {
    const row = this.database.prepare('SELECT * FROM intakes WHERE idempotency_key = ?').get(key) as IntakeRow | undefined;
    return row === undefined ? undefined : this.withReviewMessages([row])[0];
  }

  private withReviewMessages(rows: IntakeRow[]): IntakeRecord[] {
    if (rows.length === 0) return [];
    const messageRows: ReviewMessageRow[] = [];
    // Chunked to stay well under SQLite's bound-parameter limit.
    for (let start = 0; start < rows.length; start += 500) {
      const ids = rows.slice(start, start + 500).map((row) => row.id);
      messageRows.push(
        ...(this.database
          .prepare(`SELECT intake_id, channel, reference FROM review_messages WHERE intake_id IN (${ids.map(() => '?').join(', ')}) ORDER BY position`)
          .all(...ids) as ReviewMessageRow[]),
      );
    }
    const grouped = groupReviewMessages(messageRows);
    return rows.map((row) => toIntakeRecord(row, grouped.get(row.id) ?? []));
  }

  private insertObligationItem(item: ObligationItem): void {
    this.database
      .prepare(`INSERT INTO obligation_items (${obligationItemColumns.join(', ')}) VALUES (${obligationItemColumns.map(() => '?').join(', ')})`)
      .run(...obligationItemValues(item, actorKey));
  }

  /** Inside a write transaction: inserts the notifications whose key is new; returns how many. */
  private insertNotifications(notifications: NewNotification[]): number {
    const insert = this.database.prepare(
      'INSERT INTO notifications (key, kind, target, intake_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
    );
    let inserted = 0;
    for (const notification of notifications) {
      inserted += insert.run(
        notification.key,
        notification.kind,
        notification.target,
        notification.intakeId ?? null,
        JSON.stringify(notification.payload),
        notification.createdAt,
      ).changes;
    }
    return inserted;
  }

  private insertReviewMessage(intakeId: string, reference: ReviewMessageRef): void {
    this.database
      .prepare('INSERT INTO review_messages (intake_id, channel, reference, created_at) VALUES (?, ?, ?, ?)')
      .run(intakeId, reference.channel, JSON.stringify(reference.reference), this.clock.now().toISOString());
  }

  /** Migration step: one `intake.attested` entry per stored intake (inside the migration's transaction). */
  private attestStoredIntakes(): void {
    const rows = this.database.prepare('SELECT * FROM intakes ORDER BY position').all() as IntakeRow[];
    if (rows.length === 0) return;
    this.appendAuditInTransaction(rows.map((row) => attestationAuditEntry(toIntakeRecord(row, []))));
    this.logger.info({ intakes: rows.length }, 'attested the content of intakes stored before content hashing');
  }

  /** Must run inside the write transaction: the lock is what keeps the chain from forking. */
  private appendAuditInTransaction(entries: AuditEntryInput[]): AuditEntry[] {
    const appended: AuditEntry[] = [];
    let previous = this.database.prepare('SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1').get() as
      | { sequence: number; hash: string }
      | undefined;
    const insert = this.database.prepare(
      'INSERT INTO audit_entries (sequence, at, action, actor, intake_id, details, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const input of entries) {
      const entry = chainAuditEntry(input, previous, this.clock.now().toISOString());
      insert.run(entry.sequence, entry.at, entry.action, canonicalJson(entry.actor), entry.intakeId ?? null, canonicalJson(entry.details), entry.previousHash, entry.hash);
      appended.push(entry);
      previous = entry;
    }
    return appended;
  }
}

/** Turns a constraint failure on insert into the error the service can act on. */
function translateInsertConflict(error: unknown, id: string, previousId: string | undefined): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return previousMissing(previousId, error);
  const column = /constraint failed: \w+\.(\w+)/.exec((error as Error).message)?.[1];
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    if (column === 'id') return idTaken(id, error);
    if (column === 'previous_id') return alreadySuperseded(previousId, error);
  }
  return error;
}
