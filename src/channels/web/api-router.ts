// The JSON API: ask, feedback, intakes, review decisions, obligation items, queue, register, dashboard
// and "who am I". Every body is validated with zod here; the core services do the work; errors become
// `{"error": …}` responses.
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { actorKey } from '../../core/actor.js';
import { publicCitation } from '../../core/presentation/answer-presentation.js';
import { decisions, intakeStatuses, type IntakeRecord, type IntakeStatus } from '../../core/review/review-types.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { itemsInLanguageOf } from '../../core/presentation/obligation-presentation.js';
import { ShishinError } from '../../errors.js';
import type { Authenticator } from './authentication.js';
import { inLanguage, intakeHistory, intakeJson, intakeWithItemsJson, obligationItemJson, readableIntake, visibleRegister } from './intake-access.js';
import { buildDashboard } from '../../core/review/dashboard.js';
import { parseRegisterFilter } from '../../core/review/register-filter.js';
import { summariseReviewChanges } from '../../core/review/reminders.js';
import { submitIntake } from './intake-submission.js';
import type { RateLimiter } from '../../core/rate-limiter.js';
import { locals } from './request-context.js';
import { localeOf, queryLocale } from './request-locale.js';
import { sameOriginOnly } from './state-change-guards.js';
import { parseInput } from './validation.js';
import { formatRegister } from './register-output.js';

/** One value per language, built on first use (schemas whose messages are in the reader's language). */
function perLocale<T>(build: (locale: Locale) => T): (locale: Locale) => T {
  const built = new Map<Locale, T>();
  return (locale) => {
    let value = built.get(locale);
    if (value === undefined) {
      value = build(locale);
      built.set(locale, value);
    }
    return value;
  };
}

/** The passage filter of POST /api/ask, its messages in `locale`. */
export const passageFilterSchema = perLocale((locale: Locale) => {
  const filterList = z.array(z.string().trim().min(1).max(100), { error: () => t(locale, 'api.filterList') }).max(20).optional();
  return z.object({ jurisdiction: filterList, framework: filterList, kind: filterList, source: filterList }).strict().optional();
});

const feedbackSchema = perLocale((locale: Locale) =>
  z.object({
    answerId: z.string({ error: () => t(locale, 'api.answerIdRequired') }).trim().min(1, t(locale, 'api.answerIdRequired')).max(200),
    rating: z.enum(['up', 'down'], { error: () => t(locale, 'api.ratingInvalid') }),
    comment: z.string().trim().max(2000, t(locale, 'api.commentTooLong', { limit: 2000 })).optional(),
  }),
);

const decisionSchema = perLocale((locale: Locale) =>
  z.object({
    decision: z.enum(decisions, { error: () => t(locale, 'api.decisionInvalid', { decisions: decisions.join(', ') }) }),
    comment: z.string().trim().max(4000, t(locale, 'api.commentTooLong', { limit: 4000 })).optional(),
  }),
);

const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** An item change as the JSON API takes it; the obligation service checks the values themselves. */
const obligationUpdateSchema = perLocale((locale: Locale) =>
  z
    .object({
      status: z.unknown().optional(),
      evidence: z
        .object({ note: z.unknown().optional(), link: z.unknown().optional() }, { error: () => t(locale, 'api.evidenceInvalid') })
        .strict()
        .optional(),
      reason: z.unknown().optional(),
      owner: z.unknown().optional(),
      dueAt: z.unknown().optional(),
      comment: z.unknown().optional(),
      revision: z.unknown().optional(),
    })
    .strict(),
);

/** Shared by the API and the console: identify the caller (401 when impossible). */
export function authenticate(authenticator: Authenticator) {
  return function authenticateMiddleware(request: Request, response: Response, next: NextFunction): void {
    locals(response).identity = authenticator.identify(request, localeOf(response));
    next();
  };
}

