// Review decisions in Slack: a decision button on a review message opens the comment modal (members
// only; anyone else gets an ephemeral refusal and core audits the attempt); the modal's submission
// calls core's decide(), whose notifiers update the review message and tell the submitter.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { commentProblem, isDecidable, undecidableReason } from '../../core/review/review-transitions.js';
import { decisions, type Decision } from '../../core/review/review-types.js';
import { localeFromTag } from '../../core/i18n/locale.js';
import { en } from '../../core/i18n/messages-en.js';
import { t } from '../../core/i18n/translate.js';
import { isShishinError } from '../../errors.js';
import { renderFailure } from './answer-blocks.js';
import { buildDecisionModal, decisionModalCallbackId, reviewActionIds, type DecisionModalMetadata } from './intake-blocks.js';
import { friendlyFailure, languageLookupBudgetMs, lookupDisplayName, recordFor, sendDirectMessage, slackActor, userReader, type SlackContext } from './slack-context.js';

/** The refusal for non-members, in English (each reviewer gets it in their language). */
export const notMemberMessage = en.slack.review.notMember;

const buttonBodySchema = z.object({
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string() })).min(1),
});

const decisionMetadataSchema = z.object({
  intakeId: z.string().min(1),
  decision: z.enum(decisions),
  channel: z.string().optional(),
  locale: z.string().optional(),
});

const decisionViewSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().optional() }),
  view: z.object({
    id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string(),
    state: z.object({
      values: z.object({ comment: z.object({ comment: z.object({ value: z.string().nullish() }) }).optional() }).passthrough(),
    }),
  }),
});

export function registerReviewHandlers(bolt: App, context: SlackContext): void {
  const logger = context.logger.child({ part: 'review' });
  const { core } = context;

  async function tellReviewer(userId: string, channel: string | undefined, text: string): Promise<void> {
    if (channel !== undefined) {
      try {
        await context.client.chat.postEphemeral({ channel, user: userId, text });
        return;
      } catch (error) {
        logger.debug({ err: error }, 'ephemeral failed; sending a direct message');
      }
    }
    await sendDirectMessage(context, userId, renderFailure(text));
  }

  for (const decision of decisions) {
    bolt.action(reviewActionIds[decision], async ({ ack, body }) => {
      await ack();
      const parsed = buttonBodySchema.safeParse(body);
      if (!parsed.success) return;
      const { user, channel, trigger_id: triggerId } = parsed.data;
      const intakeId = parsed.data.actions[0]?.value ?? '';
      const actor = slackActor(user.id);
      // The reviewer's own language (the channel message itself is in REVIEW_LOCALE).
      const reader = await userReader(context, user.id, { waitMs: languageLookupBudgetMs });
      const { locale } = reader;
      try {
        if (!core.intakes.isGovernanceMember(actor)) {
          // Core refuses and audits the attempt; the clicker is told privately.
          await core.intakes.decide({ intakeId, actor, decision, locale }).catch((error: unknown) => {
            if (!isShishinError(error, 'not_authorised')) logger.warn({ err: error, intakeId }, 'unexpected error for a refused decision');
          });
          core.metrics.chatEvents.inc({ channel: 'slack', type: 'review_click', outcome: 'refused' });
          await tellReviewer(user.id, channel?.id, t(locale, 'slack.review.notMember'));
          return;
        }
        const record = await core.intakes.get(intakeId, locale);
        if (!isDecidable(record.status)) {
          await tellReviewer(user.id, channel?.id, undecidableReason(record.id, record.status, locale));
          return;
        }
        const metadata: DecisionModalMetadata = { intakeId, decision, ...(channel === undefined ? {} : { channel: channel.id }), locale };
        await context.client.views.open({ trigger_id: triggerId, view: buildDecisionModal(recordFor(context, record, reader), metadata, locale) });
      } catch (error) {
        logger.error({ err: error, intakeId }, 'review button failed');
        await tellReviewer(user.id, channel?.id, friendlyFailure(error, locale)).catch(() => undefined);
      }
    });
  }

  bolt.view(decisionModalCallbackId, async ({ ack, body }) => {
    const parsed = decisionViewSchema.safeParse(body);
    let metadata: DecisionModalMetadata | undefined;
    if (parsed.success) {
      try {
        const candidate = decisionMetadataSchema.safeParse(JSON.parse(parsed.data.view.private_metadata));
        if (candidate.success) metadata = candidate.data as DecisionModalMetadata;
      } catch {
        metadata = undefined;
      }
    }
    if (!parsed.success || metadata === undefined) {
      await ack({ response_action: 'errors', errors: { comment: t(core.config.locale.default, 'slack.intake.unreadableForm') } });
      return;
    }
    const locale = localeFromTag(metadata.locale) ?? core.config.locale.default;
    const comment = parsed.data.view.state.values.comment?.comment.value?.trim() ?? '';
    const decision: Decision = metadata.decision;
    const problem = commentProblem(decision, comment === '' ? undefined : comment, locale);
    if (problem !== undefined) {
      await ack({ response_action: 'errors', errors: { comment: problem } });
      return;
    }
    const claimed = await core.store.claimEvent('slack', `view:${parsed.data.view.id}:${parsed.data.view.hash ?? ''}`);
    await ack();
    if (!claimed) return;
    const userId = parsed.data.user.id;
    try {
      const displayName = (await lookupDisplayName(context, userId)) ?? parsed.data.user.name;
      const record = await core.intakes.decide({
        intakeId: metadata.intakeId,
        actor: slackActor(userId, displayName),
        decision,
        ...(comment === '' ? {} : { comment }),
        locale,
      });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'decision', outcome: 'ok' });
      logger.info({ intakeId: record.id, decision }, 'decision recorded from Slack');
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'decision', outcome: 'failed' });
      logger.warn({ err: error, intakeId: metadata.intakeId }, 'decision failed');
      const line = isShishinError(error, 'not_authorised') ? error.message : friendlyFailure(error, locale);
      await tellReviewer(userId, metadata.channel, line).catch(() => undefined);
    }
  });
}
