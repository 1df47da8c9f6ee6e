// The IntakeStore contract: one suite every implementation must pass (SQLite and PostgreSQL run it
// from their own test files). Each test gets a fresh, empty database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isShishinError } from '../../src/errors.js';
import type { AuditVerification, IntakeStore } from '../../src/ports/intake-store.js';
import type { StoreHooks } from '../../src/providers/store/store-hooks.js';
import { itemsCreatedAuditEntry, reviewDueAuditEntry, reviewScheduledAuditEntry } from '../../src/core/review/intake-audit.js';
import type { NewNotification, ReviewDueUpdate } from '../../src/ports/intake-store.js';
import { alice, bob, itemChange, ManualClock, newApproval, newDecision, newIntake, newItems, reviewer, sampleClassification, sampleInput } from './intake-fixtures.js';

export interface StoreHarness {
  store: IntakeStore;
  clock: ManualClock;
  /** The versions this store's migration list holds, in order. */
  migrationVersions: number[];
  /** The version of the migration that attests intakes stored before content hashing. */
  attestationVersion: number;
  /** Raw SQL on the same database with `$1`-style placeholders; returns rows. */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Lifts the append-only trigger guard, as someone with direct database access could. */
  disableAuditGuard(): Promise<void>;
  /** A second store instance on the same database (another replica or process). */
  openAnother(options?: { hooks?: StoreHooks }): Promise<IntakeStore>;
  close(): Promise<void>;
}

