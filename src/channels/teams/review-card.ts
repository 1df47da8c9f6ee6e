// The review card posted to the governance conversation: the intake, its classification, a comment
// field and the four decision buttons. After a decision (through any door) the same card is
// replaced in place by its decided form, which has no buttons.
import { decisions, type IntakeRecord } from '../../core/review/review-types.js';
import type { ReviewChanges } from '../../core/review/reminders.js';
import { dayOf } from '../../core/presentation/obligation-presentation.js';
import { formatDateTime } from '../../core/i18n/date-format.js';
import type { Locale } from '../../core/i18n/locale.js';
import { formatList, t } from '../../core/i18n/translate.js';
import { decisionLabel, statusLabel, tierLabel } from '../../core/presentation/classification-presentation.js';
import { fieldLabel, valueLabel } from '../../core/intake/intake-schema.js';
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

function labels(values: readonly string[], locale: Locale): string {
  return values.length === 0 ? t(locale, 'common.none') : formatList(locale, values.map((value) => valueLabel(locale, value)));
}

/** Who reads the card: the governance conversation's language (REVIEW_LOCALE) and time zone. */
export interface ReviewCardReader {
  locale: Locale;
  timeZone: string;
}

/**
 * The review card for `record` (its classification already in the reader's language); decided
 * records get the outcome instead of the buttons. An intake due for its scheduled re-review gets the
 * buttons again, with its last decision and `changes` (what changed since).
 */
export function reviewCard(record: IntakeRecord, options: { notice?: string; reader?: ReviewCardReader; changes?: ReviewChanges } = {}): AdaptiveCard {
  const { input, classification } = record;
  const { locale, timeZone } = options.reader ?? { locale: 'en', timeZone: 'UTC' };
  const rereview = record.status === 'review_due';
  const decided = record.decision !== undefined && !rereview;
  const body: CardElement[] = [
    heading(
      rereview
        ? workbenchText.reviewDueHeading(escapeTeamsText(record.id), escapeTeamsText(input.title))
        : t(locale, 'teams.review.heading', { id: escapeTeamsText(record.id), title: escapeTeamsText(input.title) }),
    ),
    factSet([
      { title: t(locale, 'classification.riskTier'), value: tierLabel(locale, classification.tier) },
      { title: t(locale, 'classification.status'), value: statusLabel(locale, record.status) },
      { title: fieldLabel(locale, 'businessUnit'), value: escapeTeamsText(input.businessUnit) },
      { title: t(locale, 'teams.review.submittedBy'), value: who(record.submittedBy) },
      { title: fieldLabel(locale, 'domains'), value: escapeTeamsText(labels(input.domains, locale)) },
      { title: fieldLabel(locale, 'regions'), value: escapeTeamsText(labels(input.regions, locale)) },
      { title: t(locale, 'classification.version'), value: String(record.version) },
    ]),
    textBlock(escapeTeamsText(truncateText(input.description, 600)), { spacing: 'Medium' }),
    ...classificationElements(classification, { maxObligations: 6, locale }),
  ];
  if (rereview && record.decision !== undefined) {
    const by = record.decidedBy === undefined ? 'a reviewer' : who(record.decidedBy);
    body.push(textBlock(workbenchText.reviewDueLead(dayOf(record.nextReviewAt), dayOf(record.decidedAt)), { weight: 'Bolder', spacing: 'Large', color: 'Warning' }));
    body.push(textBlock(workbenchText.previousDecision(decisionLabel(locale, record.decision), by, record.decisionComment === undefined ? '' : `: ${escapeTeamsText(record.decisionComment)}`), { spacing: 'None' }));
  }
  if (options.changes !== undefined) body.push(...reviewChangesElements(options.changes));
  if (decided && record.decision !== undefined) {
    const by = record.decidedBy === undefined ? t(locale, 'teams.review.aReviewer') : who(record.decidedBy);
    const status = statusLabel(locale, record.status);
    const outcome =
      record.decidedAt === undefined
        ? t(locale, 'teams.review.decidedNoDate', { status, who: by })
        : t(locale, 'teams.review.decided', { status, who: by, when: formatDateTime(record.decidedAt, locale, timeZone) });
    body.push(
      textBlock(outcome, {
        weight: 'Bolder',
        spacing: 'Large',
        color: record.decision === 'reject' ? 'Attention' : record.decision === 'request_changes' ? 'Warning' : 'Good',
      }),
    );
    if (record.decisionComment !== undefined && record.decisionComment !== '') {
      body.push(textBlock(t(locale, 'teams.review.comment', { comment: escapeTeamsText(record.decisionComment) })));
    }
    return adaptiveCard(body);
  }
  if (options.notice !== undefined) body.push(textBlock(escapeTeamsText(options.notice), { color: 'Attention', spacing: 'Medium' }));
  body.push({
    type: 'Input.Text',
    id: 'comment',
    label: t(locale, 'teams.review.commentLabel'),
    isMultiline: true,
    maxLength: 2000,
    spacing: 'Large',
  });
  const actions = decisions.map((decision) =>
    submitAction(
      decisionLabel(locale, decision),
      { action: 'review.decide', intakeId: record.id, decision },
      buttonStyles[decision] === undefined ? {} : { style: buttonStyles[decision] },
    ),
  );
  return adaptiveCard(body, actions);
}
