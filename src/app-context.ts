// What the composition root (src/app.ts → buildApp) hands to every door: the configured services.
// Doors (web, Slack, Teams, CLI) depend on this shape only, never on concrete providers.
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Clock } from './ports/clock.js';
import type { IntakeStore } from './ports/intake-store.js';
import type { PassageCatalog, Retriever } from './ports/retriever.js';
import type { AnswerService } from './core/answer/answer.js';
import type { CorpusDocuments } from './core/documents/corpus-documents.js';
import type { IntakeService } from './core/review/intake-service.js';
import type { ObligationService } from './core/review/obligation-service.js';
import type { ReviewSchedule } from './core/review/review-schedule.js';

export interface AppContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  answers: AnswerService;
  intakes: IntakeService;
  /** Approved intakes' obligation items: reading and changing them. */
  obligations: ObligationService;
  /** When approvals are reviewed again (the rules file's `review_intervals`). */
  reviewSchedule: ReviewSchedule;
  store: IntakeStore;
  retriever: Retriever;
  catalog: PassageCatalog;
  /** The indexed corpus documents, for the document viewer. */
  documents: CorpusDocuments;
  /** One line per active part (index and embedder, LLM or extractive, store), printed at start-up. */
  describe(): string[];
  /** Readiness: index loaded and store reachable. */
  ready(): Promise<{ ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>;
  close(): Promise<void>;
}
