// The web console: server-rendered pages (Ask, New intake, intake detail with its obligation items,
// My intakes, My obligations, Review queue, Register with filters, Dashboard) whose forms post to
// /console/… routes calling the same core services as the JSON API.
// Posts follow POST/redirect/GET; failed submissions re-render the form with inline errors.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { displayTimeZone } from '../../core/i18n/date-format.js';
import { actorKey, type Actor } from '../../core/actor.js';
import type { AnswerDetails } from '../../core/answer/answer.js';
import { decisions, type Decision } from '../../core/review/review-types.js';
import { isShishinError, ShishinError, httpStatusByCode } from '../../errors.js';
import { developmentIdentityCookie, parseWebIdentity, type Authenticator } from './authentication.js';
import { writeCookie } from './cookies.js';
import { consoleRefusalMessage, csrfProtection } from './csrf.js';
import type { SafeHtml } from './html.js';
import { intakeHistory, readableIntake, visibleRegister } from './intake-access.js';
import { submitIntake } from './intake-submission.js';
import { askPage } from './pages/ask-page.js';
import { documentListPage, documentPage } from './pages/document-page.js';
import { formValuesToIntake, intakeFormPage, intakeToFormValues, readIntakeForm } from './pages/intake-form-page.js';
import {
  errorPage,
  intakeDetailPage,
  myIntakesPage,
  registerPage,
  reviewQueuePage,
  type DecisionFormOptions,
  decisionOutcomes,
  type QueueItem,
} from './pages/intake-pages.js';
import { dashboardPage } from './pages/dashboard-page.js';
import { myObligationsPage, type ItemFormState } from './pages/obligation-views.js';
import { workbenchText } from './pages/workbench-text.js';
import { buildDashboard } from '../../core/review/dashboard.js';
import { parseRegisterFilter } from '../../core/review/register-filter.js';
import { summariseReviewChanges, type ReviewChanges } from '../../core/review/reminders.js';
import { queuedStatuses } from '../../core/review/review-transitions.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { notSignedIn, renderPage, type PageContext } from './pages/layout.js';
import { abortOnDisconnect, authenticate } from './api-router.js';
import type { RateLimiter } from '../../core/rate-limiter.js';
import { locals } from './request-context.js';
import { sameOriginOnly } from './state-change-guards.js';

const assetsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const idempotencyKeyPattern = /^[A-Za-z0-9-]{8,80}$/;

/** Builds the page context for the current request (also used by the error handler). */
export function pageContext(app: AppContext, request: Request, response: Response, authenticator: Authenticator): PageContext {
  const identity = locals(response).identity;
  return {
    user: identity === undefined ? notSignedIn : actorKey(identity.actor),
    governanceMember: identity === undefined ? false : app.intakes.isGovernanceMember(identity.actor),
    developmentMode: authenticator.developmentMode,
    csrfToken: locals(response).csrfToken ?? '',
    // A refused intake form is shown again at POST /console/intakes: it is still the "New intake" page.
    currentPath: request.method === 'POST' && request.path === '/console/intakes' ? '/console/intakes/new' : request.path,
  };
}

/** Only same-site console paths are accepted as redirect targets. */
function safeReturnPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/console(\/[A-Za-z0-9/_-]*)?$/.test(value) ? value : fallback;
}

function bodyOf(request: Request): Record<string, unknown> {
  return typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value : undefined;
}

