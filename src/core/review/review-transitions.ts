// The review state machine in one place: which statuses accept a decision, which decisions need a
// comment, and how to say why a decision is not possible.
//
//   submitted ─classify─▶ pending_review (flagged) ─┐
//             └────────▶ auto_cleared (not flagged) ─┴─decide─▶ approved | approved_with_conditions
//                                                               | changes_requested | rejected
//   changes_requested ─resubmit─▶ a new version (previousId, version + 1); the old one stays.
//   approved | approved_with_conditions ─next review date passes─▶ review_due ─decide─▶ (as above)
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

/** Why `id` cannot take a decision in `status`, as one sentence for the person who tried. */
export function undecidableReason(id: string, status: IntakeStatus): string {
  switch (status) {
    case 'approved':
      return `${id} is already approved.`;
    case 'approved_with_conditions':
      return `${id} is already approved with conditions.`;
    case 'rejected':
      return `${id} is already rejected.`;
    case 'changes_requested':
      return `${id} already has changes requested; it can only move on as a resubmitted new version.`;
    case 'submitted':
      return `${id} is still being classified.`;
    default:
      return `${id} cannot be decided on while it is ${status}.`;
  }
}

/** What the comment field must say for `decision`, or undefined when fine. */
export function commentProblem(decision: Decision, comment: string | undefined): string | undefined {
  if (comment !== undefined && comment.length > maximumCommentLength) {
    return `Comment must be at most ${maximumCommentLength} characters.`;
  }
  if (decisionsNeedingComment.includes(decision) && (comment === undefined || comment === '')) {
    const what = { approve_with_conditions: 'state the conditions', request_changes: 'say what should change', reject: 'give the reason' } as const;
    return `A comment is required: ${what[decision as keyof typeof what]}.`;
  }
  return undefined;
}
