// Intake in Slack: the modal opened from `/shishin intake`, the global shortcut, the App Home button
// and "Revise and resubmit"; its submission (inline field errors, then classification by core with
// the result in the modal and by direct message); and the App Home tab.
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { intakeInputSchemaFor, toFieldErrors, type IntakeInput } from '../../core/intake/intake-schema.js';
import { classificationSummaryLines, statusLabel } from '../../core/presentation/classification-presentation.js';
import { buildHomeView, openIntakeActionId } from './home-view.js';
import { renderClassificationMessage, resubmitActionId } from './intake-blocks.js';
import {
  buildIntakeModal,
  buildIntakeStatusModal,
  fieldErrorsToBlockErrors,
  intakeModalCallbackId,
  readIntakeModal,
  readIntakeModalMetadata,
  type IntakeModalMetadata,
  type ViewStateValues,
} from './intake-modal.js';
import { renderFailure } from './answer-blocks.js';
import {
  friendlyFailure,
  intakeConsoleUrl,
  languageLookupBudgetMs,
  lookupDisplayName,
  readerFor,
  recordFor,
  sendDirectMessage,
  slackActor,
  userReader,
  type SlackContext,
} from './slack-context.js';

export const intakeShortcutCallbackId = 'shishin_intake';

const viewSubmissionSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().optional() }),
  view: z.object({
    id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  }),
});

const triggerBodySchema = z.object({
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().optional() })).optional(),
});

/** Opens the intake modal in `locale` with a trigger id (must happen within 3 s of the click or command). */
export async function openIntakeModal(
  client: WebClient,
  triggerId: string,
  metadata: IntakeModalMetadata = {},
  initial: Partial<IntakeInput> = {},
  locale: Locale = 'en',
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: buildIntakeModal({ ...metadata, locale }, initial, locale) });
}

