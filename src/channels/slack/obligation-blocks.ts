// Slack renderings of obligation items and re-reviews: the App Home list with Update buttons, the
// update modal (one item, or a choice of items when opened from a message shortcut), the re-review
// reminder for the review channel (with the decision buttons), the owner's reminder and the daily
// digest. Item and intake text is escaped; links only to http(s) URLs.
import type { ObligationEntry, ObligationPermissions } from '../../core/review/obligation-service.js';
import type { ObligationItem } from '../../core/review/obligation-types.js';
import { countObligations } from '../../core/review/obligation-types.js';
import type { ObligationDigest, ReviewChanges, ReviewDueReminder } from '../../core/review/reminders.js';
import { dayOf, dueText, obligationCountsText, obligationStatusEmoji, obligationStatusLabels } from '../../core/presentation/obligation-presentation.js';
import type { FieldError } from '../../errors.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type KnownBlock, type ModalView, type PlainTextOption, type SlackMessage } from './block-kit.js';
import { renderReviewMessage } from './intake-blocks.js';
import { escapeMrkdwn, safeLink, truncate } from './mrkdwn.js';
import { workbenchText as text } from './workbench-text.js';

export const obligationOpenActionId = 'shishin_obligation_open';
export const obligationModalCallbackId = 'shishin_obligation_submit';
export const obligationShortcutCallbackId = 'shishin_obligations';

/** The most open items listed in App Home and a digest (Slack limits blocks per view and message). */
export const maximumListedItems = 15;

const statuses = ['open', 'done', 'not_applicable'] as const;

function statusOption(status: (typeof statuses)[number]): PlainTextOption {
  return { text: plainText(obligationStatusLabels[status], slackLimits.optionText), value: status };
}

/** One line about an item: id, text, its intake, due date and status. */
export function obligationLine(entry: ObligationEntry, now: Date, options: { withIntake?: boolean } = {}): string {
  const { item, intake } = entry;
  const intakePart = options.withIntake === false ? '' : ` — ${escapeMrkdwn(intake.id)} ${escapeMrkdwn(truncate(intake.input.title, 60))}`;
  const due = item.status === 'open' ? ` · ${escapeMrkdwn(dueText(item, now))}` : ` · ${escapeMrkdwn(obligationStatusLabels[item.status])}`;
  return `${obligationStatusEmoji[item.status]} *${escapeMrkdwn(item.id)}* ${escapeMrkdwn(truncate(item.text, 200))}${intakePart}${due}`;
}

/** One item as a section with an Update button. */
function itemSection(entry: ObligationEntry, now: Date): KnownBlock {
  return {
    type: 'section',
    text: mrkdwnText(truncate(obligationLine(entry, now), slackLimits.sectionText)),
    accessory: { type: 'button', action_id: obligationOpenActionId, text: plainText(text.updateButton), value: entry.item.id },
  };
}

/** The App Home section: the person's open items, each with an Update button. */
export function homeObligationBlocks(entries: ObligationEntry[], now: Date): KnownBlock[] {
  const open = entries.filter((entry) => entry.item.status === 'open');
  const overdue = open.filter((entry) => entry.item.dueAt !== undefined && Date.parse(entry.item.dueAt) < now.getTime()).length;
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: mrkdwnText(`*${text.homeTitle}*${open.length === 0 ? '' : ` (${text.homeSummary(open.length, overdue)})`}`) },
  ];
  if (open.length === 0) blocks.push({ type: 'context', elements: [mrkdwnText(text.homeEmpty)] });
  for (const entry of open.slice(0, maximumListedItems)) blocks.push(itemSection(entry, now));
  if (open.length > maximumListedItems) blocks.push({ type: 'context', elements: [mrkdwnText(text.homeMore(open.length - maximumListedItems))] });
  return blocks;
}

/** What the update modal carries back. */
export interface ObligationModalMetadata {
  /** Set when the modal is about one item; otherwise the item is chosen in the form. */
  itemId?: string;
  /** The revision shown, so a concurrent change is reported instead of overwritten. */
  revision?: number;
}

