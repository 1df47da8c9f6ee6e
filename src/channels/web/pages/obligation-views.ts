// Console views of obligation items and re-reviews: an approved intake's items (status, owner, due
// date, evidence) with an update form for those who may change them, what changed since the last
// decision of an intake due for re-review, and the "My obligations" page. Items come in the reader's
// language (itemsInLanguageOf); every word of the views is from the catalogue.
import { actorKey } from '../../../core/actor.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { dayOf, dueText, obligationCountsText, obligationStatusLabel } from '../../../core/presentation/obligation-presentation.js';
import type { ObligationEntry, ObligationPermissions } from '../../../core/review/obligation-service.js';
import { countObligations, isOverdue, obligationStatuses, type ObligationItem } from '../../../core/review/obligation-types.js';
import type { ReviewChanges } from '../../../core/review/reminders.js';
import type { IntakeRecord } from '../../../core/review/review-types.js';
import { html, linkableUrl, type SafeHtml } from '../html.js';
import { tHtml } from '../translate-html.js';

/** What a refused item update sends back to the page: the values typed and the errors. */
export interface ItemFormState {
  itemId: string;
  values: Record<string, string>;
  errors: Array<{ field: string; message: string }>;
}

export function itemStatusBadge(status: ObligationItem['status'], locale: Locale = 'en'): SafeHtml {
  return html`<span class="item-status item-status-${status}" data-item-status="${status}">${obligationStatusLabel(locale, status)}</span>`;
}

function evidenceLine(item: ObligationItem, locale: Locale): SafeHtml {
  if (item.evidence === undefined) return html``;
  const href = linkableUrl(item.evidence.link);
  return html`<p class="item-evidence"><span class="item-meta-label">${t(locale, 'console.items.evidence')}</span> ${item.evidence.note ?? ''}${
    item.evidence.link === undefined ? '' : html`${item.evidence.note === undefined ? '' : ' · '}${href === undefined ? item.evidence.link : html`<a href="${href}" rel="noopener noreferrer" target="_blank">${item.evidence.link}</a>`}`
  }</p>`;
}

function fieldError(state: ItemFormState | undefined, fields: string[]): string | undefined {
  const messages = state?.errors.filter((error) => fields.includes(error.field)).map((error) => error.message) ?? [];
  return messages.length === 0 ? undefined : messages.join(' ');
}

