// Adaptive Cards for obligation items: a list of a person's items (the `obligations` command and the
// daily digest), each with an "Update" form (status, evidence, reason, due date, owner) that submits
// `obligation.update`; and the elements a re-review review card adds (what changed since the last
// decision). Input ids carry the item id, so several forms on one card never mix their values.
import type { ObligationEntry } from '../../core/review/obligation-service.js';
import type { ReviewChanges } from '../../core/review/reminders.js';
import { dayOf, dueText, obligationCountsText, obligationStatusLabels } from '../../core/presentation/obligation-presentation.js';
import { obligationStatuses } from '../../core/review/obligation-types.js';
import { adaptiveCard, container, heading, submitAction, textBlock, type AdaptiveCard, type CardAction, type CardElement } from './adaptive-card.js';
import { escapeTeamsText, truncateText } from './teams-text.js';
import { workbenchText as text } from './workbench-text.js';

/** Items listed on one card (cards have a size limit; the rest are in the console). */
export const maximumCardItems = 10;

/** The input id of one field of one item's form. */
export function obligationInputId(field: 'status' | 'note' | 'link' | 'reason' | 'due' | 'owner' | 'comment', itemId: string): string {
  return `${field}-${itemId}`;
}

function updateForm(entry: ObligationEntry): CardAction {
  const { item } = entry;
  const id = (field: Parameters<typeof obligationInputId>[0]) => obligationInputId(field, item.id);
  const body: CardElement[] = [
    {
      type: 'Input.ChoiceSet',
      id: id('status'),
      label: text.statusLabel,
      style: 'expanded',
      value: item.status,
      choices: obligationStatuses.map((status) => ({ title: obligationStatusLabels[status], value: status })),
    },
    { type: 'Input.Text', id: id('note'), label: text.noteLabel, isMultiline: true, maxLength: 2000, value: item.evidence?.note ?? '' },
    { type: 'Input.Text', id: id('link'), label: text.linkLabel, style: 'Url', maxLength: 2000, value: item.evidence?.link ?? '' },
    { type: 'Input.Text', id: id('reason'), label: text.reasonLabel, maxLength: 1000, value: item.reason ?? '' },
    { type: 'Input.Date', id: id('due'), label: text.dueLabel, ...(item.dueAt === undefined ? {} : { value: dayOf(item.dueAt) }) },
    {
      type: 'Input.ChoiceSet',
      id: id('owner'),
      label: text.ownerLabel,
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
    },
    { type: 'Input.Text', id: id('comment'), label: text.commentLabel, maxLength: 1000 },
  ];
  return {
    type: 'Action.ShowCard',
    title: text.updateAction,
    card: {
      type: 'AdaptiveCard',
      body,
      actions: [submitAction(text.saveAction, { action: 'obligation.update', itemId: item.id, revision: item.revision }, { style: 'positive' })],
    },
  };
}

function itemElement(entry: ObligationEntry, now: Date): CardElement {
  const { item, intake } = entry;
  const state = item.status === 'open' ? dueText(item, now) : obligationStatusLabels[item.status];
  return container(
    [
      textBlock(`**${escapeTeamsText(item.id)}** ${escapeTeamsText(truncateText(item.text, 300))}`, { spacing: 'Small' }),
      textBlock(`${escapeTeamsText(intake.id)}: ${escapeTeamsText(truncateText(intake.input.title, 80))} · ${escapeTeamsText(state)}`, {
        isSubtle: true,
        size: 'Small',
        spacing: 'None',
        ...(item.status === 'open' && item.dueAt !== undefined && Date.parse(item.dueAt) < now.getTime() ? { color: 'Attention' } : {}),
      }),
      { type: 'ActionSet', actions: [updateForm(entry)] },
    ],
    { spacing: 'Medium', separator: true },
  );
}

/** A person's open items, each with its update form. `notice` (already escaped) goes on top. */
export function obligationsCard(entries: ObligationEntry[], now: Date, options: { notice?: string; noticeColor?: string } = {}): AdaptiveCard {
  const open = entries.filter((entry) => entry.item.status === 'open');
  const body: CardElement[] = [heading(text.listTitle)];
  if (options.notice !== undefined) body.push(textBlock(options.notice, { color: options.noticeColor ?? 'Good', weight: 'Bolder' }));
  if (open.length === 0) body.push(textBlock(text.listEmpty, { isSubtle: true }));
  for (const entry of open.slice(0, maximumCardItems)) body.push(itemElement(entry, now));
  if (open.length > maximumCardItems) body.push(textBlock(text.listMore(open.length - maximumCardItems), { isSubtle: true }));
  return adaptiveCard(body);
}

/** One day's digest: overdue items, then those due within 7 days, each with its update form. */
export function digestCard(overdue: ObligationEntry[], dueSoon: ObligationEntry[], now: Date): AdaptiveCard {
  const body: CardElement[] = [heading(text.digestTitle), textBlock(text.digestSummary(overdue.length, dueSoon.length), { isSubtle: true, spacing: 'None' })];
  const section = (title: string, entries: ObligationEntry[]) => {
    if (entries.length === 0) return;
    body.push(textBlock(title, { weight: 'Bolder', spacing: 'Medium' }));
    for (const entry of entries.slice(0, maximumCardItems)) body.push(itemElement(entry, now));
  };
  section(text.overdueTitle, overdue);
  section(text.dueSoonTitle, dueSoon);
  return adaptiveCard(body);
}

/** The elements a re-review card shows between the facts and the decision buttons. */
export function reviewChangesElements(changes: ReviewChanges): CardElement[] {
  const elements: CardElement[] = [textBlock(text.itemsLine(escapeTeamsText(obligationCountsText(changes.counts))), { spacing: 'Medium' })];
  if (changes.conditions.length > 0) {
    elements.push(textBlock(text.conditionsTitle, { weight: 'Bolder', spacing: 'Medium' }));
    for (const condition of changes.conditions.slice(0, 10)) {
      elements.push(textBlock(`• ${escapeTeamsText(truncateText(condition.text, 200))} (${obligationStatusLabels[condition.status]})`, { spacing: 'None' }));
    }
  }
  elements.push(textBlock(text.changesTitle, { weight: 'Bolder', spacing: 'Medium' }));
  if (changes.changes.length === 0) elements.push(textBlock(text.noChanges, { isSubtle: true, spacing: 'None' }));
  for (const change of changes.changes.slice(-12)) {
    elements.push(
      textBlock(
        `• ${dayOf(change.at)} **${escapeTeamsText(change.itemId)}** ${escapeTeamsText(truncateText(change.text, 80))}: ${escapeTeamsText(truncateText(change.summary, 200))} (${escapeTeamsText(change.actor)})`,
        { spacing: 'None' },
      ),
    );
  }
  return elements;
}