/**
 * The update modal. With one entry it shows that item and pre-fills its values (blank then means
 * "remove"); with several it lets the person choose one (blank then means "unchanged").
 */
export function buildObligationModal(entries: ObligationEntry[], permissions?: ObligationPermissions): ModalView {
  const single = entries.length === 1 ? entries[0] : undefined;
  const item: ObligationItem | undefined = single?.item;
  const metadata: ObligationModalMetadata = item === undefined ? {} : { itemId: item.id, revision: item.revision };
  const blocks: KnownBlock[] = [{ type: 'context', elements: [mrkdwnText(text.modalIntro)] }];
  if (single !== undefined && item !== undefined) {
    blocks.push({
      type: 'section',
      text: mrkdwnText(
        truncate(
          `*${escapeMrkdwn(item.id)}* ${escapeMrkdwn(item.text)}\n${escapeMrkdwn(single.intake.id)}: ${escapeMrkdwn(single.intake.input.title)} · ${escapeMrkdwn(obligationStatusLabels[item.status])}`,
          slackLimits.sectionText,
        ),
      ),
    });
  } else {
    blocks.push({
      type: 'input',
      block_id: 'item',
      label: plainText(text.itemLabel),
      element: {
        type: 'static_select',
        action_id: 'item',
        placeholder: plainText(text.itemPlaceholder),
        options: entries.slice(0, 100).map((entry) => ({
          text: plainText(`${entry.item.id} · ${obligationStatusLabels[entry.item.status]} · ${entry.item.text}`, slackLimits.optionText),
          value: entry.item.id,
        })),
      },
    });
  }
  const canComplete = permissions?.complete ?? true;
  const options = statuses.filter((status) => canComplete || status === 'open' || status === item?.status).map(statusOption);
  blocks.push({
    type: 'input',
    block_id: 'status',
    optional: item === undefined,
    label: plainText(text.statusLabel),
    element: {
      type: 'radio_buttons',
      action_id: 'status',
      options,
      ...(item === undefined ? {} : { initial_option: statusOption(item.status) }),
    },
  });
  if (canComplete) {
    blocks.push(
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plainText(text.noteLabel),
        hint: plainText(text.noteHint),
        element: {
          type: 'plain_text_input',
          action_id: 'note',
          multiline: true,
          max_length: 2000,
          ...(item?.evidence?.note === undefined ? {} : { initial_value: item.evidence.note.slice(0, 2000) }),
        },
      },
      {
        type: 'input',
        block_id: 'link',
        optional: true,
        label: plainText(text.linkLabel),
        element: { type: 'url_text_input', action_id: 'link', ...(item?.evidence?.link === undefined ? {} : { initial_value: item.evidence.link }) },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: plainText(text.reasonLabel),
        element: { type: 'plain_text_input', action_id: 'reason', max_length: 1000, ...(item?.reason === undefined ? {} : { initial_value: item.reason }) },
      },
    );
  }
  if (permissions?.assign ?? true) {
    blocks.push(
      {
        type: 'input',
        block_id: 'due',
        optional: true,
        label: plainText(text.dueLabel),
        element: { type: 'datepicker', action_id: 'due', ...(item?.dueAt === undefined ? {} : { initial_date: dayOf(item.dueAt) }) },
      },
      {
        type: 'input',
        block_id: 'owner',
        optional: true,
        label: plainText(text.ownerLabel),
        element: { type: 'users_select', action_id: 'owner', ...(item?.owner?.channel === 'slack' ? { initial_user: item.owner.id } : {}) },
      },
    );
  }
  blocks.push({
    type: 'input',
    block_id: 'comment',
    optional: true,
    label: plainText(text.commentLabel),
    element: { type: 'plain_text_input', action_id: 'comment', max_length: 1000 },
  });
  return {
    type: 'modal',
    callback_id: obligationModalCallbackId,
    title: plainText(text.modalTitle, slackLimits.modalTitle),
    submit: plainText(text.modalSubmit),
    close: plainText(text.modalClose),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** A modal with one message (nothing to update, or the outcome). */
export function buildObligationNoticeModal(title: string, lines: string[]): ModalView {
  return {
    type: 'modal',
    callback_id: 'shishin_obligation_notice',
    title: plainText(title, slackLimits.modalTitle),
    close: plainText('Close'),
    blocks: lines.slice(0, 20).map((line): KnownBlock => ({ type: 'section', text: plainText(line, slackLimits.sectionText) })),
  };
}

/** `view.state.values` of the update modal. */
export type ObligationViewState = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_date?: string | null; selected_user?: string | null }>
>;

