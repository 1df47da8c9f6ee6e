// Per-person limit on decision attempts, enforced in core so every door (web API, console, Slack,
// Teams) shares it: the token bucket of core/rate-limiter.ts per `channel:id`, plus when each person's
// refusals were last reported, so a flood is audited at most once a minute. State is per process.
import type { Clock } from '../../ports/clock.js';
import { createRateLimiter } from '../rate-limiter.js';

export interface DecisionRateLimiter {
  /**
   * Takes one attempt for `key`; when none is left, how many whole seconds until one is, and
   * whether this refusal should be reported (audited): at most once a minute per person.
   */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number; report: boolean };
}

/** A person flooding the doors is reported once per this period, however long the flood lasts. */
const reportIntervalMilliseconds = 60_000;

export function createDecisionRateLimiter(options: { perMinute: number; clock: Clock; maxKeys?: number }): DecisionRateLimiter {
  const limiter = createRateLimiter(options);
  const maxKeys = options.maxKeys ?? 10_000;
  /** When a refusal of each person was last reported, least recently reported first. */
  const reportedAt = new Map<string, number>();

  return {
    take(key) {
      const decision = limiter.take(key);
      if (decision.allowed) return { allowed: true };
      const now = options.clock.now().getTime();
      const last = reportedAt.get(key);
      const report = last === undefined || now - last >= reportIntervalMilliseconds;
      if (report) {
        reportedAt.delete(key);
        if (reportedAt.size >= maxKeys) {
          const oldest = reportedAt.keys().next().value;
          if (oldest !== undefined) reportedAt.delete(oldest);
        }
        reportedAt.set(key, now);
      }
      return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds, report };
    },
  };
}
