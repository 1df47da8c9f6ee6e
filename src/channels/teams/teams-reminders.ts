// Reminders through Teams: a re-review card in the governance conversation (decision buttons again,
// with what changed since the last decision) and personal messages to Teams people (their intake's
// re-review, their daily digest card of obligation items with update forms). A Bot Framework failure
// throws, so the scheduler retries it later.
import type { Actor } from '../../core/actor.js';
import type { AppContext } from '../../app-context.js';
import type { DeliveryOutcome, PersonalReminder, ReminderChannel, ReviewDueReminder } from '../../core/review/reminders.js';
import { cardAttachment } from './adaptive-card.js';
import { digestCard, obligationsCard } from './obligation-cards.js';
import type { TeamsReviewDelivery } from './teams-review-notifier.js';
import { escapeTeamsText } from './teams-text.js';
import { workbenchText as text } from './workbench-text.js';

export function createTeamsReminders(app: AppContext, delivery: TeamsReviewDelivery): ReminderChannel {
  return {
    name: 'teams',

    async reviewDue(reminder: ReviewDueReminder): Promise<DeliveryOutcome> {
      return (await delivery.postReviewDue(reminder.record, reminder.changes)) ? 'sent' : 'skipped';
    },

    async remind(person: Actor, reminder: PersonalReminder): Promise<DeliveryOutcome> {
      if (person.channel !== 'teams') return 'unreachable';
      const now = app.clock.now();
      if (reminder.kind === 'review_due') {
        const { record, items } = reminder.reminder;
        const entries = items.map((item) => ({ item, intake: record }));
        const sent = await delivery.sendToUser(person.id, {
          type: 'message',
          textFormat: 'markdown',
          text: text.ownerReviewDue(escapeTeamsText(record.id), escapeTeamsText(record.input.title)),
          attachments: [cardAttachment(obligationsCard(entries, now))],
        });
        return sent ? 'sent' : 'unreachable';
      }
      const { overdue, dueSoon } = reminder.digest;
      const sent = await delivery.sendToUser(person.id, {
        type: 'message',
        summary: `${text.digestTitle}: ${text.digestSummary(overdue.length, dueSoon.length)}`,
        attachments: [cardAttachment(digestCard(overdue, dueSoon, now))],
      });
      return sent ? 'sent' : 'unreachable';
    },
  };
}
