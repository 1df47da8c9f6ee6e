// The review workflow against real stores (SQLite, and PostgreSQL) with a stub classifier:
// submission, idempotency, notifiers, every decision transition, comment rules, authorisation,
// concurrent decisions and resubmission versioning.
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import type { Classification } from '../../src/core/intake/classification.js';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import { createIntakeService, type IntakeClassifier, type IntakeServiceOptions } from '../../src/core/review/create-intake-service.js';
import { intakeIdPattern } from '../../src/core/review/intake-id.js';
import type { IntakeService, ReviewNotifier } from '../../src/core/review/intake-service.js';
import type { Decision, IntakeRecord, IntakeStatus } from '../../src/core/review/review-types.js';
import { isShishinError, ShishinError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { alice, bob, ManualClock, reviewer, sampleClassification, sampleInput } from '../store/intake-fixtures.js';
import { openPostgresTestDatabase } from '../store/postgres-test-schema.js';
import { postgresBackend, sqliteBackend, type StoreBackend } from './store-backends.js';

const database = await openPostgresTestDatabase();
afterAll(async () => {
  await database?.dropAll();
});

const secondReviewer: Actor = { channel: 'slack', id: 'U0REVIEW2', displayName: 'Second Reviewer' };
const governanceMembers = ['teams:aad-reviewer-1', 'slack:U0REVIEW2'];

/** Flags anything touching employment; everything else is minimal. Counts its calls. */
class StubClassifier implements IntakeClassifier {
  calls = 0;
  failWith: Error | undefined;
  async classify(input: IntakeInput): Promise<Classification> {
    this.calls += 1;
    if (this.failWith !== undefined) throw this.failWith;
    return input.domains.includes('employment') ? sampleClassification('high') : sampleClassification('minimal');
  }
}

class RecordingNotifier implements ReviewNotifier {
  readonly submitted: IntakeRecord[] = [];
  readonly decided: IntakeRecord[] = [];
  constructor(
    readonly name: string,
    private readonly fail = false,
  ) {}
  async intakeSubmitted(record: IntakeRecord): Promise<void> {
    this.submitted.push(record);
    if (this.fail) throw new Error('chat platform down');
  }
  async intakeDecided(record: IntakeRecord): Promise<void> {
    this.decided.push(record);
    if (this.fail) throw new Error('chat platform down');
  }
}

async function rejection(promise: Promise<unknown>): Promise<ShishinError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShishinError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function counterValue(metrics: Metrics, name: 'intakes' | 'decisions', labels: Record<string, string>): Promise<number> {
  return metrics[name]
    .get()
    .then((data) => data.values.find((value) => Object.entries(labels).every(([key, label]) => (value.labels as Record<string, unknown>)[key] === label))?.value ?? 0);
}

function describeService(backend: StoreBackend): void {
  describe(`intake service on ${backend.name}`, () => {
    let store: IntakeStore;
    let cleanup: () => Promise<void>;
    let service: IntakeService;
    let classifier: StubClassifier;
    let notifier: RecordingNotifier;
    let metrics: Metrics;
    let logLines: string[];
    let keyCounter = 0;

    const build = (extra: Partial<Omit<IntakeServiceOptions, 'store' | 'classifier' | 'governanceMembers' | 'logger' | 'metrics'>> = {}) => {
      const logger = createLogger({
        level: 'info',
        destination: new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      });
      return createIntakeService({ store, classifier, governanceMembers, clock: new ManualClock(), logger, metrics, ...extra });
    };

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open(new ManualClock()));
      classifier = new StubClassifier();
      notifier = new RecordingNotifier('recording');
      metrics = createMetrics({ defaultMetrics: false });
      logLines = [];
      service = build();
      service.addNotifier(notifier);
    });

    afterEach(async () => {
      await cleanup();
    });

    const submit = (overrides: { input?: unknown; submittedBy?: Actor; key?: string; previousId?: string } = {}) => {
      keyCounter += 1;
      return service.submit({
        input: overrides.input ?? sampleInput(),
        submittedBy: overrides.submittedBy ?? alice,
        idempotencyKey: overrides.key ?? `key-${keyCounter}`,
        ...(overrides.previousId === undefined ? {} : { previousId: overrides.previousId }),
      });
    };

    /** An intake brought to `status` through the service itself. */
    async function intakeIn(status: IntakeStatus): Promise<IntakeRecord> {
      if (status === 'auto_cleared') return (await submit({ input: sampleInput({ domains: ['internal_productivity'], affectedPersons: ['employees'] }) })).record;
      const pending = (await submit()).record;
      if (status === 'pending_review') return pending;
      const decision = ({ approved: 'approve', approved_with_conditions: 'approve_with_conditions', changes_requested: 'request_changes', rejected: 'reject' } as const)[
        status as 'approved' | 'approved_with_conditions' | 'changes_requested' | 'rejected'
      ];
      return service.decide({ intakeId: pending.id, actor: reviewer, decision, comment: 'Reasoned comment.' });
    }

    describe('submit', () => {
      it('classifies, stores a flagged intake as pending_review with its audit entries, counts and notifies', async () => {
        const { record, created } = await submit();
        expect(created).toBe(true);
        expect(record.id).toMatch(intakeIdPattern);
        expect(record).toMatchObject({ version: 1, status: 'pending_review', submittedBy: alice, reviewMessages: [] });
        expect(record.classification.tier).toBe('high');
        const audit = await store.listAudit({ intakeId: record.id });
        expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
          ['intake.submitted', alice],
          ['intake.classified', { channel: 'system', id: 'classifier' }],
        ]);
        expect(audit[1]?.details).toMatchObject({ tier: 'high', flagged: true, rulesVersion: 'test-rules-1', status: 'pending_review' });
        expect(await counterValue(metrics, 'intakes', { tier: 'high', status: 'pending_review' })).toBe(1);
        expect(notifier.submitted.map((submitted) => submitted.id)).toEqual([record.id]);
        expect(logLines.join('')).not.toContain('CV screening');
      });

      it('auto-clears an intake that is not flagged', async () => {
        const record = await intakeIn('auto_cleared');
        expect(record.status).toBe('auto_cleared');
        expect(await counterValue(metrics, 'intakes', { tier: 'minimal', status: 'auto_cleared' })).toBe(1);
      });

      it('rejects invalid input with field errors before classifying or storing', async () => {
        const error = await rejection(submit({ input: { ...sampleInput(), title: '', domains: [] } }));
        expect(error.code).toBe('input_invalid');
        expect(error.fields?.map((field) => field.field).sort()).toEqual(['domains', 'title']);
        expect(classifier.calls).toBe(0);
        expect(await store.listIntakes()).toEqual([]);
        const noKey = await rejection(submit({ key: '  ' }));
        expect(noKey.fields).toEqual([{ field: 'idempotencyKey', message: 'An idempotency key is required.' }]);
      });

      it('returns the same intake for a retried submission, classifying, counting and notifying once', async () => {
        const first = await submit({ key: 'retry-me' });
        const second = await submit({ key: 'retry-me' });
        expect(second).toEqual({ record: first.record, created: false });
        expect(classifier.calls).toBe(1);
        expect(notifier.submitted).toHaveLength(1);
        expect(await counterValue(metrics, 'intakes', { tier: 'high', status: 'pending_review' })).toBe(1);
        const stranger = await rejection(submit({ key: 'retry-me', submittedBy: bob }));
        expect(stranger.code).toBe('conflict');
        expect(stranger.message).not.toContain(first.record.id);
      });

      it('keeps one intake when the same key races, and 50 distinct submissions apart', async () => {
        const racing = await Promise.all(Array.from({ length: 6 }, () => submit({ key: 'racing-key' })));
        expect(racing.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(racing.map((result) => result.record.id)).size).toBe(1);
        const many = await Promise.all(Array.from({ length: 50 }, () => submit()));
        expect(new Set(many.map((result) => result.record.id)).size).toBe(50);
        expect(await store.listIntakes()).toHaveLength(51);
        expect(notifier.submitted).toHaveLength(51);
        expect((await store.verifyAudit()).ok).toBe(true);
      });

      it('retries with a fresh id when a generated one is taken', async () => {
        const ids = ['AI-AAAAAA', 'AI-AAAAAA', 'AI-AAAAAA', 'AI-BBBBBB'];
        service = build({ generateId: () => ids.shift() ?? 'AI-ZZZZZZ' });
        expect((await submit()).record.id).toBe('AI-AAAAAA');
        expect((await submit()).record.id).toBe('AI-BBBBBB');
        expect(await store.listIntakes()).toHaveLength(2);
      });

      it('never fails a submission or decision because a notifier failed, and still tells the others', async () => {
        const failing = new RecordingNotifier('broken', true);
        const after = new RecordingNotifier('after');
        service.addNotifier(failing);
        service.addNotifier(after);
        const { record, created } = await submit();
        expect(created).toBe(true);
        expect(after.submitted).toHaveLength(1);
        const decided = await service.decide({ intakeId: record.id, actor: reviewer, decision: 'approve' });
        expect(decided.status).toBe('approved');
        expect(after.decided).toHaveLength(1);
        expect(logLines.filter((line) => line.includes('review notifier failed'))).toHaveLength(2);
      });

      it('does not wait beyond the timeout for a notifier that hangs', async () => {
        service = build({ notifierTimeoutMs: 50 });
        let release: () => void = () => undefined;
        const hanging: ReviewNotifier = {
          name: 'hanging',
          intakeSubmitted: () => new Promise<void>((resolve) => (release = resolve)),
          intakeDecided: async () => undefined,
        };
        const quick = new RecordingNotifier('quick');
        service.addNotifier(hanging);
        service.addNotifier(quick);
        const { created } = await submit();
        expect(created).toBe(true);
        expect(quick.submitted).toHaveLength(1);
        expect(logLines.some((line) => line.includes('review notifier is slow'))).toBe(true);
        release();
      });

      it('stores nothing when the classifier fails', async () => {
        classifier.failWith = new ShishinError('provider_failed', 'classifier down');
        expect((await rejection(submit())).code).toBe('provider_failed');
        expect(await store.listIntakes()).toEqual([]);
        expect(await store.listAudit()).toEqual([]);
      });
    });

    describe('decide', () => {
      const allowed: [IntakeStatus, Decision, IntakeStatus][] = [];
      for (const from of ['pending_review', 'auto_cleared'] as const) {
        allowed.push([from, 'approve', 'approved'], [from, 'approve_with_conditions', 'approved_with_conditions'], [from, 'request_changes', 'changes_requested'], [from, 'reject', 'rejected']);
      }

      it.each(allowed)('from %s, %s leads to %s', async (from, decision, to) => {
        const intake = await intakeIn(from);
        const decided = await service.decide({ intakeId: intake.id, actor: reviewer, decision, comment: '  Needs a DPIA first.  ' });
        expect(decided).toMatchObject({ status: to, decision, decidedBy: reviewer, decisionComment: 'Needs a DPIA first.' });
        expect(decided.decidedAt).toBeDefined();
        const audit = await store.listAudit({ intakeId: intake.id });
        expect(audit.find((entry) => entry.action === 'intake.decided')).toMatchObject({ actor: reviewer, details: { decision, from, to, comment: 'Needs a DPIA first.' } });
        // An approval also turns the checklist (and, with conditions, the comment) into items.
        const items = await store.listObligationItems({ intakeIds: [intake.id] });
        expect(items.length > 0).toBe(to.startsWith('approved') && (intake.classification.obligations.length > 0 || decision === 'approve_with_conditions'));
        expect(audit.at(-1)?.action).toBe(items.length > 0 ? 'obligations.created' : 'intake.decided');
        expect(notifier.decided.map((record) => record.status)).toEqual([to]);
        expect(await counterValue(metrics, 'decisions', { decision })).toBe(1);
      });

      const terminal: [IntakeStatus, string][] = [
        ['approved', 'is already approved.'],
        ['approved_with_conditions', 'is already approved with conditions.'],
        ['rejected', 'is already rejected.'],
        ['changes_requested', 'already has changes requested'],
      ];
      it.each(terminal)('refuses any decision on an intake that is %s', async (status, message) => {
        const intake = await intakeIn(status);
        for (const decision of ['approve', 'approve_with_conditions', 'request_changes', 'reject'] as const) {
          const error = await rejection(service.decide({ intakeId: intake.id, actor: reviewer, decision, comment: 'again' }));
          expect(error.code).toBe('conflict');
          expect(error.message).toContain(`${intake.id} ${message}`);
        }
        expect((await service.get(intake.id)).status).toBe(status);
      });

      it('requires a comment for conditions, requested changes and rejections, and caps its length', async () => {
        const intake = await intakeIn('pending_review');
        for (const decision of ['approve_with_conditions', 'request_changes', 'reject'] as const) {
          for (const comment of [undefined, '', '   ']) {
            const error = await rejection(service.decide({ intakeId: intake.id, actor: reviewer, decision, ...(comment === undefined ? {} : { comment }) }));
            expect(error.code).toBe('input_invalid');
            expect(error.fields?.[0]?.field).toBe('comment');
            expect(error.fields?.[0]?.message).toMatch(/A comment is required/);
          }
        }
        const tooLong = await rejection(service.decide({ intakeId: intake.id, actor: reviewer, decision: 'approve', comment: 'x'.repeat(2001) }));
        expect(tooLong.fields).toEqual([{ field: 'comment', message: 'Comment must be at most 2000 characters.' }]);
        const wrong = await rejection(service.decide({ intakeId: intake.id, actor: reviewer, decision: 'maybe' as Decision }));
        expect(wrong.fields?.[0]?.field).toBe('decision');
        expect((await service.get(intake.id)).status).toBe('pending_review');
        const decided = await service.decide({ intakeId: intake.id, actor: reviewer, decision: 'approve_with_conditions', comment: 'y'.repeat(2000) });
        expect(decided.decisionComment).toHaveLength(2000);
        const plain = await intakeIn('pending_review');
        expect((await service.decide({ intakeId: plain.id, actor: reviewer, decision: 'approve' })).decisionComment).toBeUndefined();
      });

      it('refuses people outside the governance team and audits the attempt', async () => {
        const intake = await intakeIn('pending_review');
        const impostor: Actor = { channel: 'web', id: 'aad-reviewer-1' };
        for (const actor of [alice, impostor]) {
          const error = await rejection(service.decide({ intakeId: intake.id, actor, decision: 'approve' }));
          expect(error.code).toBe('not_authorised');
          expect(error.message).toBe('Only the governance team can decide on intakes.');
        }
        const refused = (await store.listAudit({ intakeId: intake.id })).filter((entry) => entry.action === 'decision.refused');
        expect(refused.map((entry) => entry.actor)).toEqual([alice, impostor]);
        expect(refused[0]?.details).toEqual({ decision: 'approve', reason: 'not_governance_member' });
        expect((await service.get(intake.id)).status).toBe('pending_review');
        expect(notifier.decided).toEqual([]);
        expect(service.isGovernanceMember(reviewer)).toBe(true);
        expect(service.isGovernanceMember(impostor)).toBe(false);
      });

      it('reports unknown intakes as not found', async () => {
        expect((await rejection(service.decide({ intakeId: 'AI-NOPE00', actor: reviewer, decision: 'approve' }))).code).toBe('not_found');
        expect((await rejection(service.get('AI-NOPE00'))).code).toBe('not_found');
      });

      it('lets exactly one of two concurrent decisions win; the other learns what happened', async () => {
        const intake = await intakeIn('pending_review');
        const results = await Promise.allSettled([
          service.decide({ intakeId: intake.id, actor: reviewer, decision: 'approve' }),
          service.decide({ intakeId: intake.id, actor: secondReviewer, decision: 'reject', comment: 'Too risky.' }),
        ]);
        const winners = results.filter((result): result is PromiseFulfilledResult<IntakeRecord> => result.status === 'fulfilled');
        const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        const final = await service.get(intake.id);
        expect(final.status).toBe(winners[0]?.value.status);
        expect(isShishinError(losers[0]?.reason, 'conflict')).toBe(true);
        expect((losers[0]?.reason as Error).message).toBe(`${intake.id} is already ${final.status === 'approved' ? 'approved' : 'rejected'}.`);
        expect((await store.listAudit({ intakeId: intake.id })).filter((entry) => entry.action === 'intake.decided')).toHaveLength(1);
        expect(notifier.decided).toHaveLength(1);
      });
    });

    describe('separation of duties', () => {
      // The reviewer is a governance member who also submits use cases of their own.
      const refusals = async (intakeId?: string) =>
        (await store.listAudit(intakeId === undefined ? {} : { intakeId })).filter((entry) => entry.action === 'decision.refused');

      it('refuses a member deciding an intake they submitted, audits it, and lets another member decide', async () => {
        const own = (await submit({ submittedBy: reviewer })).record;
        for (const decision of ['approve', 'reject'] as const) {
          const error = await rejection(service.decide({ intakeId: own.id, actor: reviewer, decision, comment: 'Looks fine to me.' }));
          expect(error.code).toBe('not_authorised');
          expect(error.message).toBe(`You submitted ${own.id}; ask another member of the governance team to decide on it.`);
        }
        const refused = await refusals(own.id);
        expect(refused.map((entry) => [entry.actor, entry.details])).toEqual([
          [reviewer, { decision: 'approve', reason: 'self_review' }],
          [reviewer, { decision: 'reject', reason: 'self_review' }],
        ]);
        expect((await service.get(own.id)).status).toBe('pending_review');
        expect(notifier.decided).toEqual([]);
        const decided = await service.decide({ intakeId: own.id, actor: secondReviewer, decision: 'approve' });
        expect(decided).toMatchObject({ status: 'approved', decidedBy: secondReviewer });
        expect((await store.verifyAudit()).ok).toBe(true);
      });

      it('refuses whoever submitted an earlier version of a resubmitted intake', async () => {
        const first = (await submit({ submittedBy: reviewer })).record;
        await service.decide({ intakeId: first.id, actor: secondReviewer, decision: 'request_changes', comment: 'Add the DPIA.' });
        // Another member resubmits on the reviewer's behalf; the reviewer still may not decide it.
        const second = (await submit({ previousId: first.id, submittedBy: secondReviewer })).record;
        const error = await rejection(service.decide({ intakeId: second.id, actor: reviewer, decision: 'approve' }));
        expect(error.message).toBe(`You submitted an earlier version of ${second.id}; ask another member of the governance team to decide on it.`);
        expect((await rejection(service.decide({ intakeId: second.id, actor: secondReviewer, decision: 'approve' }))).message).toMatch(/^You submitted /);
        expect((await service.get(second.id)).status).toBe('pending_review');
      });

      it('allows self-review when configured, and always for the development identity', async () => {
        const developer: Actor = { channel: 'web', id: 'dev' };
        service = createIntakeService({
          store,
          classifier,
          governanceMembers: [...governanceMembers, 'web:dev'],
          clock: new ManualClock(),
          logger: createLogger({ level: 'silent' }),
          selfReviewExemptions: ['web:dev'],
        });
        const mine = (await submit({ submittedBy: developer })).record;
        expect((await service.decide({ intakeId: mine.id, actor: developer, decision: 'approve' })).status).toBe('approved');
        const reviewers = (await submit({ submittedBy: reviewer })).record;
        expect((await rejection(service.decide({ intakeId: reviewers.id, actor: reviewer, decision: 'approve' }))).code).toBe('not_authorised');

        service = build({ allowSelfReview: true });
        expect((await service.decide({ intakeId: reviewers.id, actor: reviewer, decision: 'approve' })).status).toBe('approved');
        expect(await refusals()).toHaveLength(1);
      });
    });

    describe('flood limits', () => {
      const hugeId = `AI-${'X'.repeat(8192)}`;

      it('checks the intake id before writing anything: malformed or unknown ids leave no audit entry', async () => {
        const intake = await intakeIn('pending_review');
        const before = (await store.listAudit()).length;
        for (const actor of [alice, reviewer]) {
          for (const intakeId of [hugeId, 'AI-ZZZZZZ', '', 'ai-' + intake.id.slice(3).toLowerCase()]) {
            const error = await rejection(service.decide({ intakeId, actor, decision: 'approve' }));
            expect(error.code).toBe(actor === alice ? 'not_authorised' : 'not_found');
            expect(error.message.length).toBeLessThan(120);
          }
        }
        expect((await store.listAudit()).length).toBe(before);
        expect((await rejection(service.get(hugeId))).message).toBe('There is no intake with that id (ids look like AI-7K3F9Q).');
        // A refused attempt on a real intake is audited, with the decision cut short.
        await rejection(service.decide({ intakeId: intake.id, actor: alice, decision: 'x'.repeat(5000) as Decision }));
        const [refused] = (await store.listAudit()).slice(before);
        expect(refused).toMatchObject({ action: 'decision.refused', intakeId: intake.id, details: { decision: 'x'.repeat(40), reason: 'not_governance_member' } });
      });

      it('caps identities: an overlong id is refused unwritten, an overlong display name is cut', async () => {
        const intake = await intakeIn('pending_review');
        const before = (await store.listAudit()).length;
        const error = await rejection(service.decide({ intakeId: intake.id, actor: { channel: 'web', id: 'm'.repeat(8000) }, decision: 'approve' }));
        expect(error.code).toBe('input_invalid');
        expect((await store.listAudit()).length).toBe(before);
        const named = { ...reviewer, displayName: 'R'.repeat(5000) };
        const decided = await service.decide({ intakeId: intake.id, actor: named, decision: 'approve' });
        expect(decided.decidedBy?.displayName).toHaveLength(200);
        expect((await store.listAudit()).at(-1)?.actor).toEqual(decided.decidedBy);
      });

      it('limits decision attempts per person, refused or not, and writes one entry per burst', async () => {
        const clock = new ManualClock();
        service = build({ clock, decisionsPerMinute: 5 });
        const intake = await intakeIn('pending_review');
        const before = (await store.listAudit()).length;
        const outcomes: string[] = [];
        for (let attempt = 0; attempt < 40; attempt += 1) {
          outcomes.push((await rejection(service.decide({ intakeId: attempt % 2 === 0 ? intake.id : hugeId, actor: alice, decision: 'approve' }))).code);
        }
        expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('not_authorised'));
        expect(new Set(outcomes.slice(5))).toEqual(new Set(['rate_limited']));
        const limited = await rejection(service.decide({ intakeId: intake.id, actor: alice, decision: 'approve' }));
        expect(limited.message).toMatch(/^Too many decision attempts; please wait \d+ seconds? and try again\.$/);
        const written = (await store.listAudit()).slice(before);
        // Three refusals on the real intake (attempts 1, 3, 5) and one for the whole burst.
        expect(written.map((entry) => entry.details.reason)).toEqual(['not_governance_member', 'not_governance_member', 'not_governance_member', 'rate_limited']);
        expect(written.at(-1)?.intakeId).toBeUndefined();
        // Someone else is not held up, and the limit lifts as time passes.
        expect((await service.decide({ intakeId: intake.id, actor: reviewer, decision: 'approve', comment: 'ok' })).status).toBe('approved');
        clock.advance(60_000);
        expect((await rejection(service.decide({ intakeId: intake.id, actor: alice, decision: 'approve' }))).code).toBe('not_authorised');
      });
    });

    describe('resubmission', () => {
      it('creates a linked new version; the old one stays changes_requested', async () => {
        const first = await intakeIn('changes_requested');
        const second = (await submit({ previousId: first.id, input: sampleInput({ description: 'Now with a human recruiter making every final decision.' }) })).record;
        expect(second).toMatchObject({ version: 2, previousId: first.id, status: 'pending_review' });
        expect(second.id).not.toBe(first.id);
        expect((await service.get(first.id)).status).toBe('changes_requested');
        expect((await store.listAudit({ intakeId: second.id }))[0]?.details).toMatchObject({ version: 2, previousId: first.id, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
        const changed = await service.decide({ intakeId: second.id, actor: reviewer, decision: 'request_changes', comment: 'Still missing the DPIA.' });
        const third = (await submit({ previousId: changed.id })).record;
        expect(third).toMatchObject({ version: 3, previousId: second.id });
      });

      it('allows the original submitter or a member; refuses anyone else', async () => {
        const first = await intakeIn('changes_requested');
        expect((await rejection(submit({ previousId: first.id, submittedBy: bob }))).code).toBe('not_authorised');
        const byMember = (await submit({ previousId: first.id, submittedBy: secondReviewer })).record;
        expect(byMember.version).toBe(2);
      });

      it('refuses versions that are not awaiting changes, unknown ones, and a second successor', async () => {
        for (const status of ['pending_review', 'auto_cleared', 'approved', 'rejected'] as const) {
          const intake = await intakeIn(status);
          const error = await rejection(submit({ previousId: intake.id }));
          expect(error.code).toBe('conflict');
          expect(error.message).toContain('only be resubmitted after changes were requested');
        }
        expect((await rejection(submit({ previousId: 'AI-NOPE00' }))).code).toBe('not_found');
        const first = await intakeIn('changes_requested');
        await submit({ previousId: first.id });
        const again = await rejection(submit({ previousId: first.id }));
        expect(again.code).toBe('conflict');
        expect(again.message).toContain('already has a newer version');
      });
    });

    describe('reading', () => {
      it('queues pending intakes oldest first, lists newest first, and builds the register', async () => {
        const a = await intakeIn('pending_review');
        const cleared = await intakeIn('auto_cleared');
        const b = (await submit({ submittedBy: bob })).record;
        const approved = await intakeIn('approved');
        expect((await service.queue()).map((record) => record.id)).toEqual([a.id, b.id]);
        expect((await service.list()).map((record) => record.id)).toEqual([approved.id, b.id, cleared.id, a.id]);
        expect((await service.list({ submittedBy: bob })).map((record) => record.id)).toEqual([b.id]);
        expect((await service.list({ status: ['approved'] })).map((record) => record.id)).toEqual([approved.id]);
        const register = await service.register();
        expect(register.map((row) => row.id)).toEqual([a.id, cleared.id, b.id, approved.id]);
        expect(register[3]).toMatchObject({
          title: 'CV screening assistant',
          businessUnit: 'People & Culture',
          owner: 'Alice Tanaka (web:alice)',
          tier: 'high',
          status: 'approved',
          decidedBy: 'Rei Viewer (teams:aad-reviewer-1)',
          obligations: ['Run a risk management system', 'Ensure human oversight, with "stop" authority'],
          version: 1,
        });
        expect(register[2]?.owner).toBe('slack:U0BOB');
        expect(register[0]?.decidedBy).toBe('');
      });

      it('classifies without storing', async () => {
        const classification = await service.classify(sampleInput());
        expect(classification.tier).toBe('high');
        expect(await store.listIntakes()).toEqual([]);
      });
    });
  });
}

describeService(sqliteBackend);
if (database === undefined) {
  describe.skip('intake service on PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  describeService(postgresBackend(database));
}
