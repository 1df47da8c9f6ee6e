// The App Home tab: how to ask, a button to submit an AI use case, and the user's recent intakes.
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { mrkdwnText, plainText, slackLimits, type HomeView, type KnownBlock } from './block-kit.js';
import { renderIntakeList } from './intake-blocks.js';

export const openIntakeActionId = 'shishin_open_intake';

export function buildHomeView(recentIntakes: IntakeRecord[], options: { isGovernanceMember: boolean; locale?: Locale }): HomeView {
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
    {
      type: 'context',
      elements: [mrkdwnText(t(locale, options.isGovernanceMember ? 'slack.home.commandsForMembers' : 'slack.home.commands'))],
    },
  ];
  return { type: 'home', blocks };
}
