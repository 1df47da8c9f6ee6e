// Slack renderings of intakes: the classification summary sent to the submitter, the review request
// posted to the governance channel (with decision buttons), its decided form, the decision-comment
// modal and one-line status rows. Intake text is escaped; rule citations link only to http(s) URLs.
// Every rendering is for one reader (language and time zone); give it the record with its
// classification already in the reader's language (recordFor in slack-context.ts).
import type { Actor } from '../../core/actor.js';
import { formatDateTime } from '../../core/i18n/date-format.js';
import type { Locale } from '../../core/i18n/locale.js';
import { formatList, t } from '../../core/i18n/translate.js';
import type { Classification, RuleCitation } from '../../core/intake/classification.js';
import { fieldLabel, valueLabel } from '../../core/intake/intake-schema.js';
import {
  classificationHeadline,
  decisionLabel,
  decisionNeedsComment,
  statusLabel,
  tierEmoji,
  tierLabel,
  vendorDutySummary,
} from '../../core/presentation/classification-presentation.js';
import { decisions, type Decision, type IntakeRecord } from '../../core/review/review-types.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type Button, type KnownBlock, type ModalView, type SlackMessage } from './block-kit.js';
import { escapeMrkdwn, safeLink, truncate, userMention } from './mrkdwn.js';

/** Who a rendering is for (SlackReader in slack-context.ts); English and UTC unless told. */
export interface IntakeBlocksReader {
  locale: Locale;
  timeZone: string;
}

const englishReader: IntakeBlocksReader = { locale: 'en', timeZone: 'UTC' };

export const reviewActionIds: Record<Decision, string> = {
  approve: 'shishin_review_approve',
  approve_with_conditions: 'shishin_review_approve_with_conditions',
  request_changes: 'shishin_review_request_changes',
  reject: 'shishin_review_reject',
};

export const decisionModalCallbackId = 'shishin_decision_submit';
export const resubmitActionId = 'shishin_intake_resubmit';

/** Who someone is, for mrkdwn: a Slack mention for Slack users, escaped text otherwise. */
export function actorLabel(actor: Actor, locale: Locale = 'en'): string {
  if (actor.channel === 'slack') return userMention(actor.id);
  const name = actor.displayName ?? actor.id;
  return t(locale, 'slack.intake.otherDoor', { name: escapeMrkdwn(name), channel: actor.channel });
}

function citationLine(citation: RuleCitation): string {
  const label = [citation.title ?? citation.source, citation.section].filter((part) => part !== '').join(' — ');
  const viewer = citation.documentUrl !== undefined && citation.documentUrl !== citation.url ? ` (${safeLink(citation.documentUrl, 'in Shishin')})` : '';
  return `${safeLink(citation.url, label)}${viewer}`;
}

function reasonLines(classification: Classification, limit: number, locale: Locale): string[] {
  const lines = classification.reasons.slice(0, limit).map((reason) => {
    const sources = reason.citations.slice(0, 2).map(citationLine).join('; ');
    return `• ${tierEmoji[reason.tier]} ${escapeMrkdwn(reason.summary)}${sources === '' ? '' : ` — ${sources}`}`;
  });
  const more = classification.reasons.length - limit;
  if (more > 0) lines.push(`• _${t(locale, 'classification.moreReasons', { count: more })}_`);
  return lines;
}

function obligationLines(classification: Classification, limit: number, locale: Locale): string[] {
  const lines = classification.obligations.slice(0, limit).map((obligation) => {
    const source = obligation.citations[0] === undefined ? '' : ` — ${citationLine(obligation.citations[0])}`;
    return `• ${t(locale, 'classification.obligationWithFramework', { text: escapeMrkdwn(obligation.text), framework: `_${escapeMrkdwn(obligation.framework)}_` })}${source}`;
  });
  const more = classification.obligations.length - limit;
  if (more > 0) lines.push(`• _${t(locale, 'classification.moreObligations', { count: more })}_`);
  return lines;
}

