// The IntakeStore contract: one suite every implementation must pass (SQLite and PostgreSQL run it
// from their own test files). Each test gets a fresh, empty database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isShishinError } from '../../src/errors.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import type { StoreHooks } from '../../src/providers/store/store-hooks.js';
import { alice, bob, ManualClock, newIntake, reviewer, sampleClassification } from './intake-fixtures.js';

export interface StoreHarness {
  store: IntakeStore;
  clock: ManualClock;
  /** The versions this store's migration list holds, in order. */
  migrationVersions: number[];
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
        expect(audit[1]?.details).toEqual({ tier: 'high', flagged: true });
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
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 100 });
      });

      it('creates exactly one intake when one key is submitted concurrently from two instances', async () => {
        const other = await another();
        const key = 'same-key-everywhere';
        const attempts = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? store : other).createIntake(newIntake({ idempotencyKey: key })));
        const results = await Promise.all(attempts);
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.record.id)).size).toBe(1);
        expect(await count(harness, 'intakes')).toBe(1);
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 2 });
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
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 3 });
      });

      it('verifies an empty trail', async () => {
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 0 });
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
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 60 });
      });

      it('refuses direct updates and deletes of audit rows', async () => {
        await store.createIntake(newIntake());
        await expect(harness.sql("UPDATE audit_entries SET action = 'x' WHERE sequence = 1")).rejects.toThrow(/append-only/);
        await expect(harness.sql('DELETE FROM audit_entries WHERE sequence = 1')).rejects.toThrow(/append-only/);
        expect(await store.verifyAudit()).toEqual({ ok: true, entries: 2 });
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