/** The change a submitted modal asks for, in the obligation service's terms (validated there). */
export interface ObligationModalChange {
  itemId: string | undefined;
  status?: string;
  evidence?: { note?: string; link?: string };
  reason?: string;
  dueAt?: string;
  owner?: string;
  comment?: string;
  revision?: number;
}

export function readObligationModal(values: ObligationViewState, metadata: ObligationModalMetadata): ObligationModalChange {
  const prefilled = metadata.itemId !== undefined;
  const read = (block: string) => values[block]?.[block];
  const textValue = (block: string): string | undefined => {
    const value = read(block)?.value;
    if (typeof value === 'string' && value.trim() !== '') return value;
    // Pre-filled fields left blank remove the value; in the choose-an-item form they change nothing.
    return prefilled && block !== 'comment' && read(block) !== undefined ? '' : undefined;
  };
  const change: ObligationModalChange = { itemId: metadata.itemId ?? read('item')?.selected_option?.value ?? undefined };
  const status = read('status')?.selected_option?.value;
  if (status !== undefined) change.status = status;
  const note = textValue('note');
  const link = textValue('link');
  if (note !== undefined || link !== undefined) change.evidence = { ...(note === undefined ? {} : { note }), ...(link === undefined ? {} : { link }) };
  const reason = textValue('reason');
  if (reason !== undefined) change.reason = reason;
  const due = read('due')?.selected_date;
  if (typeof due === 'string' && due !== '') change.dueAt = due;
  const owner = read('owner')?.selected_user;
  if (typeof owner === 'string' && owner !== '') change.owner = `slack:${owner}`;
  const comment = textValue('comment');
  if (comment !== undefined) change.comment = comment;
  if (metadata.revision !== undefined) change.revision = metadata.revision;
  return change;
}

/** Parses private_metadata defensively (it comes back from Slack). */
export function readObligationModalMetadata(privateMetadata: string | undefined): ObligationModalMetadata {
  try {
    const parsed = JSON.parse(privateMetadata ?? '{}') as Record<string, unknown>;
    return {
      ...(typeof parsed.itemId === 'string' ? { itemId: parsed.itemId } : {}),
      ...(typeof parsed.revision === 'number' ? { revision: parsed.revision } : {}),
    };
  } catch {
    return {};
  }
}

const errorBlocks: Record<string, string> = {
  status: 'status',
  evidence: 'note',
  'evidence.note': 'note',
  'evidence.link': 'link',
  reason: 'reason',
  dueAt: 'due',
  owner: 'owner',
  comment: 'comment',
};

/** Core field errors as `response_action: errors` (block id → message), for the blocks the modal has. */
export function obligationErrorsToBlocks(fields: FieldError[], view: Pick<ModalView, 'blocks'> | undefined): Record<string, string> {
  const present = new Set((view?.blocks ?? []).flatMap((block) => ('block_id' in block && typeof block.block_id === 'string' ? [block.block_id] : [])));
  const fallback = present.has('item') ? 'item' : 'status';
  const errors: Record<string, string> = {};
  for (const { field, message } of fields) {
    const wanted = errorBlocks[field] ?? fallback;
    const block = present.size === 0 || present.has(wanted) ? wanted : fallback;
    errors[block] = errors[block] === undefined ? message : `${errors[block]} ${message}`;
  }
  return errors;
}