/** The vendor's share: one intro line and what to ask for. */
function vendorLines(classification: Classification, locale: Locale): string[] {
  const vendor = vendorDutySummary(classification, locale);
  if (vendor === undefined) return [];
  return [`_${escapeMrkdwn(vendor.intro)}_`, ...vendor.asks.map((ask) => `• ${escapeMrkdwn(ask)}`)];
}

/** Sections of bullet lines, each within the section limit. */
function bulletSections(title: string, lines: string[]): KnownBlock[] {
  if (lines.length === 0) return [];
  const blocks: KnownBlock[] = [];
  let current = `*${title}*`;
  for (const line of lines) {
    const clipped = truncate(line, slackLimits.sectionText - 100);
    if (current.length + clipped.length + 1 > slackLimits.sectionText) {
      blocks.push({ type: 'section', text: mrkdwnText(current) });
      current = clipped;
    } else {
      current = `${current}\n${clipped}`;
    }
  }
  blocks.push({ type: 'section', text: mrkdwnText(current) });
  return blocks;
}

function intakeHeader(record: IntakeRecord, locale: Locale): string {
  return t(locale, 'slack.intake.header', { id: record.id, title: record.input.title });
}

/** The classification result, sent to the submitter. */
export function renderClassificationMessage(record: IntakeRecord, consoleUrl: string | undefined, reader: IntakeBlocksReader = englishReader): SlackMessage {
  const { classification } = record;
  const { locale } = reader;
  const headline = classificationHeadline(classification, locale);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(intakeHeader(record, locale), slackLimits.headerText) },
    {
      type: 'section',
      text: mrkdwnText(`${tierEmoji[classification.tier]} *${escapeMrkdwn(headline)}*\n${t(locale, 'slack.intake.statusLine', { status: escapeMrkdwn(statusLabel(locale, record.status)) })}`),
    },
    ...bulletSections(t(locale, 'classification.why'), reasonLines(classification, 8, locale)),
    ...bulletSections(t(locale, 'classification.whatToDo'), obligationLines(classification, 15, locale)),
    ...bulletSections(vendorDutySummary(classification, locale)?.heading ?? '', vendorLines(classification, locale)),
  ];
  if (classification.signals.length > 0) {
    blocks.push(...bulletSections(t(locale, 'classification.pleaseCheck'), classification.signals.slice(0, 5).map((signal) => `• ${escapeMrkdwn(signal.message)}`)));
  }
  const footer = [t(locale, 'classification.rulesVersion', { version: escapeMrkdwn(classification.rulesVersion) }), t(locale, 'classification.aiAssisted')];
  if (consoleUrl !== undefined) footer.unshift(safeLink(consoleUrl, t(locale, 'common.openInConsole')));
  blocks.push({ type: 'context', elements: [mrkdwnText(footer.join(' · '))] });
  if (record.status === 'changes_requested') blocks.push(resubmitButton(record, locale));
  return {
    text: truncate(escapeMrkdwn(t(locale, 'slack.intake.fallback', { intake: intakeHeader(record, locale), headline })), slackLimits.fallbackText),
    blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1, locale),
  };
}

function resubmitButton(record: IntakeRecord, locale: Locale): KnownBlock {
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: resubmitActionId, text: plainText(t(locale, 'slack.intake.resubmit'), slackLimits.buttonText), value: record.id }],
  };
}

