// The clock port, so time-dependent logic (audit timestamps, rate limits, dedupe windows) is testable.

export interface Clock {
  /** Current time. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
