// The review state machine in one place: which statuses accept a decision, which decisions need a
// comment, and how to say why a decision is not possible.
//
//   submitted ─classify─▶ pending_review (flagged) ─┐
//             └────────▶ auto_cleared (not flagged) ─┴─decide─▶ approved | approved_with_conditions
//                                                               | changes_requested | rejected
//   changes_requested ─resubmit─▶ a new version (previousId, version + 1); the old one stays.
//   approved | approved_with_conditions ─next review date passes─▶ review_due ─decide─▶ (as above)
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { Decision, IntakeStatus } from './review-types.js';

/** Statuses a governance member may still decide on. */
export const decidableStatuses: readonly IntakeStatus[] = ['pending_review', 'auto_cleared', 'review_due'];

/** Statuses that wait in the review queue for a member's decision. */
export const queuedStatuses: readonly IntakeStatus[] = ['pending_review', 'review_due'];

/** Approved statuses: their obligation items are tracked and their next review is scheduled. */
export const approvedStatuses: readonly IntakeStatus[] = ['approved', 'approved_with_conditions'];

/** Statuses whose obligation items are live: approved, or approved and waiting for the re-review. */
export const trackedStatuses: readonly IntakeStatus[] = ['approved', 'approved_with_conditions', 'review_due'];

/** Decisions that must explain themselves. */
export const decisionsNeedingComment: readonly Decision[] = ['approve_with_conditions', 'request_changes', 'reject'];

export const maximumCommentLength = 2000;

export function isDecidable(status: IntakeStatus): boolean {
  return decidableStatuses.includes(status);
}

/** Why `id` cannot take a decision in `status`, as one sentence for the person who tried, in `locale`. */
export function undecidableReason(id: string, status: IntakeStatus, locale: Locale = 'en'): string {
  switch (status) {
    case 'approved':
      return t(locale, 'review.alreadyApproved', { id });
    case 'approved_with_conditions':
      return t(locale, 'review.alreadyApprovedWithConditions', { id });
    case 'rejected':
      return t(locale, 'review.alreadyRejected', { id });
    case 'changes_requested':
      return t(locale, 'review.alreadyChangesRequested', { id });
    case 'submitted':
      return t(locale, 'review.stillClassifying', { id });
    default:
      return t(locale, 'review.notDecidable', { id, status: t(locale, `status.${status}`) });
  }
}

/** What the comment field must say for `decision`, or undefined when fine; worded in `locale`. */
export function commentProblem(decision: Decision, comment: string | undefined, locale: Locale = 'en'): string | undefined {
  if (comment !== undefined && comment.length > maximumCommentLength) {
    return t(locale, 'review.commentTooLong', { limit: maximumCommentLength });
  }
  if (decisionsNeedingComment.includes(decision) && (comment === undefined || comment === '')) {
    if (decision === 'approve_with_conditions') return t(locale, 'review.commentConditions');
    if (decision === 'request_changes') return t(locale, 'review.commentChanges');
    return t(locale, 'review.commentReason');
  }
  return undefined;
}
