// The JSON API: ask, feedback, intakes, review decisions, obligation items, queue, register, dashboard
// and "who am I". Every body is validated with zod here; the core services do the work; errors become
// `{"error": …}` responses.
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { actorKey } from '../../core/actor.js';
import { publicCitation } from '../../core/presentation/answer-presentation.js';
import { decisions, intakeStatuses, type IntakeStatus } from '../../core/review/review-types.js';
import { ShishinError } from '../../errors.js';
import type { Authenticator } from './authentication.js';
import { intakeHistory, intakeJson, intakeWithItemsJson, obligationItemJson, readableIntake, visibleRegister } from './intake-access.js';
import { buildDashboard } from '../../core/review/dashboard.js';
import { parseRegisterFilter } from '../../core/review/register-filter.js';
import { summariseReviewChanges } from '../../core/review/reminders.js';
import { submitIntake } from './intake-submission.js';
import type { RateLimiter } from '../../core/rate-limiter.js';
import { locals } from './request-context.js';
import { sameOriginOnly } from './state-change-guards.js';
import { parseInput } from './validation.js';
import { formatRegister } from './register-output.js';

const rateLimitedMessage = "You're asking faster than Shishin can keep up — please wait a few seconds.";

const filterList = z.array(z.string().trim().min(1).max(100), { error: () => 'must be a list of strings' }).max(20).optional();

export const passageFilterSchema = z
  .object({ jurisdiction: filterList, framework: filterList, kind: filterList, source: filterList })
  .strict()
  .optional();

const feedbackSchema = z.object({
  answerId: z.string({ error: () => 'answerId is required.' }).trim().min(1, 'answerId is required.').max(200),
  rating: z.enum(['up', 'down'], { error: () => 'rating must be "up" or "down".' }),
  comment: z.string().trim().max(2000, 'comment must be at most 2000 characters.').optional(),
});

const decisionSchema = z.object({
  decision: z.enum(decisions, { error: () => `decision must be one of ${decisions.join(', ')}.` }),
  comment: z.string().trim().max(4000, 'comment must be at most 4000 characters.').optional(),
});

const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** An item change as the JSON API takes it; the obligation service checks the values themselves. */
const obligationUpdateSchema = z
  .object({
    status: z.unknown().optional(),
    evidence: z
      .object({ note: z.unknown().optional(), link: z.unknown().optional() }, { error: () => 'evidence must be an object with note and/or link.' })
      .strict()
      .optional(),
    reason: z.unknown().optional(),
    owner: z.unknown().optional(),
    dueAt: z.unknown().optional(),
    comment: z.unknown().optional(),
    revision: z.unknown().optional(),
  })
  .strict();

/** Shared by the API and the console: identify the caller (401 when impossible). */
export function authenticate(authenticator: Authenticator) {
  return function authenticateMiddleware(request: Request, response: Response, next: NextFunction): void {
    locals(response).identity = authenticator.identify(request);
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
      throw new ShishinError('rate_limited', rateLimitedMessage);
    }
    next();
  };
}

