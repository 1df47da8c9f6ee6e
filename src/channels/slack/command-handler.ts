// The /shishin slash command: `help`, `intake`, `status [id]`, `obligations`, `queue` (governance members), and
// anything else is a question, answered privately with a "Share in channel" button.
import type { App, RespondFn } from '@slack/bolt';
import { renderAnswer, renderFailure } from './answer-blocks.js';
import { renderClassificationMessage, renderIntakeList } from './intake-blocks.js';
import { homeObligationBlocks } from './obligation-blocks.js';
import { workbenchText } from './workbench-text.js';
import { openIntakeModal } from './intake-handlers.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { friendlyFailure, intakeConsoleUrl, linkedAnswer, linkedRecord, slackActor, type SlackContext } from './slack-context.js';
import { slackTextToPlain } from './slack-text.js';

export const slashCommand = '/shishin';

export const helpText = [
  '*Shishin — AI governance assistant*',
  '• `/shishin <question>` — ask about AI rules and our policies (only you see the answer)',
  '• `/shishin intake` — submit an AI use case and get its risk tier and obligations',
  '• `/shishin status` — your recent use cases; `/shishin status AI-XXXXXX` — one of them',
  workbenchText.commandHelp,
  '• `/shishin queue` — use cases waiting for review (governance team)',
  'You can also mention me in a channel or send me a direct message.',
].join('\n');

export function registerCommandHandler(bolt: App, context: SlackContext): void {
  const logger = context.logger.child({ part: 'command' });
  const { core } = context;

  bolt.command(slashCommand, async ({ ack, command, respond }) => {
    const text = command.text.trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const subcommand = first.toLowerCase();
    const actor = slackActor(command.user_id);
    const reply = (message: Parameters<RespondFn>[0]) => respond(message);
    try {
      if (subcommand === '' || subcommand === 'help') {
        await ack({ response_type: 'ephemeral', text: helpText });
        return;
      }
      if (subcommand === 'intake') {
        await ack();
        await openIntakeModal(context.client, command.trigger_id);
        return;
      }
      if (subcommand === 'status') {
        await ack();
        const id = rest[0]?.toUpperCase();
        if (id === undefined) {
          const mine = await core.intakes.list({ submittedBy: actor, limit: 10 });
          const blocks = renderIntakeList('Your recent AI use cases', mine, 'You have not submitted any AI use case yet. Try `/shishin intake`.');
          await reply({ response_type: 'ephemeral', text: `You have ${mine.length} recent AI use case(s).`, blocks });
          return;
        }
        const record = await core.intakes.get(id).catch(() => undefined);
        const mayRead =
          record !== undefined &&
          ((record.submittedBy.channel === 'slack' && record.submittedBy.id === command.user_id) || core.intakes.isGovernanceMember(actor));
        if (record === undefined || !mayRead) {
          await reply({ response_type: 'ephemeral', text: `I found no AI use case ${escapeMrkdwn(truncate(id, 40))} of yours.` });
          return;
        }
        await reply({ response_type: 'ephemeral', ...renderClassificationMessage(linkedRecord(context, record), intakeConsoleUrl(context, record.id)) });
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
          await reply({ response_type: 'ephemeral', text: 'Only the governance team can see the review queue.' });
          return;
        }
        const queue = await core.intakes.queue();
        const blocks = renderIntakeList(`Waiting for review (${queue.length})`, queue.slice(0, 40), 'Nothing is waiting for review.');
        await reply({ response_type: 'ephemeral', text: `${queue.length} AI use case(s) waiting for review.`, blocks });
        return;
      }
      const question = slackTextToPlain(text, context.botUserId);
      await ack({ response_type: 'ephemeral', text: `:mag: Looking that up: “${escapeMrkdwn(truncate(question, 300))}”` });
      const answer = await core.answers.ask({ question });
      const message = renderAnswer(linkedAnswer(context, answer), { question, shareable: true });
      await reply({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'slash_command', outcome: 'answered' });
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'slash_command', outcome: 'failed' });
      logger.error({ err: error, subcommand: subcommand.slice(0, 20) }, 'slash command failed');
      // ack() may already have been sent; a second ack is harmless, the response URL tells the user.
      await ack().catch(() => undefined);
      await reply({ response_type: 'ephemeral', ...renderFailure(friendlyFailure(error)) }).catch(() => undefined);
    }
  });

}