function itemForm(item: ObligationItem, permissions: ObligationPermissions, options: { csrfToken: string; returnTo: string; state?: ItemFormState; locale: Locale }): SafeHtml {
  const { locale } = options;
  const state = options.state?.itemId === item.id ? options.state : undefined;
  const value = (field: string, fallback: string) => state?.values[field] ?? fallback;
  const prefix = `item-${item.id}`;
  const statusChoices = obligationStatuses.filter((status) => permissions.complete || status === 'open' || status === item.status);
  const chosen = value('status', item.status);
  const general = state?.errors.filter((error) => !['status', 'evidence', 'evidence.note', 'evidence.link', 'reason', 'owner', 'dueAt', 'comment'].includes(error.field));
  const input = (field: string, label: string, control: (id: string, described: string) => SafeHtml, errorFields: string[], help?: string) => {
    const error = fieldError(state, errorFields);
    const id = `${prefix}-${field}`;
    const described = [help === undefined ? '' : `${id}-help`, error === undefined ? '' : `${id}-error`].filter((part) => part !== '').join(' ');
    return html`<div class="field${error === undefined ? '' : ' has-error'}">
      <label for="${id}">${label}</label>
      ${help === undefined ? '' : html`<p id="${id}-help" class="help">${help}</p>`}
      ${error === undefined ? '' : html`<p id="${id}-error" class="field-error">${error}</p>`}
      ${control(id, described)}
    </div>`;
  };
  const invalid = (fields: string[]) => (fieldError(state, fields) === undefined ? '' : html` aria-invalid="true"`);
  const describedBy = (described: string) => (described === '' ? '' : html` aria-describedby="${described}"`);
  const update = t(locale, 'console.items.update', { id: item.id });
  return html`<details class="item-update"${state === undefined ? '' : html` open`}><summary>${update}</summary>
  <form method="post" action="/console/intakes/${item.intakeId}/obligations/${item.id}" class="item-form" aria-label="${update}">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="returnTo" value="${options.returnTo}">
    <input type="hidden" name="revision" value="${item.revision}">
    ${general === undefined || general.length === 0 ? '' : html`<p class="field-error" role="alert">${general.map((error) => error.message).join(' ')}</p>`}
    <fieldset${invalid(['status'])}><legend>${t(locale, 'console.items.fieldStatus')}</legend>
      ${statusChoices.map(
        (status) => html`<div class="choice"><input type="radio" id="${prefix}-status-${status}" name="status" value="${status}"${chosen === status ? html` checked` : ''}><label for="${prefix}-status-${status}">${obligationStatusLabel(locale, status)}</label></div>`,
      )}
    </fieldset>
    ${permissions.complete
      ? html`${input(
          'note',
          t(locale, 'console.items.fieldNote'),
          (id, described) => html`<textarea id="${id}" name="note" rows="2" maxlength="2000"${describedBy(described)}${invalid(['evidence', 'evidence.note'])}>${value('note', item.evidence?.note ?? '')}</textarea>`,
          ['evidence', 'evidence.note'],
          t(locale, 'console.items.fieldNoteHelp'),
        )}
        ${input('link', t(locale, 'console.items.fieldLink'), (id, described) => html`<input type="url" id="${id}" name="link" maxlength="2000" value="${value('link', item.evidence?.link ?? '')}"${describedBy(described)}${invalid(['evidence.link'])}>`, ['evidence.link'])}
        ${input('reason', t(locale, 'console.items.fieldReason'), (id, described) => html`<input id="${id}" name="reason" maxlength="1000" value="${value('reason', item.reason ?? '')}"${describedBy(described)}${invalid(['reason'])}>`, ['reason'])}`
      : ''}
    ${permissions.assign
      ? html`${input(
          'owner',
          t(locale, 'console.items.fieldOwner'),
          (id, described) => html`<input id="${id}" name="owner" maxlength="300" value="${value('owner', item.owner === undefined ? '' : actorKey(item.owner))}"${describedBy(described)}${invalid(['owner'])}>`,
          ['owner'],
          t(locale, 'console.items.fieldOwnerHelp'),
        )}
        ${input('dueAt', t(locale, 'console.items.fieldDue'), (id, described) => html`<input type="date" id="${id}" name="dueAt" value="${value('dueAt', dayOf(item.dueAt))}"${describedBy(described)}${invalid(['dueAt'])}>`, ['dueAt'])}`
      : ''}
    ${input('comment', t(locale, 'console.items.fieldComment'), (id, described) => html`<input id="${id}" name="comment" maxlength="1000" value="${value('comment', '')}"${describedBy(described)}${invalid(['comment'])}>`, ['comment'])}
    <button type="submit" class="primary">${t(locale, 'console.items.save')}</button>
  </form></details>`;
}

export interface ObligationSectionOptions {
  record: IntakeRecord;
  /** The items, with their texts in the reader's language. */
  items: ObligationItem[];
  now: Date;
  permissions: (item: ObligationItem) => ObligationPermissions;
  csrfToken: string;
  state?: ItemFormState;
  locale: Locale;
}

