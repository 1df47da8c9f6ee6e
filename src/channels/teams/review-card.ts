// The review card posted to the governance conversation: the intake, its classification, a comment
// field and the four decision buttons. After a decision (through any door) the same card is
// replaced in place by its decided form, which has no buttons.
import { decisions, type IntakeRecord } from '../../core/review/review-types.js';
import type { ReviewChanges } from '../../core/review/reminders.js';
import { dayOf } from '../../core/presentation/obligation-presentation.js';
import { decisionLabels, statusLabels, tierLabels } from '../../core/presentation/classification-presentation.js';
import { valueLabels } from '../../core/intake/intake-schema.js';
import { adaptiveCard, factSet, heading, submitAction, textBlock, type AdaptiveCard, type CardElement } from './adaptive-card.js';
import { classificationElements } from './intake-cards.js';
import { reviewChangesElements } from './obligation-cards.js';
import { escapeTeamsText, truncateText } from './teams-text.js';
import { workbenchText } from './workbench-text.js';

const buttonStyles: Record<string, string | undefined> = {
  approve: 'positive',
  reject: 'destructive',
};

function who(actor: { displayName?: string; id: string; channel: string }): string {
  return escapeTeamsText(actor.displayName ?? `${actor.channel}:${actor.id}`);
}

function labels(values: readonly string[]): string {
  return values.length === 0 ? 'None' : values.map((value) => valueLabels[value] ?? value).join(', ');
}

/**
 * The review card for `record`; decided records get the outcome instead of the buttons. An intake due
 * for its scheduled re-review gets the buttons again, with its last decision and `changes` (what
 * changed since).
 */
export function reviewCard(record: IntakeRecord, options: { notice?: string; changes?: ReviewChanges } = {}): AdaptiveCard {
  const { input, classification } = record;
  const rereview = record.status === 'review_due';
  const decided = record.decision !== undefined && !rereview;
  const body: CardElement[] = [
    heading(
      rereview
        ? workbenchText.reviewDueHeading(escapeTeamsText(record.id), escapeTeamsText(input.title))
        : `Review ${escapeTeamsText(record.id)}: ${escapeTeamsText(input.title)}`,
    ),
    factSet([
      { title: 'Risk tier', value: tierLabels[classification.tier] },
      { title: 'Status', value: statusLabels[record.status] },
      { title: 'Business unit', value: escapeTeamsText(input.businessUnit) },
      { title: 'Submitted by', value: who(record.submittedBy) },
      { title: 'Domains', value: escapeTeamsText(labels(input.domains)) },
      { title: 'Regions', value: escapeTeamsText(labels(input.regions)) },
      { title: 'Version', value: String(record.version) },
    ]),
    textBlock(escapeTeamsText(truncateText(input.description, 600)), { spacing: 'Medium' }),
    ...classificationElements(classification, { maxObligations: 6 }),
  ];
  if (rereview && record.decision !== undefined) {
    const by = record.decidedBy === undefined ? 'a reviewer' : who(record.decidedBy);
    body.push(textBlock(workbenchText.reviewDueLead(dayOf(record.nextReviewAt), dayOf(record.decidedAt)), { weight: 'Bolder', spacing: 'Large', color: 'Warning' }));
    body.push(textBlock(workbenchText.previousDecision(decisionLabels[record.decision], by, record.decisionComment === undefined ? '' : `: ${escapeTeamsText(record.decisionComment)}`), { spacing: 'None' }));
  }
  if (options.changes !== undefined) body.push(...reviewChangesElements(options.changes));
  if (decided && record.decision !== undefined) {
    const by = record.decidedBy === undefined ? 'a reviewer' : who(record.decidedBy);
    const at = record.decidedAt === undefined ? '' : ` on ${record.decidedAt.slice(0, 16).replace('T', ' ')} UTC`;
    body.push(
      textBlock(`${statusLabels[record.status]} by ${by}${at}.`, {
        weight: 'Bolder',
        spacing: 'Large',
        color: record.decision === 'reject' ? 'Attention' : record.decision === 'request_changes' ? 'Warning' : 'Good',
      }),
    );
    if (record.decisionComment !== undefined && record.decisionComment !== '') {
      body.push(textBlock(`Comment: ${escapeTeamsText(record.decisionComment)}`));
    }
    return adaptiveCard(body);
  }
  if (options.notice !== undefined) body.push(textBlock(escapeTeamsText(options.notice), { color: 'Attention', spacing: 'Medium' }));
  body.push({
    type: 'Input.Text',
    id: 'comment',
    label: 'Comment (required unless you approve)',
    isMultiline: true,
    maxLength: 2000,
    spacing: 'Large',
  });
  const actions = decisions.map((decision) =>
    submitAction(
      decisionLabels[decision],
      { action: 'review.decide', intakeId: record.id, decision },
      buttonStyles[decision] === undefined ? {} : { style: buttonStyles[decision] },
    ),
  );
  return adaptiveCard(body, actions);
}
