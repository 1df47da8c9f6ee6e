// Intake pages: the detail/result page (tier, reasons with citations, obligations, signals, status,
// history), the "My intakes" list, the review queue with decision forms, and the register. Words come
// from the catalogue in the reader's language; classifications are passed in already localised
// (IntakeService.localize), dates are shown in the reader's language and time zone.
import type { RuleCitation } from '../../../core/intake/classification.js';
import { fieldLabel, valueLabel, type IntakeField } from '../../../core/intake/intake-schema.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { decisionLabel, statusLabel as coreStatusLabel, tierLabel, vendorDutySummary } from '../../../core/presentation/classification-presentation.js';
import { describeActor } from '../../../core/review/register-format.js';
import type { QuestionEscalation, RegisterRow } from '../../../core/review/intake-service.js';
import { dayOf } from '../../../core/presentation/obligation-presentation.js';
import type { ObligationPermissions } from '../../../core/review/obligation-service.js';
import type { ObligationItem } from '../../../core/review/obligation-types.js';
import { isEmptyFilter, registerFilterQuery, type RegisterFilter } from '../../../core/review/register-filter.js';
import type { ReviewChanges } from '../../../core/review/reminders.js';
import { riskTiers, type RiskTier } from '../../../core/intake/classification.js';
import { decisions, intakeStatuses, type Decision, type IntakeRecord, type IntakeStatus } from '../../../core/review/review-types.js';
import { html, type SafeHtml } from '../html.js';
import { tHtml } from '../translate-html.js';
import { citationLinkRow } from './ask-page.js';
import type { HistoryEntry } from '../intake-access.js';
import { obligationSection, reviewChangesSection, type ItemFormState } from './obligation-views.js';
import { valueList, when, type Reader } from './reader.js';

/** A review status's name in `locale`; a status the catalogue does not know is shown as it is. */
export function statusLabel(status: IntakeStatus, locale: Locale = 'en'): string {
  return (intakeStatuses as readonly string[]).includes(status) ? coreStatusLabel(locale, status) : status;
}

export function statusBadge(status: IntakeStatus, locale: Locale = 'en'): SafeHtml {
  return html`<span class="status status-${status}" data-status="${status}">${statusLabel(status, locale)}</span>`;
}

export function tierBadge(tier: string, locale: Locale = 'en'): SafeHtml {
  return html`<span class="tier tier-${tier}" data-tier="${tier}">${(riskTiers as readonly string[]).includes(tier) ? t(locale, `console.tierBadge.${tier as RiskTier}`) : tier}</span>`;
}

/** What a decision did, as an outcome ("Approved with conditions") in `locale`. */
export function decisionOutcome(decision: Decision, locale: Locale = 'en'): string {
  return (decisions as readonly string[]).includes(decision) ? t(locale, `console.outcome.${decision}`) : decision;
}

/** A rule's citations, each linked to the document viewer and, for http(s) originals, the original. */
function citationList(citations: RuleCitation[], locale: Locale): SafeHtml {
  if (citations.length === 0) return html``;
  return html`<ul class="rule-citations">${citations.map(
    (citation) => html`<li><p class="citation-title">${citation.title ?? citation.source}${citation.section === '' ? '' : html` — ${citation.section}`}</p>
      <blockquote>${citation.quote}</blockquote>
      ${citationLinkRow(citation, locale)}</li>`,
  )}</ul>`;
}

export interface DecisionFormOptions {
  intakeId: string;
  csrfToken: string;
  returnTo: string;
  /** Values and error to show after a refused attempt. */
  decision?: string;
  comment?: string;
  error?: string;
  errorField?: 'decision' | 'comment' | '_';
}

