// The /shishin slash command: `help`, `intake`, `status [id]`, `obligations`, `queue` (governance members), and
// anything else is a question, answered privately with a "Share in channel" button.
import type { App, RespondFn } from '@slack/bolt';
import { localeOfText } from '../../core/i18n/resolve-locale.js';
import { t } from '../../core/i18n/translate.js';
import { en } from '../../core/i18n/messages-en.js';
import { renderAnswer, renderFailure } from './answer-blocks.js';
import { renderClassificationMessage, renderIntakeList } from './intake-blocks.js';
import { homeObligationBlocks } from './obligation-blocks.js';
import { workbenchText } from './workbench-text.js';
import { openIntakeModal } from './intake-handlers.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { friendlyFailure, intakeConsoleUrl, languageLookupBudgetMs, linkedAnswer, recordFor, slackActor, userReader, type SlackContext } from './slack-context.js';
import { slackTextToPlain } from './slack-text.js';

export const slashCommand = '/shishin';

/** The command help in English (each user gets it in their language). */
export const helpText = en.slack.command.help;

export function registerCommandHandler(bolt: App, context: SlackContext): void {
  const logger = context.logger.child({ part: 'command' });
  const { core } = context;

  bolt.command(slashCommand, async ({ ack, command, respond }) => {
    const text = command.text.trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const subcommand = first.toLowerCase();
    const actor = slackActor(command.user_id);
    const reply = (message: Parameters<RespondFn>[0]) => respond(message);
    // The user's Slack language; a question is answered in the language it is asked in.
    const reader = await userReader(context, command.user_id, { waitMs: languageLookupBudgetMs });
    const { locale } = reader;
    try {
      if (subcommand === '' || subcommand === 'help') {
        await ack({ response_type: 'ephemeral', text: t(locale, 'slack.command.help') });
        return;
      }
      if (subcommand === 'intake') {
        await ack();
        await openIntakeModal(context.client, command.trigger_id, {}, {}, locale);
        return;
      }
      if (subcommand === 'status') {
        await ack();
        const id = rest[0]?.toUpperCase();
        if (id === undefined) {
          const mine = await core.intakes.list({ submittedBy: actor, limit: 10 });
          const blocks = renderIntakeList(t(locale, 'slack.command.recentTitle'), mine, t(locale, 'slack.command.noIntakes'), locale);
          await reply({ response_type: 'ephemeral', text: t(locale, 'slack.command.recentCount', { count: mine.length }), blocks });
          return;
        }
        const record = await core.intakes.get(id).catch(() => undefined);
        const mayRead =
          record !== undefined &&
          ((record.submittedBy.channel === 'slack' && record.submittedBy.id === command.user_id) || core.intakes.isGovernanceMember(actor));
        if (record === undefined || !mayRead) {
          await reply({ response_type: 'ephemeral', text: t(locale, 'slack.command.notFound', { id: escapeMrkdwn(truncate(id, 40)) }) });
          return;
        }
        await reply({ response_type: 'ephemeral', ...renderClassificationMessage(recordFor(context, record, reader), intakeConsoleUrl(context, record.id), reader) });
        return;
      }
      if (subcommand === 'obligations') {
        await ack();
        const entries = await core.obligations.forPerson(actor);
        const open = entries.filter((entry) => entry.item.status === 'open').length;
        // Without the leading divider App Home uses to separate the section.
        const blocks = homeObligationBlocks(entries, core.clock.now()).slice(1);
        await reply({ response_type: 'ephemeral', text: workbenchText.commandSummary(open), blocks });
        return;
      }
      if (subcommand === 'queue') {
        await ack();
        if (!core.intakes.isGovernanceMember(actor)) {
          await reply({ response_type: 'ephemeral', text: t(locale, 'slack.command.queueMembersOnly') });
          return;
        }
        const queue = await core.intakes.queue();
        const blocks = renderIntakeList(t(locale, 'slack.command.queueTitle', { count: queue.length }), queue.slice(0, 40), t(locale, 'slack.command.queueEmpty'), locale);
        await reply({ response_type: 'ephemeral', text: t(locale, 'slack.command.queueCount', { count: queue.length }), blocks });
        return;
      }
      const question = slackTextToPlain(text, context.botUserId);
      await ack({ response_type: 'ephemeral', text: t(localeOfText(question), 'slack.answer.lookingUp', { question: escapeMrkdwn(truncate(question, 300)) }) });
      const answer = await core.answers.ask({ question });
      const message = renderAnswer(linkedAnswer(context, answer), { question, shareable: true });
      await reply({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'slash_command', outcome: 'answered' });
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'slash_command', outcome: 'failed' });
      logger.error({ err: error, subcommand: subcommand.slice(0, 20) }, 'slash command failed');
      // ack() may already have been sent; a second ack is harmless, the response URL tells the user.
      await ack().catch(() => undefined);
      await reply({ response_type: 'ephemeral', ...renderFailure(friendlyFailure(error, locale)) }).catch(() => undefined);
    }
  });

}
