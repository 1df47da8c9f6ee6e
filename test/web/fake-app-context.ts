// A small in-memory AppContext for testing the web door's HTTP behaviour in isolation (routing,
// authentication, CSRF, error mapping). The real app is exercised by test/api and test/e2e.
import { loadConfig, type Environment } from '../../src/config.js';
import type { AppContext } from '../../src/app-context.js';
import { actorKey, type Actor } from '../../src/core/actor.js';
import type { Citation } from '../../src/core/answer/answer.js';
import { parseIntake } from '../../src/core/intake/intake-schema.js';
import type { Classification } from '../../src/core/intake/classification.js';
import type { IntakeService, QuestionEscalation, RegisterRow, SubmitRequest, DecideRequest } from '../../src/core/review/intake-service.js';
import type { ObligationService } from '../../src/core/review/obligation-service.js';
import { noReviewSchedule } from '../../src/core/review/review-schedule.js';
import { statusAfterDecision, type IntakeRecord } from '../../src/core/review/review-types.js';
import { ShishinError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { AuditEntry, Feedback, IntakeStore } from '../../src/ports/intake-store.js';

/** The related sources of the fake grounded answer: a link, markup in a title, and a URL that must never become a link. */
export const fakeRelatedSources: Citation[] = [
  { n: 2, title: 'EU AI Act', source: 'eu-ai-act.md', section: 'Article 26', quote: 'Deployers shall monitor.', url: 'https://example.org/act#art-26', score: 0.7 },
  { n: 3, title: 'Policy <img src=x onerror=alert(1)>', source: 'policy.md', section: 'Scope', quote: 'Applies to all staff.', url: 'javascript:alert(1)', score: 0.6 },
];

export interface FakeAppContext extends AppContext {
  feedback: Feedback[];
}

export function createFakeAppContext(environment: Environment = {}): FakeAppContext {
  const config = loadConfig({ NODE_ENV: 'test', ...environment });
  const records = new Map<string, IntakeRecord>();
  const audit: AuditEntry[] = [];
  const feedback: Feedback[] = [];
  const members = new Set(config.governanceMembers);
  let counter = 0;
  const now = () => new Date().toISOString();
  const record = (action: string, actor: Actor, intakeId: string, details: Record<string, unknown>) => {
    audit.push({ sequence: audit.length + 1, at: now(), action, actor, intakeId, details, previousHash: '', hash: '' });
  };
  const classify = async (input: ReturnType<typeof parseIntake>): Promise<Classification> => {
    const high = input.domains.includes('employment');
    return {
      tier: high ? 'high' : 'minimal',
      flagged: high,
      flagReasons: high ? ['High-risk tier'] : [],
      reasons: high
        ? [{ ruleId: 'eu.annex3.employment', tier: 'high', summary: 'Employment use', citations: [{ source: 'eu-ai-act.md', section: 'Annex III', quote: 'Employment, workers management' }] }]
        : [],
      obligations: [],
      signals: [],
      rulesVersion: 'test',
    };
  };
  const escalations: QuestionEscalation[] = [];
  const intakes: IntakeService = {
    classify,
    async submit(request: SubmitRequest) {
      const existing = [...records.values()].find((item) => item.idempotencyKey === request.idempotencyKey);
      if (existing !== undefined) return { record: existing, created: false };
      const input = parseIntake(request.input);
      const classification = await classify(input);
      counter += 1;
      const stored: IntakeRecord = {
        id: `AI-TEST${counter}`,
        version: 1,
        input,
        classification,
        status: classification.flagged ? 'pending_review' : 'auto_cleared',
        submittedBy: request.submittedBy,
        submittedAt: now(),
        idempotencyKey: request.idempotencyKey,
        reviewMessages: [],
        updatedAt: now(),
      };
      records.set(stored.id, stored);
      record('intake.submitted', request.submittedBy, stored.id, {});
      return { record: stored, created: true };
    },
    async get(id) {
      const found = records.get(id);
      if (found === undefined) throw new ShishinError('not_found', `No intake ${id}.`);
      return found;
    },
    async list(query = {}) {
      return [...records.values()].filter(
        (item) =>
          (query.submittedBy === undefined || actorKey(item.submittedBy) === actorKey(query.submittedBy)) &&
          (query.status === undefined || query.status.includes(item.status)),
      );
    },
    async queue() {
      return [...records.values()].filter((item) => item.status === 'pending_review');
    },
    async decide(request: DecideRequest) {
      const found = await this.get(request.intakeId);
      if (!members.has(actorKey(request.actor))) throw new ShishinError('not_authorised', 'Only governance members can decide.');
      if (request.decision !== 'approve' && (request.comment ?? '') === '') {
        throw new ShishinError('input_invalid', 'A comment is required.', { fields: [{ field: 'comment', message: 'A comment is required for this decision.' }] });
      }
      if (found.status !== 'pending_review') throw new ShishinError('conflict', `Intake ${found.id} is already ${found.status}.`);
      const updated: IntakeRecord = { ...found, status: statusAfterDecision[request.decision], decision: request.decision, decidedBy: request.actor, decidedAt: now() };
      records.set(found.id, updated);
      record('intake.decided', request.actor, found.id, { decision: request.decision, comment: request.comment });
      return updated;
    },
    isGovernanceMember: (actor) => members.has(actorKey(actor)),
    async register(): Promise<RegisterRow[]> {
      return [...records.values()].map((item) => ({
        id: item.id,
        title: item.input.title,
        businessUnit: item.input.businessUnit,
        owner: actorKey(item.submittedBy),
        tier: item.classification.tier,
        status: item.status,
        decidedBy: item.decidedBy === undefined ? '' : actorKey(item.decidedBy),
        decidedAt: item.decidedAt ?? '',
        decisionComment: item.decisionComment ?? '',
        obligations: [],
        vendorAsks: [],
        version: item.version,
        submittedAt: item.submittedAt,
        obligationsOpen: 0,
        obligationsDone: 0,
        obligationsNotApplicable: 0,
        obligationsOverdue: 0,
        nextReviewAt: '',
        supersededBy: '',
        tierLabel: item.classification.tier,
        statusLabel: item.status,
      }));
    },
    localize: (classification) => classification,
    async escalateQuestion(request) {
      const escalation = { question: request.question, askedBy: request.actor, askedAt: now(), ...(request.answerId === undefined ? {} : { answerId: request.answerId }) };
      escalations.unshift(escalation);
      return { deliveredTo: [], duplicate: false, escalation };
    },
    async recentEscalations(limit = 10) {
      return escalations.slice(0, limit);
    },
    addNotifier() {},
  };
  // The fake intakes are never approved, so they have no obligation items.
  const obligations: ObligationService = {
    forIntake: async () => [],
    forPerson: async () => [],
    get: async (itemId) => {
      throw new ShishinError('not_found', `There is no obligation item ${itemId}.`);
    },
    permissions: () => ({ complete: false, reopen: false, assign: false }),
    ownsItemOf: async () => false,
    update: async (request) => {
      throw new ShishinError('not_found', `There is no obligation item ${request.itemId}.`);
    },
  };
  const store = {
    description: 'memory',
    async saveFeedback(entry: Feedback) {
      feedback.push(entry);
    },
    async listObligationItems() {
      return [];
    },
    async listAudit(options: { intakeId?: string } = {}) {
      return audit.filter((entry) => options.intakeId === undefined || entry.intakeId === options.intakeId);
    },
    async ping() {},
    async close() {},
  } as unknown as IntakeStore; // Only the methods the web door calls are implemented.
  return {
    config,
    logger: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    clock: { now: () => new Date() },
    feedback,
    obligations,
    reviewSchedule: noReviewSchedule,
    answers: {
      async ask(request) {
        if (request.question.includes('unknown')) {
          return { answer: 'The corpus does not cover this.', grounded: false, citations: [], related: [], mode: 'not_covered', answerId: 'ans-2', timings: { retrievalMs: 1, totalMs: 1 } };
        }
        return {
          answer: 'Employment uses are high-risk <b>bold</b> [1].',
          grounded: true,
          citations: [{ n: 1, title: 'EU AI Act', source: 'eu-ai-act.md', section: 'Annex III', quote: 'Employment, workers management', url: 'https://example.org/act', score: 0.9 }],
          // A question with "no related" gets an answer without related sources.
          related: request.question.includes('no related') ? [] : fakeRelatedSources,
          mode: 'extractive',
          answerId: 'ans-1',
          timings: { retrievalMs: 1, totalMs: 2 },
        };
      },
    },
    intakes,
    store,
    retriever: { search: async () => [] },
    catalog: { findSection: () => [], size: () => 1 },
    documents: { list: () => [], read: async () => undefined },
    describe: () => ['fake'],
    ready: async () => ({ ok: true, checks: { index: { ok: true }, store: { ok: true } } }),
    close: async () => {},
  };
}
