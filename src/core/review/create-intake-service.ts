// The intake service: validate → classify → store (with audit entries, in one transaction) →
// notify; and the review decisions with their authorisation, comment rules and compare-and-set.
// Every door (web, Slack, Teams, CLI) calls this one implementation.
import { z } from 'zod';
import { actorKey, type Actor } from '../actor.js';
import { isShishinError, ShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditEntryInput, IntakeStore } from '../../ports/intake-store.js';
import type { Classification } from '../intake/classification.js';
import { parseIntake, type IntakeInput } from '../intake/intake-schema.js';
import { displayTimeZone } from '../i18n/date-format.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import { createDecisionRateLimiter } from './decision-rate-limiter.js';
import { createQuestionEscalation } from './question-escalation.js';
import { decisionAuditEntry, itemsCreatedAuditEntry, refusalAuditEntry, submissionAuditEntries } from './intake-audit.js';
import { generateIntakeId, intakeIdPattern } from './intake-id.js';
import type { DecideRequest, IntakeService, RegisterRow, ReviewNotifier, SubmitRequest } from './intake-service.js';
import { itemsForApproval } from './obligation-items.js';
import { toRegisterRows } from './register-format.js';
import { noReviewSchedule, type ReviewSchedule } from './review-schedule.js';
import { approvedStatuses, commentProblem, isDecidable, queuedStatuses, undecidableReason } from './review-transitions.js';
import { decisions, statusAfterDecision, type IntakeRecord, type IntakeStatus } from './review-types.js';

/** What the service needs from the classifier (createClassifier's result satisfies it). */
export interface IntakeClassifier {
  classify(input: IntakeInput): Promise<Classification>;
  /** The classification's texts in `locale`; without it, classifications are shown as stored (English). */
  localize?(classification: Classification, locale: Locale): Classification;
}

export interface IntakeServiceOptions {
  store: IntakeStore;
  classifier: IntakeClassifier;
  /** `channel:id` keys, as in GOVERNANCE_MEMBERS. */
  governanceMembers: readonly string[];
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Id generator; tests pass one that collides on purpose. */
  generateId?: () => string;
  /**
   * How long a submission or decision waits for each notifier (default 10 000 ms). A slower one
   * carries on in the background; the caller gets its answer without waiting for a chat platform.
   */
  notifierTimeoutMs?: number;
  /** Whether a member may decide an intake they submitted (ALLOW_SELF_REVIEW; default false). */
  allowSelfReview?: boolean;
  /** `channel:id` keys that may always decide their own intakes: the development identity. */
  selfReviewExemptions?: readonly string[];
  /** Decision attempts per person per minute, refused or not (DECISION_RATE_LIMIT_PER_MINUTE; default 30). */
  decisionsPerMinute?: number;
  /** When approvals are reviewed again and their items fall due (the rules file's `review_intervals`). */
  reviewSchedule?: ReviewSchedule;
  /** Time zone of the register's times (DISPLAY_TIME_ZONE); default: Asia/Tokyo for Japanese readers, else UTC. */
  displayTimeZone?: string;
}

/** Default for `decisionsPerMinute`: far above a person reviewing, far below a flood. */
export const defaultDecisionsPerMinute = 30;

const maximumIdAttempts = 8;
/** Longest actor id and display name a decision accepts or records. */
const maximumActorIdLength = 256;
const maximumDisplayNameLength = 200;
/** Resubmissions followed when looking for earlier submitters (a chain is rarely longer than a few). */
const maximumVersionsFollowed = 50;

const idempotencyKeySchema = z
  .string({ error: () => 'An idempotency key is required.' })
  .trim()
  .min(1, { error: () => 'An idempotency key is required.' })
  .max(200, { error: () => 'The idempotency key must be at most 200 characters.' });

const decisionSchema = z.enum(decisions, { error: () => `Choose one of: ${decisions.join(', ')}.` });

