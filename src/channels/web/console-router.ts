// The web console: server-rendered pages (Ask, New intake, intake detail with its obligation items,
// My intakes, My obligations, Review queue, Register with filters, Dashboard) whose forms post to
// /console/… routes calling the same core services as the JSON API.
// Posts follow POST/redirect/GET; failed submissions re-render the form with inline errors.
// Every page is in the reader's language (request-locale.ts; the header's switch sets it with ?lang=),
// classifications are localised and dates shown in the reader's time zone; submissions, decisions and
// item changes are worded in that language too.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { displayTimeZone } from '../../core/i18n/date-format.js';
import type { Locale } from '../../core/i18n/locale.js';
import { localeQueryParameter } from '../../core/i18n/resolve-locale.js';
import { t } from '../../core/i18n/translate.js';
import { itemsInLanguageOf } from '../../core/presentation/obligation-presentation.js';
import { actorKey, type Actor } from '../../core/actor.js';
import type { AnswerDetails } from '../../core/answer/answer.js';
import { decisions, type Decision } from '../../core/review/review-types.js';
import { isShishinError, ShishinError, httpStatusByCode } from '../../errors.js';
import { developmentIdentityCookie, parseWebIdentity, type Authenticator } from './authentication.js';
import { writeCookie } from './cookies.js';
import { consoleRefusalMessage, csrfProtection } from './csrf.js';
import type { SafeHtml } from './html.js';
import { inLanguage, intakeHistory, readableIntake, visibleRegister } from './intake-access.js';
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
  decisionOutcome,
  type QueueItem,
} from './pages/intake-pages.js';
import { dashboardPage } from './pages/dashboard-page.js';
import { myObligationsPage, type ItemFormState } from './pages/obligation-views.js';
import { buildDashboard } from '../../core/review/dashboard.js';
import { parseRegisterFilter } from '../../core/review/register-filter.js';
import { summariseReviewChanges, type ReviewChanges } from '../../core/review/reminders.js';
import { queuedStatuses } from '../../core/review/review-transitions.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { notSignedIn, renderPage, type PageContext } from './pages/layout.js';
import { abortOnDisconnect, authenticate } from './api-router.js';
import type { RateLimiter } from '../../core/rate-limiter.js';
import { locals } from './request-context.js';
import { localeOf } from './request-locale.js';
import type { Reader } from './pages/reader.js';
import { sameOriginOnly } from './state-change-guards.js';

const assetsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const idempotencyKeyPattern = /^[A-Za-z0-9-]{8,80}$/;

/** The reader of this request: their language and the time zone dates are shown in. */
export function readerOf(app: AppContext, response: Response): Reader {
  const locale = localeOf(response);
  return { locale, timeZone: displayTimeZone(locale, app.config.locale.displayTimeZone) };
}

/** The page a form post was made from (where the language switch of a page shown after a post leads). */
function pageOfPost(path: string): string {
  // A refused intake form is shown again at POST /console/intakes: it is still the "New intake" page.
  if (path === '/console/intakes') return '/console/intakes/new';
  const intake = /^(\/console\/intakes\/[^/]+)\/(?:decision|obligations\/[^/]+)$/.exec(path);
  if (intake?.[1] !== undefined) return intake[1];
  return '/console/ask';
}

