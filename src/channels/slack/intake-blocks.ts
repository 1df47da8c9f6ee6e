// Slack renderings of intakes: the classification summary sent to the submitter, the review request
// posted to the governance channel (with decision buttons), its decided form, the decision-comment
// modal and one-line status rows. Intake text is escaped; rule citations link only to http(s) URLs.
import type { Actor } from '../../core/actor.js';
import type { Classification, RuleCitation } from '../../core/intake/classification.js';
import { valueLabels } from '../../core/intake/intake-schema.js';
import {
  classificationHeadline,
  decisionLabels,
  decisionNeedsComment,
  statusLabels,
  tierEmoji,
  tierLabels,
  vendorDutySummary,
} from '../../core/presentation/classification-presentation.js';
import { decisions, type Decision, type IntakeRecord } from '../../core/review/review-types.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type Button, type KnownBlock, type ModalView, type SlackMessage } from './block-kit.js';
import { escapeMrkdwn, safeLink, truncate, userMention } from './mrkdwn.js';

export const reviewActionIds: Record<Decision, string> = {
  approve: 'shishin_review_approve',
  approve_with_conditions: 'shishin_review_approve_with_conditions',
  request_changes: 'shishin_review_request_changes',
  reject: 'shishin_review_reject',
};

export const decisionModalCallbackId = 'shishin_decision_submit';
export const resubmitActionId = 'shishin_intake_resubmit';

/** Who someone is, for mrkdwn: a Slack mention for Slack users, escaped text otherwise. */
export function actorLabel(actor: Actor): string {
  if (actor.channel === 'slack') return userMention(actor.id);
  const name = actor.displayName ?? actor.id;
  return `${escapeMrkdwn(name)} _(${actor.channel})_`;
}

function citationLine(citation: RuleCitation): string {
  const label = [citation.title ?? citation.source, citation.section].filter((part) => part !== '').join(' — ');
  const viewer = citation.documentUrl !== undefined && citation.documentUrl !== citation.url ? ` (${safeLink(citation.documentUrl, 'in Shishin')})` : '';
  return `${safeLink(citation.url, label)}${viewer}`;
}

function reasonLines(classification: Classification, limit: number): string[] {
  const lines = classification.reasons.slice(0, limit).map((reason) => {
    const sources = reason.citations.slice(0, 2).map(citationLine).join('; ');
    return `• ${tierEmoji[reason.tier]} ${escapeMrkdwn(reason.summary)}${sources === '' ? '' : ` — ${sources}`}`;
  });
  const more = classification.reasons.length - limit;
  if (more > 0) lines.push(`• _…and ${more} more reason(s)_`);
  return lines;
}

function obligationLines(classification: Classification, limit: number): string[] {
  const lines = classification.obligations.slice(0, limit).map((obligation) => {
    const source = obligation.citations[0] === undefined ? '' : ` — ${citationLine(obligation.citations[0])}`;
    return `• ${escapeMrkdwn(obligation.text)} _(${escapeMrkdwn(obligation.framework)})_${source}`;
  });
  const more = classification.obligations.length - limit;
  if (more > 0) lines.push(`• _…and ${more} more obligation(s)_`);
  return lines;
}

