// The "ask" doors in Slack: direct messages, @mentions (answered in the thread), follow-ups in a
// thread the bot already answers in, and the answer buttons (feedback, share, ask the governance
// team). Each handler shows progress at once, asks core, renders, and says failures in one line.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AnswerDetails, AskRequest } from '../../core/answer/answer.js';
import { t } from '../../core/i18n/translate.js';
import { answerLocale } from '../../core/presentation/answer-presentation.js';
import { answerActionIds, renderAnswer, renderFailure } from './answer-blocks.js';
import { mrkdwnText } from './block-kit.js';
import { blockQuote, channelMention, escapeMrkdwn, truncate, userMention } from './mrkdwn.js';
import { friendlyFailure, linkedAnswer, reviewReader, safePostOptions, slackActor, userReader, type SlackContext } from './slack-context.js';
import { slackTextToPlain } from './slack-text.js';

/** Earlier turns passed to the answer service for a follow-up. */
const maxHistoryTurns = 10;
/** Answers kept in memory so "Share in channel" can repost the very same answer. */
const sharedAnswerCacheSize = 200;

const messageEventSchema = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});
type MessageEvent = z.infer<typeof messageEventSchema>;

const buttonBodySchema = z.object({
  user: z.object({ id: z.string(), name: z.string().optional() }),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ thread_ts: z.string().optional(), message_ts: z.string().optional() }).passthrough().optional(),
  response_url: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), block_id: z.string().optional(), value: z.string().optional() })).min(1),
});

/** The store key that marks a thread the bot answers in, shared by every replica. */
export function threadSettingKey(channel: string, threadTs: string): string {
  return `slack.thread.${channel}.${threadTs}`;
}

interface AskTarget {
  channel: string;
  /** The question's message ts (for the progress reaction). */
  messageTs: string;
  /** Thread to answer in; undefined answers at the top level (direct messages). */
  threadTs: string | undefined;
  userId: string;
  question: string;
}