export function createConsoleRouter(app: AppContext, options: { authenticator: Authenticator; limiter: RateLimiter }): express.Router {
  const router = express.Router();
  const { authenticator, limiter } = options;
  const identify = authenticate(authenticator);
  const csrf = csrfProtection({ publicUrl: app.config.publicUrl });
  const sameOrigin = sameOriginOnly({ publicUrl: app.config.publicUrl, message: consoleRefusalMessage });
  const assets = new Map<string, Promise<string>>();
  const asset = (name: string) => {
    let content = assets.get(name);
    if (content === undefined) {
      content = readFile(path.join(assetsDirectory, name), 'utf8');
      assets.set(name, content);
    }
    return content;
  };

  const actorOf = (response: Response): Actor => {
    const identity = locals(response).identity;
    if (identity === undefined) throw new ShishinError('not_authenticated', 'Sign-in required.');
    return identity.actor;
  };
  const send = (request: Request, response: Response, status: number, title: string, body: SafeHtml, notice?: string) => {
    response.setHeader('Cache-Control', 'no-store');
    response
      .status(status)
      .type('html')
      .send(renderPage({ title, body, context: pageContext(app, request, response, authenticator), ...(notice === undefined ? {} : { notice }) }));
  };

  router.get('/', (_request, response) => response.redirect(302, '/console/ask'));
  router.get('/console', (_request, response) => response.redirect(302, '/console/ask'));
  router.get('/favicon.ico', (_request, response) => response.redirect(301, '/console/assets/favicon.svg'));
  router.get('/console/assets/:name', async (request, response) => {
    const name = String(request.params.name);
    if (name !== 'console.css' && name !== 'console.js' && name !== 'favicon.svg') throw new ShishinError('not_found', 'No such asset.');
    response.type(name.endsWith('.css') ? 'text/css' : name.endsWith('.svg') ? 'image/svg+xml' : 'text/javascript');
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.send(await asset(name));
  });

  router.use('/console', sameOrigin, csrf, identify);

  router.get('/console/ask', async (request, response) => {
    const question = (text(request.query.q) ?? '').trim();
    const escalated: Record<string, string> = {
      sent: 'Your question was sent to the governance team. Someone will get back to you.',
      queued: 'Your question is in the governance team’s review queue. Someone will get back to you.',
      already: 'You already sent this question to the governance team; it was not sent again.',
    };
    const notice = request.query.feedback === 'thanks' ? 'Thank you for the feedback.' : escalated[String(request.query.escalated)];
    const render = (status: number, extra: { answer?: AnswerDetails; error?: string }) =>
      send(request, response, status, 'Ask', askPage({ question, maxQuestionChars: app.config.maxQuestionChars, csrfToken: locals(response).csrfToken ?? '', ...extra }), notice);
    if (question === '') return render(200, {});
    if (question.length > app.config.maxQuestionChars) {
      return render(400, { error: `Please keep the question under ${app.config.maxQuestionChars} characters.` });
    }
    const decision = limiter.take(actorKey(actorOf(response)));
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return render(429, { error: "You're asking faster than Shishin can keep up — please wait a few seconds." });
    }
    try {
      const answer = await app.answers.ask({ question, signal: abortOnDisconnect(response) });
      locals(response).log.info({ answerId: answer.answerId, mode: answer.mode, grounded: answer.grounded, questionChars: question.length }, 'answered');
      return render(200, { answer });
    } catch (error) {
      if (!isShishinError(error)) throw error;
      locals(response).log.warn({ err: error }, 'answer failed');
      return render(httpStatusByCode[error.code], { error: error.message });
    }
  });

  router.post('/console/feedback', async (request, response) => {
    const body = bodyOf(request);
    const answerId = text(body.answerId)?.trim() ?? '';
    const rating = text(body.rating);
    if (answerId === '' || answerId.length > 200 || (rating !== 'up' && rating !== 'down')) {
      throw new ShishinError('input_invalid', 'The feedback was incomplete.');
    }
    await app.store.saveFeedback({ answerId, rating, actor: actorOf(response), at: app.clock.now().toISOString() });
    if (request.accepts(['html', 'json']) === 'json') {
      response.status(201).json({ saved: true });
      return;
    }
    response.redirect(303, '/console/ask?feedback=thanks');
  });

  router.post('/console/escalations', async (request, response) => {
    const body = bodyOf(request);
    const question = text(body.question)?.trim() ?? '';
    const answerId = text(body.answerId)?.trim();
    if (question === '' || question.length > app.config.maxQuestionChars) {
      throw new ShishinError('input_invalid', 'The question to send was empty or too long; ask it again first.');
    }
    const result = await app.intakes.escalateQuestion({ actor: actorOf(response), question, ...(answerId === undefined || answerId === '' ? {} : { answerId }) });
    locals(response).log.info({ deliveredTo: result.deliveredTo, duplicate: result.duplicate }, 'question escalated from the console');
    const outcome = result.duplicate ? 'already' : result.deliveredTo.length > 0 ? 'sent' : 'queued';
    response.redirect(303, `/console/ask?escalated=${outcome}`);
  });

  router.post('/console/dev-identity', (request, response) => {
    if (!authenticator.developmentMode) throw new ShishinError('not_found', 'No such page.');
    if (!authenticator.canSwitchIdentity(request)) {
      throw new ShishinError('not_authorised', 'The development identity can be switched only from this machine, at its loopback address.');
    }
    const body = bodyOf(request);
    const actor = parseWebIdentity(text(body.user) ?? '');
    if (actor === undefined) throw new ShishinError('input_invalid', 'Use a user name of letters, digits and . _ @ + - (for example web:alice).');
    writeCookie(response, developmentIdentityCookie, actorKey(actor));
    response.redirect(303, safeReturnPath(body.returnTo, '/console/ask'));
  });

  router.get('/console/intakes/new', async (request, response) => {
    const from = text(request.query.from);
    const previous = from === undefined || from === '' ? undefined : await readableIntake(app, actorOf(response), from);
    send(
      request,
      response,
      200,
      'New intake',
      intakeFormPage({
        values: previous === undefined ? {} : intakeToFormValues(previous.input as unknown as Record<string, unknown>),
        errors: [],
        csrfToken: locals(response).csrfToken ?? '',
        idempotencyKey: randomUUID(),
        ...(previous === undefined ? {} : { previousId: previous.id }),
      }),
    );
  });

  router.post('/console/intakes', async (request, response) => {
    const body = bodyOf(request);
    const values = readIntakeForm(body);
    const sentKey = text(body.idempotencyKey);
    const idempotencyKey = sentKey !== undefined && idempotencyKeyPattern.test(sentKey) ? sentKey : randomUUID();
    const previousId = text(body.previousId)?.trim() || undefined;
    const actor = actorOf(response);
    const rerender = (status: number, errors: Array<{ field: string; message: string }>, message?: string, key = idempotencyKey) =>
      send(
        request,
        response,
        status,
        'New intake',
        intakeFormPage({
          values,
          errors,
          csrfToken: locals(response).csrfToken ?? '',
          idempotencyKey: key,
          ...(previousId === undefined ? {} : { previousId }),
          ...(message === undefined ? {} : { message }),
        }),
      );
    const decision = limiter.take(actorKey(actor));
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return rerender(429, [{ field: '_', message: "You're submitting faster than Shishin can keep up — please wait a few seconds." }], 'Please wait a moment.');
    }
    try {
      const { record, created } = await submitIntake(app, {
        input: formValuesToIntake(values),
        submittedBy: actor,
        idempotencyKey: `${actorKey(actor)}:${idempotencyKey}`,
        ...(previousId === undefined ? {} : { previousId }),
      });
      locals(response).log.info({ intakeId: record.id, tier: record.classification.tier, status: record.status, created }, 'intake submitted');
      response.redirect(303, `/console/intakes/${encodeURIComponent(record.id)}?submitted=1`);
      return undefined;
    } catch (error) {
      if (isShishinError(error, 'input_invalid')) {
        return rerender(400, error.fields ?? [{ field: '_', message: error.message }]);
      }
      if (isShishinError(error, 'idempotency_key_reused')) {
        // The form was sent before with other answers (back button, edit, resend): a fresh key lets
        // the person submit these answers as a new intake on purpose.
        const message = 'This form was already submitted with different answers. Check the answers below and submit again to create a new intake.';
        return rerender(httpStatusByCode[error.code], [{ field: '_', message }], 'The intake was not submitted.', randomUUID());
      }
      if (isShishinError(error, 'conflict') || isShishinError(error, 'not_found') || isShishinError(error, 'not_authorised')) {
        return rerender(httpStatusByCode[error.code], [{ field: '_', message: error.message }], 'The intake could not be submitted.');
      }
      throw error;
    }
  });

  router.get('/console/intakes', async (request, response) => {
    const records = await app.intakes.list({ submittedBy: actorOf(response) });
    send(request, response, 200, 'My intakes', myIntakesPage(records, displayTimeZone('en', app.config.locale.displayTimeZone)));
  });

  /** What changed since the last decision, for an intake due for re-review. */
  const reviewChanges = async (record: IntakeRecord): Promise<ReviewChanges | undefined> => {
    if (record.status !== 'review_due') return undefined;
    const items = await app.obligations.forIntake(record.id);
    return summariseReviewChanges(record, items, await app.store.listAudit({ intakeId: record.id }), app.clock.now());
  };

  const renderDetail = async (
    request: Request,
    response: Response,
    id: string,
    status: number,
    notice?: string,
    decision?: DecisionFormOptions,
    itemForm?: ItemFormState,
  ) => {
    const actor = actorOf(response);
    const record = await readableIntake(app, actor, id);
    const member = app.intakes.isGovernanceMember(actor);
    const items = await app.obligations.forIntake(record.id);
    const changes = await reviewChanges(record);
    send(
      request,
      response,
      status,
      `Intake ${record.id}`,
      intakeDetailPage({
        record,
        history: await intakeHistory(app, record.id),
        canDecide: member && queuedStatuses.includes(record.status),
        isOwner: actorKey(record.submittedBy) === actorKey(actor),
        csrfToken: locals(response).csrfToken ?? '',
        timeZone: displayTimeZone('en', app.config.locale.displayTimeZone),
        items,
        itemPermissions: (item) => app.obligations.permissions(actor, { item, intake: record }),
        now: app.clock.now(),
        ...(changes === undefined ? {} : { changes }),
        ...(decision === undefined ? {} : { decision }),
        ...(itemForm === undefined ? {} : { itemForm }),
      }),
      notice,
    );
  };

  /** "Decision recorded: AI-7K3F9Q “CV screening” — Approved with conditions." for the intake just decided. */
  const decidedNotice = async (actor: Actor, id: unknown): Promise<string | undefined> => {
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,40}$/.test(id)) return undefined;
    const record = await readableIntake(app, actor, id).catch(() => undefined);
    if (record === undefined || record.decision === undefined) return 'Decision recorded.';
    return `Decision recorded: ${record.id} “${record.input.title}” — ${decisionOutcomes[record.decision]}.`;
  };

  router.get('/console/intakes/:id', async (request, response) => {
    const id = String(request.params.id);
    const updated = text(request.query.updated);
    const notice =
      request.query.submitted === '1'
        ? `Intake ${id} submitted.`
        : request.query.decided !== undefined
          ? await decidedNotice(actorOf(response), request.query.decided === '1' ? id : request.query.decided)
          : updated !== undefined && /^AI-[0-9A-Z]{6}-\d{1,4}$/.test(updated)
            ? workbenchText.itemSaved(updated)
            : undefined;
    await renderDetail(request, response, id, 200, notice);
  });

  router.post('/console/intakes/:id/obligations/:itemId', async (request, response) => {
    const id = String(request.params.id);
    const itemId = String(request.params.itemId);
    const body = bodyOf(request);
    const returnTo = safeReturnPath(body.returnTo, `/console/intakes/${id}`);
    const field = (name: string) => text(body[name]);
    const values: Record<string, string> = {};
    for (const name of ['status', 'note', 'link', 'reason', 'owner', 'dueAt', 'comment']) {
      const value = field(name);
      if (value !== undefined) values[name] = value;
    }
    const revision = Number(field('revision'));
    try {
      if (!itemId.startsWith(`${id}-`)) throw new ShishinError('not_found', 'There is no such obligation item on this intake.');
      await app.obligations.update({
        itemId,
        actor: actorOf(response),
        ...(values.status === undefined ? {} : { status: values.status }),
        ...(values.note === undefined && values.link === undefined ? {} : { evidence: { ...(values.note === undefined ? {} : { note: values.note }), ...(values.link === undefined ? {} : { link: values.link }) } }),
        ...(values.reason === undefined ? {} : { reason: values.reason }),
        // A blank owner field keeps the owner; a blank date removes the due date.
        ...(values.owner === undefined || values.owner.trim() === '' ? {} : { owner: values.owner }),
        ...(values.dueAt === undefined ? {} : { dueAt: values.dueAt }),
        ...(values.comment === undefined || values.comment.trim() === '' ? {} : { comment: values.comment }),
        ...(Number.isInteger(revision) && revision > 0 ? { revision } : {}),
      });
      response.redirect(303, `${returnTo}?updated=${encodeURIComponent(itemId)}#item-${encodeURIComponent(itemId)}`);
    } catch (error) {
      if (!isShishinError(error) || !['input_invalid', 'conflict', 'not_authorised'].includes(error.code)) throw error;
      const errors = error.fields ?? [{ field: '_', message: error.message }];
      await renderDetail(request, response, id, httpStatusByCode[error.code], workbenchText.itemNotSaved, undefined, { itemId, values, errors });
    }
  });

  router.get('/console/obligations', async (request, response) => {
    const entries = await app.obligations.forPerson(actorOf(response));
    send(request, response, 200, workbenchText.myObligationsTitle, myObligationsPage(entries, app.clock.now()));
  });

  router.get('/console/dashboard', async (request, response) => {
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', 'Only governance members can see the dashboard.');
    }
    send(request, response, 200, workbenchText.dashboardTitle, dashboardPage(buildDashboard(await app.intakes.register(), app.clock.now())));
  });

  const renderQueue = async (request: Request, response: Response, status: number, notice?: string, failed?: { intakeId: string; form: DecisionFormOptions }) => {
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', 'Only governance members can see the review queue.');
    }
    const [records, questions] = await Promise.all([app.intakes.queue(), app.intakes.recentEscalations(10)]);
    const items: QueueItem[] = [];
    for (const record of records) {
      const changes = await reviewChanges(record);
      items.push({
        record,
        ...(failed !== undefined && failed.intakeId === record.id ? { decision: failed.form } : {}),
        ...(changes === undefined ? {} : { changes }),
      });
    }
    send(request, response, status, 'Review queue', reviewQueuePage(items, locals(response).csrfToken ?? '', displayTimeZone('en', app.config.locale.displayTimeZone), questions), notice);
  };

  router.get('/console/queue', async (request, response) => {
    await renderQueue(request, response, 200, request.query.decided === undefined ? undefined : await decidedNotice(actorOf(response), request.query.decided));
  });

  router.post('/console/intakes/:id/decision', async (request, response) => {
    const id = String(request.params.id);
    const body = bodyOf(request);
    const returnTo = safeReturnPath(body.returnTo, `/console/intakes/${id}`);
    const decisionValue = text(body.decision);
    const comment = text(body.comment)?.trim() ?? '';
    try {
      if (decisionValue === undefined || !(decisions as readonly string[]).includes(decisionValue)) {
        throw new ShishinError('input_invalid', 'Choose a decision.', { fields: [{ field: 'decision', message: 'Choose a decision.' }] });
      }
      await app.intakes.decide({
        intakeId: id,
        actor: actorOf(response),
        decision: decisionValue as Decision,
        ...(comment === '' ? {} : { comment }),
      });
      response.redirect(303, `${returnTo}?decided=${encodeURIComponent(id)}`);
    } catch (error) {
      if (!isShishinError(error) || !['input_invalid', 'conflict'].includes(error.code)) throw error;
      const field = error.fields?.find((entry) => entry.field === 'comment' || entry.field === 'decision');
      const form: DecisionFormOptions = {
        intakeId: id,
        csrfToken: locals(response).csrfToken ?? '',
        returnTo,
        comment,
        error: field?.message ?? error.message,
        errorField: (field?.field as 'comment' | 'decision' | undefined) ?? '_',
        ...(decisionValue === undefined ? {} : { decision: decisionValue }),
      };
      const status = httpStatusByCode[error.code];
      if (returnTo === '/console/queue') await renderQueue(request, response, status, undefined, { intakeId: id, form });
      else await renderDetail(request, response, id, status, undefined, form);
    }
  });

  router.get('/console/documents', (request, response) => {
    actorOf(response);
    send(request, response, 200, 'Documents', documentListPage(app.documents.list()));
  });

  router.get('/console/documents/:id', async (request, response) => {
    actorOf(response);
    const document = await app.documents.read(String(request.params.id));
    if (document === undefined) throw new ShishinError('not_found', 'No such document in the governance corpus.');
    send(request, response, 200, document.title, documentPage(document));
  });

  router.get('/console/register', async (request, response) => {
    const filter = parseRegisterFilter(request.query);
    const { rows, scope, total } = await visibleRegister(app, actorOf(response), filter);
    send(request, response, 200, 'Register', registerPage(rows, scope, filter, total, displayTimeZone('en', app.config.locale.displayTimeZone)));
  });

  return router;
}

/** Renders an error as a console page (used by the web error handler for /console paths). */
export function consoleErrorPage(context: PageContext, status: number, message: string): string {
  return renderPage({ title: 'Error', context, body: errorPage(status, message) });
}
