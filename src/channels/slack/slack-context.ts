// What every Slack handler receives: the core services, the Web API client, the bot's identity and
// a few helpers shared by the handlers (actors, console links, direct messages, friendly failures,
// each person's language).
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context.js';
import type { Actor } from '../../core/actor.js';
import { displayTimeZone } from '../../core/i18n/date-format.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { isShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from './block-kit.js';
import { classificationWithLinks } from '../../core/presentation/classification-presentation.js';
import { answerWithLinks } from '../../core/presentation/answer-presentation.js';
import type { Answer } from '../../core/answer/answer.js';
import type { SlackUserDirectory } from './slack-user-directory.js';

export interface SlackContext {
  core: AppContext;
  client: WebClient;
  logger: Logger;
  /** The bot's own user id (from auth.test), to strip mentions and ignore itself. */
  botUserId: string;
  reviewChannel: string | undefined;
  /** Names and languages of Slack users (users.info, cached). */
  users: SlackUserDirectory;
}

/** Who a message is for: the language it is written in and the time zone its dates are shown in. */
export interface SlackReader {
  locale: Locale;
  timeZone: string;
}

/** The reader whose language is `locale`, with the configured display time zone. */
export function readerFor(context: SlackContext, locale: Locale): SlackReader {
  return { locale, timeZone: displayTimeZone(locale, context.core.config.locale.displayTimeZone) };
}

/** How long a handler that must answer Slack within 3 seconds waits for a user's language. */
export const languageLookupBudgetMs = 800;

/**
 * A Slack user as a reader: their Slack language, else DEFAULT_LOCALE. With `waitMs`, gives up
 * waiting for Slack after that long (the look-up still completes and is cached for next time).
 */
export async function userReader(context: SlackContext, userId: string, options: { waitMs?: number } = {}): Promise<SlackReader> {
  const profile = context.users.profile(userId);
  let timer: NodeJS.Timeout | undefined;
  const locale =
    options.waitMs === undefined
      ? (await profile).locale
      : await Promise.race([
          profile.then((found) => found.locale),
          new Promise<undefined>((resolve) => {
            timer = setTimeout(() => resolve(undefined), options.waitMs);
            timer.unref();
          }),
        ]);
  if (timer !== undefined) clearTimeout(timer);
  return readerFor(context, locale ?? context.core.config.locale.default);
}

/** The review channel as a reader: REVIEW_LOCALE. */
export function reviewReader(context: SlackContext): SlackReader {
  return readerFor(context, context.core.config.locale.review);
}

/** The record with its classification's texts in the reader's language and its citations linked for chat. */
export function recordFor(context: SlackContext, record: IntakeRecord, reader: SlackReader): IntakeRecord {
  return { ...record, classification: classificationWithLinks(context.core.intakes.localize(record.classification, reader.locale), context.core.config.publicUrl) };
}

/** Options every message this door posts carries: no automatic mention or link parsing. */
export const safePostOptions = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;

export function slackActor(userId: string, displayName?: string): Actor {
  return displayName === undefined || displayName === '' ? { channel: 'slack', id: userId } : { channel: 'slack', id: userId, displayName };
}

/** The answer with its citations linked for chat (absolute viewer and original URLs). */
export function linkedAnswer<T extends Answer>(context: SlackContext, answer: T): T {
  return answerWithLinks(answer, context.core.config.publicUrl);
}

/** Link to an intake in the web console. */
export function intakeConsoleUrl(context: SlackContext, intakeId: string): string {
  return `${context.core.config.publicUrl.replace(/\/+$/, '')}/console/intakes/${encodeURIComponent(intakeId)}`;
}

/** Best-effort display name of a Slack user (users.info, cached); undefined when unavailable. */
export async function lookupDisplayName(context: SlackContext, userId: string): Promise<string | undefined> {
  return (await context.users.profile(userId)).displayName;
}

/** Sends a direct message to a user (conversations.open, then chat.postMessage). */
export async function sendDirectMessage(context: SlackContext, userId: string, message: SlackMessage): Promise<void> {
  const opened = await context.client.conversations.open({ users: userId });
  const channel = opened.channel?.id ?? userId;
  await context.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...safePostOptions });
}

/** One friendly line for an error, in `locale`; details go to the log only. */
export function friendlyFailure(error: unknown, locale: Locale = 'en'): string {
  if (isShishinError(error)) {
    switch (error.code) {
      case 'input_invalid':
        return error.fields?.[0]?.message ?? error.message;
      case 'not_authorised':
        return t(locale, 'failure.notAuthorised');
      case 'not_found':
        return t(locale, 'failure.notFound');
      case 'conflict':
        return t(locale, 'failure.conflict');
      case 'rate_limited':
        return t(locale, 'failure.rateLimited');
      case 'payload_too_large':
        return t(locale, 'failure.tooLarge');
      default:
        break;
    }
  }
  return t(locale, 'failure.unexpected');
}
