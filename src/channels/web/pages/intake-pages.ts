// Intake pages: the detail/result page (tier, reasons with citations, obligations, signals, status,
// history), the "My intakes" list, the review queue with decision forms, and the register.
import type { RuleCitation } from '../../../core/intake/classification.js';
import { valueLabels } from '../../../core/intake/intake-schema.js';
import { vendorDutySummary } from '../../../core/presentation/classification-presentation.js';
import { formatDateTime } from '../../../core/i18n/date-format.js';
import { describeActor } from '../../../core/review/register-format.js';
import type { QuestionEscalation, RegisterRow } from '../../../core/review/intake-service.js';
import { dayOf } from '../../../core/presentation/obligation-presentation.js';
import type { ObligationPermissions } from '../../../core/review/obligation-service.js';
import type { ObligationItem } from '../../../core/review/obligation-types.js';
import { isEmptyFilter, registerFilterQuery, type RegisterFilter } from '../../../core/review/register-filter.js';
import type { ReviewChanges } from '../../../core/review/reminders.js';
import { riskTiers } from '../../../core/intake/classification.js';
import { decisions, intakeStatuses, type Decision, type IntakeRecord, type IntakeStatus } from '../../../core/review/review-types.js';
import { html, type SafeHtml } from '../html.js';
import { citationLinkRow } from './ask-page.js';
import type { HistoryEntry } from '../intake-access.js';
import { obligationSection, reviewChangesSection, type ItemFormState } from './obligation-views.js';
import { workbenchText } from './workbench-text.js';

const statusLabels: Record<IntakeStatus, string> = {
  submitted: 'Submitted',
  pending_review: 'Pending review',
  auto_cleared: 'Cleared (no review needed)',
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
  review_due: 'Re-review due',
};

const decisionLabels: Record<Decision, string> = {
  approve: 'Approve',
  approve_with_conditions: 'Approve with conditions',
  request_changes: 'Request changes',
  reject: 'Reject',
};

export function statusLabel(status: IntakeStatus): string {
  return statusLabels[status] ?? status;
}

export function statusBadge(status: IntakeStatus): SafeHtml {
  return html`<span class="status status-${status}" data-status="${status}">${statusLabels[status] ?? status}</span>`;
}

export function tierBadge(tier: string): SafeHtml {
  return html`<span class="tier tier-${tier}" data-tier="${tier}">${tier}</span>`;
}