/** The vendor's share: one intro line and what to ask for. */
function vendorLines(classification: Classification): string[] {
  const vendor = vendorDutySummary(classification);
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

function intakeHeader(record: IntakeRecord): string {
  return `${record.id}: ${record.input.title}`;
}

/** The classification result, sent to the submitter. */
export function renderClassificationMessage(record: IntakeRecord, consoleUrl: string | undefined): SlackMessage {
  const { classification } = record;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(intakeHeader(record), slackLimits.headerText) },
    {
      type: 'section',
      text: mrkdwnText(`${tierEmoji[classification.tier]} *${escapeMrkdwn(classificationHeadline(classification))}*\nStatus: ${escapeMrkdwn(statusLabels[record.status])}`),
    },
    ...bulletSections('Why', reasonLines(classification, 8)),
    ...bulletSections('What to do', obligationLines(classification, 15)),
    ...bulletSections(vendorDutySummary(classification)?.heading ?? '', vendorLines(classification)),
  ];
  if (classification.signals.length > 0) {
    blocks.push(...bulletSections('Please check', classification.signals.slice(0, 5).map((signal) => `• ${escapeMrkdwn(signal.message)}`)));
  }
  const footer = [`Rules ${escapeMrkdwn(classification.rulesVersion)}`, 'AI-assisted classification; the governance team has the final word.'];
  if (consoleUrl !== undefined) footer.unshift(safeLink(consoleUrl, 'Open in the console'));
  blocks.push({ type: 'context', elements: [mrkdwnText(footer.join(' · '))] });
  if (record.status === 'changes_requested') blocks.push(resubmitButton(record));
  return {
    text: truncate(escapeMrkdwn(`${intakeHeader(record)} — ${classificationHeadline(classification)}`), slackLimits.fallbackText),
    blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1),
  };
}

function resubmitButton(record: IntakeRecord): KnownBlock {
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: resubmitActionId, text: plainText('Revise and resubmit'), value: record.id }],
  };
}

function intakeFacts(record: IntakeRecord): KnownBlock {
  const { input, classification } = record;
  const list = (values: string[]) => (values.length === 0 ? '—' : values.map((value) => valueLabels[value] ?? value).join(', '));
  return {
    type: 'section',
    fields: [
      mrkdwnText(`*Risk tier*\n${tierEmoji[classification.tier]} ${escapeMrkdwn(tierLabels[classification.tier])}`),
      mrkdwnText(`*Submitted by*\n${actorLabel(record.submittedBy)}`),
      mrkdwnText(`*Business unit*\n${escapeMrkdwn(truncate(input.businessUnit, 200))}`),
      mrkdwnText(`*Stage*\n${escapeMrkdwn(valueLabels[input.lifecycleStage] ?? input.lifecycleStage)}`),
      mrkdwnText(`*Domains*\n${escapeMrkdwn(truncate(list(input.domains), 500))}`),
      mrkdwnText(`*Regions*\n${escapeMrkdwn(list(input.regions))}`),
    ],
  };
}

/** The review request posted to the governance channel; with buttons while undecided. */
export function renderReviewMessage(record: IntakeRecord, consoleUrl: string | undefined): SlackMessage {
  const { classification } = record;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`Review: ${intakeHeader(record)}`, slackLimits.headerText) },
    intakeFacts(record),
    { type: 'section', text: mrkdwnText(`*Description*\n${escapeMrkdwn(truncate(record.input.description, 700))}`) },
  ];
  if (classification.flagReasons.length > 0) {
    blocks.push(...bulletSections('Flagged because', classification.flagReasons.slice(0, 6).map((reason) => `• ${escapeMrkdwn(reason)}`)));
  }
  blocks.push(...bulletSections('Reasons', reasonLines(classification, 6)));
  if (record.previousId !== undefined) {
    blocks.push({ type: 'context', elements: [mrkdwnText(`Version ${record.version}, replaces ${escapeMrkdwn(record.previousId)}`)] });
  }
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, 'Open in the console'))] });
  // Undecided, or due for its scheduled re-review: the members decide (again) with these buttons.
  if (record.status === 'pending_review' || record.status === 'review_due') {
    const buttons: Button[] = decisions.map((decision) => ({
      type: 'button',
      action_id: reviewActionIds[decision],
      text: plainText(decisionLabels[decision]),
      value: record.id,
      ...(decision === 'approve' ? { style: 'primary' as const } : decision === 'reject' ? { style: 'danger' as const } : {}),
    }));
    blocks.push({ type: 'actions', block_id: `review:${record.id}`, elements: buttons });
  } else {
    blocks.push(decisionBlock(record));
  }
  return {
    text: truncate(escapeMrkdwn(`Review requested: ${intakeHeader(record)} (${tierLabels[classification.tier]}) — ${statusLabels[record.status]}`), slackLimits.fallbackText),
    blocks: clampBlocks(blocks, slackLimits.messageBlocks, 1),
  };
}

