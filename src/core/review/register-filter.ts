// Filters over the AI use-case register, shared by the console's register page, GET /api/register
// and the dashboard's links: every dashboard figure is a register query a person can open. Parsed
// from a query string with zod; an unknown value is an input error naming the parameter.
import { z } from 'zod';
import { ShishinError, type FieldError } from '../../errors.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import { riskTiers } from '../intake/classification.js';
import type { RegisterRow } from './intake-service.js';
import { intakeStatuses, type IntakeStatus } from './review-types.js';
import { trackedStatuses } from './review-transitions.js';

/** How far ahead `review=next_30_days` looks. */
export const upcomingReviewDays = 30;

export interface RegisterFilter {
  tier?: (typeof riskTiers)[number];
  status?: IntakeStatus[];
  /** Business unit, compared without case and surrounding spaces. */
  businessUnit?: string;
  /** Submitted in this month (`YYYY-MM`, UTC). */
  submitted?: string;
  /** `open`: approved (or due for re-review) with open items; `overdue`: with items past their due date. */
  obligations?: 'open' | 'overdue';
  /** `due`: waiting for its re-review now; `next_30_days`: next review within 30 days (due ones included). */
  review?: 'due' | 'next_30_days';
  /** Only the latest version of each use case (versions replaced by a resubmission left out). */
  latest?: boolean;
}

const single = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const optionalText = z.preprocess((value) => {
  const first = single(value);
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}, z.string().max(200).optional());

function filterSchemaFor(locale: Locale) {
  return z.object({
    tier: optionalText.pipe(z.enum(riskTiers, { error: () => t(locale, 'register.filter.useOneOf', { values: riskTiers.join(', ') }) }).optional()),
    status: z.preprocess(
      (value) => {
        const items = (Array.isArray(value) ? value : [value]).flatMap((item) => (typeof item === 'string' ? item.split(',') : []));
        const statuses = items.map((item) => item.trim()).filter((item) => item !== '');
        return statuses.length === 0 ? undefined : statuses;
      },
      z.array(z.enum(intakeStatuses, { error: () => t(locale, 'register.filter.useOneOf', { values: intakeStatuses.join(', ') }) })).max(10).optional(),
    ),
    businessUnit: optionalText,
    submitted: optionalText.pipe(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, t(locale, 'register.filter.month')).optional()),
    obligations: optionalText.pipe(z.enum(['open', 'overdue'], { error: () => t(locale, 'register.filter.obligations') }).optional()),
    review: optionalText.pipe(z.enum(['due', 'next_30_days'], { error: () => t(locale, 'register.filter.review') }).optional()),
    latest: optionalText.pipe(z.enum(['1', 'true', '0', 'false'], { error: () => t(locale, 'register.filter.latest') }).optional()),
  });
}

const filterSchemas = new Map<Locale, ReturnType<typeof filterSchemaFor>>();

/**
 * Reads a filter from query parameters (unknown parameters are ignored). ShishinError input_invalid on
 * a bad value, worded in `locale`.
 */
export function parseRegisterFilter(query: Record<string, unknown>, locale: Locale = 'en'): RegisterFilter {
  let schema = filterSchemas.get(locale);
  if (schema === undefined) {
    schema = filterSchemaFor(locale);
    filterSchemas.set(locale, schema);
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const fields: FieldError[] = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? '_'), message: issue.message }));
    throw new ShishinError('input_invalid', fields.map((field) => t(locale, 'register.filter.problem', { field: field.field, message: field.message })).join(' '), { fields });
  }
  const { latest, ...rest } = parsed.data;
  const filter: RegisterFilter = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (filter as Record<string, unknown>)[key] = value;
  if (latest === '1' || latest === 'true') filter.latest = true;
  return filter;
}

/** The rows that pass `filter` at `now`. */
export function filterRegister(rows: readonly RegisterRow[], filter: RegisterFilter, now: Date): RegisterRow[] {
  const horizon = now.getTime() + upcomingReviewDays * 24 * 60 * 60 * 1000;
  const unit = filter.businessUnit?.toLowerCase();
  return rows.filter((row) => {
    if (filter.tier !== undefined && row.tier !== filter.tier) return false;
    if (filter.status !== undefined && !filter.status.includes(row.status)) return false;
    if (unit !== undefined && row.businessUnit.trim().toLowerCase() !== unit) return false;
    if (filter.submitted !== undefined && !row.submittedAt.startsWith(filter.submitted)) return false;
    // Items still count only while the intake is approved (or due for re-review).
    if (filter.obligations !== undefined && !trackedStatuses.includes(row.status)) return false;
    if (filter.obligations === 'open' && row.obligationsOpen === 0) return false;
    if (filter.obligations === 'overdue' && row.obligationsOverdue === 0) return false;
    if (filter.review === 'due' && row.status !== 'review_due') return false;
    if (filter.review === 'next_30_days') {
      if (!trackedStatuses.includes(row.status) || row.nextReviewAt === '' || Date.parse(row.nextReviewAt) > horizon) return false;
    }
    if (filter.latest === true && row.supersededBy !== '') return false;
    return true;
  });
}

/** The filter as query parameters, in a fixed order (for links). */
export function registerFilterQuery(filter: RegisterFilter): string {
  const parameters = new URLSearchParams();
  if (filter.tier !== undefined) parameters.set('tier', filter.tier);
  if (filter.status !== undefined) parameters.set('status', filter.status.join(','));
  if (filter.businessUnit !== undefined) parameters.set('businessUnit', filter.businessUnit);
  if (filter.submitted !== undefined) parameters.set('submitted', filter.submitted);
  if (filter.obligations !== undefined) parameters.set('obligations', filter.obligations);
  if (filter.review !== undefined) parameters.set('review', filter.review);
  if (filter.latest === true) parameters.set('latest', '1');
  return parameters.toString();
}

/** The console register page showing `filter`. */
export function registerLink(filter: RegisterFilter): string {
  const query = registerFilterQuery(filter);
  return query === '' ? '/console/register' : `/console/register?${query}`;
}

/** The JSON register for `filter` (for BI tools). */
export function registerDataLink(filter: RegisterFilter): string {
  const query = registerFilterQuery(filter);
  return `/api/register?format=json${query === '' ? '' : `&${query}`}`;
}

export function isEmptyFilter(filter: RegisterFilter): boolean {
  return registerFilterQuery(filter) === '';
}