function changesBlocks(changes: ReviewChanges): KnownBlock[] {
  const lines = [text.itemsLine(escapeMrkdwn(obligationCountsText(changes.counts)))];
  if (changes.conditions.length > 0) {
    lines.push(`*${text.conditionsTitle}*`);
    for (const condition of changes.conditions.slice(0, 10)) {
      lines.push(`${obligationStatusEmoji[condition.status]} ${escapeMrkdwn(truncate(condition.text, 200))} _(${escapeMrkdwn(obligationStatusLabels[condition.status])})_`);
    }
  }
  lines.push(`*${text.changesTitle}*`);
  if (changes.changes.length === 0) lines.push(text.noChanges);
  for (const change of changes.changes.slice(-12)) {
    lines.push(`• ${escapeMrkdwn(dayOf(change.at))} *${escapeMrkdwn(change.itemId)}* ${escapeMrkdwn(truncate(change.text, 80))}: ${escapeMrkdwn(truncate(change.summary, 200))} — ${escapeMrkdwn(change.actor)}`);
  }
  return [{ type: 'section', text: mrkdwnText(truncate(lines.join('\n'), slackLimits.sectionText)) }];
}

/** The re-review reminder for the review channel: the review message (with its buttons), what changed. */
export function renderReviewDueMessage(reminder: ReviewDueReminder, consoleUrl: string | undefined): SlackMessage {
  const { record, changes } = reminder;
  const review = renderReviewMessage(record, consoleUrl);
  const lead: KnownBlock[] = [
    { type: 'header', text: plainText(text.reviewDueHeader(record.id, record.input.title), slackLimits.headerText) },
    { type: 'section', text: mrkdwnText(escapeMrkdwn(text.reviewDueLead(dayOf(record.nextReviewAt), dayOf(record.decidedAt)))) },
    ...changesBlocks(changes),
  ];
  // The review message's own header gives way to the re-review one.
  const body = review.blocks.filter((block) => block.type !== 'header');
  return {
    text: truncate(escapeMrkdwn(text.reviewDueHeader(record.id, record.input.title)), slackLimits.fallbackText),
    blocks: clampBlocks([...lead, ...body], slackLimits.messageBlocks, 1),
  };
}

/** The owner's direct message when their intake is due for re-review. */
export function renderOwnerReviewDue(reminder: ReviewDueReminder, consoleUrl: string | undefined, now: Date): SlackMessage {
  const { record, items } = reminder;
  const open = items.filter((item) => item.status === 'open');
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwnText(text.ownerReviewDue(escapeMrkdwn(record.id), escapeMrkdwn(record.input.title))) },
    { type: 'context', elements: [mrkdwnText(escapeMrkdwn(text.itemsLine(obligationCountsText(countObligations(items, now)))))] },
  ];
  if (open.length > 0) {
    blocks.push({ type: 'section', text: mrkdwnText(`*${text.ownerOpenItems}*`) });
    for (const item of open.slice(0, maximumListedItems)) blocks.push(itemSection({ item, intake: record }, now));
  }
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, text.openInConsole))] });
  return { text: truncate(escapeMrkdwn(text.ownerReviewDueText(record.id, record.input.title)), slackLimits.fallbackText), blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1) };
}

/** One day's digest: overdue items, then items due within 7 days, each with an Update button. */
export function renderDigest(digest: ObligationDigest, consoleUrl: string | undefined, now: Date): SlackMessage {
  const blocks: KnownBlock[] = [{ type: 'header', text: plainText(text.digestHeader, slackLimits.headerText) }];
  const listed = (title: string, entries: ObligationEntry[]) => {
    if (entries.length === 0) return;
    blocks.push({ type: 'section', text: mrkdwnText(`*${title}* (${entries.length})`) });
    for (const entry of entries.slice(0, maximumListedItems)) blocks.push(itemSection(entry, now));
  };
  listed(text.digestOverdue, digest.overdue);
  listed(text.digestDueSoon, digest.dueSoon);
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, text.openInConsole))] });
  return {
    text: truncate(`${text.digestHeader}: ${text.digestText(digest.overdue.length, digest.dueSoon.length)}`, slackLimits.fallbackText),
    blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1),
  };
}
