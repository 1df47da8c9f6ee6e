// The composition root: builds every service from the configuration — embedder, corpus index, chat
// model (optional), answer service, risk rules and classifier, store, intake service — and hands
// them out as one AppContext. Doors (web, Slack, Teams, CLI) receive the context, never providers.
import path from 'node:path';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { actorKey, parseActorKey } from './core/actor.js';
import { createAnswerService } from './core/answer/answer-service.js';
import { createCorpusDocuments } from './core/documents/corpus-documents.js';
import { createClassifier, loadRules } from './core/intake/classifier.js';
import { createIntakeService } from './core/review/create-intake-service.js';
import { createObligationService } from './core/review/create-obligation-service.js';
import { createReviewSchedule } from './core/review/review-schedule.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { requestIdMixin } from './observability/request-scope.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { IntakeStore } from './ports/intake-store.js';
import type { CorpusIndex } from './providers/index/corpus-index.js';
import { openConfiguredIndex } from './providers/index/open-configured-index.js';
import { createChatModel } from './providers/llm/create-chat-model.js';
import { createStore } from './providers/store/create-store.js';

export interface BuildAppOptions {
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  /** PostgreSQL only: keep the tables in this schema (tests and shared databases). */
  databaseSchema?: string;
}

/**
 * Governance members in effect: the configured list, or — in development only, when none is
 * configured — the development identity, so a local start shows the whole review flow.
 */
export function effectiveGovernanceMembers(config: Config): { members: string[]; developmentDefault: boolean } {
  if (config.governanceMembers.length > 0 || config.environment !== 'development') {
    return { members: config.governanceMembers, developmentDefault: false };
  }
  const actor = parseActorKey(config.auth.devUser) ?? { channel: 'web' as const, id: config.auth.devUser.replace(/^web:/, '') };
  return { members: [actorKey(actor)], developmentDefault: true };
}

/**
 * Identities that may decide their own intakes whatever ALLOW_SELF_REVIEW says: the development
 * identity, outside production only, so a local quick start can show the whole review flow.
 */
export function developmentIdentities(config: Config): string[] {
  if (config.environment === 'production') return [];
  const actor = parseActorKey(config.auth.devUser) ?? { channel: 'web' as const, id: config.auth.devUser.replace(/^web:/, '') };
  return [actorKey(actor)];
}

function documentCount(index: CorpusIndex): number {
  return new Set(index.allPassages().map((passage) => passage.source)).size;
}

/** Builds the application services. Fails loudly (ShishinError config_invalid) on a broken rules file or citation. */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, mixin: requestIdMixin });
  const metrics = options.metrics ?? createMetrics();
  const clock = options.clock ?? systemClock;
  const log = logger.child({ component: 'app' });

  const { index, embedder } = await openConfiguredIndex(config, logger, { autoIngest: true });
  const chatModel = createChatModel(config, logger);
  const answers = createAnswerService({
    retriever: index,
    relevanceThreshold: index.relevanceThreshold,
    ...(chatModel === undefined ? {} : { chatModel }),
    promptsDir: config.promptsDir,
    logger,
    metrics,
    clock,
    maxQuestionChars: config.maxQuestionChars,
    embedder,
  });
  const rules = loadRules(config.rulesFile);
  const classifier = createClassifier({
    rules,
    catalog: index,
    retriever: index,
    ...(chatModel === undefined ? {} : { chatModel }),
    logger,
  });
  // createClassifier validates too; calling it again keeps the start-up contract explicit.
  classifier.validateCitations();

  const store: IntakeStore = await createStore(config, logger, {
    clock,
    ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
  });
  const { members, developmentDefault } = effectiveGovernanceMembers(config);
  const reviewSchedule = createReviewSchedule(rules.reviewIntervals);
  let intakes: ReturnType<typeof createIntakeService>;
  try {
    intakes = createIntakeService({
      store,
      classifier,
      governanceMembers: members,
      clock,
      logger,
      metrics,
      allowSelfReview: config.review.allowSelfReview,
      selfReviewExemptions: developmentIdentities(config),
      decisionsPerMinute: config.review.decisionsPerMinute,
      reviewSchedule,
      ...(config.locale.displayTimeZone === undefined ? {} : { displayTimeZone: config.locale.displayTimeZone }),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }

  const obligations = createObligationService({ store, intakes, clock, logger, metrics });

  const passages = index.size();
  const documents = documentCount(index);
  log.info({ passages, documents, embedder: embedder.id, store: store.description, llm: chatModel?.id ?? null }, 'application built');

  let closed = false;
  return {
    config,
    logger,
    metrics,
    clock,
    answers,
    intakes,
    obligations,
    reviewSchedule,
    store,
    retriever: index,
    catalog: index,
    documents: createCorpusDocuments({ corpusDir: config.corpusDir, passages: () => index.allPassages(), logger }),
    describe() {
      const lines = [
        `corpus index: ${passages} passages from ${documents} documents (embedder ${embedder.id})`,
        chatModel === undefined
          ? 'answers: extractive (no LLM configured)'
          : `answers: LLM ${chatModel.id} at ${config.openai.baseUrl ?? 'https://api.openai.com/v1'}`,
        `store: ${store.description}`,
        `risk rules: ${path.relative(process.cwd(), config.rulesFile) || config.rulesFile} (version ${classifier.rulesVersion})`,
        `re-reviews: ${
          rules.reviewIntervals.size === 0
            ? 'none scheduled (no review_intervals in the rules file)'
            : [...rules.reviewIntervals.values()].map((interval) => `${interval.tier} every ${interval.months} months`).join(', ')
        }`,
      ];
      if (developmentDefault) {
        lines.push(`governance members: ${members.join(', ')} (development default: GOVERNANCE_MEMBERS is empty)`);
      } else {
        lines.push(`governance members: ${members.length === 0 ? 'none configured (no one can decide reviews)' : String(members.length)}`);
      }
      return lines;
    },
    async ready() {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      const size = index.size();
      checks.index = size > 0 ? { ok: true, detail: `${size} passages` } : { ok: false, detail: 'the index is empty (run shishin ingest)' };
      try {
        await store.ping();
        checks.store = { ok: true };
      } catch (error) {
        checks.store = { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
      return { ok: Object.values(checks).every((check) => check.ok), checks };
    },
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}