/** The tracked items of an approved intake, each with its update form when the viewer may change it. */
export function obligationSection(options: ObligationSectionOptions): SafeHtml {
  const { record, items, now, locale } = options;
  const returnTo = `/console/intakes/${record.id}`;
  return html`<section aria-labelledby="obligations-heading" id="obligations"><h2 id="obligations-heading">${t(locale, 'console.items.heading')}</h2>
    <p>${t(locale, 'console.items.intro')} <strong>${t(locale, 'console.items.counts')}</strong> ${obligationCountsText(countObligations(items, now), locale)}</p>
    <ul class="obligations">${items.map((item) => {
      const permissions = options.permissions(item);
      const overdue = isOverdue(item, now);
      return html`<li id="item-${item.id}" class="obligation obligation-${item.status}${overdue ? ' obligation-overdue' : ''}">
        <p>${itemStatusBadge(item.status, locale)} <strong>${item.id}</strong> ${item.text} ${item.framework === undefined ? '' : html`<span class="framework">${item.framework}</span>`}${
          item.source === 'condition' ? html` <span class="framework">${t(locale, 'console.items.condition')}</span>` : ''
        }</p>
        <p class="item-meta"><span class="item-meta-label">${t(locale, 'console.items.owner')}</span> ${item.owner === undefined ? '—' : actorKey(item.owner)} · <span class="item-meta-label">${t(locale, 'console.items.due')}</span> <span class="${overdue ? 'overdue' : ''}">${item.dueAt === undefined ? t(locale, 'console.items.noDue') : dueText(item, now, locale)}</span></p>
        ${evidenceLine(item, locale)}
        ${item.reason === undefined ? '' : html`<p class="item-reason"><span class="item-meta-label">${t(locale, 'console.items.reason')}</span> ${item.reason}</p>`}
        ${permissions.complete || permissions.reopen || permissions.assign ? itemForm(item, permissions, { csrfToken: options.csrfToken, returnTo, locale, ...(options.state === undefined ? {} : { state: options.state }) }) : ''}
      </li>`;
    })}</ul>
  </section>`;
}

/** What changed since the last decision of an intake due for re-review (summaries already in `locale`). */
export function reviewChangesSection(record: IntakeRecord, changes: ReviewChanges, locale: Locale = 'en'): SafeHtml {
  return html`<section aria-labelledby="rereview-heading" class="rereview"><h2 id="rereview-heading">${t(locale, 'console.rereview.heading')}</h2>
    <p>${t(locale, 'console.rereview.lead', { due: dayOf(record.nextReviewAt), since: dayOf(changes.since) })} <strong>${t(locale, 'console.items.counts')}</strong> ${obligationCountsText(changes.counts, locale)}</p>
    ${changes.conditions.length === 0
      ? ''
      : html`<h3>${t(locale, 'console.rereview.conditionsHeading')}</h3><ul>${changes.conditions.map((item) => html`<li>${itemStatusBadge(item.status, locale)} ${item.text}</li>`)}</ul>`}
    <h3>${t(locale, 'console.rereview.changesHeading')}</h3>
    ${changes.changes.length === 0
      ? html`<p>${t(locale, 'console.rereview.noChanges')}</p>`
      : html`<ul class="changes">${changes.changes.map(
          (change) => html`<li><time datetime="${change.at}">${dayOf(change.at)}</time> ${tHtml(locale, 'console.rereview.changeLine', { item: html`<strong>${change.itemId}</strong>`, text: change.text, summary: change.summary, actor: change.actor })}</li>`,
        )}</ul>`}
  </section>`;
}

/** "My obligations": the person's items across their approved intakes (item texts in `locale`). */
export function myObligationsPage(entries: ObligationEntry[], now: Date, locale: Locale = 'en'): SafeHtml {
  const caption = t(locale, 'console.myObligations.caption');
  return html`<h1>${t(locale, 'console.myObligations.title')}</h1><p class="lead">${t(locale, 'console.myObligations.intro')}</p>
  ${entries.length === 0
    ? html`<p>${t(locale, 'console.myObligations.empty')}</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}"><table class="my-obligations"><caption>${caption}</caption>
      <thead><tr><th scope="col">${t(locale, 'console.column.item')}</th><th scope="col">${t(locale, 'console.column.useCase')}</th><th scope="col">${t(locale, 'console.column.status')}</th><th scope="col">${t(locale, 'console.column.due')}</th><th scope="col">${t(locale, 'console.column.itemOwner')}</th></tr></thead>
      <tbody>${entries.map(
        ({ item, intake }) => html`<tr><td><a href="/console/intakes/${intake.id}#item-${item.id}">${item.id}</a> ${item.text}</td><td><a href="/console/intakes/${intake.id}">${intake.id}</a> ${intake.input.title}</td><td>${itemStatusBadge(item.status, locale)}</td><td class="${isOverdue(item, now) ? 'overdue' : ''}">${item.dueAt === undefined ? '—' : dueText(item, now, locale)}</td><td>${item.owner === undefined ? '—' : actorKey(item.owner)}</td></tr>`,
      )}</tbody></table></div>`}`;
}