/** A rule's citations, each linked to the document viewer and, for http(s) originals, the original. */
function citationList(citations: RuleCitation[]): SafeHtml {
  if (citations.length === 0) return html``;
  return html`<ul class="rule-citations">${citations.map(
    (citation) => html`<li><p class="citation-title">${citation.title ?? citation.source}${citation.section === '' ? '' : html` — ${citation.section}`}</p>
      <blockquote>${citation.quote}</blockquote>
      ${citationLinkRow(citation)}</li>`,
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

export function decisionForm(options: DecisionFormOptions): SafeHtml {
  const prefix = `decide-${options.intakeId}`;
  const commentError = options.error !== undefined && options.errorField === 'comment' ? options.error : undefined;
  const decisionError = options.error !== undefined && options.errorField === 'decision' ? options.error : undefined;
  const generalError = options.error !== undefined && (options.errorField === '_' || options.errorField === undefined) ? options.error : undefined;
  const errorTarget = commentError !== undefined ? `${prefix}-comment` : `${prefix}-${decisions[0]}`;
  // The action's fragment brings the reader back to this form when it is shown again with an error.
  return html`<form method="post" action="/console/intakes/${options.intakeId}/decision#${prefix}" id="${prefix}" class="decision-form" aria-label="Decision on ${options.intakeId}">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="returnTo" value="${options.returnTo}">
    ${options.error === undefined
      ? ''
      : html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary" aria-labelledby="${prefix}-error-title">
          <h3 id="${prefix}-error-title">The decision on ${options.intakeId} was not recorded</h3>
          <p>${generalError === undefined ? html`<a href="#${errorTarget}">${options.error}</a>` : generalError}</p>
        </div>`}
    <fieldset${decisionError === undefined ? '' : html` aria-invalid="true" aria-describedby="${prefix}-decision-error"`}>
      <legend>Decision</legend>
      ${decisionError === undefined ? '' : html`<p id="${prefix}-decision-error" class="field-error">${decisionError}</p>`}
      ${decisions.map(
        (decision) => html`<div class="choice"><input type="radio" id="${prefix}-${decision}" name="decision" value="${decision}" required${
          options.decision === decision ? html` checked` : ''
        }><label for="${prefix}-${decision}">${decisionLabels[decision]}</label></div>`,
      )}
    </fieldset>
    <div class="field${commentError === undefined ? '' : ' has-error'}">
      <label for="${prefix}-comment">Comment</label>
      <p id="${prefix}-comment-help" class="help">Required for conditions, change requests and rejections; the submitter sees it.</p>
      ${commentError === undefined ? '' : html`<p id="${prefix}-comment-error" class="field-error">${commentError}</p>`}
      <textarea id="${prefix}-comment" name="comment" rows="3" maxlength="4000" aria-describedby="${prefix}-comment-help${commentError === undefined ? '' : ` ${prefix}-comment-error`}"${commentError === undefined ? '' : html` aria-invalid="true"`}>${options.comment ?? ''}</textarea>
    </div>
    <button type="submit" class="primary">Record decision</button>
  </form>`;
}

/** What a decision did, as an outcome: "Approved with conditions". */
export const decisionOutcomes: Record<Decision, string> = {
  approve: 'Approved',
  approve_with_conditions: 'Approved with conditions',
  request_changes: 'Changes requested',
  reject: 'Rejected',
};

/** `<time>` with the machine-readable instant and the human-readable local time. */
function when(iso: string | undefined, timeZone: string | undefined): SafeHtml | string {
  if (iso === undefined || iso === '') return '';
  return html`<time datetime="${iso}">${formatDateTime(iso, 'en', timeZone ?? 'UTC')}</time>`;
}

function describeAction(entry: HistoryEntry): string {
  const decision = typeof entry.details.decision === 'string' ? entry.details.decision : undefined;
  switch (entry.action) {
    case 'intake.submitted':
      return 'Submitted';
    case 'intake.classified':
      return typeof entry.details.tier === 'string' ? `Classified as ${entry.details.tier}` : 'Classified';
    case 'intake.decided':
      return decision === undefined ? 'Decided' : decisionOutcomes[decision as Decision] ?? decision;
    case 'decision.refused':
      return 'Decision attempt refused';
    case 'obligations.created':
      return workbenchText.historyItemsCreated(typeof entry.details.count === 'number' ? String(entry.details.count) : '?');
    case 'obligation.updated': {
      const status = (entry.details.changes as { status?: { to?: unknown } } | undefined)?.status?.to;
      const item = typeof entry.details.itemId === 'string' ? entry.details.itemId : 'item';
      if (status === undefined) return workbenchText.historyItemUpdated(item);
      return status === 'open' ? workbenchText.historyItemReopened(item) : workbenchText.historyItemMarked(item, String(status).replace(/_/g, ' '));
    }
    case 'review.due':
      return workbenchText.historyReviewDue;
    case 'review.scheduled':
      return workbenchText.historyReviewScheduled;
    default:
      return entry.action;
  }
}

/** Duties that sit with the vendor and what to ask for, each ask with the passage behind it. */
function vendorSection(duties: IntakeRecord['classification']['vendorDuties']): SafeHtml | string {
  const vendor = vendorDutySummary({ vendorDuties: duties });
  if (vendor === undefined || duties === undefined) return '';
  return html`<section aria-labelledby="vendor-heading"><h2 id="vendor-heading">${vendor.heading}</h2>
    <p>${vendor.intro}</p>
    <ul class="vendor-asks">${duties.map(
      (duty) => html`<li><p>${duty.ask} <span class="framework">${duty.framework}</span></p><details><summary>Their duty</summary><p>${duty.text}</p>${citationList(duty.citations)}</details></li>`,
    )}</ul>
  </section>`;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '—' : values.map((value) => valueLabels[value] ?? value).join(', ');
}

export interface IntakeDetailOptions {
  record: IntakeRecord;
  history: HistoryEntry[];
  canDecide: boolean;
  isOwner: boolean;
  decision?: Omit<DecisionFormOptions, 'intakeId' | 'csrfToken' | 'returnTo'>;
  csrfToken: string;
  /** Time zone for dates shown (DISPLAY_TIME_ZONE); undefined: the server's. */
  timeZone?: string | undefined;
  /** Tracked obligation items (after approval); the classification's checklist is shown before. */
  items?: ObligationItem[];
  itemPermissions?: (item: ObligationItem) => ObligationPermissions;
  /** A refused item update to show again with its errors. */
  itemForm?: ItemFormState;
  /** What changed since the last decision, for an intake due for re-review. */
  changes?: ReviewChanges;
  now?: Date;
}

export function intakeDetailPage(options: IntakeDetailOptions): SafeHtml {
  const { record } = options;
  const classification = record.classification;
  const input = record.input;
  return html`<h1>${record.input.title} <span class="intake-id">${record.id}${record.version > 1 ? ` (version ${record.version})` : ''}</span></h1>
  <dl class="summary">
    <div><dt>Risk tier</dt><dd>${tierBadge(classification.tier)}</dd></div>
    <div><dt>Status</dt><dd>${statusBadge(record.status)}</dd></div>
    <div><dt>Needs review</dt><dd>${classification.flagged ? 'Yes — flagged for the governance team' : 'No'}</dd></div>
    <div><dt>Submitted</dt><dd>${when(record.submittedAt, options.timeZone)} by ${describeActor(record.submittedBy)}</dd></div>
    ${record.decision === undefined ? '' : html`<div><dt>Decision</dt><dd>${decisionOutcomes[record.decision]} by ${describeActor(record.decidedBy)} on ${when(record.decidedAt, options.timeZone)}${record.decisionComment === undefined ? '' : html`<blockquote>${record.decisionComment}</blockquote>`}</dd></div>`}
    ${record.nextReviewAt === undefined ? '' : html`<div><dt>${workbenchText.nextReview}</dt><dd><time datetime="${record.nextReviewAt}" data-next-review>${dayOf(record.nextReviewAt)}</time></dd></div>`}
  </dl>
  ${options.changes === undefined ? '' : reviewChangesSection(record, options.changes)}
  ${classification.flagged && classification.flagReasons.length > 0
    ? html`<section aria-labelledby="flag-heading"><h2 id="flag-heading">Why it is flagged</h2><ul>${classification.flagReasons.map((reason) => html`<li>${reason}</li>`)}</ul></section>`
    : ''}
  ${options.isOwner && record.status === 'changes_requested'
    ? html`<p><a class="button" href="/console/intakes/new?from=${record.id}">Revise and resubmit</a></p>`
    : ''}
  <section aria-labelledby="reasons-heading"><h2 id="reasons-heading">Reasons</h2>
    ${classification.reasons.length === 0
      ? html`<p>No risk rule applies.</p>`
      : html`<ol class="reasons">${classification.reasons.map(
          (reason) => html`<li><p>${tierBadge(reason.tier)} ${reason.summary} <span class="rule-id">(${reason.ruleId})</span></p>${citationList(reason.citations)}</li>`,
        )}</ol>`}
  </section>
  ${options.items !== undefined && options.items.length > 0
    ? obligationSection({
        record,
        items: options.items,
        now: options.now ?? new Date(),
        permissions: options.itemPermissions ?? (() => ({ complete: false, reopen: false, assign: false })),
        csrfToken: options.csrfToken,
        ...(options.itemForm === undefined ? {} : { state: options.itemForm }),
      })
    : html`<section aria-labelledby="obligations-heading"><h2 id="obligations-heading">Obligations</h2>
    ${classification.obligations.length === 0
      ? html`<p>No specific obligations beyond internal policy.</p>`
      : html`<ul class="checklist">${classification.obligations.map(
          (obligation) => html`<li><p><span aria-hidden="true">☐</span> ${obligation.text} <span class="framework">${obligation.framework}</span></p>${citationList(obligation.citations)}</li>`,
        )}</ul>`}
  </section>`}
  ${vendorSection(classification.vendorDuties)}
  ${classification.signals.length === 0
    ? ''
    : html`<section aria-labelledby="signals-heading"><h2 id="signals-heading">Signals to check</h2><ul>${classification.signals.map(
        (signal) => html`<li>${signal.message}${signal.evidence === '' ? '' : html` <q>${signal.evidence}</q>`}</li>`,
      )}</ul></section>`}
  <section aria-labelledby="input-heading"><h2 id="input-heading">What was submitted</h2>
    <dl class="answers">
      <div><dt>Description</dt><dd>${input.description}</dd></div>
      <div><dt>Business unit</dt><dd>${input.businessUnit}</dd></div>
      <div><dt>Lifecycle stage</dt><dd>${list([input.lifecycleStage])}</dd></div>
      <div><dt>Our role</dt><dd>${list([input.role])}</dd></div>
      <div><dt>EU AI Act role</dt><dd>${list(input.euRoles ?? [])}</dd></div>
      <div><dt>Model source</dt><dd>${list([input.modelSource])}</dd></div>
      <div><dt>Domains</dt><dd>${list(input.domains)}</dd></div>
      <div><dt>Affected persons</dt><dd>${list(input.affectedPersons)}</dd></div>
      <div><dt>Regions</dt><dd>${list(input.regions)}</dd></div>
      <div><dt>Personal data</dt><dd>${list([input.personalData])}</dd></div>
      <div><dt>Decision impact</dt><dd>${list([input.decisionImpact])}</dd></div>
      <div><dt>Profiles people</dt><dd>${input.profilesPeople ? 'Yes' : 'No'}</dd></div>
      <div><dt>Interacts with people</dt><dd>${input.interactsWithPeople ? 'Yes' : 'No'}</dd></div>
      <div><dt>Generates content</dt><dd>${input.generatesContent ? 'Yes' : 'No'}</dd></div>
      <div><dt>Practices</dt><dd>${list(input.practices)}</dd></div>
      <div><dt>Art. 6(3) exception</dt><dd>${list([input.exception])}</dd></div>
    </dl>
  </section>
  ${options.canDecide
    ? html`<section aria-labelledby="decide-heading"><h2 id="decide-heading">Review</h2>${decisionForm({
        intakeId: record.id,
        csrfToken: options.csrfToken,
        returnTo: `/console/intakes/${record.id}`,
        ...options.decision,
      })}</section>`
    : ''}
  <section aria-labelledby="history-heading"><h2 id="history-heading">History</h2>
    ${options.history.length === 0
      ? html`<p>No history recorded.</p>`
      : html`<ol class="history">${options.history.map(
          (entry) => html`<li>${when(entry.at, options.timeZone)} — ${describeAction(entry)} by ${entry.actor}${
            typeof entry.details.comment === 'string' && entry.details.comment !== '' ? html`: <q>${entry.details.comment}</q>` : ''
          }</li>`,
        )}</ol>`}
  </section>`;
}

export function intakeTable(records: IntakeRecord[], caption: string, timeZone?: string): SafeHtml {
  if (records.length === 0) return html`<p>No intakes yet. <a href="/console/intakes/new">Submit one</a>.</p>`;
  return html`<table class="intakes"><caption>${caption}</caption>
    <thead><tr><th scope="col">Id</th><th scope="col">Title</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col">Submitted</th></tr></thead>
    <tbody>${records.map(
      (record) => html`<tr><td><a href="/console/intakes/${record.id}">${record.id}</a></td><td>${record.input.title}</td><td>${tierBadge(record.classification.tier)}</td><td>${statusBadge(record.status)}</td><td>${when(record.submittedAt, timeZone)}</td></tr>`,
    )}</tbody></table>`;
}

export function myIntakesPage(records: IntakeRecord[], timeZone?: string): SafeHtml {
  return html`<h1>My intakes</h1>${intakeTable(records, 'Intakes you submitted, newest first', timeZone)}`;
}

export interface QueueItem {
  record: IntakeRecord;
  decision?: Omit<DecisionFormOptions, 'intakeId' | 'csrfToken' | 'returnTo'>;
  /** For a re-review: what changed since the last decision. */
  changes?: ReviewChanges;
}

export function reviewQueuePage(items: QueueItem[], csrfToken: string, timeZone?: string, questions: QuestionEscalation[] = []): SafeHtml {
  return html`<h1>Review queue</h1>
  ${questions.length === 0
    ? ''
    : html`<section aria-labelledby="questions-heading"><h2 id="questions-heading">Questions for the governance team</h2>
      <ul class="escalations">${questions.map(
        (item) => html`<li><q>${item.question}</q> — ${describeActor(item.askedBy)}, ${when(item.askedAt, timeZone)}</li>`,
      )}</ul><p class="help">Reply to the person directly; Shishin does not relay answers.</p></section>`}
  <h2 class="visually-hidden">Intakes waiting for a decision</h2>
  ${items.length === 0
    ? html`<p>Nothing is waiting for review.</p>`
    : html`<ul class="queue">${items.map(
        ({ record, decision, changes }) => html`<li class="queue-item"><article aria-labelledby="queue-${record.id}">
          <h2 id="queue-${record.id}"><a href="/console/intakes/${record.id}">${record.input.title}</a> <span class="intake-id">${record.id}</span></h2>
          <p>${tierBadge(record.classification.tier)} ${statusBadge(record.status)} · ${record.input.businessUnit} · submitted ${when(record.submittedAt, timeZone)} by ${describeActor(record.submittedBy)}</p>
          ${changes === undefined ? '' : reviewChangesSection(record, changes)}
          ${changes !== undefined || record.classification.flagReasons.length === 0 ? '' : html`<ul>${record.classification.flagReasons.map((reason) => html`<li>${reason}</li>`)}</ul>`}
          ${decisionForm({ intakeId: record.id, csrfToken, returnTo: '/console/queue', ...decision })}
        </article></li>`,
      )}</ul>`}`;
}

function filterForm(filter: RegisterFilter): SafeHtml {
  const t = workbenchText;
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const status = filter.status?.length === 1 ? filter.status[0] : undefined;
  return html`<form method="get" action="/console/register" class="register-filters" aria-label="${t.filtersLegend}">
    <fieldset><legend>${t.filtersLegend}</legend>
      <div class="filter-grid">
        <div><label for="filter-tier">${t.filterTier}</label><select id="filter-tier" name="tier">${option('', t.filterAny, filter.tier === undefined)}${riskTiers.map((tier) => option(tier, tier, filter.tier === tier))}</select></div>
        <div><label for="filter-status">${t.filterStatus}</label><select id="filter-status" name="status">${option('', t.filterAny, status === undefined)}${intakeStatuses.filter((value) => value !== 'submitted').map((value) => option(value, statusLabel(value), status === value))}</select></div>
        <div><label for="filter-unit">${t.filterBusinessUnit}</label><input id="filter-unit" name="businessUnit" value="${filter.businessUnit ?? ''}" maxlength="200"></div>
        <div><label for="filter-submitted">${t.filterSubmitted}</label><input id="filter-submitted" name="submitted" value="${filter.submitted ?? ''}" pattern="[0-9]{4}-[0-9]{2}" placeholder="2026-11"></div>
        <div><label for="filter-obligations">${t.filterObligations}</label><select id="filter-obligations" name="obligations">${option('', t.filterAny, filter.obligations === undefined)}${option('open', t.filterObligationsOpen, filter.obligations === 'open')}${option('overdue', t.filterObligationsOverdue, filter.obligations === 'overdue')}</select></div>
        <div><label for="filter-review">${t.filterReview}</label><select id="filter-review" name="review">${option('', t.filterAny, filter.review === undefined)}${option('due', t.filterReviewDue, filter.review === 'due')}${option('next_30_days', t.filterReviewNext30, filter.review === 'next_30_days')}</select></div>
      </div>
      <div class="choice"><input type="checkbox" id="filter-latest" name="latest" value="1"${filter.latest === true ? html` checked` : ''}><label for="filter-latest">${t.filterLatest}</label></div>
      <button type="submit">${t.filterApply}</button> ${isEmptyFilter(filter) ? '' : html`<a href="/console/register">${t.filterClear}</a>`}
    </fieldset>
  </form>`;
}

/**
 * The register; `scope: 'own'` when REGISTER_VISIBILITY limits a non-member to their own intakes.
 * `total` is the number of rows before `filter` (the rows given are already filtered).
 */
export function registerPage(rows: RegisterRow[], scope: 'all' | 'own' = 'all', filter: RegisterFilter = {}, total = rows.length, timeZone?: string): SafeHtml {
  const query = registerFilterQuery(filter);
  const download = (format: string) => `/api/register?format=${format}${query === '' ? '' : `&${query}`}`;
  return html`<h1>AI use-case register</h1>
  ${scope === 'own' ? html`<p class="help">You see the intakes you submitted; governance members see the whole register.</p>` : ''}
  ${filterForm(filter)}
  ${isEmptyFilter(filter) ? '' : html`<p role="status" class="filter-summary">${workbenchText.filterShowing(rows.length, total)}</p>`}
  <p>Download: <a href="${download('csv')}" download="ai-register.csv">CSV</a> · <a href="${download('json')}" download="ai-register.json">JSON</a></p>
  ${rows.length === 0
    ? html`<p>${total === 0 ? 'The register is empty.' : 'No register row matches these filters.'}</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Register table"><table class="register"><caption>${scope === 'own' ? 'Your AI use cases' : 'Every AI use case submitted'}, with its tier and decision</caption>
      <thead><tr><th scope="col">Id</th><th scope="col">Title</th><th scope="col">Business unit</th><th scope="col">Owner</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col">Decided by</th><th scope="col">Decided</th><th scope="col">Decision comment</th><th scope="col">Obligations</th><th scope="col">${workbenchText.registerItems}</th><th scope="col">${workbenchText.registerNextReview}</th></tr></thead>
      <tbody>${rows.map(
        (row) => html`<tr data-intake="${row.id}"><td><a href="/console/intakes/${row.id}">${row.id}</a></td><td>${row.title}</td><td>${row.businessUnit}</td><td>${row.owner}</td><td>${tierBadge(row.tier)}</td><td>${statusBadge(row.status)}</td><td>${row.decidedBy}</td><td>${when(row.decidedAt, timeZone)}</td><td>${row.decisionComment}</td><td>${row.obligations.length}</td><td>${
          row.obligationsOpen + row.obligationsDone + row.obligationsNotApplicable === 0
            ? '—'
            : html`${row.obligationsOpen} / ${row.obligationsDone}${row.obligationsOverdue > 0 ? html` <span class="overdue">(${row.obligationsOverdue} overdue)</span>` : ''}`
        }</td><td>${row.nextReviewAt === '' ? '—' : dayOf(row.nextReviewAt)}</td></tr>`,
      )}</tbody></table></div>`}`;
}

export function errorPage(status: number, message: string): SafeHtml {
  const headings: Record<number, string> = {
    400: 'That request could not be handled',
    401: 'Sign-in required',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Already changed',
    413: 'Too large',
    429: 'Slow down',
    503: 'Temporarily unavailable',
  };
  return html`<h1>${headings[status] ?? 'Something went wrong'}</h1><p>${message}</p><p><a href="/console/ask">Back to the console</a></p>`;
}