function intakeFacts(record: IntakeRecord, locale: Locale): KnownBlock {
  const { input, classification } = record;
  const list = (values: string[]) => (values.length === 0 ? t(locale, 'common.noValue') : formatList(locale, values.map((value) => valueLabel(locale, value))));
  const fact = (label: string, value: string) => mrkdwnText(`*${escapeMrkdwn(label)}*\n${value}`);
  return {
    type: 'section',
    fields: [
      fact(t(locale, 'classification.riskTier'), `${tierEmoji[classification.tier]} ${escapeMrkdwn(tierLabel(locale, classification.tier))}`),
      fact(t(locale, 'slack.intake.submittedBy'), actorLabel(record.submittedBy, locale)),
      fact(fieldLabel(locale, 'businessUnit'), escapeMrkdwn(truncate(input.businessUnit, 200))),
      fact(t(locale, 'slack.intake.stage'), escapeMrkdwn(valueLabel(locale, input.lifecycleStage))),
      fact(fieldLabel(locale, 'domains'), escapeMrkdwn(truncate(list(input.domains), 500))),
      fact(fieldLabel(locale, 'regions'), escapeMrkdwn(list(input.regions))),
    ],
  };
}

/** The review request posted to the governance channel; with buttons while undecided. */
export function renderReviewMessage(record: IntakeRecord, consoleUrl: string | undefined, reader: IntakeBlocksReader = englishReader): SlackMessage {
  const { classification } = record;
  const { locale } = reader;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(t(locale, 'slack.intake.reviewHeader', { intake: intakeHeader(record, locale) }), slackLimits.headerText) },
    intakeFacts(record, locale),
    { type: 'section', text: mrkdwnText(`*${escapeMrkdwn(fieldLabel(locale, 'description'))}*\n${escapeMrkdwn(truncate(record.input.description, 700))}`) },
  ];
  if (classification.flagReasons.length > 0) {
    blocks.push(...bulletSections(t(locale, 'classification.flaggedBecause'), classification.flagReasons.slice(0, 6).map((reason) => `• ${escapeMrkdwn(reason)}`)));
  }
  blocks.push(...bulletSections(t(locale, 'classification.reasons'), reasonLines(classification, 6, locale)));
  if (record.previousId !== undefined) {
    blocks.push({ type: 'context', elements: [mrkdwnText(t(locale, 'slack.intake.replaces', { version: record.version, previousId: escapeMrkdwn(record.previousId) }))] });
  }
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, t(locale, 'common.openInConsole')))] });
  // Undecided, or due for its scheduled re-review: the members decide (again) with these buttons.
  if (record.status === 'pending_review' || record.status === 'review_due') {
    const buttons: Button[] = decisions.map((decision) => ({
      type: 'button',
      action_id: reviewActionIds[decision],
      text: plainText(decisionLabel(locale, decision), slackLimits.buttonText),
      value: record.id,
      ...(decision === 'approve' ? { style: 'primary' as const } : decision === 'reject' ? { style: 'danger' as const } : {}),
    }));
    blocks.push({ type: 'actions', block_id: `review:${record.id}`, elements: buttons });
  } else {
    blocks.push(decisionBlock(record, reader));
  }
  return {
    text: truncate(
      escapeMrkdwn(t(locale, 'slack.intake.reviewFallback', { intake: intakeHeader(record, locale), tier: tierLabel(locale, classification.tier), status: statusLabel(locale, record.status) })),
      slackLimits.fallbackText,
    ),
    blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1, locale),
  };
}

function decisionBlock(record: IntakeRecord, reader: IntakeBlocksReader): KnownBlock {
  const { locale } = reader;
  const status = `*${escapeMrkdwn(statusLabel(locale, record.status))}*`;
  const who = record.decidedBy === undefined ? undefined : actorLabel(record.decidedBy, locale);
  const when = record.decidedAt === undefined ? undefined : escapeMrkdwn(formatDateTime(record.decidedAt, locale, reader.timeZone));
  const outcome =
    who !== undefined && when !== undefined
      ? t(locale, 'slack.intake.decidedBy', { status, who, when })
      : who !== undefined
        ? t(locale, 'slack.intake.decidedByNoDate', { status, who })
        : when !== undefined
          ? t(locale, 'slack.intake.decidedOn', { status, when })
          : t(locale, 'slack.intake.decidedPlain', { status });
  const comment = record.decisionComment === undefined || record.decisionComment === '' ? '' : `\n>${escapeMrkdwn(truncate(record.decisionComment, 1500)).replace(/\n/g, '\n>')}`;
  const mark = record.status === 'rejected' ? ':no_entry:' : record.status === 'changes_requested' ? ':leftwards_arrow_with_hook:' : ':white_check_mark:';
  return { type: 'section', text: mrkdwnText(`${mark} ${outcome}${comment}`) };
}

