// The governance dashboard's figures, computed once from the register and shared by the console page
// (GET /console/dashboard), the JSON for BI tools (GET /api/dashboard) and `shishin export
// --dashboard`. Every figure carries the register query behind it: `link` (the console page) and
// `data` (the same rows as JSON). Tier, status and business unit count the latest version of each use
// case; "over time" counts every submission by its month; obligations count tracked items of
// approved intakes and intakes due for re-review.
import { riskTiers, type RiskTier } from '../intake/classification.js';
import type { RegisterRow } from './intake-service.js';
import { filterRegister, registerDataLink, registerLink, upcomingReviewDays, type RegisterFilter } from './register-filter.js';
import { trackedStatuses } from './review-transitions.js';
import { intakeStatuses, type IntakeStatus } from './review-types.js';

/** Months shown in "intakes over time" (this month and the ones before it). */
export const dashboardMonths = 12;
/** Business units listed by name; the rest are summed as "other". */
export const dashboardBusinessUnits = 10;

export interface DashboardFigure {
  count: number;
  /** The console register filtered to these use cases. */
  link: string;
  /** The same rows as JSON. */
  data: string;
}

export interface Dashboard {
  generatedAt: string;
  intakes: DashboardFigure & {
    byTier: Array<DashboardFigure & { tier: RiskTier }>;
    byStatus: Array<DashboardFigure & { status: IntakeStatus }>;
    byBusinessUnit: Array<DashboardFigure & { businessUnit: string }>;
    /** Business units beyond the first ones listed, summed (no single link). */
    otherBusinessUnits: number;
    overTime: Array<DashboardFigure & { month: string }>;
  };
  obligations: {
    total: number;
    open: number;
    done: number;
    notApplicable: number;
    overdue: number;
    /** Use cases with open items / with overdue items. */
    withOpen: DashboardFigure;
    withOverdue: DashboardFigure;
  };
  reviews: {
    /** Waiting in the review queue for their scheduled re-review now. */
    due: DashboardFigure;
    /** Next review within 30 days (those already due included). */
    next30Days: DashboardFigure;
    upcoming: Array<{ id: string; title: string; tier: string; status: IntakeStatus; nextReviewAt: string; link: string }>;
  };
}

function figure(rows: readonly RegisterRow[], filter: RegisterFilter, now: Date): DashboardFigure {
  return { count: filterRegister(rows, filter, now).length, link: registerLink(filter), data: registerDataLink(filter) };
}

/** `YYYY-MM` of the month `offset` months before `now`'s (UTC). */
function monthBefore(now: Date, offset: number): string {
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1));
  return date.toISOString().slice(0, 7);
}

export function buildDashboard(rows: readonly RegisterRow[], now: Date): Dashboard {
  const latest = rows.filter((row) => row.supersededBy === '');
  const base: RegisterFilter = { latest: true };
  const units = new Map<string, { name: string; count: number }>();
  for (const row of latest) {
    const key = row.businessUnit.trim().toLowerCase();
    const unit = units.get(key) ?? { name: row.businessUnit.trim(), count: 0 };
    unit.count += 1;
    units.set(key, unit);
  }
  const sortedUnits = [...units.values()].sort((left, right) => right.count - left.count || left.name.localeCompare(right.name));
  const listedUnits = sortedUnits.slice(0, dashboardBusinessUnits);
  const tracked = latest.filter((row) => trackedStatuses.includes(row.status));
  const sum = (key: 'obligationsOpen' | 'obligationsDone' | 'obligationsNotApplicable' | 'obligationsOverdue') => tracked.reduce((total, row) => total + row[key], 0);
  const horizon = now.getTime() + upcomingReviewDays * 24 * 60 * 60 * 1000;
  const upcoming = latest
    .filter((row) => trackedStatuses.includes(row.status) && row.nextReviewAt !== '' && Date.parse(row.nextReviewAt) <= horizon)
    .sort((left, right) => Date.parse(left.nextReviewAt) - Date.parse(right.nextReviewAt) || left.id.localeCompare(right.id));
  return {
    generatedAt: now.toISOString(),
    intakes: {
      ...figure(rows, base, now),
      byTier: [...riskTiers].reverse().map((tier) => ({ tier, ...figure(rows, { ...base, tier }, now) })),
      byStatus: intakeStatuses
        .filter((status) => status !== 'submitted')
        .map((status) => ({ status, ...figure(rows, { ...base, status: [status] }, now) })),
      byBusinessUnit: listedUnits.map((unit) => ({ businessUnit: unit.name, ...figure(rows, { ...base, businessUnit: unit.name }, now) })),
      otherBusinessUnits: sortedUnits.slice(dashboardBusinessUnits).reduce((total, unit) => total + unit.count, 0),
      overTime: Array.from({ length: dashboardMonths }, (_, index) => monthBefore(now, dashboardMonths - 1 - index)).map((month) => ({
        month,
        ...figure(rows, { submitted: month }, now),
      })),
    },
    obligations: {
      total: sum('obligationsOpen') + sum('obligationsDone') + sum('obligationsNotApplicable'),
      open: sum('obligationsOpen'),
      done: sum('obligationsDone'),
      notApplicable: sum('obligationsNotApplicable'),
      overdue: sum('obligationsOverdue'),
      withOpen: figure(rows, { ...base, obligations: 'open' }, now),
      withOverdue: figure(rows, { ...base, obligations: 'overdue' }, now),
    },
    reviews: {
      due: figure(rows, { ...base, review: 'due' }, now),
      next30Days: figure(rows, { ...base, review: 'next_30_days' }, now),
      upcoming: upcoming.map((row) => ({ id: row.id, title: row.title, tier: row.tier, status: row.status, nextReviewAt: row.nextReviewAt, link: `/console/intakes/${row.id}` })),
    },
  };
}
