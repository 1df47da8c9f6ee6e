// The PostgreSQL implementation of the IntakeStore port, for several replicas sharing one database.
// A `pg` Pool (it replaces broken connections by itself once the server is back); every write in
// one transaction; idempotency by a unique constraint with ON CONFLICT DO NOTHING; audit appends
// serialised by a transaction-scoped advisory lock, taken by the transaction's last statement (sent
// with the COMMIT, see appendAuditAndCommit), so it is held briefly and cannot deadlock with row locks.
import pg from 'pg';
import { actorKey } from '../../core/actor.js';
import type { IntakeRecord, ReviewMessageRef } from '../../core/review/review-types.js';
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
import { attestationAuditEntry } from '../../core/review/intake-audit.js';
import { AuditTrailVerifier, completeAuditEntry, prepareAuditEntry, type PreparedAuditEntry } from './audit-chain.js';
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
import { postgresMigrations } from './postgres-migrations.js';
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

export interface PostgresStoreOptions {
  connectionString: string;
  logger: Logger;
  /**
   * Schema to keep the tables in (created by `migrate()` when missing) instead of the connection's
   * default search_path. Lets several deployments or test runs share one database.
   */
  schema?: string;
  clock?: Clock;
  /** Pool size per process (default 10). */
  maxConnections?: number;
  /** The connections' `application_name`, as `pg_stat_activity` shows it (default `shishin`). */
  applicationName?: string;
  /** How long to wait for a connection before reporting the database unavailable (default 5000 ms). */
  connectionTimeoutMs?: number;
  /**
   * How long to wait for the answer to one statement before reporting the database unavailable
   * (default 15000 ms). Without it, a database that stops answering without closing the connection
   * (a network partition) would hold requests forever.
   */
  queryTimeoutMs?: number;
  hooks?: StoreHooks;
}

/** First key of the two-key advisory locks ("SHSN"); the second key is derived from the schema. */
const lockNamespace = 0x5348534e;
const migrationLock = 1;
const auditLock = 2;

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A connection found dead before anything was written on it; safe to retry on another. */
class StaleConnection extends Error {
  constructor(cause: unknown) {
    super('stale database connection', { cause });
  }
}

const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Errors that mean the server cannot be reached or went away, as opposed to a bad statement. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (connectionErrorCodes.has(code)) return true;
    // 08: connection exception; 57P01-03: server shutting down / starting; 53300: too many connections.
    if (/^(08...|57P0[123]|53300)$/.test(code)) return true;
  }
  return isQueryTimeout(error) || /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(error.message);
}

