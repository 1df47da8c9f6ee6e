// The App Home tab: how to ask, a button to submit an AI use case, the user's recent intakes and
// their open obligation items (each with an Update button).
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import type { ObligationEntry } from '../../core/review/obligation-service.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { clampBlocks, mrkdwnText, plainText, slackLimits, type HomeView, type KnownBlock } from './block-kit.js';
import { renderIntakeList } from './intake-blocks.js';
import { homeObligationBlocks } from './obligation-blocks.js';

export const openIntakeActionId = 'shishin_open_intake';

export function buildHomeView(
  recentIntakes: IntakeRecord[],
  options: { isGovernanceMember: boolean; obligations?: ObligationEntry[]; now?: Date; locale?: Locale },
): HomeView {
  const locale = options.locale ?? 'en';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(t(locale, 'slack.home.title'), slackLimits.headerText) },
    { type: 'section', text: mrkdwnText(t(locale, 'slack.home.howToAsk')) },
    {
      type: 'section',
      text: mrkdwnText(t(locale, 'slack.home.planning')),
      accessory: { type: 'button', action_id: openIntakeActionId, text: plainText(t(locale, 'slack.home.submit'), slackLimits.buttonText), style: 'primary', value: 'open' },
    },
    { type: 'divider' },
    ...renderIntakeList(t(locale, 'slack.home.recentTitle'), recentIntakes, t(locale, 'slack.home.noneYet'), locale),
    ...(options.obligations === undefined ? [] : homeObligationBlocks(options.obligations, options.now ?? new Date())),
    {
      type: 'context',
      elements: [mrkdwnText(t(locale, options.isGovernanceMember ? 'slack.home.commandsForMembers' : 'slack.home.commands'))],
    },
  ];
  return { type: 'home', blocks: clampBlocks(blocks, slackLimits.viewBlocks, 1) };
}
