// The delivery key of Slack interactive payloads and slash commands, and the middleware that claims
// it: the same delivery always maps to the same key, a new click or command to a new one, requests
// that change nothing get no key; a repeat is acked and stops; a store failure does not block users.
import { describe, expect, it, vi } from 'vitest';
import { dedupeDeliveries, deliveryKey, deliveryKeyTtlSeconds } from '../../src/channels/slack/delivery-dedupe.js';
import type { SlackContext } from '../../src/channels/slack/slack-context.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';

const click = (overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1' },
  trigger_id: 'trigger-1',
  actions: [{ action_id: 'escalate', block_id: 'b', action_ts: '1764000000.000100', value: 'q', ...action }],
  ...overrides,
});

const command = (overrides: Record<string, unknown> = {}) => ({ command: '/shishin', text: 'help', team_id: 'T1', user_id: 'U1', trigger_id: 'trigger-9', ...overrides });

describe('deliveryKey', () => {
  it('names the same delivery with the same key, whatever the order of fields', () => {
    const first = deliveryKey(click());
    expect(first?.kind).toBe('block_actions');
    expect(first?.key).toMatch(/^delivery:block_actions:[0-9a-f]{64}$/);
    expect(deliveryKey(JSON.parse(JSON.stringify(click())))).toEqual(first);
    expect(deliveryKey({ ...click(), response_url: 'https://hooks.slack.com/x' })).toEqual(first);
  });

  it('gives a new click, user, action or command a new key', () => {
    const keys = [
      deliveryKey(click()),
      deliveryKey(click({ trigger_id: 'trigger-2' })),
      deliveryKey(click({ user: { id: 'U2' } })),
      deliveryKey(click({}, { action_ts: '1764000000.000200' })),
      deliveryKey(click({}, { action_id: 'share' })),
      deliveryKey(command()),
      deliveryKey(command({ trigger_id: 'trigger-10' })),
      deliveryKey({ type: 'view_submission', user: { id: 'U1' }, trigger_id: 'trigger-1', view: { id: 'V1', callback_id: 'intake' } }),
      deliveryKey({ type: 'shortcut', callback_id: 'shishin_intake', user: { id: 'U1' }, trigger_id: 'trigger-1' }),
    ].map((key) => key?.key);
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(deliveryKey(command())?.kind).toBe('slash_command');
  });

  it('gives no key to events, options requests and closed views', () => {
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } })).toBeUndefined();
    expect(deliveryKey({ type: 'block_suggestion', user: { id: 'U1' }, action_id: 'a', value: 'x' })).toBeUndefined();
    expect(deliveryKey({ type: 'view_closed', user: { id: 'U1' }, view: { id: 'V1' } })).toBeUndefined();
    expect(deliveryKey('not an object')).toBeUndefined();
  });

  it('falls back to the whole body when there is no trigger id, and tolerates odd field shapes', () => {
    const bare = { type: 'block_actions', user: 7, actions: 'nonsense', trigger_id: ['x'] };
    const key = deliveryKey(bare);
    expect(key?.kind).toBe('block_actions');
    expect(deliveryKey({ ...bare })).toEqual(key);
    expect(deliveryKey({ ...bare, extra: 1 })?.key).not.toBe(key?.key);
  });
});

describe('dedupeDeliveries', () => {
  function contextWith(claimEvent: (channel: string, id: string, ttl?: number) => Promise<boolean>): SlackContext {
    // Only the parts the middleware touches; the handlers are exercised against the real service elsewhere.
    return { core: { store: { claimEvent }, metrics: createMetrics({ defaultMetrics: false }) }, logger: silentLogger() } as unknown as SlackContext;
  }

  async function run(context: SlackContext, body: unknown): Promise<{ next: number; acks: unknown[][] }> {
    const middleware = dedupeDeliveries(context);
    let next = 0;
    const acks: unknown[][] = [];
    const args = { body, ack: async (...values: unknown[]) => void acks.push(values), next: async () => void (next += 1) };
    await middleware(args as unknown as Parameters<typeof middleware>[0]);
    return { next, acks };
  }

  it('lets the first delivery through and acks a repeat without going further', async () => {
    const seen = new Set<string>();
    const claimEvent = vi.fn(async (_channel: string, id: string) => !seen.has(id) && Boolean(seen.add(id)));
    const context = contextWith(claimEvent);
    expect(await run(context, command())).toEqual({ next: 1, acks: [] });
    expect(await run(context, command())).toEqual({ next: 0, acks: [[]] });
    expect(claimEvent).toHaveBeenCalledWith('slack', expect.stringMatching(/^delivery:slash_command:/), deliveryKeyTtlSeconds);
    const metric = await context.core.metrics.chatEvents.get();
    expect(metric.values.find((value) => value.labels.type === 'slash_command')).toMatchObject({ value: 1, labels: { outcome: 'duplicate' } });
  });

  it('passes requests without a key straight on', async () => {
    const claimEvent = vi.fn(async () => false);
    expect(await run(contextWith(claimEvent), { type: 'view_closed', view: { id: 'V1' } })).toEqual({ next: 1, acks: [] });
    expect(claimEvent).not.toHaveBeenCalled();
  });

  it('processes the request when the store cannot be reached', async () => {
    const claimEvent = vi.fn(async () => {
      throw new Error('connection refused');
    });
    expect(await run(contextWith(claimEvent), click())).toEqual({ next: 1, acks: [] });
  });
});
