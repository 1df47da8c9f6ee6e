// Obligation items in Slack: the Update button (App Home, digests, reminders) opens the update modal
// for one item; the "Update obligations" message shortcut opens it with a choice of the items of the
// intake the message is about (or, failing that, the person's own items); the modal's submission
// calls core's obligation service, with its field errors shown inline. App Home lists the items.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { ObligationEntry } from '../../core/review/obligation-service.js';
import { obligationStatusWords } from '../../core/review/create-obligation-service.js';
import { isShishinError } from '../../errors.js';
import { renderFailure } from './answer-blocks.js';
import {
  buildObligationModal,
  buildObligationNoticeModal,
  obligationErrorsToBlocks,
  obligationModalCallbackId,
  obligationOpenActionId,
  obligationShortcutCallbackId,
  readObligationModal,
  readObligationModalMetadata,
  type ObligationViewState,
} from './obligation-blocks.js';
import { friendlyFailure, lookupDisplayName, sendDirectMessage, slackActor, type SlackContext } from './slack-context.js';
import { workbenchText as text } from './workbench-text.js';

const intakeIdInText = /\bAI-[0-9A-HJKMNP-TV-Z]{6}\b/;

const buttonSchema = z.object({
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().max(40) })).min(1),
});

const shortcutSchema = z.object({
  trigger_id: z.string(),
  user: z.object({ id: z.string() }),
  message: z.record(z.string(), z.unknown()).optional(),
});

const submissionSchema = z.object({
  user: z.object({ id: z.string(), name: z.string().optional() }),
  view: z.object({
    id: z.string(),
    hash: z.string().optional(),
    private_metadata: z.string().optional(),
    blocks: z.array(z.object({ block_id: z.string().optional() }).loose()).optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))) }),
  }),
});

export function registerObligationHandlers(bolt: App, context: SlackContext, options: { refreshHome(userId: string): Promise<void> }): void {
  const logger = context.logger.child({ part: 'obligations' });
  const { core } = context;

  /** The entries a person may act on, from a list (any of: complete, reopen, reassign). */
  const actionable = (userId: string, entries: ObligationEntry[]) => {
    const actor = slackActor(userId);
    return entries.filter((entry) => {
      const allowed = core.obligations.permissions(actor, entry);
      return allowed.complete || allowed.reopen || allowed.assign;
    });
  };

  bolt.action(obligationOpenActionId, async ({ ack, body }) => {
    await ack();
    const parsed = buttonSchema.safeParse(body);
    if (!parsed.success) return;
    const { user, trigger_id: triggerId } = parsed.data;
    const itemId = parsed.data.actions[0]?.value ?? '';
    try {
      const entry = await core.obligations.get(itemId);
      const allowed = core.obligations.permissions(slackActor(user.id), entry);
      const view =
        allowed.complete || allowed.reopen || allowed.assign ? buildObligationModal([entry], allowed) : buildObligationNoticeModal(text.noItemsTitle, [text.notAllowed]);
      await context.client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      logger.error({ err: error, itemId }, 'could not open the obligation modal');
      await sendDirectMessage(context, user.id, renderFailure(friendlyFailure(error))).catch(() => undefined);
    }
  });

  bolt.shortcut(obligationShortcutCallbackId, async ({ ack, body }) => {
    await ack();
    const parsed = shortcutSchema.safeParse(body);
    if (!parsed.success) return;
    const { user, trigger_id: triggerId } = parsed.data;
    try {
      const mentioned = intakeIdInText.exec(JSON.stringify(parsed.data.message ?? {}))?.[0];
      let entries: ObligationEntry[] = [];
      if (mentioned !== undefined) {
        const intake = await core.intakes.get(mentioned).catch(() => undefined);
        if (intake !== undefined) entries = (await core.obligations.forIntake(intake.id)).map((item) => ({ item, intake }));
      }
      if (entries.length === 0) entries = await core.obligations.forPerson(slackActor(user.id));
      const mine = actionable(user.id, entries);
      const [only] = mine;
      const view =
        only === undefined
          ? buildObligationNoticeModal(text.noItemsTitle, [text.noItems])
          : buildObligationModal(mine, mine.length === 1 ? core.obligations.permissions(slackActor(user.id), only) : undefined);
      await context.client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      logger.error({ err: error }, 'could not open the obligation modal from the shortcut');
      await sendDirectMessage(context, user.id, renderFailure(friendlyFailure(error))).catch(() => undefined);
    }
  });

  bolt.view(obligationModalCallbackId, async ({ ack, body }) => {
    const parsed = submissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: { status: text.formUnreadable } });
      return;
    }
    const { user, view } = parsed.data;
    const metadata = readObligationModalMetadata(view.private_metadata);
    const change = readObligationModal(view.state.values as ObligationViewState, metadata);
    const blocks = { blocks: (view.blocks ?? []) as never[] };
    if (change.itemId === undefined) {
      await ack({ response_action: 'errors', errors: { item: text.chooseItem } });
      return;
    }
    try {
      const displayName = await lookupDisplayName(context, user.id);
      const { item } = await core.obligations.update({ ...change, itemId: change.itemId, actor: slackActor(user.id, displayName ?? user.name) });
      await ack({ response_action: 'update', view: buildObligationNoticeModal(text.savedTitle, [text.saved(item.id, obligationStatusWords(item.status))]) });
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'obligation_update', outcome: 'ok' });
      logger.info({ itemId: item.id, status: item.status }, 'obligation item updated from Slack');
      await options.refreshHome(user.id);
    } catch (error) {
      core.metrics.chatEvents.inc({ channel: 'slack', type: 'obligation_update', outcome: 'refused' });
      if (isShishinError(error, 'input_invalid')) {
        await ack({ response_action: 'errors', errors: obligationErrorsToBlocks(error.fields ?? [{ field: '_', message: error.message }], blocks) });
        return;
      }
      if (isShishinError(error, 'not_authorised') || isShishinError(error, 'conflict') || isShishinError(error, 'not_found')) {
        await ack({ response_action: 'errors', errors: obligationErrorsToBlocks([{ field: '_', message: error.message }], blocks) });
        return;
      }
      logger.error({ err: error, itemId: change.itemId }, 'obligation update from Slack failed');
      await ack({ response_action: 'errors', errors: obligationErrorsToBlocks([{ field: '_', message: friendlyFailure(error) }], blocks) });
    }
  });
}