export function registerIntakeHandlers(bolt: App, context: SlackContext): void {
  const logger = context.logger.child({ part: 'intake' });
  const { core } = context;

  bolt.shortcut(intakeShortcutCallbackId, async ({ ack, body }) => {
    await ack();
    const { locale } = await userReader(context, body.user.id, { waitMs: languageLookupBudgetMs });
    try {
      await openIntakeModal(context.client, body.trigger_id, {}, {}, locale);
    } catch (error) {
      logger.error({ err: error }, 'could not open the intake modal from the shortcut');
      await sendDirectMessage(context, body.user.id, renderFailure(friendlyFailure(error, locale))).catch(() => undefined);
    }
  });

  bolt.action(openIntakeActionId, async ({ ack, body }) => {
    await ack();
    const parsed = triggerBodySchema.safeParse(body);
    if (!parsed.success) return;
    const { locale } = await userReader(context, parsed.data.user.id, { waitMs: languageLookupBudgetMs });
    try {
      await openIntakeModal(context.client, parsed.data.trigger_id, {}, {}, locale);
    } catch (error) {
      logger.error({ err: error }, 'could not open the intake modal from App Home');
    }
  });

  bolt.action(resubmitActionId, async ({ ack, body }) => {
    await ack();
    const parsed = triggerBodySchema.safeParse(body);
    if (!parsed.success) return;
    const intakeId = parsed.data.actions?.[0]?.value ?? '';
    const { locale } = await userReader(context, parsed.data.user.id, { waitMs: languageLookupBudgetMs });
    try {
      const record = await core.intakes.get(intakeId, locale);
      if (record.submittedBy.channel !== 'slack' || record.submittedBy.id !== parsed.data.user.id) {
        await sendDirectMessage(context, parsed.data.user.id, renderFailure(t(locale, 'slack.intake.onlySubmitterRevises')));
        return;
      }
      await openIntakeModal(context.client, parsed.data.trigger_id, { previousId: record.id }, record.input, locale);
    } catch (error) {
      logger.error({ err: error, intakeId }, 'could not open the resubmission modal');
      await sendDirectMessage(context, parsed.data.user.id, renderFailure(friendlyFailure(error, locale))).catch(() => undefined);
    }
  });

  bolt.view(intakeModalCallbackId, async ({ ack, body }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: { title: t(context.core.config.locale.default, 'slack.intake.unreadableForm') } });
      return;
    }
    const { user, view } = parsed.data;
    // The modal says which language it was shown in; errors and the result speak the same.
    const metadata = readIntakeModalMetadata(view.private_metadata);
    const reader = readerFor(context, metadata.locale ?? context.core.config.locale.default);
    const { locale } = reader;
    const input = readIntakeModal(view.state.values as ViewStateValues);
    const validation = intakeInputSchemaFor(locale).safeParse(input);
    if (!validation.success) {
      await ack({ response_action: 'errors', errors: fieldErrorsToBlockErrors(toFieldErrors(validation.error, locale)) });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'intake_submission', outcome: 'invalid' });
      return;
    }
    // A repeated submission of the same view (double click, redelivery) is processed once.
    const claimed = await core.store.claimEvent('slack', `view:${view.id}:${view.hash ?? ''}`);
    if (!claimed) {
      await ack();
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'intake_submission', outcome: 'duplicate' });
      return;
    }
    await ack({
      response_action: 'update',
      view: buildIntakeStatusModal(t(locale, 'slack.intake.classifying'), [t(locale, 'common.quoted', { text: validation.data.title }), t(locale, 'slack.intake.resultByMessage')], locale),
    });
    try {
      const displayName = (await lookupDisplayName(context, user.id)) ?? user.name;
      const { record, created } = await core.intakes.submit({
        input,
        submittedBy: slackActor(user.id, displayName),
        idempotencyKey: `slack-view:${view.id}`,
        ...(metadata.previousId === undefined ? {} : { previousId: metadata.previousId }),
        locale,
      });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'intake_submission', outcome: created ? 'created' : 'duplicate' });
      logger.info({ intakeId: record.id, tier: record.classification.tier, created }, 'intake submitted from Slack');
      const shown = recordFor(context, record, reader);
      await context.client.views
        .update({
          view_id: view.id,
          view: buildIntakeStatusModal(
            t(locale, 'slack.intake.statusHeader', { id: record.id, status: statusLabel(locale, record.status) }),
            classificationSummaryLines(shown.classification, 8, locale),
            locale,
          ),
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'could not update the intake modal'));
      if (created) await sendDirectMessage(context, user.id, renderClassificationMessage(shown, intakeConsoleUrl(context, record.id), reader));
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'intake_submission', outcome: 'failed' });
      logger.error({ err: error }, 'intake submission failed');
      const line = friendlyFailure(error, locale);
      await context.client.views
        .update({ view_id: view.id, view: buildIntakeStatusModal(t(locale, 'slack.intake.notSubmittedTitle'), [line], locale) })
        .catch(() => undefined);
      await sendDirectMessage(context, user.id, renderFailure(t(locale, 'slack.intake.notSubmitted', { reason: line }))).catch(() => undefined);
    }
  });

  bolt.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await publishHome(context, event.user);
  });
}

/** Publishes (or refreshes) a user's App Home: recent intakes and open obligation items. Never throws. */
export async function publishHome(context: SlackContext, userId: string): Promise<void> {
  const { core } = context;
  try {
    const actor = slackActor(userId);
    const [recent, obligations, { locale }] = await Promise.all([
      core.intakes.list({ submittedBy: actor, limit: 10 }),
      core.obligations.forPerson(actor),
      userReader(context, userId),
    ]);
    await context.client.views.publish({
      user_id: userId,
      view: buildHomeView(recent, { isGovernanceMember: core.intakes.isGovernanceMember(actor), obligations, now: core.clock.now(), locale }),
    });
  } catch (error) {
    context.logger.error({ err: error }, 'could not publish App Home');
  }
}
