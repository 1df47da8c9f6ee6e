// The re-review schedule: from the rules file's `review_intervals`, when an approval of a given tier
// is reviewed again and when its obligation items fall due. Months are calendar months in UTC; a
// day that does not exist in the target month becomes that month's last day (31 Aug + 6 months →
// 28/29 Feb).
import type { RiskTier } from '../intake/classification.js';
import type { ReviewInterval } from '../intake/rules-file.js';

export interface ReviewSchedule {
  /** The next review after an approval at `approvedAt`, or undefined when the tier has no interval. */
  nextReviewAt(tier: RiskTier, approvedAt: Date): string | undefined;
  /** When the items created by that approval are due (undefined: no due date). */
  itemsDueAt(tier: RiskTier, approvedAt: Date): string | undefined;
  /** The interval in months, for display ("every 6 months"). */
  intervalMonths(tier: RiskTier): number | undefined;
}

/** `date` plus whole calendar months, in UTC, clamped to the end of a shorter month. */
export function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCDate(1);
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

const dayMilliseconds = 24 * 60 * 60 * 1000;

export function createReviewSchedule(intervals: ReadonlyMap<RiskTier, Pick<ReviewInterval, 'months' | 'itemsDueDays'>>): ReviewSchedule {
  const nextReviewAt = (tier: RiskTier, approvedAt: Date) => {
    const interval = intervals.get(tier);
    return interval === undefined ? undefined : addMonths(approvedAt, interval.months).toISOString();
  };
  return {
    nextReviewAt,
    itemsDueAt(tier, approvedAt) {
      const interval = intervals.get(tier);
      if (interval?.itemsDueDays !== undefined) return new Date(approvedAt.getTime() + interval.itemsDueDays * dayMilliseconds).toISOString();
      return nextReviewAt(tier, approvedAt);
    },
    intervalMonths: (tier) => intervals.get(tier)?.months,
  };
}

/** No scheduled re-reviews (a rules file without `review_intervals`, and tests that do not need them). */
export const noReviewSchedule: ReviewSchedule = createReviewSchedule(new Map());
