// The Slack user directory: one users.info call per user while the profile is fresh, again after the
// TTL, a short memory for failures, and the least recently used user dropped when full.
import { describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { createSlackUserDirectory } from '../../src/channels/slack/slack-user-directory.js';
import { silentLogger } from '../../src/logger.js';

function fakeClient(locales: Record<string, string>, failing = new Set<string>()) {
  const calls: Array<{ user: string; include_locale?: boolean }> = [];
  const client = {
    users: {
      info: async (args: { user: string; include_locale?: boolean }) => {
        calls.push(args);
        if (failing.has(args.user)) throw new Error('user_not_found');
        return { ok: true, user: { id: args.user, name: args.user, locale: locales[args.user], profile: { display_name: `Name ${args.user}` } } };
      },
    },
  } as unknown as WebClient;
  return { client, calls };
}

describe('Slack user directory', () => {
  it('asks users.info with include_locale once per user until the TTL passes', async () => {
    let now = 0;
    const { client, calls } = fakeClient({ U1: 'ja-JP', U2: 'fr-FR' });
    const directory = createSlackUserDirectory(client, silentLogger(), { ttlMs: 1000, now: () => now });
    expect(await directory.profile('U1')).toEqual({ displayName: 'Name U1', locale: 'ja' });
    expect(await directory.profile('U1')).toEqual({ displayName: 'Name U1', locale: 'ja' });
    expect(calls).toEqual([{ user: 'U1', include_locale: true }]);
    expect((await directory.profile('U2')).locale).toBeUndefined();
    now = 1500;
    await directory.profile('U1');
    expect(calls.filter((call) => call.user === 'U1')).toHaveLength(2);
  });

  it('remembers a failure briefly and never throws', async () => {
    let now = 0;
    const { client, calls } = fakeClient({}, new Set(['UGONE']));
    const directory = createSlackUserDirectory(client, silentLogger(), { ttlMs: 60_000, failureTtlMs: 100, now: () => now });
    expect(await directory.profile('UGONE')).toEqual({ displayName: undefined, locale: undefined });
    await directory.profile('UGONE');
    expect(calls).toHaveLength(1);
    now = 200;
    await directory.profile('UGONE');
    expect(calls).toHaveLength(2);
  });

  it('drops the least recently looked-up user when full', async () => {
    const { client, calls } = fakeClient({ U1: 'ja', U2: 'en', U3: 'ja' });
    const directory = createSlackUserDirectory(client, silentLogger(), { maxEntries: 2 });
    await directory.profile('U1');
    await directory.profile('U2');
    await directory.profile('U1');
    await directory.profile('U3');
    await directory.profile('U1');
    await directory.profile('U2');
    expect(calls.map((call) => call.user)).toEqual(['U1', 'U2', 'U3', 'U2']);
  });
});
