// Channel-neutral wording for obligation items and re-reviews: status labels, due dates, and one-line
// summaries. Chat doors and the console format them in their own markup.
import { isOverdue, type ObligationCounts, type ObligationItem, type ObligationStatus } from '../review/obligation-types.js';

export const obligationStatusLabels: Record<ObligationStatus, string> = {
  open: 'Open',
  done: 'Done',
  not_applicable: 'Not applicable',
};

export const obligationStatusEmoji: Record<ObligationStatus, string> = {
  open: '☐',
  done: '☑',
  not_applicable: '⊘',
};

/** `2027-05-25` from an ISO time (UTC). */
export function dayOf(iso: string | undefined): string {
  return iso === undefined ? '' : iso.slice(0, 10);
}

/** "due 2027-05-25", "overdue since 2027-05-25", or "no due date" for an item at `now`. */
export function dueText(item: Pick<ObligationItem, 'status' | 'dueAt'>, now: Date): string {
  if (item.dueAt === undefined) return 'no due date';
  return isOverdue(item, now) ? `overdue since ${dayOf(item.dueAt)}` : `due ${dayOf(item.dueAt)}`;
}

/** "3 open · 5 done · 1 not applicable · 2 overdue" (parts that are zero left out, except open). */
export function obligationCountsText(counts: ObligationCounts): string {
  if (counts.total === 0) return 'no tracked items';
  const parts = [`${counts.open} open`];
  if (counts.done > 0) parts.push(`${counts.done} done`);
  if (counts.notApplicable > 0) parts.push(`${counts.notApplicable} not applicable`);
  if (counts.overdue > 0) parts.push(`${counts.overdue} overdue`);
  return parts.join(' · ');
}