/** 429 with Retry-After when the caller exceeds their per-minute budget. */
export function rateLimit(limiter: RateLimiter) {
  return function rateLimitMiddleware(_request: Request, response: Response, next: NextFunction): void {
    const identity = locals(response).identity;
    const decision = limiter.take(identity === undefined ? 'anonymous' : actorKey(identity.actor));
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new ShishinError('rate_limited', t(localeOf(response), 'api.rateLimited'));
    }
    next();
  };
}

export function parseStatusList(value: unknown, locale: Locale = 'en'): IntakeStatus[] | undefined {
  if (value === undefined || value === '') return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));
  const statuses: IntakeStatus[] = [];
  for (const item of items.map((entry) => entry.trim()).filter((entry) => entry !== '')) {
    if (!(intakeStatuses as readonly string[]).includes(item)) {
      throw new ShishinError('input_invalid', t(locale, 'api.unknownStatus', { status: item }), {
        fields: [{ field: 'status', message: t(locale, 'api.useStatus', { statuses: intakeStatuses.join(', ') }) }],
      });
    }
    statuses.push(item as IntakeStatus);
  }
  return statuses;
}

/** Aborts when the client disconnects before the response is written. */
export function abortOnDisconnect(response: Response): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableEnded) controller.abort();
  });
  return controller.signal;
}

