// Reminders through Slack: a re-review reminder posted to SLACK_REVIEW_CHANNEL (the review message
// with its decision buttons and what changed since the last decision, remembered so the decision
// updates it in place), and direct messages to Slack people (their intake's re-review, their daily
// digest of obligation items). A Web API failure throws, so the scheduler retries it later.
import type { Actor } from '../../core/actor.js';
import type { DeliveryOutcome, PersonalReminder, ReminderChannel, ReviewDueReminder } from '../../core/review/reminders.js';
import { renderDigest, renderOwnerReviewDue, renderReviewDueMessage } from './obligation-blocks.js';
import { intakeConsoleUrl, safePostOptions, sendDirectMessage, type SlackContext } from './slack-context.js';

/** The console page listing a person's obligation items. */
function obligationsConsoleUrl(context: SlackContext): string {
  return `${context.core.config.publicUrl.replace(/\/+$/, '')}/console/obligations`;
}

export function createSlackReminders(context: SlackContext): ReminderChannel {
  const logger = context.logger.child({ part: 'reminders' });
  return {
    name: 'slack',

    async reviewDue(reminder: ReviewDueReminder): Promise<DeliveryOutcome> {
      if (context.reviewChannel === undefined) {
        logger.warn({ intakeId: reminder.record.id }, 're-review reminder not posted to Slack: SLACK_REVIEW_CHANNEL is not set');
        return 'skipped';
      }
      const message = renderReviewDueMessage(reminder, intakeConsoleUrl(context, reminder.record.id));
      const posted = await context.client.chat.postMessage({ channel: context.reviewChannel, text: message.text, blocks: message.blocks, ...safePostOptions });
      if (posted.ts !== undefined) {
        await context.core.store.addReviewMessage(reminder.record.id, { channel: 'slack', reference: { channel: posted.channel ?? context.reviewChannel, ts: posted.ts } });
      }
      logger.info({ intakeId: reminder.record.id, ts: posted.ts }, 're-review reminder posted');
      return 'sent';
    },

    async remind(person: Actor, reminder: PersonalReminder): Promise<DeliveryOutcome> {
      if (person.channel !== 'slack') return 'unreachable';
      const now = context.core.clock.now();
      const message =
        reminder.kind === 'review_due'
          ? renderOwnerReviewDue(reminder.reminder, intakeConsoleUrl(context, reminder.reminder.record.id), now)
          : renderDigest(reminder.digest, obligationsConsoleUrl(context), now);
      await sendDirectMessage(context, person.id, message);
      logger.info({ kind: reminder.kind }, 'reminder sent by direct message');
      return 'sent';
    },
  };
}
