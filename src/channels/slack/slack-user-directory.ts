// What Shishin knows about a Slack user: display name and language, from users.info with
// include_locale, cached per user for a while so a busy conversation does not call Slack per message.
// A failed look-up is cached too (briefly), and never fails the caller: the language then falls back.
import type { WebClient } from '@slack/web-api';
import { localeFromTag, type Locale } from '../../core/i18n/locale.js';
import type { Logger } from '../../logger.js';

export interface SlackUserProfile {
  /** Display name, real name or handle; undefined when Slack gave none. */
  displayName: string | undefined;
  /** The user's Slack language when Shishin speaks it; undefined otherwise. */
  locale: Locale | undefined;
}

export interface SlackUserDirectory {
  /** The user's profile, from the cache when fresh. Never throws. */
  profile(userId: string): Promise<SlackUserProfile>;
}

export interface SlackUserDirectoryOptions {
  /** How long a profile is reused (default 10 minutes). */
  ttlMs?: number;
  /** How long a failed look-up is remembered (default 1 minute). */
  failureTtlMs?: number;
  /** Users kept; the least recently looked up is dropped first (default 5000). */
  maxEntries?: number;
  now?: () => number;
}

export function createSlackUserDirectory(client: WebClient, logger: Logger, options: SlackUserDirectoryOptions = {}): SlackUserDirectory {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 5000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { profile: Promise<SlackUserProfile>; expires: number }>();

  async function lookUp(userId: string): Promise<{ profile: SlackUserProfile; ok: boolean }> {
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      return { profile: { displayName: name === undefined || name === '' ? undefined : name, locale: localeFromTag(user?.locale) }, ok: true };
    } catch (error) {
      logger.debug({ err: error, userId }, 'users.info failed');
      return { profile: { displayName: undefined, locale: undefined }, ok: false };
    }
  }

  return {
    profile(userId: string): Promise<SlackUserProfile> {
      const cached = cache.get(userId);
      if (cached !== undefined && cached.expires > now()) {
        cache.delete(userId);
        cache.set(userId, cached);
        return cached.profile;
      }
      const started = now();
      const entry = { expires: started + ttlMs, profile: Promise.resolve({ displayName: undefined, locale: undefined }) as Promise<SlackUserProfile> };
      entry.profile = lookUp(userId).then(({ profile, ok }) => {
        if (!ok) entry.expires = started + failureTtlMs;
        return profile;
      });
      cache.delete(userId);
      cache.set(userId, entry);
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return entry.profile;
    },
  };
}
