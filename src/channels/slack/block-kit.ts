// Block Kit types re-exported from Bolt and the platform limits the Slack door keeps within.
import type { types as slackTypes } from '@slack/bolt';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';

export type KnownBlock = slackTypes.KnownBlock;
export type ModalView = slackTypes.ModalView;
export type HomeView = slackTypes.HomeView;
export type PlainTextOption = slackTypes.PlainTextOption;
export type InputBlock = slackTypes.InputBlock;
export type ActionsBlock = slackTypes.ActionsBlock;
export type Button = slackTypes.Button;

/** Slack's documented limits (characters unless stated). */
export const slackLimits = {
  sectionText: 3000,
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  /** Blocks per message. */
  messageBlocks: 50,
  /** Blocks per modal or Home view. */
  viewBlocks: 100,
  /** Top-level `text` of a message. */
  messageText: 40_000,
  /** What this door puts in the fallback `text` (notifications show only the start). */
  fallbackText: 3000,
  modalTitle: 24,
  privateMetadata: 3000,
  plainTextInput: 3000,
} as const;

/** A message body: notification/fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A plain-text object. Plain text is not parsed for mentions, but angle brackets are swapped for
 * look-alike quotation marks anyway so no client can ever read `<!channel>` out of user text.
 */
export function plainText(text: string, limit: number = slackLimits.sectionText): { type: 'plain_text'; text: string; emoji: true } {
  const safe = text.replace(/</g, '‹').replace(/>/g, '›');
  const clipped = safe.length <= limit ? safe : `${safe.slice(0, limit - 1)}…`;
  return { type: 'plain_text', text: clipped === '' ? ' ' : clipped, emoji: true };
}

/** A mrkdwn text object with automatic parsing turned off; the caller escapes untrusted text. */
export function mrkdwnText(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text: text === '' ? ' ' : text, verbatim: true };
}

/**
 * Keeps a message within `limit` blocks: drops blocks from the middle (before the trailing
 * `keepLast` blocks, e.g. the note and buttons) and says so in a context block.
 */
export function clampBlocks(blocks: KnownBlock[], limit: number, keepLast: number, locale: Locale = 'en'): KnownBlock[] {
  if (blocks.length <= limit) return blocks;
  const tail = blocks.slice(blocks.length - keepLast);
  const head = blocks.slice(0, limit - keepLast - 1);
  const omitted = blocks.length - head.length - tail.length;
  return [...head, { type: 'context', elements: [mrkdwnText(`_${t(locale, 'common.itemsNotShown', { count: omitted })}_`)] }, ...tail];
}