export function parseStatusList(value: unknown): IntakeStatus[] | undefined {
  if (value === undefined || value === '') return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));
  const statuses: IntakeStatus[] = [];
  for (const item of items.map((entry) => entry.trim()).filter((entry) => entry !== '')) {
    if (!(intakeStatuses as readonly string[]).includes(item)) {
      throw new ShishinError('input_invalid', `Unknown status "${item}".`, {
        fields: [{ field: 'status', message: `Use one of ${intakeStatuses.join(', ')}.` }],
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
    message:
      'Cross-site request refused: changes through the JSON API must come from this Shishin site itself, or carry "Authorization: Bearer <token>".',
    exempt: (_request, response) => locals(response).identity?.method === 'token',
  });
  const actorOf = (response: Response) => {
    const identity = locals(response).identity;
    if (identity === undefined) throw new ShishinError('not_authenticated', 'Sign-in required.');
    return identity.actor;
  };
  const askSchema = z.object({
    question: z
      .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'question is required.' : 'question must be text (a JSON string).') })
      .trim()
      .min(1, 'question is required.')
      .max(app.config.maxQuestionChars, `question must be at most ${app.config.maxQuestionChars} characters.`),
    filter: passageFilterSchema,
  });

  router.get('/api/me', identify, (_request, response) => {
    const identity = locals(response).identity;
    if (identity === undefined) throw new ShishinError('not_authenticated', 'Sign-in required.');
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
    const body = parseInput(askSchema, request.body, 'The question');
    const answer = await app.answers.ask({
      question: body.question,
      ...(body.filter === undefined ? {} : { filter: body.filter }),
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
    const body = parseInput(feedbackSchema, request.body, 'The feedback');
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
    const header = request.get('idempotency-key');
    if (header !== undefined && !idempotencyKeyPattern.test(header)) {
      throw new ShishinError('input_invalid', 'The Idempotency-Key header must be 1–200 visible ASCII characters.', {
        fields: [{ field: 'Idempotency-Key', message: 'Use 1–200 visible ASCII characters.' }],
      });
    }
    if (request.body === undefined) {
      throw new ShishinError('input_invalid', 'The intake must be a JSON object (send Content-Type: application/json).');
    }
    const replaces = typeof request.query.replaces === 'string' && request.query.replaces !== '' ? request.query.replaces : undefined;
    const actor = actorOf(response);
    const { record, created } = await submitIntake(app, {
      input: request.body,
      submittedBy: actor,
      // Keys are scoped to the submitter so two users can never collide on the same key.
      idempotencyKey: `${actorKey(actor)}:${header ?? randomUUID()}`,
      ...(replaces === undefined ? {} : { previousId: replaces }),
    });
    locals(response).log.info({ intakeId: record.id, tier: record.classification.tier, status: record.status, created }, 'intake submitted');
    response
      .status(created ? 201 : 200)
      .location(`/api/intakes/${encodeURIComponent(record.id)}`)
      .json(await intakeWithItemsJson(app, record));
  });

  router.get('/api/intakes', identify, async (request, response) => {
    const actor = actorOf(response);
    const scope = request.query.scope === 'all' ? 'all' : 'mine';
    if (scope === 'all' && !app.intakes.isGovernanceMember(actor)) {
      throw new ShishinError('not_authorised', 'Only governance members can list every intake.');
    }
    const status = parseStatusList(request.query.status);
    const records = await app.intakes.list({
      ...(status === undefined ? {} : { status }),
      ...(scope === 'mine' ? { submittedBy: actor } : {}),
    });
    response.json({ intakes: records.map(intakeJson) });
  });

  router.get('/api/intakes/:id', identify, async (request, response) => {
    const id = String(request.params.id);
    const record = await readableIntake(app, actorOf(response), id);
    const body: Record<string, unknown> = { ...(await intakeWithItemsJson(app, record)), history: await intakeHistory(app, id) };
    if (record.status === 'review_due') {
      const items = await app.obligations.forIntake(record.id);
      body.reviewChanges = summariseReviewChanges(record, items, await app.store.listAudit({ intakeId: record.id }), app.clock.now());
    }
    response.json(body);
  });

  router.post('/api/intakes/:id/obligations/:itemId', identify, sameOrigin, limited, async (request, response) => {
    const body = parseInput(obligationUpdateSchema, request.body, 'The item change');
    const itemId = String(request.params.itemId);
    // The item must belong to the intake in the path; anything else is simply not found.
    if (!itemId.startsWith(`${String(request.params.id)}-`)) throw new ShishinError('not_found', 'There is no such obligation item on this intake.');
    const { item } = await app.obligations.update({ ...body, evidence: body.evidence as { note?: unknown; link?: unknown } | undefined, itemId, actor: actorOf(response) });
    locals(response).log.info({ itemId: item.id, status: item.status, revision: item.revision }, 'obligation item updated');
    response.json(obligationItemJson(item));
  });

  router.get('/api/obligations', identify, async (_request, response) => {
    const entries = await app.obligations.forPerson(actorOf(response));
    response.json({
      items: entries.map(({ item, intake }) => ({ ...obligationItemJson(item), intake: { id: intake.id, title: intake.input.title, status: intake.status } })),
    });
  });

  router.get('/api/dashboard', identify, async (_request, response) => {
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', 'Only governance members can see the dashboard.');
    }
    response.setHeader('Cache-Control', 'no-store');
    response.json(buildDashboard(await app.intakes.register(), app.clock.now()));
  });

  router.post('/api/intakes/:id/decision', identify, sameOrigin, async (request, response) => {
    const body = parseInput(decisionSchema, request.body, 'The decision');
    const record = await app.intakes.decide({
      intakeId: String(request.params.id),
      actor: actorOf(response),
      decision: body.decision,
      ...(body.comment === undefined || body.comment === '' ? {} : { comment: body.comment }),
    });
    locals(response).log.info({ intakeId: record.id, decision: body.decision, status: record.status }, 'intake decided');
    response.json(await intakeWithItemsJson(app, record));
  });

  router.get('/api/queue', identify, async (_request, response) => {
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', 'Only governance members can see the review queue.');
    }
    response.json({ intakes: (await app.intakes.queue()).map(intakeJson) });
  });

  router.get('/api/register', identify, async (request, response) => {
    const format = request.query.format === undefined ? 'json' : String(request.query.format);
    if (format !== 'json' && format !== 'csv') {
      throw new ShishinError('input_invalid', 'format must be csv or json.', { fields: [{ field: 'format', message: 'Use csv or json.' }] });
    }
    const output = formatRegister((await visibleRegister(app, actorOf(response), parseRegisterFilter(request.query))).rows, format);
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
      throw new ShishinError('method_not_allowed', `${request.method} is not supported on ${route}; use ${allowed.replace(', ', ' or ')}.`);
    });
  }

  return router;
}