function decisionBlock(record: IntakeRecord): KnownBlock {
  const who = record.decidedBy === undefined ? '' : ` by ${actorLabel(record.decidedBy)}`;
  const when = record.decidedAt === undefined ? '' : ` on ${escapeMrkdwn(record.decidedAt.slice(0, 16).replace('T', ' '))} UTC`;
  const comment = record.decisionComment === undefined || record.decisionComment === '' ? '' : `\n>${escapeMrkdwn(truncate(record.decisionComment, 1500)).replace(/\n/g, '\n>')}`;
  const mark = record.status === 'rejected' ? ':no_entry:' : record.status === 'changes_requested' ? ':leftwards_arrow_with_hook:' : ':white_check_mark:';
  return { type: 'section', text: mrkdwnText(`${mark} *${escapeMrkdwn(statusLabels[record.status])}*${who}${when}${comment}`) };
}

/** The DM sent to a Slack submitter once their intake is decided. */
export function renderDecisionNotice(record: IntakeRecord, consoleUrl: string | undefined): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwnText(`Your AI use case *${escapeMrkdwn(intakeHeader(record))}* was decided.`) },
    decisionBlock(record),
  ];
  if (consoleUrl !== undefined) blocks.push({ type: 'context', elements: [mrkdwnText(safeLink(consoleUrl, 'Open in the console'))] });
  if (record.status === 'changes_requested') blocks.push(resubmitButton(record));
  return {
    text: truncate(escapeMrkdwn(`${intakeHeader(record)}: ${statusLabels[record.status]}`), slackLimits.fallbackText),
    blocks,
  };
}

/** What the decision modal carries back. */
export interface DecisionModalMetadata {
  intakeId: string;
  decision: Decision;
  /** Where the review button was clicked, to tell the reviewer about failures. */
  channel?: string;
}

export function buildDecisionModal(record: IntakeRecord, metadata: DecisionModalMetadata): ModalView {
  const required = decisionNeedsComment(metadata.decision);
  return {
    type: 'modal',
    callback_id: decisionModalCallbackId,
    title: plainText(decisionLabels[metadata.decision], slackLimits.modalTitle),
    submit: plainText('Confirm'),
    close: plainText('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      { type: 'section', text: mrkdwnText(`*${escapeMrkdwn(intakeHeader(record))}*\n${tierEmoji[record.classification.tier]} ${escapeMrkdwn(tierLabels[record.classification.tier])}`) },
      {
        type: 'input',
        block_id: 'comment',
        optional: !required,
        label: plainText(metadata.decision === 'approve_with_conditions' ? 'Conditions' : required ? 'Reason' : 'Comment (optional)'),
        element: { type: 'plain_text_input', action_id: 'comment', multiline: true, max_length: 2000 },
      },
    ],
  };
}

/** One line per intake for status lists (`/shishin status`, `/shishin queue`, App Home). */
export function intakeStatusLine(record: IntakeRecord): string {
  return `• *${escapeMrkdwn(record.id)}* ${escapeMrkdwn(truncate(record.input.title, 80))} — ${tierEmoji[record.classification.tier]} ${escapeMrkdwn(tierLabels[record.classification.tier])}, ${escapeMrkdwn(statusLabels[record.status])}`;
}

/** A list of intakes as sections of status lines. */
export function renderIntakeList(title: string, records: IntakeRecord[], empty: string): KnownBlock[] {
  if (records.length === 0) return [{ type: 'section', text: mrkdwnText(`*${escapeMrkdwn(title)}*\n${escapeMrkdwn(empty)}`) }];
  return bulletSections(escapeMrkdwn(title), records.map(intakeStatusLine));
}