export function decisionForm(options: DecisionFormOptions, locale: Locale = 'en'): SafeHtml {
  const prefix = `decide-${options.intakeId}`;
  const commentError = options.error !== undefined && options.errorField === 'comment' ? options.error : undefined;
  const decisionError = options.error !== undefined && options.errorField === 'decision' ? options.error : undefined;
  const generalError = options.error !== undefined && (options.errorField === '_' || options.errorField === undefined) ? options.error : undefined;
  const errorTarget = commentError !== undefined ? `${prefix}-comment` : `${prefix}-${decisions[0]}`;
  // The action's fragment brings the reader back to this form when it is shown again with an error.
  return html`<form method="post" action="/console/intakes/${options.intakeId}/decision#${prefix}" id="${prefix}" class="decision-form" aria-label="${t(locale, 'console.decisionForm.label', { id: options.intakeId })}">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="returnTo" value="${options.returnTo}">
    ${options.error === undefined
      ? ''
      : html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary" aria-labelledby="${prefix}-error-title">
          <h3 id="${prefix}-error-title">${t(locale, 'console.decisionForm.notRecorded', { id: options.intakeId })}</h3>
          <p>${generalError === undefined ? html`<a href="#${errorTarget}">${options.error}</a>` : generalError}</p>
        </div>`}
    <fieldset${decisionError === undefined ? '' : html` aria-invalid="true" aria-describedby="${prefix}-decision-error"`}>
      <legend>${t(locale, 'console.decisionForm.legend')}</legend>
      ${decisionError === undefined ? '' : html`<p id="${prefix}-decision-error" class="field-error">${decisionError}</p>`}
      ${decisions.map(
        (decision) => html`<div class="choice"><input type="radio" id="${prefix}-${decision}" name="decision" value="${decision}" required${
          options.decision === decision ? html` checked` : ''
        }><label for="${prefix}-${decision}">${decisionLabel(locale, decision)}</label></div>`,
      )}
    </fieldset>
    <div class="field${commentError === undefined ? '' : ' has-error'}">
      <label for="${prefix}-comment">${t(locale, 'console.decisionForm.comment')}</label>
      <p id="${prefix}-comment-help" class="help">${t(locale, 'console.decisionForm.commentHelp')}</p>
      ${commentError === undefined ? '' : html`<p id="${prefix}-comment-error" class="field-error">${commentError}</p>`}
      <textarea id="${prefix}-comment" name="comment" rows="3" maxlength="4000" aria-describedby="${prefix}-comment-help${commentError === undefined ? '' : ` ${prefix}-comment-error`}"${commentError === undefined ? '' : html` aria-invalid="true"`}>${options.comment ?? ''}</textarea>
    </div>
    <button type="submit" class="primary">${t(locale, 'console.decisionForm.submit')}</button>
  </form>`;
}

function describeAction(entry: HistoryEntry, locale: Locale): string {
  const decision = typeof entry.details.decision === 'string' ? entry.details.decision : undefined;
  switch (entry.action) {
    case 'intake.submitted':
      return t(locale, 'console.history.submitted');
    case 'intake.classified':
      return typeof entry.details.tier === 'string' && (riskTiers as readonly string[]).includes(entry.details.tier)
        ? t(locale, 'console.history.classifiedAs', { tier: tierLabel(locale, entry.details.tier as RiskTier) })
        : t(locale, 'console.history.classified');
    case 'intake.decided':
      return decision === undefined ? t(locale, 'console.history.decided') : decisionOutcome(decision as Decision, locale);
    case 'decision.refused':
      return t(locale, 'console.history.refused');
    case 'obligations.created':
      return t(locale, 'console.history.itemsCreated', { number: typeof entry.details.count === 'number' ? String(entry.details.count) : '?' });
    case 'obligation.updated': {
      const status = (entry.details.changes as { status?: { to?: unknown } } | undefined)?.status?.to;
      const item = typeof entry.details.itemId === 'string' ? entry.details.itemId : '?';
      if (status === 'open') return t(locale, 'console.history.itemReopened', { item });
      if (status === 'done') return t(locale, 'console.history.itemDone', { item });
      if (status === 'not_applicable') return t(locale, 'console.history.itemNotApplicable', { item });
      return t(locale, 'console.history.itemUpdated', { item });
    }
    case 'review.due':
      return t(locale, 'console.history.reviewDue');
    case 'review.scheduled':
      return t(locale, 'console.history.reviewScheduled');
    default:
      return entry.action;
  }
}

/** Duties that sit with the vendor and what to ask for, each ask with the passage behind it. */
function vendorSection(duties: IntakeRecord['classification']['vendorDuties'], locale: Locale): SafeHtml | string {
  const vendor = vendorDutySummary({ vendorDuties: duties }, locale);
  if (vendor === undefined || duties === undefined) return '';
  return html`<section aria-labelledby="vendor-heading"><h2 id="vendor-heading">${vendor.heading}</h2>
    <p>${vendor.intro}</p>
    <ul class="vendor-asks">${duties.map(
      (duty) =>
        html`<li><p>${duty.ask} <span class="framework">${duty.framework}</span></p><details><summary>${t(locale, 'console.detail.theirDuty')}</summary><p>${duty.text}</p>${citationList(duty.citations, locale)}</details></li>`,
    )}</ul>
  </section>`;
}

function yesNo(value: boolean, locale: Locale): string {
  return value ? t(locale, 'common.yes') : t(locale, 'common.no');
}

export interface IntakeDetailOptions {
  /** The record, its classification in the reader's language. */
  record: IntakeRecord;
  history: HistoryEntry[];
  canDecide: boolean;
  isOwner: boolean;
  decision?: Omit<DecisionFormOptions, 'intakeId' | 'csrfToken' | 'returnTo'>;
  csrfToken: string;
  reader: Reader;
  /** Tracked obligation items (after approval), texts in the reader's language; the classification's checklist is shown before. */
  items?: ObligationItem[];
  itemPermissions?: (item: ObligationItem) => ObligationPermissions;
  /** A refused item update to show again with its errors. */
  itemForm?: ItemFormState;
  /** What changed since the last decision, for an intake due for re-review. */
  changes?: ReviewChanges;
  now?: Date;
}

export function intakeDetailPage(options: IntakeDetailOptions): SafeHtml {
  const { record, reader } = options;
  const { locale } = reader;
  const classification = record.classification;
  const input = record.input;
  const label = (field: IntakeField) => fieldLabel(locale, field);
  const values = (list: readonly string[]) => valueList(locale, list.map((value) => valueLabel(locale, value)));
  const answer = (field: IntakeField, value: string | SafeHtml) => html`<div><dt>${label(field)}</dt><dd>${value}</dd></div>`;
  return html`<h1>${record.input.title} <span class="intake-id">${record.version > 1 ? t(locale, 'console.detail.idWithVersion', { id: record.id, version: record.version }) : record.id}</span></h1>
  <dl class="summary">
    <div><dt>${t(locale, 'classification.riskTier')}</dt><dd>${tierBadge(classification.tier, locale)}</dd></div>
    <div><dt>${t(locale, 'classification.status')}</dt><dd>${statusBadge(record.status, locale)}</dd></div>
    <div><dt>${t(locale, 'console.detail.needsReview')}</dt><dd>${classification.flagged ? t(locale, 'console.detail.flagged') : t(locale, 'common.no')}</dd></div>
    <div><dt>${t(locale, 'console.detail.submitted')}</dt><dd>${tHtml(locale, 'console.detail.submittedByOn', { when: html`${when(record.submittedAt, reader)}`, who: describeActor(record.submittedBy) })}</dd></div>
    ${record.decision === undefined
      ? ''
      : html`<div><dt>${t(locale, 'console.detail.decision')}</dt><dd>${tHtml(locale, 'console.detail.decidedByOn', {
          outcome: decisionOutcome(record.decision, locale),
          who: describeActor(record.decidedBy),
          when: html`${when(record.decidedAt, reader)}`,
        })}${record.decisionComment === undefined ? '' : html`<blockquote>${record.decisionComment}</blockquote>`}</dd></div>`}
    ${record.nextReviewAt === undefined ? '' : html`<div><dt>${t(locale, 'console.detail.nextReview')}</dt><dd><time datetime="${record.nextReviewAt}" data-next-review>${dayOf(record.nextReviewAt)}</time></dd></div>`}
  </dl>
  ${options.changes === undefined ? '' : reviewChangesSection(record, options.changes, locale)}
  ${classification.flagged && classification.flagReasons.length > 0
    ? html`<section aria-labelledby="flag-heading"><h2 id="flag-heading">${t(locale, 'console.detail.whyFlagged')}</h2><ul>${classification.flagReasons.map((reason) => html`<li>${reason}</li>`)}</ul></section>`
    : ''}
  ${options.isOwner && record.status === 'changes_requested'
    ? html`<p><a class="button" href="/console/intakes/new?from=${record.id}">${t(locale, 'console.detail.revise')}</a></p>`
    : ''}
  <section aria-labelledby="reasons-heading"><h2 id="reasons-heading">${t(locale, 'classification.reasons')}</h2>
    ${classification.reasons.length === 0
      ? html`<p>${t(locale, 'console.detail.noRule')}</p>`
      : html`<ol class="reasons">${classification.reasons.map(
          (reason) => html`<li><p>${tierBadge(reason.tier, locale)} ${reason.summary} <span class="rule-id">(${reason.ruleId})</span></p>${citationList(reason.citations, locale)}</li>`,
        )}</ol>`}
  </section>
  ${options.items !== undefined && options.items.length > 0
    ? obligationSection({
        record,
        items: options.items,
        now: options.now ?? new Date(),
        permissions: options.itemPermissions ?? (() => ({ complete: false, reopen: false, assign: false })),
        csrfToken: options.csrfToken,
        locale,
        ...(options.itemForm === undefined ? {} : { state: options.itemForm }),
      })
    : html`<section aria-labelledby="obligations-heading"><h2 id="obligations-heading">${t(locale, 'classification.obligations')}</h2>
    ${classification.obligations.length === 0
      ? html`<p>${t(locale, 'console.detail.noObligations')}</p>`
      : html`<ul class="checklist">${classification.obligations.map(
          (obligation) => html`<li><p><span aria-hidden="true">☐</span> ${obligation.text} <span class="framework">${obligation.framework}</span></p>${citationList(obligation.citations, locale)}</li>`,
        )}</ul>`}
  </section>`}
  ${vendorSection(classification.vendorDuties, locale)}
  ${classification.signals.length === 0
    ? ''
    : html`<section aria-labelledby="signals-heading"><h2 id="signals-heading">${t(locale, 'console.detail.signals')}</h2><ul>${classification.signals.map(
        (signal) => html`<li>${signal.message}${signal.evidence === '' ? '' : html` <q>${signal.evidence}</q>`}</li>`,
      )}</ul></section>`}
  <section aria-labelledby="input-heading"><h2 id="input-heading">${t(locale, 'console.detail.submittedHeading')}</h2>
    <dl class="answers">
      ${answer('description', input.description)}
      ${answer('businessUnit', input.businessUnit)}
      ${answer('lifecycleStage', values([input.lifecycleStage]))}
      ${answer('role', values([input.role]))}
      ${answer('euRoles', values(input.euRoles ?? []))}
      ${answer('modelSource', values([input.modelSource]))}
      ${answer('domains', values(input.domains))}
      ${answer('affectedPersons', values(input.affectedPersons))}
      ${answer('regions', values(input.regions))}
      ${answer('personalData', values([input.personalData]))}
      ${answer('decisionImpact', values([input.decisionImpact]))}
      ${answer('profilesPeople', yesNo(input.profilesPeople, locale))}
      ${answer('interactsWithPeople', yesNo(input.interactsWithPeople, locale))}
      ${answer('generatesContent', yesNo(input.generatesContent, locale))}
      ${answer('practices', values(input.practices))}
      ${answer('exception', values([input.exception]))}
    </dl>
  </section>
  ${options.canDecide
    ? html`<section aria-labelledby="decide-heading"><h2 id="decide-heading">${t(locale, 'console.detail.review')}</h2>${decisionForm(
        {
          intakeId: record.id,
          csrfToken: options.csrfToken,
          returnTo: `/console/intakes/${record.id}`,
          ...options.decision,
        },
        locale,
      )}</section>`
    : ''}
  <section aria-labelledby="history-heading"><h2 id="history-heading">${t(locale, 'console.detail.history')}</h2>
    ${options.history.length === 0
      ? html`<p>${t(locale, 'console.detail.noHistory')}</p>`
      : html`<ol class="history">${options.history.map((entry) => {
          const parts = { when: html`${when(entry.at, reader)}`, action: describeAction(entry, locale), actor: entry.actor };
          return html`<li>${
            typeof entry.details.comment === 'string' && entry.details.comment !== ''
              ? tHtml(locale, 'console.detail.historyLineWithComment', { ...parts, comment: html`<q>${entry.details.comment}</q>` })
              : tHtml(locale, 'console.detail.historyLine', parts)
          }</li>`;
        })}</ol>`}
  </section>`;
}

export function intakeTable(records: IntakeRecord[], caption: string, reader: Reader): SafeHtml {
  const { locale } = reader;
  if (records.length === 0) {
    return html`<p>${tHtml(locale, 'console.myIntakes.empty', { link: html`<a href="/console/intakes/new">${t(locale, 'console.myIntakes.emptyLink')}</a>` })}</p>`;
  }
  return html`<table class="intakes"><caption>${caption}</caption>
    <thead><tr><th scope="col">${t(locale, 'console.column.id')}</th><th scope="col">${t(locale, 'console.column.title')}</th><th scope="col">${t(locale, 'console.column.tier')}</th><th scope="col">${t(locale, 'console.column.status')}</th><th scope="col">${t(locale, 'console.column.submitted')}</th></tr></thead>
    <tbody>${records.map(
      (record) =>
        html`<tr><td><a href="/console/intakes/${record.id}">${record.id}</a></td><td>${record.input.title}</td><td>${tierBadge(record.classification.tier, locale)}</td><td>${statusBadge(record.status, locale)}</td><td>${when(record.submittedAt, reader)}</td></tr>`,
    )}</tbody></table>`;
}

export function myIntakesPage(records: IntakeRecord[], reader: Reader): SafeHtml {
  return html`<h1>${t(reader.locale, 'console.myIntakes.title')}</h1>${intakeTable(records, t(reader.locale, 'console.myIntakes.caption'), reader)}`;
}

export interface QueueItem {
  /** The record, its classification in the reader's language. */
  record: IntakeRecord;
  decision?: Omit<DecisionFormOptions, 'intakeId' | 'csrfToken' | 'returnTo'>;
  /** For a re-review: what changed since the last decision. */
  changes?: ReviewChanges;
}

export function reviewQueuePage(items: QueueItem[], csrfToken: string, reader: Reader, questions: QuestionEscalation[] = []): SafeHtml {
  const { locale } = reader;
  return html`<h1>${t(locale, 'console.queue.title')}</h1>
  ${questions.length === 0
    ? ''
    : html`<section aria-labelledby="questions-heading"><h2 id="questions-heading">${t(locale, 'console.queue.questionsHeading')}</h2>
      <ul class="escalations">${questions.map(
        (item) =>
          html`<li>${tHtml(locale, 'console.queue.questionLine', { question: html`<q>${item.question}</q>`, who: describeActor(item.askedBy), when: html`${when(item.askedAt, reader)}` })}</li>`,
      )}</ul><p class="help">${t(locale, 'console.queue.replyDirectly')}</p></section>`}
  <h2 class="visually-hidden">${t(locale, 'console.queue.waitingHeading')}</h2>
  ${items.length === 0
    ? html`<p>${t(locale, 'console.queue.empty')}</p>`
    : html`<ul class="queue">${items.map(
        ({ record, decision, changes }) => html`<li class="queue-item"><article aria-labelledby="queue-${record.id}">
          <h2 id="queue-${record.id}"><a href="/console/intakes/${record.id}">${record.input.title}</a> <span class="intake-id">${record.id}</span></h2>
          <p>${tierBadge(record.classification.tier, locale)} ${statusBadge(record.status, locale)} · ${tHtml(locale, 'console.queue.submittedLine', {
            businessUnit: record.input.businessUnit,
            when: html`${when(record.submittedAt, reader)}`,
            who: describeActor(record.submittedBy),
          })}</p>
          ${changes === undefined ? '' : reviewChangesSection(record, changes, locale)}
          ${changes !== undefined || record.classification.flagReasons.length === 0 ? '' : html`<ul>${record.classification.flagReasons.map((reason) => html`<li>${reason}</li>`)}</ul>`}
          ${decisionForm({ intakeId: record.id, csrfToken, returnTo: '/console/queue', ...decision }, locale)}
        </article></li>`,
      )}</ul>`}`;
}

function filterForm(filter: RegisterFilter, locale: Locale): SafeHtml {
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const status = filter.status?.length === 1 ? filter.status[0] : undefined;
  const any = t(locale, 'console.register.filterAny');
  const legend = t(locale, 'console.register.filters');
  return html`<form method="get" action="/console/register" class="register-filters" aria-label="${legend}">
    <fieldset><legend>${legend}</legend>
      <div class="filter-grid">
        <div><label for="filter-tier">${t(locale, 'console.register.filterTier')}</label><select id="filter-tier" name="tier">${option('', any, filter.tier === undefined)}${riskTiers.map((tier) => option(tier, tierLabel(locale, tier), filter.tier === tier))}</select></div>
        <div><label for="filter-status">${t(locale, 'console.register.filterStatus')}</label><select id="filter-status" name="status">${option('', any, status === undefined)}${intakeStatuses.filter((value) => value !== 'submitted').map((value) => option(value, statusLabel(value, locale), status === value))}</select></div>
        <div><label for="filter-unit">${t(locale, 'console.register.filterBusinessUnit')}</label><input id="filter-unit" name="businessUnit" value="${filter.businessUnit ?? ''}" maxlength="200"></div>
        <div><label for="filter-submitted">${t(locale, 'console.register.filterSubmitted')}</label><input id="filter-submitted" name="submitted" value="${filter.submitted ?? ''}" pattern="[0-9]{4}-[0-9]{2}" placeholder="2026-11"></div>
        <div><label for="filter-obligations">${t(locale, 'console.register.filterObligations')}</label><select id="filter-obligations" name="obligations">${option('', any, filter.obligations === undefined)}${option('open', t(locale, 'console.register.filterObligationsOpen'), filter.obligations === 'open')}${option('overdue', t(locale, 'console.register.filterObligationsOverdue'), filter.obligations === 'overdue')}</select></div>
        <div><label for="filter-review">${t(locale, 'console.register.filterReview')}</label><select id="filter-review" name="review">${option('', any, filter.review === undefined)}${option('due', t(locale, 'console.register.filterReviewDue'), filter.review === 'due')}${option('next_30_days', t(locale, 'console.register.filterReviewNext30'), filter.review === 'next_30_days')}</select></div>
      </div>
      <div class="choice"><input type="checkbox" id="filter-latest" name="latest" value="1"${filter.latest === true ? html` checked` : ''}><label for="filter-latest">${t(locale, 'console.register.filterLatest')}</label></div>
      <button type="submit">${t(locale, 'console.register.filterApply')}</button> ${isEmptyFilter(filter) ? '' : html`<a href="/console/register">${t(locale, 'console.register.filterClear')}</a>`}
    </fieldset>
  </form>`;
}

export interface RegisterPageOptions {
  /** The rows after `filter`, labels and texts in the reader's language. */
  rows: RegisterRow[];
  /** `own` when REGISTER_VISIBILITY limits a non-member to their own intakes. */
  scope?: 'all' | 'own';
  filter?: RegisterFilter;
  /** The number of rows before `filter`. */
  total?: number;
  reader: Reader;
}

/** An instant as ISO 8601 in UTC: register rows give times in the reader's zone; days shown are UTC days everywhere. */
function utc(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString();
}

/** The register with its filters and the download links. */
export function registerPage(options: RegisterPageOptions): SafeHtml {
  const { rows, reader } = options;
  const { locale } = reader;
  const scope = options.scope ?? 'all';
  const filter = options.filter ?? {};
  const total = options.total ?? rows.length;
  const query = registerFilterQuery(filter);
  // The API reads the same language evidence (cookie, Accept-Language) as the console: downloads come in the page's language.
  const download = (format: string) => `/api/register?format=${format}${query === '' ? '' : `&${query}`}`;
  const column = (header: string) => html`<th scope="col">${header}</th>`;
  return html`<h1>${t(locale, 'console.register.heading')}</h1>
  ${scope === 'own' ? html`<p class="help">${t(locale, 'console.register.ownScope')}</p>` : ''}
  ${filterForm(filter, locale)}
  ${isEmptyFilter(filter) ? '' : html`<p role="status" class="filter-summary">${t(locale, 'console.register.showing', { shown: rows.length, total })}</p>`}
  <p>${tHtml(locale, 'console.register.download', {
    csv: html`<a href="${download('csv')}" download="ai-register.csv">CSV</a>`,
    json: html`<a href="${download('json')}" download="ai-register.json">JSON</a>`,
  })}</p>
  ${rows.length === 0
    ? html`<p>${total === 0 ? t(locale, 'console.register.empty') : t(locale, 'console.register.noMatch')}</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t(locale, 'console.register.tableLabel')}"><table class="register"><caption>${
        scope === 'own' ? t(locale, 'console.register.captionOwn') : t(locale, 'console.register.captionAll')
      }</caption>
      <thead><tr>${column(t(locale, 'console.column.id'))}${column(t(locale, 'console.column.title'))}${column(t(locale, 'console.column.businessUnit'))}${column(t(locale, 'console.column.owner'))}${column(
        t(locale, 'console.column.tier'),
      )}${column(t(locale, 'console.column.status'))}${column(t(locale, 'console.column.decidedBy'))}${column(t(locale, 'console.column.decided'))}${column(
        t(locale, 'console.column.decisionComment'),
      )}${column(t(locale, 'console.column.obligations'))}${column(t(locale, 'console.column.items'))}${column(t(locale, 'console.column.nextReview'))}</tr></thead>
      <tbody>${rows.map(
        (row) => html`<tr data-intake="${row.id}"><td><a href="/console/intakes/${row.id}">${row.id}</a></td><td>${row.title}</td><td>${row.businessUnit}</td><td>${row.owner}</td><td>${tierBadge(row.tier, locale)}</td><td>${statusBadge(row.status, locale)}</td><td>${row.decidedBy}</td><td>${when(row.decidedAt, reader)}</td><td>${row.decisionComment}</td><td>${row.obligations.length}</td><td>${
          row.obligationsOpen + row.obligationsDone + row.obligationsNotApplicable === 0
            ? '—'
            : html`${row.obligationsOpen} / ${row.obligationsDone}${row.obligationsOverdue > 0 ? html` <span class="overdue">${t(locale, 'console.register.overdue', { count: row.obligationsOverdue })}</span>` : ''}`
        }</td><td>${row.nextReviewAt === '' ? '—' : dayOf(utc(row.nextReviewAt))}</td></tr>`,
      )}</tbody></table></div>`}`;
}

/** The heading of an error page for an HTTP status. */
function errorHeading(status: number, locale: Locale): string {
  switch (status) {
    case 400:
      return t(locale, 'console.error.badRequest');
    case 401:
      return t(locale, 'console.error.signIn');
    case 403:
      return t(locale, 'console.error.forbidden');
    case 404:
      return t(locale, 'console.error.notFound');
    case 409:
      return t(locale, 'console.error.conflict');
    case 413:
      return t(locale, 'console.error.tooLarge');
    case 429:
      return t(locale, 'console.error.slowDown');
    case 503:
      return t(locale, 'console.error.unavailable');
    default:
      return t(locale, 'console.error.other');
  }
}

export function errorPage(status: number, message: string, locale: Locale = 'en'): SafeHtml {
  return html`<h1>${errorHeading(status, locale)}</h1><p>${message}</p><p><a href="/console/ask">${t(locale, 'console.error.back')}</a></p>`;
}
