// Console views of obligation items and re-reviews: an approved intake's items (status, owner, due
// date, evidence) with an update form for those who may change them, what changed since the last
// decision of an intake due for re-review, and the "My obligations" page.
import { actorKey } from '../../../core/actor.js';
import { dayOf, dueText, obligationCountsText, obligationStatusLabels } from '../../../core/presentation/obligation-presentation.js';
import type { ObligationEntry, ObligationPermissions } from '../../../core/review/obligation-service.js';
import { countObligations, isOverdue, obligationStatuses, type ObligationItem } from '../../../core/review/obligation-types.js';
import type { ReviewChanges } from '../../../core/review/reminders.js';
import type { IntakeRecord } from '../../../core/review/review-types.js';
import { html, linkableUrl, type SafeHtml } from '../html.js';
import { workbenchText as text } from './workbench-text.js';

/** What a refused item update sends back to the page: the values typed and the errors. */
export interface ItemFormState {
  itemId: string;
  values: Record<string, string>;
  errors: Array<{ field: string; message: string }>;
}

export function itemStatusBadge(status: ObligationItem['status']): SafeHtml {
  return html`<span class="item-status item-status-${status}" data-item-status="${status}">${obligationStatusLabels[status]}</span>`;
}

function evidenceLine(item: ObligationItem): SafeHtml {
  if (item.evidence === undefined) return html``;
  const href = linkableUrl(item.evidence.link);
  return html`<p class="item-evidence"><span class="item-meta-label">${text.itemEvidence}:</span> ${item.evidence.note ?? ''}${
    item.evidence.link === undefined ? '' : html`${item.evidence.note === undefined ? '' : ' · '}${href === undefined ? item.evidence.link : html`<a href="${href}" rel="noopener noreferrer" target="_blank">${item.evidence.link}</a>`}`
  }</p>`;
}

function fieldError(state: ItemFormState | undefined, fields: string[]): string | undefined {
  const messages = state?.errors.filter((error) => fields.includes(error.field)).map((error) => error.message) ?? [];
  return messages.length === 0 ? undefined : messages.join(' ');
}

function itemForm(item: ObligationItem, permissions: ObligationPermissions, options: { csrfToken: string; returnTo: string; state?: ItemFormState }): SafeHtml {
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
  return html`<details class="item-update"${state === undefined ? '' : html` open`}><summary>${text.itemUpdate(item.id)}</summary>
  <form method="post" action="/console/intakes/${item.intakeId}/obligations/${item.id}" class="item-form" aria-label="${text.itemUpdate(item.id)}">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="returnTo" value="${options.returnTo}">
    <input type="hidden" name="revision" value="${item.revision}">
    ${general === undefined || general.length === 0 ? '' : html`<p class="field-error" role="alert">${general.map((error) => error.message).join(' ')}</p>`}
    <fieldset${invalid(['status'])}><legend>${text.fieldStatus}</legend>
      ${statusChoices.map(
        (status) => html`<div class="choice"><input type="radio" id="${prefix}-status-${status}" name="status" value="${status}"${chosen === status ? html` checked` : ''}><label for="${prefix}-status-${status}">${obligationStatusLabels[status]}</label></div>`,
      )}
    </fieldset>
    ${permissions.complete
      ? html`${input(
          'note',
          text.fieldNote,
          (id, described) => html`<textarea id="${id}" name="note" rows="2" maxlength="2000"${describedBy(described)}${invalid(['evidence', 'evidence.note'])}>${value('note', item.evidence?.note ?? '')}</textarea>`,
          ['evidence', 'evidence.note'],
          text.fieldNoteHelp,
        )}
        ${input('link', text.fieldLink, (id, described) => html`<input type="url" id="${id}" name="link" maxlength="2000" value="${value('link', item.evidence?.link ?? '')}"${describedBy(described)}${invalid(['evidence.link'])}>`, ['evidence.link'])}
        ${input('reason', text.fieldReason, (id, described) => html`<input id="${id}" name="reason" maxlength="1000" value="${value('reason', item.reason ?? '')}"${describedBy(described)}${invalid(['reason'])}>`, ['reason'])}`
      : ''}
    ${permissions.assign
      ? html`${input(
          'owner',
          text.fieldOwner,
          (id, described) => html`<input id="${id}" name="owner" maxlength="300" value="${value('owner', item.owner === undefined ? '' : actorKey(item.owner))}"${describedBy(described)}${invalid(['owner'])}>`,
          ['owner'],
          text.fieldOwnerHelp,
        )}
        ${input('dueAt', text.fieldDue, (id, described) => html`<input type="date" id="${id}" name="dueAt" value="${value('dueAt', dayOf(item.dueAt))}"${describedBy(described)}${invalid(['dueAt'])}>`, ['dueAt'])}`
      : ''}
    ${input('comment', text.fieldComment, (id, described) => html`<input id="${id}" name="comment" maxlength="1000" value="${value('comment', '')}"${describedBy(described)}${invalid(['comment'])}>`, ['comment'])}
    <button type="submit" class="primary">${text.saveItem}</button>
  </form></details>`;
}

