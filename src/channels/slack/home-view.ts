// The App Home tab: how to ask, a button to submit an AI use case, the user's recent intakes and
// their open obligation items (each with an Update button).
import type { ObligationEntry } from '../../core/review/obligation-service.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type HomeView, type KnownBlock } from './block-kit.js';
import { renderIntakeList } from './intake-blocks.js';
import { homeObligationBlocks } from './obligation-blocks.js';

export const openIntakeActionId = 'shishin_open_intake';

export function buildHomeView(
  recentIntakes: IntakeRecord[],
  options: { isGovernanceMember: boolean; obligations?: ObligationEntry[]; now?: Date },
): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText('Shishin — AI governance assistant') },
    {
      type: 'section',
      text: mrkdwnText(
        [
          '*Ask a question* about AI rules and our policies and get an answer with its sources:',
          '• send me a direct message, or',
          '• mention me in a channel (I answer in the thread, and follow-ups there need no new mention), or',
          '• type `/shishin your question` anywhere (only you see the answer, and you can share it).',
        ].join('\n'),
      ),
    },
    {
      type: 'section',
      text: mrkdwnText('*Planning to use AI?* Describe the use case and get its risk tier, the reasons and your obligations.'),
      accessory: { type: 'button', action_id: openIntakeActionId, text: plainText('Submit an AI use case'), style: 'primary', value: 'open' },
    },
    { type: 'divider' },
    ...renderIntakeList('Your recent AI use cases', recentIntakes, 'None yet.'),
    ...(options.obligations === undefined ? [] : homeObligationBlocks(options.obligations, options.now ?? new Date())),
    {
      type: 'context',
      elements: [
        mrkdwnText(
          `Commands: \`/shishin intake\`, \`/shishin status [id]\`, \`/shishin obligations\`${options.isGovernanceMember ? ', `/shishin queue`' : ''}, \`/shishin help\`.`,
        ),
      ],
    },
  ];
  return { type: 'home', blocks: clampBlocks(blocks, slackLimits.viewBlocks, 1) };
}
