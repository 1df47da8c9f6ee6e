// Per-key rate limiting: a token bucket per key (a user, a person deciding) that holds `perMinute`
// tokens and refills continuously; memory is bounded by forgetting the least recently seen key. Used
// by the web door's expensive routes (ask, submit) and by core's decision limit. State is per process
// (each replica limits on its own).
import type { Clock } from '../ports/clock.js';

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(options: { perMinute: number; clock: Clock; maxKeys?: number }): RateLimiter {
  const capacity = options.perMinute;
  const refillPerMillisecond = options.perMinute / 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const now = options.clock.now().getTime();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= maxKeys) {
          // Forget the least recently seen key; Map iteration order is insertion order.
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
        bucket = { tokens: capacity, updatedAt: now };
      } else {
        buckets.delete(key);
      }
      buckets.set(key, bucket);
      bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * refillPerMillisecond);
      bucket.updatedAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterSeconds: 0 };
      }
      const waitMilliseconds = (1 - bucket.tokens) / refillPerMillisecond;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMilliseconds / 1000)) };
    },
  };
}