/** The DM sent to a Slack submitter once their intake is decided, in the submitter's language. */
export function renderDecisionNotice(record: IntakeRecord, consoleUrl: string | undefined, reader: IntakeBlocksReader = englishReader): SlackMessage {
  const { locale } = reader;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwnText(t(locale, 'slack.intake.decisionNotice', { intake: escapeMrkdwn(intakeHeader(record, locale)) })) },
    decisionBlock(record, reader),
  ];
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, t(locale, 'common.openInConsole')))] });
  if (record.status === 'changes_requested') blocks.push(resubmitButton(record, locale));
  return {
    text: truncate(escapeMrkdwn(t(locale, 'slack.intake.decisionFallback', { intake: intakeHeader(record, locale), status: statusLabel(locale, record.status) })), slackLimits.fallbackText),
    blocks,
  };
}

/** What the decision modal carries back. */
export interface DecisionModalMetadata {
  intakeId: string;
  decision: Decision;
  /** Where the review button was clicked, to tell the reviewer about failures. */
  channel?: string;
  /** The reviewer's language, for the modal's errors and the replies. */
  locale?: string;
}

export function buildDecisionModal(record: IntakeRecord, metadata: DecisionModalMetadata, locale: Locale = 'en'): ModalView {
  const required = decisionNeedsComment(metadata.decision);
  return {
    type: 'modal',
    callback_id: decisionModalCallbackId,
    title: plainText(decisionLabel(locale, metadata.decision), slackLimits.modalTitle),
    submit: plainText(t(locale, 'common.confirm'), slackLimits.buttonText),
    close: plainText(t(locale, 'common.cancel'), slackLimits.buttonText),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'section',
        text: mrkdwnText(`*${escapeMrkdwn(intakeHeader(record, locale))}*\n${tierEmoji[record.classification.tier]} ${escapeMrkdwn(tierLabel(locale, record.classification.tier))}`),
      },
      {
        type: 'input',
        block_id: 'comment',
        optional: !required,
        label: plainText(
          t(locale, metadata.decision === 'approve_with_conditions' ? 'slack.intake.conditions' : required ? 'slack.intake.reason' : 'slack.intake.commentOptional'),
        ),
        element: { type: 'plain_text_input', action_id: 'comment', multiline: true, max_length: 2000 },
      },
    ],
  };
}

/** One line per intake for status lists (`/shishin status`, `/shishin queue`, App Home). */
export function intakeStatusLine(record: IntakeRecord, locale: Locale = 'en'): string {
  return `• ${t(locale, 'slack.intake.statusRow', {
    id: `*${escapeMrkdwn(record.id)}*`,
    title: escapeMrkdwn(truncate(record.input.title, 80)),
    tier: `${tierEmoji[record.classification.tier]} ${escapeMrkdwn(tierLabel(locale, record.classification.tier))}`,
    status: escapeMrkdwn(statusLabel(locale, record.status)),
  })}`;
}

/** A list of intakes as sections of status lines. */
export function renderIntakeList(title: string, records: IntakeRecord[], empty: string, locale: Locale = 'en'): KnownBlock[] {
  if (records.length === 0) return [{ type: 'section', text: mrkdwnText(`*${escapeMrkdwn(title)}*\n${escapeMrkdwn(empty)}`) }];
  return bulletSections(escapeMrkdwn(title), records.map((record) => intakeStatusLine(record, locale)));
}