export function registerAskHandlers(bolt: App, context: SlackContext): void {
  const logger = context.logger.child({ part: 'ask' });
  const { core } = context;
  const answerCache = new Map<string, { question: string; answer: AnswerDetails }>();

  const remember = (question: string, answer: AnswerDetails) => {
    answerCache.set(answer.answerId, { question, answer });
    if (answerCache.size > sharedAnswerCacheSize) {
      const oldest = answerCache.keys().next().value;
      if (oldest !== undefined) answerCache.delete(oldest);
    }
  };

  async function threadHistory(target: AskTarget): Promise<AskRequest['history']> {
    if (target.threadTs === undefined || target.threadTs === target.messageTs) return undefined;
    try {
      const replies = await context.client.conversations.replies({ channel: target.channel, ts: target.threadTs, limit: 50 });
      const turns: NonNullable<AskRequest['history']> = [];
      for (const message of replies.messages ?? []) {
        if (message.ts === target.messageTs || typeof message.text !== 'string') continue;
        const fromBot = message.user === context.botUserId || message.bot_id !== undefined;
        const text = slackTextToPlain(message.text, context.botUserId);
        if (text !== '') turns.push({ role: fromBot ? 'assistant' : 'user', text: truncate(text, 2000) });
      }
      return turns.slice(-maxHistoryTurns);
    } catch (error) {
      logger.warn({ err: error, channel: target.channel }, 'could not read the thread history');
      return undefined;
    }
  }

  async function answerInConversation(target: AskTarget, eventType: string): Promise<void> {
    const claimed = await core.store.claimEvent('slack', `message:${target.channel}:${target.messageTs}`);
    if (!claimed) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: eventType, outcome: 'duplicate' });
      logger.info({ channel: target.channel, ts: target.messageTs }, 'duplicate delivery ignored');
      return;
    }
    const progress = context.client.reactions
      .add({ channel: target.channel, timestamp: target.messageTs, name: 'eyes' })
      .then(() => true)
      .catch((error: unknown) => {
        logger.debug({ err: error }, 'could not add the progress reaction');
        return false;
      });
    const threadOptions = target.threadTs === undefined ? {} : { thread_ts: target.threadTs };
    const started = Date.now();
    try {
      if (target.question === '') {
        const { locale } = await userReader(context, target.userId);
        await context.client.chat.postMessage({ channel: target.channel, ...threadOptions, ...renderFailure(t(locale, 'slack.answer.askHelp')), ...safePostOptions });
        return;
      }
      const history = await threadHistory(target);
      const answer = await core.answers.ask({ question: target.question, ...(history === undefined || history.length === 0 ? {} : { history }) });
      remember(target.question, answer);
      const message = renderAnswer(linkedAnswer(context, answer), { question: target.question });
      await context.client.chat.postMessage({ channel: target.channel, ...threadOptions, text: message.text, blocks: message.blocks, ...safePostOptions });
      if (target.threadTs !== undefined) {
        await core.store.setSetting(threadSettingKey(target.channel, target.threadTs), { answeredAt: core.clock.now().toISOString() });
      }
      core.metrics.answerDuration.observe({ mode: answer.mode, channel: 'slack' }, (Date.now() - started) / 1000);
      core.metrics.chatEvents.inc({ channel: 'slack', type: eventType, outcome: 'answered' });
      logger.info({ channel: target.channel, answerId: answer.answerId, mode: answer.mode, citations: answer.citations.length, ms: Date.now() - started }, 'answered');
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: eventType, outcome: 'failed' });
      logger.error({ err: error, channel: target.channel }, 'answering failed');
      // Said in the language of the question.
      await context.client.chat
        .postMessage({ channel: target.channel, ...threadOptions, ...renderFailure(friendlyFailure(error, answerLocale({}, target.question))), ...safePostOptions })
        .catch((postError: unknown) => logger.error({ err: postError }, 'could not even say that answering failed'));
    } finally {
      if (await progress) {
        await context.client.reactions.remove({ channel: target.channel, timestamp: target.messageTs, name: 'eyes' }).catch(() => undefined);
      }
    }
  }

  bolt.event('app_mention', async ({ event }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success || parsed.data.user === undefined || parsed.data.bot_id !== undefined) return;
    const mention = parsed.data;
    await answerInConversation(
      {
        channel: mention.channel,
        messageTs: mention.ts,
        threadTs: mention.thread_ts ?? mention.ts,
        userId: mention.user ?? '',
        question: slackTextToPlain(mention.text ?? '', context.botUserId),
      },
      'app_mention',
    );
  });

  bolt.event('message', async ({ event }) => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success) return;
    const message: MessageEvent = parsed.data;
    if (message.subtype !== undefined && message.subtype !== 'thread_broadcast') return;
    if (message.bot_id !== undefined || message.user === undefined || message.user === context.botUserId) return;
    const text = message.text ?? '';
    const isDirect = message.channel_type === 'im';
    if (!isDirect) {
      // Mentions are answered by the app_mention handler; here only follow-ups in known threads.
      if (text.includes(`<@${context.botUserId}>`)) return;
      if (message.thread_ts === undefined || message.thread_ts === message.ts) return;
      const known = await core.store.getSetting(threadSettingKey(message.channel, message.thread_ts));
      if (known === undefined || known === null) return;
    }
    await answerInConversation(
      {
        channel: message.channel,
        messageTs: message.ts,
        threadTs: message.thread_ts,
        userId: message.user,
        question: slackTextToPlain(text, context.botUserId),
      },
      isDirect ? 'direct_message' : 'thread_follow_up',
    );
  });

  /** Replies privately to whoever clicked, through the response URL when there is one. */
  async function tellClicker(body: z.infer<typeof buttonBodySchema>, respond: RespondLike | undefined, text: string): Promise<void> {
    if (respond !== undefined && body.response_url !== undefined) {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    if (body.channel !== undefined) {
      const thread = body.container?.thread_ts;
      await context.client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text, ...(thread === undefined ? {} : { thread_ts: thread }) });
    }
  }

  for (const [actionId, rating] of [
    [answerActionIds.feedbackUp, 'up'],
    [answerActionIds.feedbackDown, 'down'],
  ] as const) {
    bolt.action(actionId, async ({ ack, body, respond }) => {
      await ack();
      const parsed = buttonBodySchema.safeParse(body);
      if (!parsed.success) return;
      const answerId = parsed.data.actions[0]?.value ?? '';
      const { locale } = await userReader(context, parsed.data.user.id);
      try {
        await core.store.saveFeedback({ answerId, actor: slackActor(parsed.data.user.id), rating, at: core.clock.now().toISOString() });
        core.metrics.chatEvents.inc({ channel: 'slack', type: `feedback_${rating}`, outcome: 'ok' });
        await tellClicker(parsed.data, respond, t(locale, rating === 'up' ? 'slack.answer.thanksHelpful' : 'slack.answer.thanksUnhelpful'));
      } catch (error) {
        logger.error({ err: error, answerId }, 'feedback failed');
        await tellClicker(parsed.data, respond, friendlyFailure(error, locale)).catch(() => undefined);
      }
    });
  }

  bolt.action(answerActionIds.escalate, async ({ ack, body, respond }) => {
    await ack();
    const parsed = buttonBodySchema.safeParse(body);
    if (!parsed.success) return;
    const question = parsed.data.actions[0]?.value ?? '';
    const { locale } = await userReader(context, parsed.data.user.id);
    try {
      if (context.reviewChannel === undefined) {
        await tellClicker(parsed.data, respond, t(locale, 'slack.answer.noGovernanceChannel'));
        return;
      }
      // The governance channel speaks REVIEW_LOCALE; the person who asked is answered in theirs.
      const review = reviewReader(context).locale;
      const user = userMention(parsed.data.user.id);
      const quoted = blockQuote(escapeMrkdwn(question));
      const text =
        parsed.data.channel === undefined
          ? t(review, 'slack.answer.escalation', { user, question: quoted })
          : t(review, 'slack.answer.escalationInChannel', { user, channel: channelMention(parsed.data.channel.id), question: quoted });
      await context.client.chat.postMessage({
        channel: context.reviewChannel,
        text: truncate(t(review, 'slack.answer.escalationFallback', { question: escapeMrkdwn(question) }), 3000),
        blocks: [{ type: 'section', text: mrkdwnText(truncate(text, 3000)) }],
        ...safePostOptions,
      });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'escalation', outcome: 'ok' });
      await tellClicker(parsed.data, respond, t(locale, 'slack.answer.escalated'));
    } catch (error) {
      logger.error({ err: error }, 'escalation failed');
      await tellClicker(parsed.data, respond, friendlyFailure(error, locale)).catch(() => undefined);
    }
  });

  bolt.action(answerActionIds.share, async ({ ack, body, respond }) => {
    await ack();
    const parsed = buttonBodySchema.safeParse(body);
    if (!parsed.success || respond === undefined) return;
    const action = parsed.data.actions[0];
    const answerId = action?.block_id?.startsWith('answer:') === true ? action.block_id.slice('answer:'.length) : '';
    try {
      const cached = answerCache.get(answerId);
      const question = cached?.question ?? action?.value ?? '';
      const answer = cached?.answer ?? (await core.answers.ask({ question }));
      const message = renderAnswer(linkedAnswer(context, answer), { question });
      const asked = {
        type: 'section' as const,
        text: mrkdwnText(truncate(t(answerLocale(answer, question), 'slack.answer.asked', { user: userMention(parsed.data.user.id), question: blockQuote(escapeMrkdwn(question)) }), 3000)),
      };
      await respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: [asked, ...message.blocks].slice(0, 50) });
      await respond({ delete_original: true });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'share', outcome: 'ok' });
    } catch (error) {
      logger.error({ err: error }, 'sharing failed');
      await tellClicker(parsed.data, respond, friendlyFailure(error, answerLocale({}, action?.value ?? ''))).catch(() => undefined);
    }
  });
}

/** The subset of Bolt's respond() used here. */
export type RespondLike = (message: Record<string, unknown>) => Promise<unknown>;