const commentSchema = z
  .string({ error: () => 'The comment must be text.' })
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export function createIntakeService(options: IntakeServiceOptions): IntakeService {
  const { store, classifier, clock, metrics } = options;
  const reviewSchedule = options.reviewSchedule ?? noReviewSchedule;
  const logger = options.logger.child({ component: 'intake-service' });
  const members = new Set(options.governanceMembers);
  const generateId = options.generateId ?? generateIntakeId;
  const notifiers: ReviewNotifier[] = [];
  const selfReviewExemptions = new Set(options.selfReviewExemptions ?? []);
  const rateLimiter = createDecisionRateLimiter({ perMinute: options.decisionsPerMinute ?? defaultDecisionsPerMinute, clock });
  const localize = (classification: Classification, locale: Locale): Classification =>
    locale === 'en' || classifier.localize === undefined ? classification : classifier.localize(classification, locale);

  const isGovernanceMember = (actor: Actor) => members.has(actorKey(actor));

  /** Writes a refused attempt; a failure to write is logged, never turned into another error. */
  async function auditRefusal(entry: AuditEntryInput): Promise<void> {
    try {
      await store.appendAudit([entry]);
    } catch (error) {
      logger.error({ err: error, intakeId: entry.intakeId }, 'could not audit a refused decision');
    }
  }

  /** Everyone who submitted this version or an earlier one of the same use case. */
  async function submittersOf(record: IntakeRecord): Promise<{ key: string; version: number }[]> {
    const submitters = [{ key: actorKey(record.submittedBy), version: record.version }];
    let previousId = record.previousId;
    for (let step = 0; previousId !== undefined && step < maximumVersionsFollowed; step += 1) {
      const previous = await store.getIntake(previousId);
      if (previous === undefined) break;
      submitters.push({ key: actorKey(previous.submittedBy), version: previous.version });
      previousId = previous.previousId;
    }
    return submitters;
  }

  async function notify(event: 'intakeSubmitted' | 'intakeDecided', record: IntakeRecord): Promise<void> {
    const timeoutMs = options.notifierTimeoutMs ?? 10_000;
    await Promise.all(
      notifiers.map(async (notifier) => {
        let timer: NodeJS.Timeout | undefined;
        const call = Promise.resolve()
          .then(() => notifier[event](record))
          .catch((error: unknown) => logger.error({ err: error, notifier: notifier.name, intakeId: record.id, event }, 'review notifier failed'));
        const slow = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ notifier: notifier.name, intakeId: record.id, event, timeoutMs }, 'review notifier is slow; continuing without it');
            resolve();
          }, timeoutMs);
        });
        await Promise.race([call, slow]);
        clearTimeout(timer);
      }),
    );
  }

  /** A retried submit must come from the same person; anyone else learns nothing about it. */
  function replay(existing: IntakeRecord, submittedBy: Actor): { record: IntakeRecord; created: boolean } {
    if (actorKey(existing.submittedBy) !== actorKey(submittedBy)) {
      throw new ShishinError('conflict', 'This idempotency key was already used for another submission; use a new key.', {
        fields: [{ field: 'idempotencyKey', message: 'already used' }],
      });
    }
    logger.info({ intakeId: existing.id }, 'repeated submission returned the stored intake');
    return { record: existing, created: false };
  }

  async function previousVersion(previousId: string, submittedBy: Actor, locale: Locale): Promise<IntakeRecord> {
    const previous = await store.getIntake(previousId);
    if (previous === undefined) {
      throw new ShishinError('not_found', t(locale, 'review.noSuchIntake', { id: previousId }), { fields: [{ field: 'previousId', message: 'not found' }] });
    }
    if (actorKey(previous.submittedBy) !== actorKey(submittedBy) && !isGovernanceMember(submittedBy)) {
      throw new ShishinError('not_authorised', t(locale, 'review.resubmitNotAllowed', { id: previousId }));
    }
    if (previous.status !== 'changes_requested') {
      throw new ShishinError('conflict', t(locale, 'review.resubmitNotAwaiting', { id: previousId, status: locale === 'en' ? previous.status.replace(/_/g, ' ') : t(locale, `status.${previous.status}`) }), {
        fields: [{ field: 'previousId', message: 'not awaiting changes' }],
      });
    }
    return previous;
  }

  async function submit(request: SubmitRequest): Promise<{ record: IntakeRecord; created: boolean }> {
    const keyResult = idempotencyKeySchema.safeParse(request.idempotencyKey);
    if (!keyResult.success) {
      const message = keyResult.error.issues[0]?.message ?? 'Invalid idempotency key.';
      throw new ShishinError('input_invalid', message, { fields: [{ field: 'idempotencyKey', message }] });
    }
    const idempotencyKey = keyResult.data;
    const existing = await store.findByIdempotencyKey(idempotencyKey);
    if (existing !== undefined) return replay(existing, request.submittedBy);

    const locale = request.locale ?? 'en';
    const input = parseIntake(request.input, locale);
    const previous = request.previousId === undefined ? undefined : await previousVersion(request.previousId, request.submittedBy, locale);
    const classification = await classifier.classify(input);
    const status: IntakeStatus = classification.flagged ? 'pending_review' : 'auto_cleared';
    const submittedAt = clock.now().toISOString();

    for (let attempt = 1; ; attempt += 1) {
      const id = generateId();
      const record: Omit<IntakeRecord, 'updatedAt'> = {
        id,
        version: previous === undefined ? 1 : previous.version + 1,
        ...(previous === undefined ? {} : { previousId: previous.id }),
        input,
        classification,
        status,
        submittedBy: request.submittedBy,
        submittedAt,
        idempotencyKey,
        reviewMessages: [],
      };
      const audit = submissionAuditEntries(record);
      let result: { record: IntakeRecord; created: boolean };
      try {
        result = await store.createIntake({ record, audit });
      } catch (error) {
        const idCollision = isShishinError(error, 'conflict') && error.fields?.some((field) => field.field === 'id') === true;
        if (idCollision && attempt < maximumIdAttempts) {
          logger.warn({ attempt }, 'generated intake id was taken; trying another');
          continue;
        }
        throw error;
      }
      if (!result.created) return replay(result.record, request.submittedBy);
      metrics?.intakes.inc({ tier: classification.tier, status });
      logger.info({ intakeId: id, tier: classification.tier, status, version: record.version }, 'intake submitted');
      await notify('intakeSubmitted', result.record);
      return result;
    }
  }

  async function get(id: string, locale: Locale = 'en'): Promise<IntakeRecord> {
    // A malformed id cannot exist: no query, and the reply does not echo whatever was sent.
    if (!intakeIdPattern.test(id)) throw new ShishinError('not_found', t(locale, 'review.malformedId'));
    const record = await store.getIntake(id);
    if (record === undefined) throw new ShishinError('not_found', t(locale, 'review.noSuchIntake', { id }));
    return record;
  }

  /**
   * Order matters: nothing is written before the caller's identity, rate and intake id are checked,
   * so a flood of attempts (refused or with huge ids) cannot grow the audit trail beyond one small
   * entry per refused attempt on a real intake, within the per-person rate.
   */
  async function decide(request: DecideRequest): Promise<IntakeRecord> {
    if (typeof request.actor.id !== 'string' || request.actor.id.length > maximumActorIdLength) {
      throw new ShishinError('input_invalid', 'The identity of the person deciding is not usable.');
    }
    const actor: Actor =
      request.actor.displayName !== undefined && request.actor.displayName.length > maximumDisplayNameLength
        ? { ...request.actor, displayName: request.actor.displayName.slice(0, maximumDisplayNameLength) }
        : request.actor;
    const key = actorKey(actor);
    const attemptedDecision = String(request.decision).slice(0, 40);
    const locale = request.locale ?? 'en';

    const rate = rateLimiter.take(key);
    if (!rate.allowed) {
      logger.warn({ actor: key, retryAfterSeconds: rate.retryAfterSeconds }, 'decision attempts rate-limited');
      // At most one entry a minute per person, not one per attempt: the trail shows the flood
      // without growing with it.
      if (rate.report) await auditRefusal(refusalAuditEntry({ actor, decision: attemptedDecision, reason: 'rate_limited' }));
      throw new ShishinError('rate_limited', t(locale, 'review.tooManyAttempts', { count: rate.retryAfterSeconds }));
    }

    const wellFormedId = typeof request.intakeId === 'string' && intakeIdPattern.test(request.intakeId);
    if (!isGovernanceMember(actor)) {
      // Audited only for an intake that exists: the entry then names a real intake, never a made-up id.
      const existing = wellFormedId ? await store.getIntake(request.intakeId) : undefined;
      if (existing !== undefined) {
        await auditRefusal(refusalAuditEntry({ actor, intakeId: existing.id, decision: attemptedDecision, reason: 'not_governance_member' }));
      }
      logger.warn({ intakeId: existing?.id, actor: key }, 'decision refused: not a governance member');
      throw new ShishinError('not_authorised', t(locale, 'review.membersOnly'));
    }
    const decisionResult = decisionSchema.safeParse(request.decision);
    const commentResult = commentSchema.safeParse(request.comment);
    const fields = [];
    if (!decisionResult.success) fields.push({ field: 'decision', message: decisionResult.error.issues[0]?.message ?? 'Invalid decision.' });
    if (!commentResult.success) fields.push({ field: 'comment', message: commentResult.error.issues[0]?.message ?? 'Invalid comment.' });
    if (decisionResult.success && commentResult.success) {
      const problem = commentProblem(decisionResult.data, commentResult.data, locale);
      if (problem !== undefined) fields.push({ field: 'comment', message: problem });
    }
    if (fields.length > 0 || !decisionResult.success || !commentResult.success) {
      throw new ShishinError('input_invalid', fields.map((field) => field.message).join(' '), { fields });
    }
    const decision = decisionResult.data;
    const comment = commentResult.data;

    const current = await get(request.intakeId, locale);
    if (!options.allowSelfReview && !selfReviewExemptions.has(key)) {
      const own = (await submittersOf(current)).find((submitter) => submitter.key === key);
      if (own !== undefined) {
        await auditRefusal(refusalAuditEntry({ actor, intakeId: current.id, decision, reason: 'self_review' }));
        logger.warn({ intakeId: current.id, actor: key }, 'decision refused: the decider submitted the intake');
        throw new ShishinError('not_authorised', t(locale, own.version === current.version ? 'review.ownIntake' : 'review.ownEarlierVersion', { id: current.id }));
      }
    }
    if (!isDecidable(current.status)) throw new ShishinError('conflict', undecidableReason(current.id, current.status, locale));
    const status = statusAfterDecision[decision];
    const decidedNow = clock.now();
    const decidedAt = decidedNow.toISOString();
    // An approval schedules the next review and turns the checklist (and any conditions) into items.
    const approving = approvedStatuses.includes(status);
    const nextReviewAt = approving ? reviewSchedule.nextReviewAt(current.classification.tier, decidedNow) : undefined;
    const newItems = approving
      ? itemsForApproval({
          record: current,
          existing: await store.listObligationItems({ intakeIds: [current.id] }),
          decision,
          comment,
          decidedBy: actor,
          decidedAt,
          dueAt: reviewSchedule.itemsDueAt(current.classification.tier, decidedNow),
        })
      : [];
    let decided: IntakeRecord;
    try {
      decided = await store.recordDecision({
        intakeId: current.id,
        expectedStatus: current.status,
        status,
        decision,
        decidedBy: actor,
        decidedAt,
        ...(comment === undefined ? {} : { comment }),
        ...(nextReviewAt === undefined ? {} : { nextReviewAt }),
        newItems,
        audit: [
          decisionAuditEntry({
            intakeId: current.id,
            decidedBy: actor,
            decision,
            from: current.status,
            to: status,
            decidedAt,
            ...(comment === undefined ? {} : { comment }),
            nextReviewAt: nextReviewAt ?? null,
          }),
          ...(newItems.length === 0 ? [] : [itemsCreatedAuditEntry(current.id, actor, newItems)]),
        ],
      });
    } catch (error) {
      if (!isShishinError(error, 'conflict')) throw error;
      // Someone else decided first: say what it is now.
      const now = await store.getIntake(current.id);
      throw new ShishinError('conflict', now === undefined ? error.message : undecidableReason(now.id, now.status, locale), { cause: error });
    }
    metrics?.decisions.inc({ decision });
    logger.info({ intakeId: decided.id, decision, status, items: newItems.length, nextReviewAt }, 'intake decided');
    await notify('intakeDecided', decided);
    return decided;
  }

  const escalations = createQuestionEscalation({ store, clock, logger, notifiers: () => notifiers });

  return {
    classify: (input) => classifier.classify(input),
    submit,
    get,
    list: (query = {}) => store.listIntakes({ ...query, order: 'newest' }),
    queue: () => store.listIntakes({ status: [...queuedStatuses], order: 'oldest' }),
    decide,
    isGovernanceMember,
    register: async (locale: Locale = 'en'): Promise<RegisterRow[]> => {
      const [records, items] = await Promise.all([store.listIntakes({ order: 'oldest' }), store.listObligationItems()]);
      return toRegisterRows(records, {
        locale,
        localize: (classification: Classification) => localize(classification, locale),
        timeZone: displayTimeZone(locale, options.displayTimeZone),
        items,
        now: clock.now(),
      });
    },
    localize: (classification, locale) => localize(classification, locale),
    escalateQuestion: escalations.escalateQuestion,
    recentEscalations: escalations.recentEscalations,
    addNotifier: (notifier) => {
      notifiers.push(notifier);
    },
  };
}
