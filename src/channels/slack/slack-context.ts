// What every Slack handler receives: the core services, the Web API client, the bot's identity and
// a few helpers shared by the handlers (actors, console links, direct messages, friendly failures).
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context.js';
import type { Actor } from '../../core/actor.js';
import { isShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from './block-kit.js';
import { classificationWithLinks } from '../../core/presentation/classification-presentation.js';
import { answerWithLinks } from '../../core/presentation/answer-presentation.js';
import type { Answer } from '../../core/answer/answer.js';
import type { IntakeRecord } from '../../core/review/review-types.js';

export interface SlackContext {
  core: AppContext;
  client: WebClient;
  logger: Logger;
  /** The bot's own user id (from auth.test), to strip mentions and ignore itself. */
  botUserId: string;
  reviewChannel: string | undefined;
}

/** Options every message this door posts carries: no automatic mention or link parsing. */
export const safePostOptions = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;

export function slackActor(userId: string, displayName?: string): Actor {
  return displayName === undefined || displayName === '' ? { channel: 'slack', id: userId } : { channel: 'slack', id: userId, displayName };
}

/** The record with its citations linked for chat (absolute viewer and original URLs). */
export function linkedRecord(context: SlackContext, record: IntakeRecord): IntakeRecord {
  return { ...record, classification: classificationWithLinks(record.classification, context.core.config.publicUrl) };
}

/** The answer with its citations linked for chat (absolute viewer and original URLs). */
export function linkedAnswer<T extends Answer>(context: SlackContext, answer: T): T {
  return answerWithLinks(answer, context.core.config.publicUrl);
}

/** Link to an intake in the web console. */
export function intakeConsoleUrl(context: SlackContext, intakeId: string): string {
  return `${context.core.config.publicUrl.replace(/\/+$/, '')}/console/intakes/${encodeURIComponent(intakeId)}`;
}

/** Best-effort display name of a Slack user (users.info); undefined when unavailable. */
export async function lookupDisplayName(context: SlackContext, userId: string): Promise<string | undefined> {
  try {
    const result = await context.client.users.info({ user: userId });
    const user = result.user;
    const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
    return name === undefined || name === '' ? undefined : name;
  } catch (error) {
    context.logger.debug({ err: error, userId }, 'users.info failed');
    return undefined;
  }
}

/** Sends a direct message to a user (conversations.open, then chat.postMessage). */
export async function sendDirectMessage(context: SlackContext, userId: string, message: SlackMessage): Promise<void> {
  const opened = await context.client.conversations.open({ users: userId });
  const channel = opened.channel?.id ?? userId;
  await context.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...safePostOptions });
}

/** One friendly line for an error; details go to the log only. */
export function friendlyFailure(error: unknown): string {
  if (isShishinError(error)) {
    switch (error.code) {
      case 'input_invalid':
        return error.fields?.[0]?.message ?? error.message;
      case 'not_authorised':
        return 'You are not allowed to do that.';
      case 'not_found':
        return 'I could not find that.';
      case 'conflict':
        return 'Someone else changed this in the meantime; please look again.';
      case 'rate_limited':
        return 'Too many requests right now; please try again in a minute.';
      case 'payload_too_large':
        return 'That is too long for me; please shorten it.';
      default:
        break;
    }
  }
  return 'Sorry, something went wrong on my side and I could not finish that. Please try again in a moment.';
}
