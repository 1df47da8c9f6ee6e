// Prometheus metrics (prom-client). One registry per process; components receive the Metrics object.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  answerDuration: Histogram<'mode' | 'channel'>;
  retrievalDuration: Histogram<never>;
  llmErrors: Counter<'reason'>;
  llmFallbacks: Counter<'reason'>;
  intakes: Counter<'tier' | 'status'>;
  decisions: Counter<'decision'>;
  chatEvents: Counter<'channel' | 'type' | 'outcome'>;
  obligationChanges: Counter<'status'>;
  reviewsMarkedDue: Counter<'tier'>;
  reminders: Counter<'kind' | 'target' | 'outcome'>;
  schedulerRuns: Counter<'outcome'>;
  reviewsDueWaiting: Gauge<never>;
  obligationItemsOverdue: Gauge<never>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'shishin_' });
  const fast = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    httpRequests: new Counter({
      name: 'shishin_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'shishin_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: fast,
      registers: [registry],
    }),
    answerDuration: new Histogram({
      name: 'shishin_answer_duration_seconds',
      help: 'Time to answer a question, by answer mode and channel',
      labelNames: ['mode', 'channel'],
      buckets: fast,
      registers: [registry],
    }),
    retrievalDuration: new Histogram({
      name: 'shishin_retrieval_duration_seconds',
      help: 'Time spent in hybrid retrieval',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: 'shishin_llm_errors_total',
      help: 'Chat model failures by reason (timeout, rate_limited, server_error, invalid_output, …)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    llmFallbacks: new Counter({
      name: 'shishin_llm_fallbacks_total',
      help: 'Answers that fell back to extraction, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    intakes: new Counter({
      name: 'shishin_intakes_total',
      help: 'Intakes submitted, by risk tier and initial status',
      labelNames: ['tier', 'status'],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'shishin_review_decisions_total',
      help: 'Review decisions by decision',
      labelNames: ['decision'],
      registers: [registry],
    }),
    chatEvents: new Counter({
      name: 'shishin_chat_events_total',
      help: 'Chat events handled, by channel, type and outcome (answered, duplicate, failed, …)',
      labelNames: ['channel', 'type', 'outcome'],
      registers: [registry],
    }),
    obligationChanges: new Counter({
      name: 'shishin_obligation_item_changes_total',
      help: 'Obligation item changes by the status they leave the item in (open, done, not_applicable)',
      labelNames: ['status'],
      registers: [registry],
    }),
    reviewsMarkedDue: new Counter({
      name: 'shishin_reviews_marked_due_total',
      help: 'Approved intakes this process put back in the review queue because their next review date passed, by tier',
      labelNames: ['tier'],
      registers: [registry],
    }),
    reminders: new Counter({
      name: 'shishin_reminders_total',
      help: 'Reminders this process handled, by kind (review_due, obligation_digest), target (review channel or person) and outcome (sent, skipped, unreachable, failed, retry)',
      labelNames: ['kind', 'target', 'outcome'],
      registers: [registry],
    }),
    schedulerRuns: new Counter({
      name: 'shishin_scheduler_runs_total',
      help: 'Runs of the review scheduler (due reviews, digests, reminder delivery) by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    reviewsDueWaiting: new Gauge({
      name: 'shishin_reviews_due_waiting',
      help: 'Intakes waiting in the review queue for their scheduled re-review, as of the last scheduler run',
      registers: [registry],
    }),
    obligationItemsOverdue: new Gauge({
      name: 'shishin_obligation_items_overdue',
      help: 'Open obligation items past their due date, as of the last scheduler run',
      registers: [registry],
    }),
  };
}
