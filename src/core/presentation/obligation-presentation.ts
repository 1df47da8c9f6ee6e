// Channel-neutral wording for obligation items and re-reviews: status labels, due dates, one-line
// summaries and item texts, in the reader's language (default English). Chat doors and the console
// format them in their own markup.
import type { Classification } from '../intake/classification.js';
import type { Locale } from '../i18n/locale.js';
import { en } from '../i18n/messages-en.js';
import { t } from '../i18n/translate.js';
import { isOverdue, type ObligationCounts, type ObligationItem, type ObligationStatus } from '../review/obligation-types.js';

/** Item status labels in English (see obligationStatusLabel for the reader's language). */
export const obligationStatusLabels: Record<ObligationStatus, string> = { ...en.obligation.status };

export const obligationStatusEmoji: Record<ObligationStatus, string> = {
  open: '☐',
  done: '☑',
  not_applicable: '⊘',
};

/** An item status's label in `locale`. */
export function obligationStatusLabel(locale: Locale, status: ObligationStatus): string {
  return t(locale, `obligation.status.${status}`);
}

/** `2027-05-25` from an ISO time (UTC). */
export function dayOf(iso: string | undefined): string {
  return iso === undefined ? '' : iso.slice(0, 10);
}

/** "due 2027-05-25", "overdue since 2027-05-25", or "no due date" for an item at `now`. */
export function dueText(item: Pick<ObligationItem, 'status' | 'dueAt'>, now: Date, locale: Locale = 'en'): string {
  if (item.dueAt === undefined) return t(locale, 'obligation.noDueDate');
  return isOverdue(item, now) ? t(locale, 'obligation.overdueSince', { date: dayOf(item.dueAt) }) : t(locale, 'obligation.due', { date: dayOf(item.dueAt) });
}

/** "3 open · 5 done · 1 not applicable · 2 overdue" (parts that are zero left out, except open). */
export function obligationCountsText(counts: ObligationCounts, locale: Locale = 'en'): string {
  if (counts.total === 0) return t(locale, 'obligation.noTrackedItems');
  const parts = [t(locale, 'obligation.counts.open', { count: counts.open })];
  if (counts.done > 0) parts.push(t(locale, 'obligation.counts.done', { count: counts.done }));
  if (counts.notApplicable > 0) parts.push(t(locale, 'obligation.counts.notApplicable', { count: counts.notApplicable }));
  if (counts.overdue > 0) parts.push(t(locale, 'obligation.counts.overdue', { count: counts.overdue }));
  return parts.join(' · ');
}

/**
 * Items with their checklist texts and frameworks taken from `classification` (the intake's
 * classification in the reader's language, IntakeService.localize): an item keeps what was stored at
 * approval (English) only when the classification has no obligation of its id. Conditions stay as
 * the reviewer wrote them.
 */
export function itemsInLanguageOf<T extends Pick<ObligationItem, 'source' | 'obligationId' | 'text' | 'framework'>>(items: readonly T[], classification: Pick<Classification, 'obligations'>): T[] {
  const obligations = new Map(classification.obligations.map((obligation) => [obligation.id, obligation]));
  return items.map((item) => {
    const obligation = item.source === 'obligation' && item.obligationId !== undefined ? obligations.get(item.obligationId) : undefined;
    return obligation === undefined ? item : { ...item, text: obligation.text, ...(item.framework === undefined ? {} : { framework: obligation.framework }) };
  });
}
