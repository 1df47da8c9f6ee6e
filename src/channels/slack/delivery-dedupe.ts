// Each Slack interactive payload (button click, modal submission, shortcut) and slash command is
// processed once. A signed request replayed within Slack's five-minute signature window, or delivered
// twice, is acknowledged with an empty 200 and does nothing else. The key is claimed in the shared
// store (`claimEvent`, as events and view submissions are), so the rule holds across replicas.
import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { SlackContext } from './slack-context.js';

/**
 * How long a delivery key is remembered. A signed request is accepted for five minutes either side
 * of its timestamp, so ten minutes cover every replay; an hour leaves room for clock skew.
 */
export const deliveryKeyTtlSeconds = 60 * 60;

/** Interactive payload types that act; `view_closed` and `block_suggestion` are left alone. */
const actingInteractionTypes = new Set(['block_actions', 'interactive_message', 'view_submission', 'shortcut', 'message_action']);

// Lenient on purpose: any field of the wrong shape is dropped, and a payload with nothing to key on
// falls back to a hash of the whole body (still the same for a byte-identical replay).
const field = z.string().max(500).optional().catch(undefined);
const deliverySchema = z.object({
  type: field,
  command: field,
  trigger_id: field,
  user_id: field,
  team_id: field,
  callback_id: field,
  user: z.object({ id: field }).optional().catch(undefined),
  team: z.object({ id: field }).nullish().catch(undefined),
  view: z.object({ id: field, callback_id: field }).optional().catch(undefined),
  actions: z
    .array(z.object({ action_id: field, block_id: field, action_ts: field }))
    .optional()
    .catch(undefined),
});

export interface DeliveryKey {
  /** `slash_command` or the interactive payload type, for metrics and logs. */
  kind: string;
  /** The `claimEvent` id: the kind and a SHA-256 of what identifies this one delivery. */
  key: string;
}

function digest(parts: ReadonlyArray<string | undefined>): string {
  return createHash('sha256').update(parts.map((part) => part ?? '').join('\n')).digest('hex');
}

/**
 * The key that identifies one delivery of an acting Slack request, or undefined for anything else
 * (events are de-duplicated by their handlers; options requests and closed views change nothing).
 * Slack issues a fresh `trigger_id` for every command, click, submission and shortcut, so it and
 * the user (plus, for clicks, each action's id and timestamp) name one delivery.
 */
export function deliveryKey(body: unknown): DeliveryKey | undefined {
  const parsed = deliverySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const payload = parsed.data;
  let kind: string;
  let parts: Array<string | undefined>;
  if (payload.type === undefined && payload.command !== undefined) {
    kind = 'slash_command';
    parts = [payload.team_id, payload.user_id, payload.command, payload.trigger_id];
  } else if (payload.type !== undefined && actingInteractionTypes.has(payload.type)) {
    kind = payload.type;
    const actions = (payload.actions ?? []).map((action) => `${action.block_id ?? ''}/${action.action_id ?? ''}@${action.action_ts ?? ''}`);
    parts = [payload.team?.id, payload.user?.id, payload.trigger_id, payload.callback_id, payload.view?.id, payload.view?.callback_id, ...actions];
  } else {
    return undefined;
  }
  const anchored = payload.trigger_id !== undefined || (payload.actions ?? []).some((action) => action.action_ts !== undefined);
  const hash = anchored ? digest([kind, ...parts]) : digest([kind, JSON.stringify(body)]);
  return { kind, key: `delivery:${kind}:${hash}` };
}

/**
 * Global Bolt middleware: claims each acting request's delivery key before any listener runs. A
 * repeat is acknowledged (empty 200; the 3-second rule holds, the claim is one store round trip)
 * and goes no further. If the store cannot be reached the request is processed as before: the
 * listeners then fail with a friendly message where they need the store, and their state changes
 * (decisions, intake submissions) are guarded by their own claims and idempotency keys.
 */
export function dedupeDeliveries(context: SlackContext): Middleware<AnyMiddlewareArgs> {
  const logger = context.logger.child({ part: 'delivery' });
  const { core } = context;
  return async (args) => {
    const delivery = deliveryKey(args.body);
    const ack = 'ack' in args ? args.ack : undefined;
    if (delivery === undefined || ack === undefined) {
      await args.next();
      return;
    }
    let claimed: boolean;
    try {
      claimed = await core.store.claimEvent('slack', delivery.key, deliveryKeyTtlSeconds);
    } catch (error) {
      logger.error({ err: error, kind: delivery.kind }, 'could not record a Slack delivery; processing it unchecked');
      claimed = true;
    }
    if (claimed) {
      await args.next();
      return;
    }
    core.metrics.chatEvents.inc({ channel: 'slack', type: delivery.kind, outcome: 'duplicate' });
    logger.info({ kind: delivery.kind, key: delivery.key }, 'repeated Slack delivery acknowledged and ignored');
    await ack();
  };
}
