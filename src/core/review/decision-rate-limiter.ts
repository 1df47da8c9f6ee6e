// Per-person limit on decision attempts, enforced in core so every door (web API, console, Slack,
// Teams) shares it: a token bucket per `channel:id` holding `perMinute` attempts that refills
// continuously. State is per process; with several replicas each limits on its own.
import type { Clock } from '../../ports/clock.js';

export interface DecisionRateLimiter {
  /**
   * Takes one attempt for `key`; when none is left, how many whole seconds until one is, and
   * whether this refusal should be reported (audited): at most once a minute per person.
   */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number; report: boolean };
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** When a refusal of this person was last reported (undefined: never). */
  reportedAt: number | undefined;
}

/** A person flooding the doors is reported once per this period, however long the flood lasts. */
const reportIntervalMilliseconds = 60_000;

export function createDecisionRateLimiter(options: { perMinute: number; clock: Clock; maxKeys?: number }): DecisionRateLimiter {
  const capacity = options.perMinute;
  const refillPerMillisecond = options.perMinute / 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const now = options.clock.now().getTime();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        // Bounded memory whatever the number of people: forget the least recently seen.
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
        bucket = { tokens: capacity, updatedAt: now, reportedAt: undefined };
      } else {
        buckets.delete(key);
      }
      buckets.set(key, bucket);
      bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * refillPerMillisecond);
      bucket.updatedAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      const report = bucket.reportedAt === undefined || now - bucket.reportedAt >= reportIntervalMilliseconds;
      if (report) bucket.reportedAt = now;
      const waitMilliseconds = (1 - bucket.tokens) / refillPerMillisecond;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMilliseconds / 1000)), report };
    },
  };
}
