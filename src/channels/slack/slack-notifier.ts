// The Slack review notifier: posts flagged intakes from any door (Slack, Teams, web, CLI) to the
// governance review channel with decision buttons, remembers where, and after a decision updates
// that message in place and tells a Slack submitter by direct message. It never throws.
import type { QuestionEscalation, ReviewNotifier } from '../../core/review/intake-service.js';
import { mrkdwnText } from './block-kit.js';
import { blockQuote, escapeMrkdwn, truncate } from './mrkdwn.js';
import { t } from '../../core/i18n/translate.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { actorLabel, renderDecisionNotice, renderReviewMessage } from './intake-blocks.js';
import { intakeConsoleUrl, recordFor, reviewReader, safePostOptions, sendDirectMessage, userReader, type SlackContext } from './slack-context.js';

/** Where a review message lives in Slack, as stored in IntakeRecord.reviewMessages. */
export interface SlackReviewReference {
  channel: string;
  ts: string;
}

function slackReferences(record: IntakeRecord): SlackReviewReference[] {
  const references: SlackReviewReference[] = [];
  for (const message of record.reviewMessages) {
    if (message.channel !== 'slack') continue;
    const { channel, ts } = message.reference;
    if (typeof channel === 'string' && typeof ts === 'string') references.push({ channel, ts });
  }
  return references;
}

export function createSlackNotifier(context: SlackContext): ReviewNotifier {
  const logger = context.logger.child({ part: 'notifier' });
  return {
    name: 'slack',

    async questionEscalated(escalation: QuestionEscalation): Promise<boolean> {
      if (context.reviewChannel === undefined) return false;
      // The review channel speaks REVIEW_LOCALE.
      const { locale } = reviewReader(context);
      const question = blockQuote(escapeMrkdwn(escalation.question));
      await context.client.chat.postMessage({
        channel: context.reviewChannel,
        text: truncate(t(locale, 'slack.answer.escalationFallback', { question: escapeMrkdwn(escalation.question) }), 3000),
        blocks: [{ type: 'section', text: mrkdwnText(truncate(t(locale, 'slack.answer.escalation', { user: actorLabel(escalation.askedBy), question }), 3000)) }],
        ...safePostOptions,
      });
      return true;
    },

    async intakeSubmitted(record: IntakeRecord): Promise<void> {
      if (record.status !== 'pending_review') return;
      if (context.reviewChannel === undefined) {
        logger.warn({ intakeId: record.id }, 'flagged intake not posted to Slack: SLACK_REVIEW_CHANNEL is not set');
        return;
      }
      try {
        // Registered once per process, but guarded anyway: one review post per intake version.
        if (!(await context.core.store.claimEvent('slack', `review-post:${record.id}`))) return;
        // The review channel speaks REVIEW_LOCALE.
        const reader = reviewReader(context);
        const message = renderReviewMessage(recordFor(context, record, reader), intakeConsoleUrl(context, record.id), reader);
        const posted = await context.client.chat.postMessage({
          channel: context.reviewChannel,
          text: message.text,
          blocks: message.blocks,
          ...safePostOptions,
        });
        if (posted.ts === undefined) throw new Error('chat.postMessage returned no ts');
        await context.core.store.addReviewMessage(record.id, {
          channel: 'slack',
          reference: { channel: posted.channel ?? context.reviewChannel, ts: posted.ts },
        });
        context.core.metrics.chatEvents.inc({ channel: 'slack', type: 'review_posted', outcome: 'ok' });
        logger.info({ intakeId: record.id, ts: posted.ts }, 'review request posted');
      } catch (error) {
        context.core.metrics.chatEvents.inc({ channel: 'slack', type: 'review_posted', outcome: 'failed' });
        logger.error({ err: error, intakeId: record.id }, 'could not post the review request to Slack');
      }
    },

    async intakeDecided(record: IntakeRecord): Promise<void> {
      try {
        if (!(await context.core.store.claimEvent('slack', `review-decided:${record.id}:${record.decidedAt ?? ''}`))) return;
      } catch (error) {
        logger.error({ err: error, intakeId: record.id }, 'could not record the decision notice');
        return;
      }
      try {
        let references = slackReferences(record);
        if (references.length === 0) references = slackReferences(await context.core.intakes.get(record.id));
        const reader = reviewReader(context);
        const message = renderReviewMessage(recordFor(context, record, reader), intakeConsoleUrl(context, record.id), reader);
        for (const reference of references) {
          await context.client.chat.update({ channel: reference.channel, ts: reference.ts, text: message.text, blocks: message.blocks, ...safePostOptions });
        }
        logger.info({ intakeId: record.id, updated: references.length }, 'review messages updated');
      } catch (error) {
        logger.error({ err: error, intakeId: record.id }, 'could not update the Slack review message');
      }
      if (record.submittedBy.channel !== 'slack') return;
      try {
        // The decision notice speaks the submitter's own language.
        const reader = await userReader(context, record.submittedBy.id);
        await sendDirectMessage(context, record.submittedBy.id, renderDecisionNotice(recordFor(context, record, reader), intakeConsoleUrl(context, record.id), reader));
      } catch (error) {
        logger.error({ err: error, intakeId: record.id }, 'could not tell the submitter about the decision');
      }
    },
  };
}