/** The client gave up waiting for an answer: the connection is unusable, and trying another is no quicker. */
function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Host, port and database of a connection string, without credentials, for start-up lines. */
function describeConnection(connectionString: string, schema: string | undefined): string {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.host}${url.pathname}${schema === undefined ? '' : ` (schema ${schema})`}`;
  } catch {
    return 'postgres';
  }
}

export class PostgresIntakeStore implements IntakeStore {
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hooks: StoreHooks;
  private readonly schema: string | undefined;
  /** Text hashed into the second advisory-lock key, so separate schemas do not block each other. */
  private readonly lockScope: string;
  private readonly maxConnections: number;
  private lastPrune = 0;
  /** Write transactions running now, at most `maxWrites`; the others wait in order (see transaction()). */
  private activeWrites = 0;
  private readonly maxWrites: number;
  private readonly waitingWrites: Array<() => void> = [];

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
      throw new ShishinError('config_invalid', 'The PostgreSQL schema name must be lower-case letters, digits and underscores.');
    }
    this.schema = options.schema;
    this.lockScope = options.schema ?? 'default';
    this.description = describeConnection(options.connectionString, options.schema);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ component: 'postgres-store' });
    this.hooks = options.hooks ?? {};
    this.maxConnections = options.maxConnections ?? 10;
    this.maxWrites = Math.max(1, Math.floor(this.maxConnections / 2));
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: this.maxConnections,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      query_timeout: options.queryTimeoutMs ?? 15_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'shishin',
      // A session cut off mid-transaction (say, by a partition) would keep the audit lock until the
      // server noticed; the idle-in-transaction timeout makes the server end it instead.
      options: [...(options.schema === undefined ? [] : [`-c search_path=${options.schema}`]), '-c idle_in_transaction_session_timeout=60000'].join(' '),
    });
    // An idle client losing its connection must not crash the process; the pool drops it and
    // opens a fresh one on the next query.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle database connection lost'));
  }

  private translate(error: unknown): unknown {
    if (error instanceof ShishinError) return error;
    if (isConnectionError(error)) {
      this.logger.error({ err: error }, 'postgres unavailable');
      return unavailable(error);
    }
    return error;
  }

  /** One statement outside a transaction: reads, and upserts that are safe to repeat. */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.read((client) => client.query<R>(text, values));
  }

  /**
   * At most a few write transactions of this process run at once. Every write that matters ends by
   * taking the audit lock, which orders the writers of all replicas anyway; queuing the rest here
   * instead of in the pool keeps lock waiters from holding every connection, so reads still get one
   * and a busy pool is never reported as a database outage.
   */
  private async transaction<T>(work: (client: pg.PoolClient, state: TransactionState) => Promise<T>): Promise<T> {
    if (this.activeWrites >= this.maxWrites) await new Promise<void>((resolve) => this.waitingWrites.push(resolve));
    else this.activeWrites += 1;
    try {
      return await this.runTransaction(work);
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waitingWrites.shift();
      if (next === undefined) this.activeWrites -= 1;
      else next();
    }
  }

  private async runTransaction<T>(work: (client: pg.PoolClient, state: TransactionState) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      try {
        await client.query('BEGIN');
      } catch (error) {
        // Nothing was sent yet: a pooled connection that died while idle can be swapped for a fresh one.
        throw isConnectionError(error) && !isQueryTimeout(error) ? new StaleConnection(error) : error;
      }
      const state: TransactionState = { committed: false };
      try {
        const result = await work(client, state);
        if (!state.committed) await client.query('COMMIT');
        return result;
      } catch (error) {
        // After a failed statement of a combined append-and-commit the transaction is still open
        // (aborted); after a failed COMMIT it is gone, and ROLLBACK only warns.
        if (!isConnectionError(error)) await client.query('ROLLBACK');
        throw error;
      }
    });
  }

  /** Work that only reads (or repeats safely): retried on a fresh connection if the first one was dead. */
  private read<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      try {
        return await work(client);
      } catch (error) {
        throw isConnectionError(error) && !isQueryTimeout(error) ? new StaleConnection(error) : error;
      }
    });
  }

  /**
   * Checks a client out for `work`. A lost connection surfaces as the pending query's rejection;
   * the listener only keeps the client's own 'error' event from going unhandled. A failed client is
   * destroyed rather than returned to the pool. StaleConnection failures are retried with another
   * client (idle connections the server dropped are only noticed when used).
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.translate(error);
      }
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        return await work(client);
      } catch (error) {
        const cause = error instanceof StaleConnection ? error.cause : error;
        if (isConnectionError(cause)) lost ??= cause as Error;
        if (error instanceof StaleConnection && attempt <= this.maxConnections) {
          this.logger.warn({ attempt }, 'database connection was dropped; retrying on a fresh one');
          continue;
        }
        throw this.translate(cause);
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockNamespace + migrationLock, this.lockScope]);
      if (this.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      );
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
      for (const migration of postgresMigrations) {
        if (applied.has(migration.version)) continue;
        if (migration.sql !== '') await client.query(migration.sql);
        if (migration.step === 'attest-intake-content') await this.attestStoredIntakes(client);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          this.clock.now().toISOString(),
        ]);
        this.logger.info({ version: migration.version }, 'applied migration');
      }
    });
  }

  async createIntake(intake: NewIntake): Promise<{ record: IntakeRecord; created: boolean }> {
    const { record } = intake;
    return this.transaction(async (client, state) => {
      let inserted: number;
      try {
        inserted =
          (
            await client.query(
              `INSERT INTO intakes (id, version, previous_id, input, classification, tier, flagged, status, submitted_by,
                 submitted_by_key, submitted_at, decided_by, decided_at, decision, decision_comment, idempotency_key, updated_at,
                 next_review_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $11, $17)
               ON CONFLICT ON CONSTRAINT intakes_idempotency_key DO NOTHING`,
              [
                record.id,
                record.version,
                record.previousId ?? null,
                JSON.stringify(record.input),
                JSON.stringify(record.classification),
                record.classification.tier,
                record.classification.flagged,
                record.status,
                JSON.stringify(record.submittedBy),
                actorKey(record.submittedBy),
                record.submittedAt,
                record.decidedBy === undefined ? null : JSON.stringify(record.decidedBy),
                record.decidedAt ?? null,
                record.decision ?? null,
                record.decisionComment ?? null,
                record.idempotencyKey,
                record.nextReviewAt ?? null,
              ],
            )
          ).rowCount ?? 0;
      } catch (error) {
        throw translateInsertConflict(error, record.id, record.previousId);
      }
      if (inserted === 0) {
        // Another transaction committed this key first; READ COMMITTED lets this statement see it.
        const existing = await selectIntakes(client, 'WHERE idempotency_key = $1', [record.idempotencyKey]);
        if (existing[0] === undefined) throw new Error('idempotency conflict without a stored row');
        return { record: existing[0], created: false };
      }
      for (const reference of record.reviewMessages) await this.insertReviewMessage(client, record.id, reference);
      // Read back before the audit append: the audit lock serialises every writer, and is taken
      // by the last statement, sent together with the commit.
      const stored = await selectIntakes(client, 'WHERE id = $1', [record.id]);
      if (stored[0] === undefined) throw new Error('inserted intake not found');
      this.hooks.insideTransaction?.('createIntake');
      await this.appendAuditAndCommit(client, state, intake.audit);
      return { record: stored[0], created: true };
    });
  }

  async getIntake(id: string): Promise<IntakeRecord | undefined> {
    return (await this.read((client) => selectIntakes(client, 'WHERE id = $1', [id])))[0];
  }

  async findByIdempotencyKey(key: string): Promise<IntakeRecord | undefined> {
    return (await this.read((client) => selectIntakes(client, 'WHERE idempotency_key = $1', [key])))[0];
  }

  async listIntakes(query: IntakeListQuery = {}): Promise<IntakeRecord[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (query.status !== undefined) {
      if (query.status.length === 0) return [];
      values.push(query.status);
      conditions.push(`status = ANY($${values.length}::text[])`);
    }
    if (query.submittedBy !== undefined) {
      values.push(actorKey(query.submittedBy));
      conditions.push(`submitted_by_key = $${values.length}`);
    }
    if (query.reviewDueBy !== undefined) {
      values.push(query.reviewDueBy);
      conditions.push(`next_review_at <= $${values.length}`);
    }
    if (query.withoutNextReview === true) conditions.push('next_review_at IS NULL');
    let clause = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    clause += ` ORDER BY position ${query.order === 'newest' ? 'DESC' : 'ASC'}`;
    if (query.limit !== undefined) {
      values.push(query.limit);
      clause += ` LIMIT $${values.length}`;
    }
    return this.read((client) => selectIntakes(client, clause, values));
  }

  async recordDecision(update: DecisionUpdate): Promise<IntakeRecord> {
    return this.transaction(async (client, state) => {
      const changed = await client.query(
        `UPDATE intakes SET status = $1, decision = $2, decided_by = $3, decided_at = $4, decision_comment = $5, updated_at = $4,
           next_review_at = $8
         WHERE id = $6 AND status = $7`,
        [
          update.status,
          update.decision,
          JSON.stringify(update.decidedBy),
          update.decidedAt,
          update.comment ?? null,
          update.intakeId,
          update.expectedStatus,
          update.nextReviewAt ?? null,
        ],
      );
      if (changed.rowCount === 0) {
        const current = await client.query<{ status: string }>('SELECT status FROM intakes WHERE id = $1', [update.intakeId]);
        const status = current.rows[0]?.status;
        if (status === undefined) throw intakeMissing(update.intakeId);
        throw statusConflict(update.intakeId, update.expectedStatus, status);
      }
      for (const item of update.newItems ?? []) await insertObligationItem(client, item);
      const stored = await selectIntakes(client, 'WHERE id = $1', [update.intakeId]);
      if (stored[0] === undefined) throw new Error('decided intake not found');
      this.hooks.insideTransaction?.('recordDecision');
      await this.appendAuditAndCommit(client, state, update.audit);
      return stored[0];
    });
  }

  async listObligationItems(query: ObligationItemQuery = {}): Promise<ObligationItem[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (query.intakeIds !== undefined) {
      if (query.intakeIds.length === 0) return [];
      values.push(query.intakeIds);
      conditions.push(`o.intake_id = ANY($${values.length}::text[])`);
    }
    if (query.ownerKey !== undefined) {
      values.push(query.ownerKey);
      conditions.push(`o.owner_key = $${values.length}`);
    }
    if (query.status !== undefined) {
      if (query.status.length === 0) return [];
      values.push(query.status);
      conditions.push(`o.status = ANY($${values.length}::text[])`);
    }
    if (query.dueBy !== undefined) {
      values.push(query.dueBy);
      conditions.push(`o.due_at <= $${values.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.query<ObligationItemRow>(
      `SELECT o.* FROM obligation_items o JOIN intakes i ON i.id = o.intake_id ${where} ORDER BY i.position, o.number`,
      values,
    );
    return rows.rows.map(toObligationItem);
  }

  async getObligationItem(id: string): Promise<ObligationItem | undefined> {
    const rows = await this.query<ObligationItemRow>('SELECT * FROM obligation_items WHERE id = $1', [id]);
    return rows.rows[0] === undefined ? undefined : toObligationItem(rows.rows[0]);
  }

  async updateObligationItem(update: ObligationItemUpdate): Promise<ObligationItem> {
    const { item } = update;
    return this.transaction(async (client, state) => {
      const values = obligationItemValues(item, actorKey);
      const assignments = obligationItemColumns.map((column, index) => `${column} = $${index + 1}`).join(', ');
      const changed = await client.query<ObligationItemRow>(
        `UPDATE obligation_items SET ${assignments} WHERE id = $${values.length + 1} AND revision = $${values.length + 2} RETURNING *`,
        [...values, item.id, update.expectedRevision],
      );
      const row = changed.rows[0];
      if (row === undefined) {
        const current = await client.query('SELECT 1 FROM obligation_items WHERE id = $1', [item.id]);
        if (current.rowCount === 0) throw itemMissing(item.id);
        throw revisionConflict(item.id);
      }
      await this.appendAuditAndCommit(client, state, update.audit);
      return toObligationItem(row);
    });
  }

  async markReviewDue(update: ReviewDueUpdate): Promise<IntakeRecord> {
    return this.transaction(async (client, state) => {
      // Under READ COMMITTED a second replica's UPDATE waits for the first one's row lock, then
      // re-checks the condition against the committed row: it no longer matches, so it changes nothing.
      const changed = await client.query(
        `UPDATE intakes SET status = 'review_due', updated_at = $1 WHERE id = $2 AND status = $3 AND next_review_at = $4`,
        [update.updatedAt, update.intakeId, update.expectedStatus, update.expectedNextReviewAt],
      );
      if (changed.rowCount === 0) {
        const current = await client.query<{ status: string }>('SELECT status FROM intakes WHERE id = $1', [update.intakeId]);
        const status = current.rows[0]?.status;
        if (status === undefined) throw intakeMissing(update.intakeId);
        throw reviewConflict(update.intakeId, status);
      }
      await insertNotifications(client, update.notifications);
      const stored = await selectIntakes(client, 'WHERE id = $1', [update.intakeId]);
      if (stored[0] === undefined) throw new Error('intake not found after marking its review due');
      await this.appendAuditAndCommit(client, state, update.audit);
      return stored[0];
    });
  }

  async scheduleReview(update: ReviewScheduleUpdate): Promise<IntakeRecord> {
    return this.transaction(async (client, state) => {
      const changed = await client.query(
        'UPDATE intakes SET next_review_at = $1, updated_at = $2 WHERE id = $3 AND status = $4 AND next_review_at IS NULL',
        [update.nextReviewAt, update.updatedAt, update.intakeId, update.expectedStatus],
      );
      if (changed.rowCount === 0) {
        const current = await client.query<{ status: string }>('SELECT status FROM intakes WHERE id = $1', [update.intakeId]);
        const status = current.rows[0]?.status;
        if (status === undefined) throw intakeMissing(update.intakeId);
        throw reviewConflict(update.intakeId, status);
      }
      for (const item of update.newItems) await insertObligationItem(client, item);
      const stored = await selectIntakes(client, 'WHERE id = $1', [update.intakeId]);
      if (stored[0] === undefined) throw new Error('intake not found after scheduling its review');
      await this.appendAuditAndCommit(client, state, update.audit);
      return stored[0];
    });
  }

  async enqueueNotifications(notifications: NewNotification[]): Promise<number> {
    if (notifications.length === 0) return 0;
    return this.transaction((client) => insertNotifications(client, notifications));
  }

  async claimNotifications(claim: NotificationClaim): Promise<Notification[]> {
    return this.transaction(async (client) => {
      const prunedBefore = new Date(Date.parse(claim.now) - finishedNotificationTtlMilliseconds).toISOString();
      await client.query('DELETE FROM notifications WHERE finished_at IS NOT NULL AND finished_at < $1', [prunedBefore]);
      // SKIP LOCKED: a row another replica is claiming right now is passed over, never waited for or taken twice.
      const claimed = await client.query<NotificationRow>(
        `UPDATE notifications SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
         WHERE key IN (
           SELECT key FROM notifications
           WHERE finished_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3)
           ORDER BY created_at, key LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [claim.claimant, claim.leaseUntil, claim.now, claim.limit],
      );
      return claimed.rows
        .map(toNotification)
        .sort((left, right) => Date.parse(left.createdAt) - Date.parse(right.createdAt) || left.key.localeCompare(right.key));
    });
  }

  async finishNotification(result: NotificationResult): Promise<boolean> {
    const changed =
      result.retryAt === undefined
        ? await this.query(
            'UPDATE notifications SET finished_at = $1, outcome = $2, claimed_by = NULL, claimed_until = NULL WHERE key = $3 AND claimed_by = $4 AND finished_at IS NULL',
            [result.at, result.outcome, result.key, result.claimant],
          )
        : await this.query(
            'UPDATE notifications SET outcome = $1, claimed_by = NULL, claimed_until = $2 WHERE key = $3 AND claimed_by = $4 AND finished_at IS NULL',
            [result.outcome, result.retryAt, result.key, result.claimant],
          );
    return changed.rowCount === 1;
  }

  async addReviewMessage(intakeId: string, reference: ReviewMessageRef): Promise<void> {
    await this.transaction(async (client) => {
      const exists = await client.query('SELECT 1 FROM intakes WHERE id = $1', [intakeId]);
      if (exists.rowCount === 0) throw intakeMissing(intakeId);
      await this.insertReviewMessage(client, intakeId, reference);
    });
  }

  async appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    return this.transaction((client, state) => this.appendAuditAndCommit(client, state, entries));
  }

  async listAudit(options: AuditListOptions = {}): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (options.intakeId !== undefined) {
      values.push(options.intakeId);
      conditions.push(`intake_id = $${values.length}`);
    }
    if (options.afterSequence !== undefined) {
      values.push(options.afterSequence);
      conditions.push(`sequence > $${values.length}`);
    }
    let text = `SELECT * FROM audit_entries ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}`;
    text += ` ORDER BY sequence ${options.order === 'descending' ? 'DESC' : 'ASC'}`;
    if (options.limit !== undefined) {
      values.push(options.limit);
      text += ` LIMIT $${values.length}`;
    }
    return (await this.query<AuditRow>(text, values)).rows.map(toAuditEntry);
  }

  async verifyAudit(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    // One REPEATABLE READ transaction: every page sees the same snapshot, so a write committing
    // meanwhile can never look like drift between an intake and its entries.
    return this.read(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const verifier = new AuditTrailVerifier(options);
        for (let after = 0; ; ) {
          const rows = (await client.query<AuditRow>('SELECT * FROM audit_entries WHERE sequence > $1 ORDER BY sequence LIMIT $2', [after, verificationPageSize])).rows;
          for (const row of rows) verifier.addEntry(toAuditEntry(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.sequence);
        }
        for (let after = 0; ; ) {
          const rows = (await client.query<IntakeRow>('SELECT * FROM intakes WHERE position > $1 ORDER BY position LIMIT $2', [after, verificationPageSize])).rows;
          for (const row of rows) verifier.addIntake(toIntakeRecord(row, []), storedIntakeColumns(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.position);
        }
        for (let after = 0; ; ) {
          const rows = (await client.query<ObligationItemRow>('SELECT * FROM obligation_items WHERE position > $1 ORDER BY position LIMIT $2', [after, verificationPageSize])).rows;
          for (const row of rows) verifier.addObligationItem(toObligationItem(row));
          const last = rows.at(-1);
          if (last === undefined || rows.length < verificationPageSize) break;
          after = Number(last.position);
        }
        return verifier.result();
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  async claimEvent(channel: string, eventId: string, ttlSeconds = defaultEventTtlSeconds): Promise<boolean> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    return this.transaction(async (client) => {
      if (now.getTime() - this.lastPrune >= eventPruneIntervalMilliseconds) {
        this.lastPrune = now.getTime();
        await client.query('DELETE FROM processed_events WHERE expires_at <= $1', [now.toISOString()]);
      } else {
        await client.query('DELETE FROM processed_events WHERE channel = $1 AND event_id = $2 AND expires_at <= $3', [channel, eventId, now.toISOString()]);
      }
      const inserted = await client.query(
        'INSERT INTO processed_events (channel, event_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [channel, eventId, expiresAt],
      );
      return inserted.rowCount === 1;
    });
  }

  async saveFeedback(feedback: Feedback): Promise<void> {
    await this.query(
      `INSERT INTO answer_feedback (answer_id, actor_key, actor, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (answer_id, actor_key) DO UPDATE SET actor = excluded.actor, rating = excluded.rating,
         comment = excluded.comment, at = excluded.at`,
      [feedback.answerId, actorKey(feedback.actor), JSON.stringify(feedback.actor), feedback.rating, feedback.comment ?? null, feedback.at],
    );
  }

  async getSetting(key: string): Promise<unknown> {
    const result = await this.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [key]);
    return result.rows[0]?.value;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (value === undefined) throw new ShishinError('input_invalid', `Setting ${key} needs a JSON value.`);
    await this.query(
      'INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      [key, JSON.stringify(value), this.clock.now().toISOString()],
    );
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insertReviewMessage(client: Queryable, intakeId: string, reference: ReviewMessageRef): Promise<void> {
    await client.query('INSERT INTO review_messages (intake_id, channel, reference, created_at) VALUES ($1, $2, $3, $4)', [
      intakeId,
      reference.channel,
      JSON.stringify(reference.reference),
      this.clock.now().toISOString(),
    ]);
  }

  /**
   * Ends a write transaction: appends the audit entries and commits, in one message to the server.
   * Everything that does not depend on the chain's tail (timestamps, canonical JSON) is built here
   * first; then `append_audit_entries` (migration 2) takes the audit lock, reads the tail, finishes
   * the hashes and inserts the entries, and the COMMIT in the same query string releases the lock.
   * No round trip to this process happens while the lock is held, so a busy event loop here cannot
   * stretch another replica's wait. The statements are sent as one simple query, so the values are
   * inlined as escaped literals (text through `escapeLiteral`, bytes as hex).
   */
  private async appendAuditAndCommit(client: Queryable, state: TransactionState, entries: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    const { prepared, call } = this.appendCall(entries);
    const results = (await client.query(`${call}; COMMIT`)) as unknown as [
      pg.QueryResult<AppendedRow>,
      pg.QueryResult,
    ];
    state.committed = true;
    return this.checkAppended(prepared, results[0].rows);
  }

  /**
   * The `append_audit_entries` call for `entries`, sent as a simple query (so it can share one
   * message with COMMIT): values are inlined as escaped literals (text through `escapeLiteral`,
   * bytes as hex). Everything that does not depend on the chain's tail is built here, before the lock.
   */
  private appendCall(entries: AuditEntryInput[]): { prepared: PreparedAuditEntry[]; call: string } {
    const at = this.clock.now().toISOString();
    const prepared = entries.map((input) => prepareAuditEntry(input, at));
    const text = (values: Array<string | null>, type: string) =>
      `ARRAY[${values.map((value) => (value === null ? 'NULL' : pg.escapeLiteral(value))).join(', ')}]::${type}[]`;
    const argumentsText = [
      String(lockNamespace + auditLock),
      pg.escapeLiteral(this.lockScope),
      `ARRAY[${prepared.map((entry) => `decode('${Buffer.from(entry.hashPrefix, 'utf8').toString('hex')}', 'hex')`).join(', ')}]`,
      text(prepared.map((entry) => entry.at), 'text'),
      text(prepared.map((entry) => entry.action), 'text'),
      text(prepared.map((entry) => JSON.stringify(entry.actor)), 'jsonb'),
      text(prepared.map((entry) => entry.intakeId ?? null), 'text'),
      text(prepared.map((entry) => JSON.stringify(entry.details)), 'jsonb'),
    ].join(', ');
    return { prepared, call: `SELECT * FROM append_audit_entries(${argumentsText})` };
  }

  /** Migration step: one `intake.attested` entry per stored intake, appended inside the migration's transaction. */
  private async attestStoredIntakes(client: Queryable): Promise<void> {
    const rows = (await client.query<IntakeRow>('SELECT * FROM intakes ORDER BY position')).rows;
    for (let start = 0; start < rows.length; start += verificationPageSize) {
      const entries = rows.slice(start, start + verificationPageSize).map((row) => attestationAuditEntry(toIntakeRecord(row, [])));
      const { prepared, call } = this.appendCall(entries);
      this.checkAppended(prepared, (await client.query<AppendedRow>(call)).rows);
    }
    if (rows.length > 0) this.logger.info({ intakes: rows.length }, 'attested the content of intakes stored before content hashing');
  }

  /** The entries as appended, each hash recomputed in Node and compared with the database's. */
  private checkAppended(prepared: PreparedAuditEntry[], rows: AppendedRow[]): AuditEntry[] {
    if (rows.length !== prepared.length) throw new Error('audit append returned an unexpected number of entries');
    return prepared.map((entry, index) => {
      const row = rows[index];
      const previous = { sequence: Number(row?.appended_sequence) - 1, hash: row?.appended_previous_hash ?? '' };
      const appended = completeAuditEntry(entry, previous.sequence === 0 ? undefined : previous);
      if (appended.previousHash !== previous.hash || appended.hash !== row?.appended_hash) {
        // Cannot happen while both sides hash the same bytes (a test checks they do); if it ever
        // did, `audit verify` would report this entry, so say so loudly.
        this.logger.error({ sequence: appended.sequence }, 'audit hash computed by the database differs from this process');
        throw new Error(`audit hash computed by the database does not match for sequence ${appended.sequence}`);
      }
      return appended;
    });
  }
}

/** One row returned by `append_audit_entries`. */
interface AppendedRow {
  appended_sequence: string;
  appended_previous_hash: string;
  appended_hash: string;
}

/** Whether the work already committed (the audit append sends its COMMIT with it). */
interface TransactionState {
  committed: boolean;
}

async function selectIntakes(client: Queryable, clause: string, values: unknown[]): Promise<IntakeRecord[]> {
  const rows = (await client.query<IntakeRow>(`SELECT * FROM intakes ${clause}`, values)).rows;
  if (rows.length === 0) return [];
  const messages = await client.query<ReviewMessageRow>(
    'SELECT intake_id, channel, reference FROM review_messages WHERE intake_id = ANY($1::text[]) ORDER BY position',
    [rows.map((row) => row.id)],
  );
  const grouped = groupReviewMessages(messages.rows);
  return rows.map((row) => toIntakeRecord(row, grouped.get(row.id) ?? []));
}

async function insertObligationItem(client: Queryable, item: ObligationItem): Promise<void> {
  await client.query(
    `INSERT INTO obligation_items (${obligationItemColumns.join(', ')}) VALUES (${obligationItemColumns.map((_column, index) => `$${index + 1}`).join(', ')})`,
    obligationItemValues(item, actorKey),
  );
}

async function insertNotifications(client: Queryable, notifications: NewNotification[]): Promise<number> {
  let inserted = 0;
  for (const notification of notifications) {
    const result = await client.query(
      'INSERT INTO notifications (key, kind, target, intake_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING',
      [notification.key, notification.kind, notification.target, notification.intakeId ?? null, JSON.stringify(notification.payload), notification.createdAt],
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/** Unique / foreign-key violations on insert, as errors the service can act on. */
function translateInsertConflict(error: unknown, id: string, previousId: string | undefined): unknown {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23503') return previousMissing(previousId, error);
  if (code === '23505' && constraint === 'intakes_id_key') return idTaken(id, error);
  if (code === '23505' && constraint === 'intakes_previous_id_key') return alreadySuperseded(previousId, error);
  return error;
}