export type OpenHarness = () => Promise<StoreHarness>;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function count(harness: StoreHarness, table: string): Promise<number> {
  const rows = await harness.sql(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

export function describeStoreContract(name: string, open: OpenHarness): void {
  describe(`IntakeStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: IntakeStore;
    const extraStores: IntakeStore[] = [];

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      for (const extra of extraStores.splice(0)) await extra.close();
      await harness.close();
    });

    async function another(hooks?: StoreHooks): Promise<IntakeStore> {
      const opened = await harness.openAnother(hooks === undefined ? {} : { hooks });
      extraStores.push(opened);
      return opened;
    }

    describe('migrations', () => {
      it('are idempotent and recorded in schema_migrations', async () => {
        await store.migrate();
        await store.migrate();
        const rows = await harness.sql('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => Number(row.version))).toEqual(harness.migrationVersions);
      });

      it('can run from several instances at once', async () => {
        const others = await Promise.all([another(), another(), another()]);
        await Promise.all(others.map((other) => other.migrate()));
        expect(await count(harness, 'schema_migrations')).toBe(harness.migrationVersions.length);
      });
    });

    describe('createIntake', () => {
      it('stores the record whole and writes its audit entries', async () => {
        const intake = newIntake({ reviewMessages: [{ channel: 'slack', reference: { channel: 'C1', ts: '1.2' } }] });
        const { record, created } = await store.createIntake(intake);
        expect(created).toBe(true);
        expect(record).toEqual({ ...intake.record, updatedAt: intake.record.submittedAt });
        expect(await store.getIntake(record.id)).toEqual(record);
        const audit = await store.listAudit({ intakeId: record.id });
        expect(audit.map((entry) => entry.action)).toEqual(['intake.submitted', 'intake.classified']);
        expect(audit[1]?.details).toMatchObject({ tier: 'high', flagged: true });
      });

      it('returns the existing intake for a repeated idempotency key, without new audit entries', async () => {
        const first = newIntake();
        await store.createIntake(first);
        const retry = newIntake({ idempotencyKey: first.record.idempotencyKey });
        const { record, created } = await store.createIntake(retry);
        expect(created).toBe(false);
        expect(record.id).toBe(first.record.id);
        expect(await store.findByIdempotencyKey(first.record.idempotencyKey)).toEqual(record);
        expect(await count(harness, 'intakes')).toBe(1);
        expect(await count(harness, 'audit_entries')).toBe(2);
      });

      it('reports an id collision as conflict on the id field and writes nothing', async () => {
        const first = newIntake();
        await store.createIntake(first);
        const error = await rejection(store.createIntake(newIntake({ id: first.record.id })));
        expect(isShishinError(error, 'conflict')).toBe(true);
        expect((error as { fields?: unknown }).fields).toEqual([{ field: 'id', message: 'already taken' }]);
        expect(await count(harness, 'intakes')).toBe(1);
        expect(await count(harness, 'audit_entries')).toBe(2);
      });

      it('links versions and allows only one successor per version', async () => {
        const first = (await store.createIntake(newIntake({ status: 'changes_requested' }))).record;
        const second = await store.createIntake(newIntake({ version: 2, previousId: first.id }));
        expect(second.record.previousId).toBe(first.id);
        expect(second.record.version).toBe(2);
        const duplicate = await rejection(store.createIntake(newIntake({ version: 2, previousId: first.id })));
        expect(isShishinError(duplicate, 'conflict')).toBe(true);
        expect((duplicate as { fields?: unknown }).fields).toEqual([{ field: 'previousId', message: 'already superseded' }]);
        const missing = await rejection(store.createIntake(newIntake({ version: 2, previousId: 'AI-NOPE00' })));
        expect(isShishinError(missing, 'not_found')).toBe(true);
        expect(await count(harness, 'intakes')).toBe(2);
      });

      it('rolls back the intake when the transaction fails before commit', async () => {
        const failing = await another({
          insideTransaction: () => {
            throw new Error('injected failure');
          },
        });
        const intake = newIntake();
        await expect(failing.createIntake(intake)).rejects.toThrow('injected failure');
        expect(await store.getIntake(intake.record.id)).toBeUndefined();
        expect(await count(harness, 'audit_entries')).toBe(0);
        const retried = await store.createIntake(intake);
        expect(retried.created).toBe(true);
      });

      it('keeps 50 concurrent submissions apart: 50 intakes, no duplicates, an intact chain', async () => {
        const intakes = Array.from({ length: 50 }, () => newIntake());
        const results = await Promise.all(intakes.map((intake) => store.createIntake(intake)));
        expect(results.every((result) => result.created)).toBe(true);
        expect(new Set(results.map((result) => result.record.id)).size).toBe(50);
        expect(await count(harness, 'intakes')).toBe(50);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 100, driftCount: 0 });
      });

      it('creates exactly one intake when one key is submitted concurrently from two instances', async () => {
        const other = await another();
        const key = 'same-key-everywhere';
        const attempts = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? store : other).createIntake(newIntake({ idempotencyKey: key })));
        const results = await Promise.all(attempts);
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.record.id)).size).toBe(1);
        expect(await count(harness, 'intakes')).toBe(1);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 2, driftCount: 0 });
      });
    });

    describe('reading intakes', () => {
      it('returns undefined for unknown ids and keys', async () => {
        expect(await store.getIntake('AI-MISSIN')).toBeUndefined();
        expect(await store.findByIdempotencyKey('nope')).toBeUndefined();
      });

      it('lists by status and submitter, oldest or newest first, with a limit', async () => {
        const a = (await store.createIntake(newIntake())).record;
        const b = (await store.createIntake(newIntake({ classification: sampleClassification('minimal') }))).record;
        const c = (await store.createIntake(newIntake({ submittedBy: bob }))).record;
        expect((await store.listIntakes()).map((record) => record.id)).toEqual([a.id, b.id, c.id]);
        expect((await store.listIntakes({ order: 'newest' })).map((record) => record.id)).toEqual([c.id, b.id, a.id]);
        expect((await store.listIntakes({ status: ['pending_review'] })).map((record) => record.id)).toEqual([a.id, c.id]);
        expect((await store.listIntakes({ status: ['auto_cleared', 'approved'] })).map((record) => record.id)).toEqual([b.id]);
        expect(await store.listIntakes({ status: [] })).toEqual([]);
        expect((await store.listIntakes({ submittedBy: bob })).map((record) => record.id)).toEqual([c.id]);
        expect((await store.listIntakes({ limit: 2, order: 'newest' })).map((record) => record.id)).toEqual([c.id, b.id]);
      });
    });

    describe('recordDecision', () => {
      it('applies the decision with its audit entry', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        const decided = await store.recordDecision({
          intakeId: intake.id,
          expectedStatus: 'pending_review',
          status: 'approved_with_conditions',
          decision: 'approve_with_conditions',
          decidedBy: reviewer,
          decidedAt: '2026-11-26T10:00:00.000Z',
          comment: 'Keep a human in the loop.',
          audit: [{ action: 'intake.decided', actor: reviewer, intakeId: intake.id, details: { decision: 'approve_with_conditions' } }],
        });
        expect(decided).toMatchObject({
          status: 'approved_with_conditions',
          decision: 'approve_with_conditions',
          decidedBy: reviewer,
          decidedAt: '2026-11-26T10:00:00.000Z',
          decisionComment: 'Keep a human in the loop.',
          updatedAt: '2026-11-26T10:00:00.000Z',
        });
        expect(await store.getIntake(intake.id)).toEqual(decided);
        expect((await store.listAudit({ intakeId: intake.id })).map((entry) => entry.action)).toEqual([
          'intake.submitted',
          'intake.classified',
          'intake.decided',
        ]);
      });

      it('refuses when the status changed meanwhile, and for unknown intakes', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        const update = {
          intakeId: intake.id,
          expectedStatus: 'auto_cleared' as const,
          status: 'approved' as const,
          decision: 'approve' as const,
          decidedBy: reviewer,
          decidedAt: '2026-11-26T10:00:00.000Z',
          audit: [{ action: 'intake.decided', actor: reviewer, intakeId: intake.id, details: {} }],
        };
        const conflict = await rejection(store.recordDecision(update));
        expect(isShishinError(conflict, 'conflict')).toBe(true);
        expect((conflict as Error).message).toContain('pending_review');
        const missing = await rejection(store.recordDecision({ ...update, intakeId: 'AI-NOPE00' }));
        expect(isShishinError(missing, 'not_found')).toBe(true);
        expect((await store.getIntake(intake.id))?.status).toBe('pending_review');
        expect(await count(harness, 'audit_entries')).toBe(2);
      });

      it('lets exactly one of several concurrent decisions win', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        const other = await another();
        const decisions = (['approve', 'reject', 'request_changes', 'approve'] as const).map((decision, index) =>
          (index % 2 === 0 ? store : other).recordDecision({
            intakeId: intake.id,
            expectedStatus: 'pending_review',
            status: decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'changes_requested',
            decision,
            decidedBy: reviewer,
            decidedAt: '2026-11-26T10:00:00.000Z',
            comment: 'why',
            audit: [{ action: 'intake.decided', actor: reviewer, intakeId: intake.id, details: { decision } }],
          }),
        );
        const results = await Promise.allSettled(decisions);
        const won = results.filter((result) => result.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(isShishinError(result.reason, 'conflict')).toBe(true);
        }
        expect((await store.listAudit({ intakeId: intake.id })).filter((entry) => entry.action === 'intake.decided')).toHaveLength(1);
      });

      it('rolls back the decision when the transaction fails before commit', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        const failing = await another({
          insideTransaction: (operation) => {
            if (operation === 'recordDecision') throw new Error('injected failure');
          },
        });
        await expect(
          failing.recordDecision({
            intakeId: intake.id,
            expectedStatus: 'pending_review',
            status: 'approved',
            decision: 'approve',
            decidedBy: reviewer,
            decidedAt: '2026-11-26T10:00:00.000Z',
            audit: [{ action: 'intake.decided', actor: reviewer, intakeId: intake.id, details: {} }],
          }),
        ).rejects.toThrow('injected failure');
        expect((await store.getIntake(intake.id))?.status).toBe('pending_review');
        expect(await count(harness, 'audit_entries')).toBe(2);
      });
    });

    describe('review messages', () => {
      it('appends references in order and refuses unknown intakes', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        await store.addReviewMessage(intake.id, { channel: 'slack', reference: { channel: 'C1', ts: '1.1' } });
        await store.addReviewMessage(intake.id, { channel: 'teams', reference: { activityId: 'a-1', conversation: { id: 'c' } } });
        const expected = [
          { channel: 'slack', reference: { channel: 'C1', ts: '1.1' } },
          { channel: 'teams', reference: { activityId: 'a-1', conversation: { id: 'c' } } },
        ];
        expect((await store.getIntake(intake.id))?.reviewMessages).toEqual(expected);
        expect((await store.listIntakes())[0]?.reviewMessages).toEqual(expected);
        const missing = await rejection(store.addReviewMessage('AI-NOPE00', { channel: 'slack', reference: {} }));
        expect(isShishinError(missing, 'not_found')).toBe(true);
      });
    });

    describe('audit trail', () => {
      it('chains entries: gapless sequence, previous hashes, listing options', async () => {
        const appended = await store.appendAudit([
          { action: 'decision.refused', actor: bob, intakeId: 'AI-AAAAAA', details: { reason: 'not_governance_member', nested: { b: 1, a: [1, 'x'] } } },
          { action: 'system.note', actor: { channel: 'system', id: 'test' }, details: {} },
        ]);
        expect(appended.map((entry) => entry.sequence)).toEqual([1, 2]);
        expect(appended[0]?.previousHash).toBe('0'.repeat(64));
        expect(appended[1]?.previousHash).toBe(appended[0]?.hash);
        await store.appendAudit([{ action: 'system.note', actor: { channel: 'system', id: 'test' }, intakeId: 'AI-AAAAAA', details: { n: 3 } }]);
        const all = await store.listAudit();
        expect(all.slice(0, 2)).toEqual(appended);
        expect(all.map((entry) => entry.sequence)).toEqual([1, 2, 3]);
        expect((await store.listAudit({ intakeId: 'AI-AAAAAA' })).map((entry) => entry.sequence)).toEqual([1, 3]);
        expect((await store.listAudit({ afterSequence: 1, limit: 1 })).map((entry) => entry.sequence)).toEqual([2]);
        expect((await store.listAudit({ order: 'descending', limit: 2 })).map((entry) => entry.sequence)).toEqual([3, 2]);
        expect(await store.appendAudit([])).toEqual([]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 3, driftCount: 0 });
      });

      it('verifies an empty trail', async () => {
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 0, driftCount: 0 });
      });

      it('never forks when two instances append at the same time', async () => {
        const other = await another();
        const writes = Array.from({ length: 30 }, (_, index) =>
          (index % 2 === 0 ? store : other).appendAudit([
            { action: 'system.note', actor: { channel: 'system', id: 'test' }, details: { index } },
            { action: 'system.note', actor: { channel: 'system', id: 'test' }, details: { index, second: true } },
          ]),
        );
        await Promise.all(writes);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 60, driftCount: 0 });
      });

      it('refuses direct updates and deletes of audit rows', async () => {
        await store.createIntake(newIntake());
        await expect(harness.sql("UPDATE audit_entries SET action = 'x' WHERE sequence = 1")).rejects.toThrow(/append-only/);
        await expect(harness.sql('DELETE FROM audit_entries WHERE sequence = 1')).rejects.toThrow(/append-only/);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 2, driftCount: 0 });
      });

      it('detects a row whose details were edited directly', async () => {
        for (let index = 0; index < 3; index += 1) await store.createIntake(newIntake());
        await harness.disableAuditGuard();
        await harness.sql(`UPDATE audit_entries SET details = '{"tier":"minimal","flagged":false}' WHERE sequence = 4`);
        const result = await store.verifyAudit();
        expect(result).toMatchObject({ ok: false, entries: 6, firstBrokenSequence: 4 });
        expect(result.reason).toMatch(/hash does not match/);
      });

      it('detects a changed hash and a deleted row', async () => {
        for (let index = 0; index < 3; index += 1) await store.createIntake(newIntake());
        await harness.disableAuditGuard();
        await harness.sql(`UPDATE audit_entries SET hash = '${'f'.repeat(64)}' WHERE sequence = 2`);
        const relinked = await store.verifyAudit();
        expect(relinked.ok).toBe(false);
        expect(relinked.firstBrokenSequence).toBe(2);
        await harness.sql(`UPDATE audit_entries SET hash = previous_hash WHERE sequence = 2`);
        await harness.sql('DELETE FROM audit_entries WHERE sequence = 2');
        const gap = await store.verifyAudit();
        expect(gap).toMatchObject({ ok: false, firstBrokenSequence: 3 });
        expect(gap.reason).toMatch(/expected sequence 2/);
      });
    });

    describe('audit verification of intake state', () => {
      /** Standard SQL string literal (both databases), for the raw tampering below. */
      const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

      /** Three intakes as the service leaves them: one approved with a comment, two pending (one high, one minimal). */
      async function seed() {
        const approved = (await store.createIntake(newIntake())).record;
        await store.recordDecision(newDecision(approved.id, { status: 'approved_with_conditions', decision: 'approve_with_conditions', comment: 'Keep a human in the loop.' }));
        const pending = (await store.createIntake(newIntake())).record;
        const minimal = (await store.createIntake(newIntake({ classification: sampleClassification('minimal') }))).record;
        return { approved, pending, minimal };
      }

      const driftOf = (result: AuditVerification) => result.drift.map((item) => [item.intakeId, item.field]);

      it('reconciles every intake with the trail and reports the head', async () => {
        const { approved } = await seed();
        const result = await store.verifyAudit();
        const last = (await store.listAudit({ order: 'descending', limit: 1 }))[0];
        expect(result).toMatchObject({ ok: true, entries: 7, intakes: 3, drift: [], driftCount: 0, head: { sequence: 7, hash: last?.hash } });
        expect(result.firstBrokenSequence).toBeUndefined();
        const decided = (await store.listAudit({ intakeId: approved.id })).at(-1);
        expect(decided).toMatchObject({
          action: 'intake.decided',
          actor: reviewer,
          details: { decision: 'approve_with_conditions', from: 'pending_review', to: 'approved_with_conditions', comment: 'Keep a human in the loop.' },
        });
      });

      it('reports an intake approved in the database with a forged decider', async () => {
        const { pending } = await seed();
        const forged = JSON.stringify({ channel: 'web', id: 'mallory', displayName: 'Mallory' });
        await harness.sql(
          `UPDATE intakes SET status = 'approved', decision = 'approve', decided_by = ${literal(forged)}, decided_at = '2026-11-27T10:00:00.000Z' WHERE id = ${literal(pending.id)}`,
        );
        const result = await store.verifyAudit();
        expect(result.ok).toBe(false);
        expect(result.firstBrokenSequence).toBeUndefined();
        expect(driftOf(result)).toEqual([
          [pending.id, 'status'],
          [pending.id, 'decision'],
        ]);
        expect(result.drift[0]?.message).toBe('status is approved in the database, but the audit trail says pending review');
        expect(result.drift[1]?.message).toContain('Mallory (web:mallory)');
      });

      it('reports a forged decider, a changed decision and an edited comment on a decided intake', async () => {
        const { approved } = await seed();
        const forged = JSON.stringify({ channel: 'web', id: 'mallory' });
        await harness.sql(`UPDATE intakes SET decided_by = ${literal(forged)}, decision_comment = 'No conditions.' WHERE id = ${literal(approved.id)}`);
        expect(driftOf(await store.verifyAudit())).toEqual([
          [approved.id, 'decidedBy'],
          [approved.id, 'comment'],
        ]);
        await harness.sql(`UPDATE intakes SET status = 'approved', decision = 'approve' WHERE id = ${literal(approved.id)}`);
        expect(driftOf(await store.verifyAudit())).toEqual([
          [approved.id, 'status'],
          [approved.id, 'decision'],
          [approved.id, 'decidedBy'],
          [approved.id, 'comment'],
        ]);
      });

      it('reports a tier lowered from high to minimal, in the classification or only in its column', async () => {
        const { pending, minimal } = await seed();
        const lowered = { ...pending.classification, tier: 'minimal', flagged: false };
        await harness.sql(`UPDATE intakes SET tier = 'minimal', flagged = (1 = 0), classification = ${literal(JSON.stringify(lowered))} WHERE id = ${literal(pending.id)}`);
        await harness.sql(`UPDATE intakes SET tier = 'high' WHERE id = ${literal(minimal.id)}`);
        const result = await store.verifyAudit();
        expect(driftOf(result)).toEqual([
          [pending.id, 'tier'],
          [pending.id, 'flagged'],
          [minimal.id, 'tier'],
        ]);
        expect(result.drift[0]?.message).toBe('tier is minimal in the database, but the audit trail says high');
        expect(result.drift[2]?.message).toBe('tier column is high in the database, but the audit trail says minimal');
      });

      it('reports submitted content edited after the submission', async () => {
        const { approved } = await seed();
        const edited = { ...approved.input, title: 'Harmless spreadsheet macro' };
        await harness.sql(`UPDATE intakes SET input = ${literal(JSON.stringify(edited))} WHERE id = ${literal(approved.id)}`);
        const result = await store.verifyAudit();
        expect(driftOf(result)).toEqual([[approved.id, 'content']]);
        expect(result.drift[0]?.message).toMatch(/submitted content .* differs/);
      });

      it('reports intakes added or removed behind the trail’s back', async () => {
        const { minimal } = await seed();
        await harness.sql(`DELETE FROM intakes WHERE id = ${literal(minimal.id)}`);
        await harness.sql(
          `INSERT INTO intakes (id, version, input, classification, tier, flagged, status, submitted_by, submitted_by_key, submitted_at, idempotency_key, updated_at)
           SELECT 'AI-F0RGED', version, input, classification, tier, flagged, 'approved', submitted_by, submitted_by_key, submitted_at, 'forged-key', updated_at
           FROM intakes WHERE id <> ${literal(minimal.id)} AND status = 'pending_review'`,
        );
        const result = await store.verifyAudit();
        expect(driftOf(result)).toEqual([
          ['AI-F0RGED', 'record'],
          [minimal.id, 'record'],
        ]);
        expect(result.drift[0]?.message).toBe('is in the database but the audit trail has no submission for it');
        expect(result.drift[1]?.message).toBe('the audit trail records its submission, but the database no longer holds it');
      });

      it('detects a truncated tail against an anchored head, and the state it carried even without one', async () => {
        const { pending } = await seed();
        await store.appendAudit([{ action: 'decision.refused', actor: bob, intakeId: pending.id, details: { decision: 'approve', reason: 'not_governance_member' } }]);
        const anchored = await store.verifyAudit();
        const head = anchored.head?.hash as string;
        expect(await store.verifyAudit({ expectHead: head })).toMatchObject({ ok: true, expectedHead: { hash: head, found: true, sequence: 8 } });
        expect(await store.verifyAudit({ expectHead: head.toUpperCase() })).toMatchObject({ ok: true, expectedHead: { found: true } });
        await store.recordDecision(newDecision(pending.id));
        // A later head contains the anchored one: the trail only grew.
        expect(await store.verifyAudit({ expectHead: head })).toMatchObject({ ok: true, entries: 9, expectedHead: { found: true, sequence: 8 } });

        await harness.disableAuditGuard();
        // Removing the decision entry (the tail) leaves an approval the trail no longer shows…
        await harness.sql('DELETE FROM audit_entries WHERE sequence = 9');
        const withoutDecision = await store.verifyAudit();
        expect(withoutDecision.firstBrokenSequence).toBeUndefined();
        expect(driftOf(withoutDecision)).toEqual([
          [pending.id, 'status'],
          [pending.id, 'decision'],
        ]);
        // …and removing a tail that carried no intake state is only visible against the anchor.
        await harness.sql(`UPDATE intakes SET status = 'pending_review', decision = NULL, decided_by = NULL, decided_at = NULL WHERE id = ${literal(pending.id)}`);
        await harness.sql('DELETE FROM audit_entries WHERE sequence = 8');
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 7 });
        const truncated = await store.verifyAudit({ expectHead: head });
        expect(truncated).toMatchObject({ ok: false, entries: 7, driftCount: 0, expectedHead: { hash: head, found: false } });
        expect(truncated.expectedHead?.sequence).toBeUndefined();
        // The genesis hash is the head of an empty trail: every trail continues from it.
        expect(await store.verifyAudit({ expectHead: '0'.repeat(64) })).toMatchObject({ ok: true, expectedHead: { found: true } });
      });

      it('attests intakes stored before content hashing when it upgrades, and checks them from then on', async () => {
        // Intakes written the old way: entries without content or classification hashes.
        const legacy = [newIntake(), newIntake({ classification: sampleClassification('minimal') })].map((intake) => ({
          ...intake,
          audit: intake.audit.map((entry) => {
            const { contentHash, classificationHash, ...details } = entry.details;
            expect([contentHash, classificationHash].some((value) => typeof value === 'string')).toBe(true);
            return { ...entry, details };
          }),
        }));
        for (const intake of legacy) await store.createIntake(intake);
        const before = await store.verifyAudit();
        expect(driftOf(before)).toEqual(legacy.map((intake) => [intake.record.id, 'content']));
        expect(before.drift[0]?.message).toMatch(/not covered by the audit trail/);

        // The upgrade: the attestation migration runs at the next start (here: migrate again).
        await harness.sql(`DELETE FROM schema_migrations WHERE version = ${harness.attestationVersion}`);
        await store.migrate();
        const attested = (await store.listAudit()).filter((entry) => entry.action === 'intake.attested');
        expect(attested.map((entry) => [entry.intakeId, entry.actor])).toEqual(legacy.map((intake) => [intake.record.id, { channel: 'system', id: 'migration' }]));
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 6, intakes: 2, driftCount: 0 });
        // A database already upgraded gets no further entries.
        await store.migrate();
        expect((await store.listAudit()).length).toBe(6);

        const [first] = legacy;
        const lowered = { ...first?.record.classification, reasons: [] };
        await harness.sql(`UPDATE intakes SET classification = ${literal(JSON.stringify(lowered))}, input = ${literal(JSON.stringify({ ...first?.record.input, title: 'Edited' }))} WHERE id = ${literal(first?.record.id as string)}`);
        expect(driftOf(await store.verifyAudit())).toEqual([
          [first?.record.id, 'content'],
          [first?.record.id, 'classification'],
        ]);
      });

      it('keeps awkward text, numbers and timestamps in step with their hashes', async () => {
        const input = sampleInput({ title: 'Ünïcødé "quotes" \\ back\\slash \u2028 😀 ｱｲ', description: 'Line one\nline two\ttab \u0001 control' });
        const intake = newIntake({ input, submittedBy: { channel: 'slack', id: 'U0Ü', displayName: 'Zoë 😀' } });
        await store.createIntake(intake);
        await store.recordDecision(newDecision(intake.record.id, { comment: '  spaced\ncomment 😀 ', decidedAt: '2026-11-26T10:00:00.123Z' }));
        expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
      });
    });

    describe('obligation items, re-reviews and notifications', () => {
      const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
      const driftOf = (result: AuditVerification) => result.drift.map((item) => [item.intakeId, item.field]);

      /** An approved intake with two items and its next review on 2027-05-26. */
      async function approvedIntake() {
        const intake = (await store.createIntake(newIntake())).record;
        const decided = await store.recordDecision(newApproval(intake.id));
        return decided;
      }

      function dueUpdate(intakeId: string, notifications: NewNotification[] = []): ReviewDueUpdate {
        return {
          intakeId,
          expectedStatus: 'approved',
          expectedNextReviewAt: '2027-05-26T10:00:00.000Z',
          updatedAt: '2027-05-27T00:00:00.000Z',
          audit: [reviewDueAuditEntry({ intakeId, from: 'approved', nextReviewAt: '2027-05-26T10:00:00.000Z' })],
          notifications,
        };
      }

      function reminder(key: string, createdAt = '2027-05-27T00:00:00.000Z'): NewNotification {
        return { key, kind: 'review_due', target: 'review:slack', intakeId: 'AI-T00001', payload: { n: key }, createdAt };
      }

      it('stores an approval with its items and next review date in one transaction', async () => {
        const decided = await approvedIntake();
        expect(decided).toMatchObject({ status: 'approved', nextReviewAt: '2027-05-26T10:00:00.000Z' });
        expect(await store.getIntake(decided.id)).toEqual(decided);
        const items = await store.listObligationItems({ intakeIds: [decided.id] });
        expect(items).toEqual(newItems(decided.id));
        expect(await store.getObligationItem(`${decided.id}-2`)).toEqual(items[1]);
        expect(await store.getObligationItem(`${decided.id}-9`)).toBeUndefined();
        expect((await store.listAudit({ intakeId: decided.id })).map((entry) => entry.action)).toEqual([
          'intake.submitted',
          'intake.classified',
          'intake.decided',
          'obligations.created',
        ]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, intakes: 1, obligationItems: 2, driftCount: 0 });
      });

      it('filters items by intake, owner, status and due date, in intake then item order', async () => {
        const first = await approvedIntake();
        const second = (await store.createIntake(newIntake({ submittedBy: bob }))).record;
        await store.recordDecision(
          newApproval(second.id, [
            ...newItems(second.id, ['Bob task'], { owner: bob, dueAt: '2027-01-10T00:00:00.000Z' }),
            ...newItems(second.id, ['Undated'], { owner: bob, dueAt: undefined }, 2),
          ]),
        );
        await store.updateObligationItem(itemChange((await store.getObligationItem(`${first.id}-1`))!, { status: 'done', evidence: { note: 'Risk file v2' } }));
        const ids = (items: { id: string }[]) => items.map((item) => item.id);
        expect(ids(await store.listObligationItems())).toEqual([`${first.id}-1`, `${first.id}-2`, `${second.id}-1`, `${second.id}-2`]);
        expect(ids(await store.listObligationItems({ intakeIds: [second.id, first.id] }))).toEqual([`${first.id}-1`, `${first.id}-2`, `${second.id}-1`, `${second.id}-2`]);
        expect(ids(await store.listObligationItems({ ownerKey: 'slack:U0BOB' }))).toEqual([`${second.id}-1`, `${second.id}-2`]);
        expect(ids(await store.listObligationItems({ status: ['open'] }))).toEqual([`${first.id}-2`, `${second.id}-1`, `${second.id}-2`]);
        expect(ids(await store.listObligationItems({ status: ['open'], dueBy: '2027-02-01T00:00:00.000Z' }))).toEqual([`${second.id}-1`]);
        expect(await store.listObligationItems({ intakeIds: [] })).toEqual([]);
        expect(await store.listObligationItems({ status: [] })).toEqual([]);
      });

      it('writes no items when the decision fails before commit', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        const failing = await another({
          insideTransaction: (operation) => {
            if (operation === 'recordDecision') throw new Error('injected failure');
          },
        });
        await expect(failing.recordDecision(newApproval(intake.id))).rejects.toThrow('injected failure');
        expect(await count(harness, 'obligation_items')).toBe(0);
        expect((await store.getIntake(intake.id))?.nextReviewAt).toBeUndefined();
      });

      it('updates an item by compare-and-set on its revision, with its audit entry', async () => {
        const decided = await approvedIntake();
        const [item] = await store.listObligationItems({ intakeIds: [decided.id] });
        const change = itemChange(item!, { status: 'done', evidence: { note: 'DPIA signed', link: 'https://docs.example/dpia' } });
        const updated = await store.updateObligationItem(change);
        expect(updated).toEqual(change.item);
        expect(updated.revision).toBe(2);
        const stale = await rejection(store.updateObligationItem(itemChange(item!, { status: 'not_applicable', reason: 'x' })));
        expect(isShishinError(stale, 'conflict')).toBe(true);
        const missing = await rejection(store.updateObligationItem(itemChange({ ...item!, id: `${decided.id}-7` }, { status: 'done' })));
        expect(isShishinError(missing, 'not_found')).toBe(true);
        const entries = await store.listAudit({ intakeId: decided.id });
        expect(entries.at(-1)).toMatchObject({ action: 'obligation.updated', actor: alice, details: { itemId: item!.id, changes: { status: { from: 'open', to: 'done' } }, revision: 2 } });
        expect(await store.verifyAudit()).toMatchObject({ ok: true, obligationItems: 2, driftCount: 0 });
      });

      it('lets exactly one of concurrent item updates from two instances win', async () => {
        const decided = await approvedIntake();
        const [item] = await store.listObligationItems({ intakeIds: [decided.id] });
        const other = await another();
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? store : other).updateObligationItem(itemChange(item!, { status: 'done', evidence: { note: `evidence ${index}` } }))),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        expect((await store.listAudit({ intakeId: decided.id })).filter((entry) => entry.action === 'obligation.updated')).toHaveLength(1);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
      });

      it('marks a review due exactly once across instances, with its reminders queued in the same transaction', async () => {
        const decided = await approvedIntake();
        expect((await store.listIntakes({ status: ['approved'], reviewDueBy: '2027-05-26T09:59:59.999Z' })).length).toBe(0);
        expect((await store.listIntakes({ status: ['approved'], reviewDueBy: '2027-05-27T00:00:00.000Z' })).map((record) => record.id)).toEqual([decided.id]);
        const other = await another();
        const notifications = [reminder(`review_due:${decided.id}:slack`), reminder(`review_due:${decided.id}:owner`)];
        const results = await Promise.allSettled(Array.from({ length: 4 }, (_, index) => (index % 2 === 0 ? store : other).markReviewDue(dueUpdate(decided.id, notifications))));
        const won = results.filter((result) => result.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const result of results) if (result.status === 'rejected') expect(isShishinError(result.reason, 'conflict')).toBe(true);
        const due = await store.getIntake(decided.id);
        expect(due).toMatchObject({ status: 'review_due', nextReviewAt: '2027-05-26T10:00:00.000Z', decision: 'approve' });
        expect(await count(harness, 'notifications')).toBe(2);
        expect((await store.listAudit({ intakeId: decided.id })).filter((entry) => entry.action === 'review.due')).toHaveLength(1);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
        const stale = await rejection(store.markReviewDue({ ...dueUpdate(decided.id), expectedStatus: 'approved' }));
        expect(isShishinError(stale, 'conflict')).toBe(true);
        const missing = await rejection(store.markReviewDue(dueUpdate('AI-NOPE00')));
        expect(isShishinError(missing, 'not_found')).toBe(true);
      });

      it('refuses to mark a review due when a newer decision moved the date', async () => {
        const decided = await approvedIntake();
        const moved = await rejection(store.markReviewDue({ ...dueUpdate(decided.id), expectedNextReviewAt: '2027-01-01T00:00:00.000Z' }));
        expect(isShishinError(moved, 'conflict')).toBe(true);
        expect((await store.getIntake(decided.id))?.status).toBe('approved');
        expect(await count(harness, 'notifications')).toBe(0);
      });

      it('schedules the first review of an approval made before reviews were scheduled, once', async () => {
        const intake = (await store.createIntake(newIntake())).record;
        // Approved the old way: no review date, no items.
        await store.recordDecision(newDecision(intake.id));
        expect((await store.listIntakes({ withoutNextReview: true })).map((record) => record.id)).toEqual([intake.id]);
        const items = newItems(intake.id, ['Run a risk management system'], { updatedBy: { channel: 'system', id: 'scheduler' } });
        const update = {
          intakeId: intake.id,
          expectedStatus: 'approved' as const,
          nextReviewAt: '2027-05-26T10:00:00.000Z',
          updatedAt: '2026-12-01T00:00:00.000Z',
          newItems: items,
          audit: [
            reviewScheduledAuditEntry({ intakeId: intake.id, nextReviewAt: '2027-05-26T10:00:00.000Z', approvedAt: '2026-11-26T10:00:00.000Z' }),
            itemsCreatedAuditEntry(intake.id, { channel: 'system', id: 'scheduler' }, items),
          ],
        };
        const other = await another();
        const results = await Promise.allSettled([store.scheduleReview(update), other.scheduleReview(update)]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        expect((await store.getIntake(intake.id))?.nextReviewAt).toBe('2027-05-26T10:00:00.000Z');
        expect(await store.listObligationItems({ intakeIds: [intake.id] })).toEqual(items);
        expect(await store.listIntakes({ withoutNextReview: true })).toEqual([]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, obligationItems: 1, driftCount: 0 });
        const missing = await rejection(store.scheduleReview({ ...update, intakeId: 'AI-NOPE00' }));
        expect(isShishinError(missing, 'not_found')).toBe(true);
      });

      it('queues a notification once per key', async () => {
        expect(await store.enqueueNotifications([reminder('digest:web:alice:2027-05-27'), reminder('digest:slack:U0BOB:2027-05-27')])).toBe(2);
        expect(await store.enqueueNotifications([reminder('digest:web:alice:2027-05-27'), reminder('digest:web:alice:2027-05-28')])).toBe(1);
        expect(await store.enqueueNotifications([])).toBe(0);
        expect(await count(harness, 'notifications')).toBe(3);
      });

      it('hands each notification to one claimant, again when its claim lapses, and finishes it once', async () => {
        await store.enqueueNotifications(Array.from({ length: 8 }, (_, index) => reminder(`n-${index}`, `2027-05-27T00:00:0${index}.000Z`)));
        const other = await another();
        const claim = (claimant: string, now = '2027-05-27T01:00:00.000Z') => ({ claimant, now, leaseUntil: '2027-05-27T01:05:00.000Z', limit: 3 });
        const batches = await Promise.all([store.claimNotifications(claim('a')), other.claimNotifications(claim('b')), store.claimNotifications(claim('c')), other.claimNotifications(claim('d'))]);
        const keys = batches.flat().map((notification) => notification.key);
        expect(keys.sort()).toEqual(Array.from({ length: 8 }, (_, index) => `n-${index}`));
        expect(batches.flat().every((notification) => notification.attempts === 1)).toBe(true);
        const [firstBatch] = batches;
        expect(firstBatch?.[0]).toMatchObject({ kind: 'review_due', target: 'review:slack', intakeId: 'AI-T00001' });
        // Nothing is left to claim while the claims hold.
        expect(await store.claimNotifications(claim('e'))).toEqual([]);
        const [finished, retried] = [batches[0]?.[0], batches[1]?.[0]];
        expect(await store.finishNotification({ key: finished!.key, claimant: 'x', outcome: 'sent', at: '2027-05-27T01:01:00.000Z' })).toBe(false);
        expect(await store.finishNotification({ key: finished!.key, claimant: 'a', outcome: 'sent', at: '2027-05-27T01:01:00.000Z' })).toBe(true);
        expect(await store.finishNotification({ key: finished!.key, claimant: 'a', outcome: 'sent', at: '2027-05-27T01:01:00.000Z' })).toBe(false);
        expect(await store.finishNotification({ key: retried!.key, claimant: 'b', outcome: 'failed', at: '2027-05-27T01:01:00.000Z', retryAt: '2027-05-27T01:02:00.000Z' })).toBe(true);
        expect((await store.claimNotifications(claim('e', '2027-05-27T01:01:30.000Z'))).map((notification) => notification.key)).toEqual([]);
        const retriedClaim = await store.claimNotifications(claim('e', '2027-05-27T01:02:00.000Z'));
        expect(retriedClaim.map((notification) => [notification.key, notification.attempts])).toEqual([[retried!.key, 2]]);
        // Lapsed claims (the retry's included) go to the next claimant, oldest first; the finished one never does.
        const lapsed = await store.claimNotifications({ ...claim('f', '2027-05-27T01:06:00.000Z'), limit: 10 });
        expect(lapsed.map((notification) => notification.key)).toEqual(keys.filter((key) => key !== finished!.key).sort());
        expect(lapsed.map((notification) => notification.attempts)).toEqual(lapsed.map((notification) => (notification.key === retried!.key ? 3 : 2)));
        expect(await store.finishNotification({ key: lapsed[0]!.key, claimant: 'c', outcome: 'sent', at: '2027-05-27T01:07:00.000Z' })).toBe(false);
      });

      it('reports items changed, added or removed outside Shishin, and a moved or forged review date', async () => {
        const decided = await approvedIntake();
        const other = (await store.createIntake(newIntake())).record;
        await store.recordDecision(newApproval(other.id));
        expect(await store.verifyAudit()).toMatchObject({ ok: true, obligationItems: 4, driftCount: 0 });

        await harness.sql(`UPDATE obligation_items SET status = 'done', evidence_note = 'trust me' WHERE id = ${literal(`${decided.id}-1`)}`);
        await harness.sql(`UPDATE obligation_items SET due_at = '2030-01-01T00:00:00.000Z' WHERE id = ${literal(`${decided.id}-2`)}`);
        await harness.sql(`DELETE FROM obligation_items WHERE id = ${literal(`${other.id}-2`)}`);
        await harness.sql(`UPDATE intakes SET next_review_at = '2030-01-01T00:00:00.000Z' WHERE id = ${literal(other.id)}`);
        const result = await store.verifyAudit();
        expect(result.ok).toBe(false);
        expect(driftOf(result)).toEqual([
          [other.id, 'nextReviewAt'],
          [decided.id, `item:${decided.id}-1`],
          [decided.id, `item:${decided.id}-2`],
          [other.id, `item:${other.id}-2`],
        ]);
        expect(result.drift.find((item) => item.field === `item:${decided.id}-1`)?.message).toMatch(/differs from its last entry/);
        expect(result.drift.find((item) => item.field === `item:${other.id}-2`)?.message).toMatch(/no longer holds it/);
        expect(result.drift[0]?.message).toBe('next review is 2030-01-01T00:00:00.000Z in the database, but the audit trail says 2027-05-26T10:00:00.000Z');
      });

      it('reports an item inserted and a re-review forced outside Shishin', async () => {
        const decided = await approvedIntake();
        await harness.sql(
          `INSERT INTO obligation_items (id, intake_id, number, source, text, status, revision, created_at, updated_at, updated_by)
           VALUES (${literal(`${decided.id}-3`)}, ${literal(decided.id)}, 3, 'condition', 'Forged', 'done', 1, '2026-11-26T10:00:00.000Z', '2026-11-26T10:00:00.000Z', ${literal(JSON.stringify(reviewer))})`,
        );
        await harness.sql(`UPDATE intakes SET status = 'review_due' WHERE id = ${literal(decided.id)}`);
        const result = await store.verifyAudit();
        expect(driftOf(result)).toEqual([
          [decided.id, 'status'],
          [decided.id, `item:${decided.id}-3`],
        ]);
        expect(result.drift[1]?.message).toMatch(/never recorded it/);
      });
    });

    describe('chat event ids', () => {
      it('claims an id once per channel and again after it expires', async () => {
        expect(await store.claimEvent('slack', 'Ev1', 60)).toBe(true);
        expect(await store.claimEvent('slack', 'Ev1', 60)).toBe(false);
        expect(await store.claimEvent('teams', 'Ev1', 60)).toBe(true);
        harness.clock.advance(61_000);
        expect(await store.claimEvent('slack', 'Ev1', 60)).toBe(true);
      });

      it('prunes expired ids', async () => {
        for (let index = 0; index < 5; index += 1) await store.claimEvent('slack', `Ev${index}`, 1);
        expect(await count(harness, 'processed_events')).toBe(5);
        harness.clock.advance(120_000);
        await store.claimEvent('slack', 'fresh', 60);
        expect(await count(harness, 'processed_events')).toBe(1);
      });

      it('gives exactly one claim to concurrent claimers', async () => {
        const other = await another();
        const claims = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : other).claimEvent('teams', 'race')));
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('feedback and settings', () => {
      it('stores one feedback per person and answer, the latest winning', async () => {
        await store.saveFeedback({ answerId: 'ans-1', actor: alice, rating: 'up', at: '2026-11-25T09:00:00.000Z' });
        await store.saveFeedback({ answerId: 'ans-1', actor: alice, rating: 'down', comment: 'Missed the JP guideline', at: '2026-11-25T09:01:00.000Z' });
        await store.saveFeedback({ answerId: 'ans-1', actor: bob, rating: 'up', at: '2026-11-25T09:02:00.000Z' });
        const rows = await harness.sql("SELECT actor_key, rating, comment FROM answer_feedback WHERE answer_id = 'ans-1' ORDER BY actor_key");
        expect(rows).toEqual([
          { actor_key: 'slack:U0BOB', rating: 'up', comment: null },
          { actor_key: 'web:alice', rating: 'down', comment: 'Missed the JP guideline' },
        ]);
      });

      it('keeps JSON settings', async () => {
        expect(await store.getSetting('teams.conversation')).toBeUndefined();
        const value = { conversation: { id: '19:abc' }, serviceUrl: 'https://example.test/', list: [1, 2], flag: true };
        await store.setSetting('teams.conversation', value);
        expect(await store.getSetting('teams.conversation')).toEqual(value);
        await store.setSetting('teams.conversation', 'replaced');
        expect(await store.getSetting('teams.conversation')).toBe('replaced');
        await store.setSetting('zero', 0);
        expect(await store.getSetting('zero')).toBe(0);
        await expect(store.setSetting('nothing', undefined)).rejects.toThrow(/JSON value/);
      });
    });

    it('answers ping and describes itself', async () => {
      await store.ping();
      expect(store.description).toMatch(/^(sqlite:|postgres)/);
    });
  });
}