export function createApiRouter(app: AppContext, options: { authenticator: Authenticator; limiter: RateLimiter }): express.Router {
  const router = express.Router();
  const identify = authenticate(options.authenticator);
  const limited = rateLimit(options.limiter);
  // A bearer token is never sent by the browser on its own; cookie and proxy identities are.
  const sameOrigin = sameOriginOnly({
    publicUrl: app.config.publicUrl,
    message: (locale) => t(locale, 'api.crossSite'),
    exempt: (_request, response) => locals(response).identity?.method === 'token',
  });
  const actorOf = (response: Response) => {
    const identity = locals(response).identity;
    if (identity === undefined) throw new ShishinError('not_authenticated', t(localeOf(response), 'api.signInRequired'));
    return identity.actor;
  };
  const askSchema = perLocale((locale: Locale) =>
    z.object({
      question: z
        .string({ error: (issue) => (issue.input === undefined || issue.input === null ? t(locale, 'api.questionRequired') : t(locale, 'api.questionNotText')) })
        .trim()
        .min(1, t(locale, 'api.questionRequired'))
        .max(app.config.maxQuestionChars, t(locale, 'api.questionTooLong', { limit: app.config.maxQuestionChars })),
      filter: passageFilterSchema(locale),
    }),
  );
  /** The record in the reader's language, as the API shows it. */
  const shown = (record: IntakeRecord, locale: Locale) => intakeJson(inLanguage(app, record, locale));

  router.get('/api/me', identify, (_request, response) => {
    const identity = locals(response).identity;
    if (identity === undefined) throw new ShishinError('not_authenticated', t(localeOf(response), 'api.signInRequired'));
    response.json({
      user: actorKey(identity.actor),
      channel: identity.actor.channel,
      id: identity.actor.id,
      governanceMember: app.intakes.isGovernanceMember(identity.actor),
      authenticatedBy: identity.method,
      mode: app.config.environment,
    });
  });

  router.post('/api/ask', identify, sameOrigin, limited, async (request, response) => {
    const locale = localeOf(response);
    const body = parseInput(askSchema(locale), request.body, t(locale, 'api.subject.question'), locale);
    // Only an explicit ?lang= frames the answer; otherwise it is framed in the question's language.
    const framing = queryLocale(request);
    const answer = await app.answers.ask({
      question: body.question,
      ...(body.filter === undefined ? {} : { filter: body.filter }),
      ...(framing === undefined ? {} : { locale: framing }),
      signal: abortOnDisconnect(response),
    });
    locals(response).log.info(
      {
        answerId: answer.answerId,
        mode: answer.mode,
        grounded: answer.grounded,
        citations: answer.citations.length,
        related: answer.related.length,
        questionChars: body.question.length,
      },
      'answered',
    );
    response.json({
      answer: answer.answer,
      grounded: answer.grounded,
      citations: answer.citations.map(publicCitation),
      related: answer.related.map(publicCitation),
      answerId: answer.answerId,
      mode: answer.mode,
      note: answer.note ?? null,
    });
  });

  router.post('/api/feedback', identify, sameOrigin, async (request, response) => {
    const locale = localeOf(response);
    const body = parseInput(feedbackSchema(locale), request.body, t(locale, 'api.subject.feedback'), locale);
    await app.store.saveFeedback({
      answerId: body.answerId,
      rating: body.rating,
      actor: actorOf(response),
      at: app.clock.now().toISOString(),
      ...(body.comment === undefined || body.comment === '' ? {} : { comment: body.comment }),
    });
    response.status(201).json({ saved: true });
  });

  router.post('/api/intakes', identify, sameOrigin, limited, async (request, response) => {
    const locale = localeOf(response);
    const header = request.get('idempotency-key');
    if (header !== undefined && !idempotencyKeyPattern.test(header)) {
      throw new ShishinError('input_invalid', t(locale, 'api.idempotencyHeader'), {
        fields: [{ field: 'Idempotency-Key', message: t(locale, 'api.idempotencyHeaderField') }],
      });
    }
    if (request.body === undefined) {
      throw new ShishinError('input_invalid', t(locale, 'api.notAJsonObject', { what: t(locale, 'api.subject.intake') }));
    }
    const replaces = typeof request.query.replaces === 'string' && request.query.replaces !== '' ? request.query.replaces : undefined;
    const actor = actorOf(response);
    const { record, created } = await submitIntake(app, {
      input: request.body,
      submittedBy: actor,
      // Keys are scoped to the submitter so two users can never collide on the same key.
      idempotencyKey: `${actorKey(actor)}:${header ?? randomUUID()}`,
      ...(replaces === undefined ? {} : { previousId: replaces }),
      locale,
    });
    locals(response).log.info({ intakeId: record.id, tier: record.classification.tier, status: record.status, created }, 'intake submitted');
    response
      .status(created ? 201 : 200)
      .location(`/api/intakes/${encodeURIComponent(record.id)}`)
      .json(await intakeWithItemsJson(app, record, locale));
  });

  router.get('/api/intakes', identify, async (request, response) => {
    const locale = localeOf(response);
    const actor = actorOf(response);
    const scope = request.query.scope === 'all' ? 'all' : 'mine';
    if (scope === 'all' && !app.intakes.isGovernanceMember(actor)) {
      throw new ShishinError('not_authorised', t(locale, 'api.listAllMembersOnly'));
    }
    const status = parseStatusList(request.query.status, locale);
    const records = await app.intakes.list({
      ...(status === undefined ? {} : { status }),
      ...(scope === 'mine' ? { submittedBy: actor } : {}),
    });
    response.json({ intakes: records.map((record) => shown(record, locale)) });
  });

  router.get('/api/intakes/:id', identify, async (request, response) => {
    const locale = localeOf(response);
    const id = String(request.params.id);
    const record = await readableIntake(app, actorOf(response), id, locale);
    const body: Record<string, unknown> = { ...(await intakeWithItemsJson(app, record, locale)), history: await intakeHistory(app, id) };
    if (record.status === 'review_due') {
      const items = itemsInLanguageOf(await app.obligations.forIntake(record.id), inLanguage(app, record, locale).classification);
      body.reviewChanges = summariseReviewChanges(record, items, await app.store.listAudit({ intakeId: record.id }), app.clock.now(), locale);
    }
    response.json(body);
  });

  router.post('/api/intakes/:id/obligations/:itemId', identify, sameOrigin, limited, async (request, response) => {
    const locale = localeOf(response);
    const body = parseInput(obligationUpdateSchema(locale), request.body, t(locale, 'api.subject.itemChange'), locale);
    const itemId = String(request.params.itemId);
    // The item must belong to the intake in the path; anything else is simply not found.
    if (!itemId.startsWith(`${String(request.params.id)}-`)) throw new ShishinError('not_found', t(locale, 'console.items.noSuchItem'));
    const { item, intake } = await app.obligations.update({
      ...body,
      evidence: body.evidence as { note?: unknown; link?: unknown } | undefined,
      itemId,
      actor: actorOf(response),
      locale,
    });
    locals(response).log.info({ itemId: item.id, status: item.status, revision: item.revision }, 'obligation item updated');
    const [inReaderLanguage = item] = itemsInLanguageOf([item], inLanguage(app, intake, locale).classification);
    response.json(obligationItemJson(inReaderLanguage));
  });

  router.get('/api/obligations', identify, async (_request, response) => {
    const locale = localeOf(response);
    const entries = await app.obligations.forPerson(actorOf(response));
    response.json({
      items: entries.map(({ item, intake }) => {
        const [inReaderLanguage = item] = itemsInLanguageOf([item], inLanguage(app, intake, locale).classification);
        return { ...obligationItemJson(inReaderLanguage), intake: { id: intake.id, title: intake.input.title, status: intake.status } };
      }),
    });
  });

  router.get('/api/dashboard', identify, async (_request, response) => {
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', t(localeOf(response), 'console.dashboard.membersOnly'));
    }
    response.setHeader('Cache-Control', 'no-store');
    response.json(buildDashboard(await app.intakes.register(), app.clock.now()));
  });

  router.post('/api/intakes/:id/decision', identify, sameOrigin, async (request, response) => {
    const locale = localeOf(response);
    const body = parseInput(decisionSchema(locale), request.body, t(locale, 'api.subject.decision'), locale);
    const record = await app.intakes.decide({
      intakeId: String(request.params.id),
      actor: actorOf(response),
      decision: body.decision,
      ...(body.comment === undefined || body.comment === '' ? {} : { comment: body.comment }),
      locale,
    });
    locals(response).log.info({ intakeId: record.id, decision: body.decision, status: record.status }, 'intake decided');
    response.json(await intakeWithItemsJson(app, record, locale));
  });

  router.get('/api/queue', identify, async (_request, response) => {
    const locale = localeOf(response);
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', t(locale, 'console.queue.membersOnly'));
    }
    response.json({ intakes: (await app.intakes.queue()).map((record) => shown(record, locale)) });
  });

  router.get('/api/register', identify, async (request, response) => {
    const locale = localeOf(response);
    const format = request.query.format === undefined ? 'json' : String(request.query.format);
    if (format !== 'json' && format !== 'csv') {
      throw new ShishinError('input_invalid', t(locale, 'api.formatInvalid'), { fields: [{ field: 'format', message: t(locale, 'api.formatField') }] });
    }
    const output = formatRegister((await visibleRegister(app, actorOf(response), parseRegisterFilter(request.query, locale), locale)).rows, format, locale);
    response.type(output.contentType);
    if (format === 'csv') response.attachment('ai-register.csv');
    response.send(output.body);
  });

  // A known path with another method: 405 with the methods it takes, not "no such route".
  const methodsByPath: Array<[string, string]> = [
    ['/api/me', 'GET'],
    ['/api/ask', 'POST'],
    ['/api/feedback', 'POST'],
    ['/api/intakes', 'GET, POST'],
    ['/api/intakes/:id', 'GET'],
    ['/api/intakes/:id/decision', 'POST'],
    ['/api/queue', 'GET'],
    ['/api/register', 'GET'],
  ];
  for (const [route, allowed] of methodsByPath) {
    router.all(route, (request, response) => {
      response.setHeader('Allow', allowed);
      const methods = new Intl.ListFormat(localeOf(response), { type: 'disjunction' }).format(allowed.split(', '));
      throw new ShishinError('method_not_allowed', t(localeOf(response), 'api.methodNotAllowed', { method: request.method, route, allowed: methods }));
    });
  }

  return router;
}