export interface ObligationSectionOptions {
  record: IntakeRecord;
  items: ObligationItem[];
  now: Date;
  permissions: (item: ObligationItem) => ObligationPermissions;
  csrfToken: string;
  state?: ItemFormState;
}

/** The tracked items of an approved intake, each with its update form when the viewer may change it. */
export function obligationSection(options: ObligationSectionOptions): SafeHtml {
  const { record, items, now } = options;
  const returnTo = `/console/intakes/${record.id}`;
  return html`<section aria-labelledby="obligations-heading" id="obligations"><h2 id="obligations-heading">${text.itemsHeading}</h2>
    <p>${text.itemsIntro} <strong>${text.itemsCounts}:</strong> ${obligationCountsText(countObligations(items, now))}.</p>
    <ul class="obligations">${items.map((item) => {
      const permissions = options.permissions(item);
      const overdue = isOverdue(item, now);
      return html`<li id="item-${item.id}" class="obligation obligation-${item.status}${overdue ? ' obligation-overdue' : ''}">
        <p>${itemStatusBadge(item.status)} <strong>${item.id}</strong> ${item.text} ${item.framework === undefined ? '' : html`<span class="framework">${item.framework}</span>`}${
          item.source === 'condition' ? html` <span class="framework">${text.itemCondition}</span>` : ''
        }</p>
        <p class="item-meta"><span class="item-meta-label">${text.itemOwner}:</span> ${item.owner === undefined ? '—' : actorKey(item.owner)} · <span class="item-meta-label">${text.itemDue}:</span> <span class="${overdue ? 'overdue' : ''}">${item.dueAt === undefined ? text.itemNoDue : dueText(item, now)}</span></p>
        ${evidenceLine(item)}
        ${item.reason === undefined ? '' : html`<p class="item-reason"><span class="item-meta-label">${text.itemReason}:</span> ${item.reason}</p>`}
        ${permissions.complete || permissions.reopen || permissions.assign ? itemForm(item, permissions, { csrfToken: options.csrfToken, returnTo, ...(options.state === undefined ? {} : { state: options.state }) }) : ''}
      </li>`;
    })}</ul>
  </section>`;
}

/** What changed since the last decision of an intake due for re-review. */
export function reviewChangesSection(record: IntakeRecord, changes: ReviewChanges): SafeHtml {
  return html`<section aria-labelledby="rereview-heading" class="rereview"><h2 id="rereview-heading">${text.reviewDueHeading}</h2>
    <p>${text.reviewDueLead(dayOf(record.nextReviewAt), dayOf(changes.since))} <strong>${text.itemsCounts}:</strong> ${obligationCountsText(changes.counts)}.</p>
    ${changes.conditions.length === 0
      ? ''
      : html`<h3>${text.conditionsHeading}</h3><ul>${changes.conditions.map((item) => html`<li>${itemStatusBadge(item.status)} ${item.text}</li>`)}</ul>`}
    <h3>${text.changesHeading}</h3>
    ${changes.changes.length === 0
      ? html`<p>${text.noChanges}</p>`
      : html`<ul class="changes">${changes.changes.map(
          (change) => html`<li><time datetime="${change.at}">${dayOf(change.at)}</time> <strong>${change.itemId}</strong> ${change.text}: ${change.summary} — ${change.actor}</li>`,
        )}</ul>`}
  </section>`;
}

/** "My obligations": the person's items across their approved intakes. */
export function myObligationsPage(entries: ObligationEntry[], now: Date): SafeHtml {
  return html`<h1>${text.myObligationsTitle}</h1><p class="lead">${text.myObligationsIntro}</p>
  ${entries.length === 0
    ? html`<p>${text.myObligationsEmpty}</p>`
    : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${text.myObligationsCaption}"><table class="my-obligations"><caption>${text.myObligationsCaption}</caption>
      <thead><tr><th scope="col">${text.columnItem}</th><th scope="col">${text.columnUseCase}</th><th scope="col">${text.columnStatus}</th><th scope="col">${text.columnDue}</th><th scope="col">${text.columnOwner}</th></tr></thead>
      <tbody>${entries.map(
        ({ item, intake }) => html`<tr><td><a href="/console/intakes/${intake.id}#item-${item.id}">${item.id}</a> ${item.text}</td><td><a href="/console/intakes/${intake.id}">${intake.id}</a> ${intake.input.title}</td><td>${itemStatusBadge(item.status)}</td><td class="${isOverdue(item, now) ? 'overdue' : ''}">${item.dueAt === undefined ? '—' : dueText(item, now)}</td><td>${item.owner === undefined ? '—' : actorKey(item.owner)}</td></tr>`,
      )}</tbody></table></div>`}`;
}