/** Builds the page context for the current request (also used by the error handler). */
export function pageContext(app: AppContext, request: Request, response: Response, authenticator: Authenticator): PageContext {
  const identity = locals(response).identity;
  const reader = readerOf(app, response);
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  const query = isGet ? new URLSearchParams(request.originalUrl.split('?')[1] ?? '') : new URLSearchParams();
  query.delete(localeQueryParameter);
  return {
    user: identity === undefined ? notSignedIn : actorKey(identity.actor),
    governanceMember: identity === undefined ? false : app.intakes.isGovernanceMember(identity.actor),
    developmentMode: authenticator.developmentMode,
    csrfToken: locals(response).csrfToken ?? '',
    currentPath: isGet ? request.path : pageOfPost(request.path),
    currentQuery: query.toString(),
    locale: reader.locale,
    timeZone: reader.timeZone,
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
    if (identity === undefined) throw new ShishinError('not_authenticated', t(localeOf(response), 'api.signInRequired'));
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
    if (name !== 'console.css' && name !== 'console.js' && name !== 'favicon.svg') throw new ShishinError('not_found', t(localeOf(response), 'console.error.noSuchAsset'));
    response.type(name.endsWith('.css') ? 'text/css' : name.endsWith('.svg') ? 'image/svg+xml' : 'text/javascript');
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.send(await asset(name));
  });

  router.use('/console', sameOrigin, csrf, identify);

  router.get('/console/ask', async (request, response) => {
    const locale = localeOf(response);
    const question = (text(request.query.q) ?? '').trim();
    const escalated: Record<string, string> = {
      sent: t(locale, 'console.ask.escalatedSent'),
      queued: t(locale, 'console.ask.escalatedQueued'),
      already: t(locale, 'console.ask.escalatedAlready'),
    };
    const notice = request.query.feedback === 'thanks' ? t(locale, 'console.ask.feedbackThanks') : escalated[String(request.query.escalated)];
    const render = (status: number, extra: { answer?: AnswerDetails; error?: string }) =>
      send(
        request,
        response,
        status,
        t(locale, 'console.ask.title'),
        askPage({ question, maxQuestionChars: app.config.maxQuestionChars, csrfToken: locals(response).csrfToken ?? '', locale, ...extra }),
        notice,
      );
    if (question === '') return render(200, {});
    if (question.length > app.config.maxQuestionChars) {
      return render(400, { error: t(locale, 'console.ask.tooLong', { limit: app.config.maxQuestionChars }) });
    }
    const decision = limiter.take(actorKey(actorOf(response)));
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return render(429, { error: t(locale, 'console.ask.rateLimited') });
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
      throw new ShishinError('input_invalid', t(localeOf(response), 'console.ask.feedbackIncomplete'));
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
      throw new ShishinError('input_invalid', t(localeOf(response), 'console.ask.escalationInvalid'));
    }
    const result = await app.intakes.escalateQuestion({ actor: actorOf(response), question, ...(answerId === undefined || answerId === '' ? {} : { answerId }) });
    locals(response).log.info({ deliveredTo: result.deliveredTo, duplicate: result.duplicate }, 'question escalated from the console');
    const outcome = result.duplicate ? 'already' : result.deliveredTo.length > 0 ? 'sent' : 'queued';
    response.redirect(303, `/console/ask?escalated=${outcome}`);
  });

  router.post('/console/dev-identity', (request, response) => {
    const locale = localeOf(response);
    if (!authenticator.developmentMode) throw new ShishinError('not_found', t(locale, 'console.error.noSuchPage'));
    if (!authenticator.canSwitchIdentity(request)) {
      throw new ShishinError('not_authorised', t(locale, 'console.error.switchLoopbackOnly'));
    }
    const body = bodyOf(request);
    const actor = parseWebIdentity(text(body.user) ?? '');
    if (actor === undefined) throw new ShishinError('input_invalid', t(locale, 'console.error.badUserName'));
    writeCookie(response, developmentIdentityCookie, actorKey(actor));
    response.redirect(303, safeReturnPath(body.returnTo, '/console/ask'));
  });

  router.get('/console/intakes/new', async (request, response) => {
    const locale = localeOf(response);
    const from = text(request.query.from);
    const previous = from === undefined || from === '' ? undefined : await readableIntake(app, actorOf(response), from, locale);
    send(
      request,
      response,
      200,
      t(locale, 'console.intakeForm.title'),
      intakeFormPage({
        locale,
        values: previous === undefined ? {} : intakeToFormValues(previous.input as unknown as Record<string, unknown>),
        errors: [],
        csrfToken: locals(response).csrfToken ?? '',
        idempotencyKey: randomUUID(),
        ...(previous === undefined ? {} : { previousId: previous.id }),
      }),
    );
  });

  router.post('/console/intakes', async (request, response) => {
    const locale = localeOf(response);
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
        t(locale, 'console.intakeForm.title'),
        intakeFormPage({
          locale,
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
      return rerender(429, [{ field: '_', message: t(locale, 'console.intakeForm.rateLimited') }], t(locale, 'console.intakeForm.waitMoment'));
    }
    try {
      const { record, created } = await submitIntake(app, {
        input: formValuesToIntake(values),
        submittedBy: actor,
        idempotencyKey: `${actorKey(actor)}:${idempotencyKey}`,
        ...(previousId === undefined ? {} : { previousId }),
        locale,
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
        const message = t(locale, 'console.intakeForm.alreadySubmitted');
        return rerender(httpStatusByCode[error.code], [{ field: '_', message }], t(locale, 'console.intakeForm.notSubmitted'), randomUUID());
      }
      if (isShishinError(error, 'conflict') || isShishinError(error, 'not_found') || isShishinError(error, 'not_authorised')) {
        return rerender(httpStatusByCode[error.code], [{ field: '_', message: error.message }], t(locale, 'console.intakeForm.couldNotSubmit'));
      }
      throw error;
    }
  });

  router.get('/console/intakes', async (request, response) => {
    const reader = readerOf(app, response);
    const records = await app.intakes.list({ submittedBy: actorOf(response) });
    send(request, response, 200, t(reader.locale, 'console.myIntakes.title'), myIntakesPage(records, reader));
  });

  /** What changed since the last decision, for an intake due for re-review. */
  const reviewChanges = async (record: IntakeRecord, locale: Locale): Promise<ReviewChanges | undefined> => {
    if (record.status !== 'review_due') return undefined;
    const items = itemsInLanguageOf(await app.obligations.forIntake(record.id), inLanguage(app, record, locale).classification);
    return summariseReviewChanges(record, items, await app.store.listAudit({ intakeId: record.id }), app.clock.now(), locale);
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
    const reader = readerOf(app, response);
    const { locale } = reader;
    const actor = actorOf(response);
    const stored = await readableIntake(app, actor, id, locale);
    const record = inLanguage(app, stored, locale);
    const member = app.intakes.isGovernanceMember(actor);
    const items = itemsInLanguageOf(await app.obligations.forIntake(record.id), record.classification);
    const changes = await reviewChanges(stored, locale);
    send(
      request,
      response,
      status,
      t(locale, 'console.detail.title', { id: record.id }),
      intakeDetailPage({
        record,
        history: await intakeHistory(app, record.id),
        canDecide: member && queuedStatuses.includes(record.status),
        isOwner: actorKey(record.submittedBy) === actorKey(actor),
        csrfToken: locals(response).csrfToken ?? '',
        reader,
        items,
        itemPermissions: (item) => app.obligations.permissions(actor, { item, intake: stored }),
        now: app.clock.now(),
        ...(changes === undefined ? {} : { changes }),
        ...(decision === undefined ? {} : { decision }),
        ...(itemForm === undefined ? {} : { itemForm }),
      }),
      notice,
    );
  };

  /** "Decision recorded: AI-7K3F9Q “CV screening” — Approved with conditions." for the intake just decided. */
  const decidedNotice = async (actor: Actor, id: unknown, locale: Locale): Promise<string | undefined> => {
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,40}$/.test(id)) return undefined;
    const record = await readableIntake(app, actor, id, locale).catch(() => undefined);
    if (record === undefined || record.decision === undefined) return t(locale, 'console.detail.decisionRecordedPlain');
    return t(locale, 'console.detail.decisionRecorded', { id: record.id, title: record.input.title, outcome: decisionOutcome(record.decision, locale) });
  };

  router.get('/console/intakes/:id', async (request, response) => {
    const locale = localeOf(response);
    const id = String(request.params.id);
    const updated = text(request.query.updated);
    const notice =
      request.query.submitted === '1'
        ? t(locale, 'console.detail.submittedNotice', { id })
        : request.query.decided !== undefined
          ? await decidedNotice(actorOf(response), request.query.decided === '1' ? id : request.query.decided, locale)
          : updated !== undefined && /^AI-[0-9A-Z]{6}-\d{1,4}$/.test(updated)
            ? t(locale, 'console.items.saved', { id: updated })
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
    const locale = localeOf(response);
    try {
      if (!itemId.startsWith(`${id}-`)) throw new ShishinError('not_found', t(locale, 'console.items.noSuchItem'));
      await app.obligations.update({
        itemId,
        actor: actorOf(response),
        locale,
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
      await renderDetail(request, response, id, httpStatusByCode[error.code], t(locale, 'console.items.notSaved'), undefined, { itemId, values, errors });
    }
  });

  router.get('/console/obligations', async (request, response) => {
    const locale = localeOf(response);
    const entries = (await app.obligations.forPerson(actorOf(response))).map(({ item, intake }) => {
      const [shown = item] = itemsInLanguageOf([item], inLanguage(app, intake, locale).classification);
      return { item: shown, intake };
    });
    send(request, response, 200, t(locale, 'console.myObligations.title'), myObligationsPage(entries, app.clock.now(), locale));
  });

  router.get('/console/dashboard', async (request, response) => {
    const reader = readerOf(app, response);
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', t(reader.locale, 'console.dashboard.membersOnly'));
    }
    send(request, response, 200, t(reader.locale, 'console.dashboard.title'), dashboardPage(buildDashboard(await app.intakes.register(), app.clock.now()), reader));
  });

  const renderQueue = async (request: Request, response: Response, status: number, notice?: string, failed?: { intakeId: string; form: DecisionFormOptions }) => {
    const reader = readerOf(app, response);
    if (!app.intakes.isGovernanceMember(actorOf(response))) {
      throw new ShishinError('not_authorised', t(reader.locale, 'console.queue.membersOnly'));
    }
    const [records, questions] = await Promise.all([app.intakes.queue(), app.intakes.recentEscalations(10)]);
    const items: QueueItem[] = [];
    for (const record of records) {
      const changes = await reviewChanges(record, reader.locale);
      items.push({
        record: inLanguage(app, record, reader.locale),
        ...(failed !== undefined && failed.intakeId === record.id ? { decision: failed.form } : {}),
        ...(changes === undefined ? {} : { changes }),
      });
    }
    send(request, response, status, t(reader.locale, 'console.queue.title'), reviewQueuePage(items, locals(response).csrfToken ?? '', reader, questions), notice);
  };

  router.get('/console/queue', async (request, response) => {
    await renderQueue(request, response, 200, request.query.decided === undefined ? undefined : await decidedNotice(actorOf(response), request.query.decided, localeOf(response)));
  });

  router.post('/console/intakes/:id/decision', async (request, response) => {
    const id = String(request.params.id);
    const body = bodyOf(request);
    const returnTo = safeReturnPath(body.returnTo, `/console/intakes/${id}`);
    const decisionValue = text(body.decision);
    const comment = text(body.comment)?.trim() ?? '';
    const locale = localeOf(response);
    try {
      if (decisionValue === undefined || !(decisions as readonly string[]).includes(decisionValue)) {
        const message = t(locale, 'console.decisionForm.chooseDecision');
        throw new ShishinError('input_invalid', message, { fields: [{ field: 'decision', message }] });
      }
      await app.intakes.decide({
        intakeId: id,
        actor: actorOf(response),
        decision: decisionValue as Decision,
        ...(comment === '' ? {} : { comment }),
        locale,
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
    const locale = localeOf(response);
    send(request, response, 200, t(locale, 'console.documents.title'), documentListPage(app.documents.list(), locale));
  });

  router.get('/console/documents/:id', async (request, response) => {
    actorOf(response);
    const locale = localeOf(response);
    const document = await app.documents.read(String(request.params.id));
    if (document === undefined) throw new ShishinError('not_found', t(locale, 'console.documents.notFound'));
    send(request, response, 200, document.title, documentPage(document, locale));
  });

  router.get('/console/register', async (request, response) => {
    const reader = readerOf(app, response);
    const filter = parseRegisterFilter(request.query, reader.locale);
    const { rows, scope, total } = await visibleRegister(app, actorOf(response), filter, reader.locale);
    send(request, response, 200, t(reader.locale, 'console.register.title'), registerPage({ rows, scope, filter, total, reader }));
  });

  return router;
}

/** Renders an error as a console page (used by the web error handler for /console paths). */
export function consoleErrorPage(context: PageContext, status: number, message: string): string {
  return renderPage({ title: t(context.locale, 'console.error.title'), context, body: errorPage(status, message, context.locale) });
}
