// Channel-neutral wording for classifications and review states: tier, status and decision labels,
// and a classification summary as lines. Chat doors and the console format them in their own markup.
import type { Classification, RiskTier } from '../intake/classification.js';
import { decisionsNeedingComment } from '../review/review-transitions.js';
import type { Decision, IntakeStatus } from '../review/review-types.js';

export const tierLabels: Record<RiskTier, string> = {
  prohibited: 'Prohibited',
  high: 'High risk',
  limited: 'Limited risk (transparency)',
  minimal: 'Minimal risk',
};

export const tierEmoji: Record<RiskTier, string> = {
  prohibited: '⛔',
  high: '🔴',
  limited: '🟡',
  minimal: '🟢',
};

export const statusLabels: Record<IntakeStatus, string> = {
  submitted: 'Submitted',
  pending_review: 'Waiting for governance review',
  auto_cleared: 'Cleared (no review needed)',
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
  review_due: 'Re-review due',
};

export const decisionLabels: Record<Decision, string> = {
  approve: 'Approve',
  approve_with_conditions: 'Approve with conditions',
  request_changes: 'Request changes',
  reject: 'Reject',
};

/** Decisions after which the reviewer must say why (the rule itself lives in the review state machine). */
export function decisionNeedsComment(decision: Decision): boolean {
  return decisionsNeedingComment.includes(decision);
}

/** A short one-line verdict, e.g. "High risk — sent to the governance team for review". */
export function classificationHeadline(classification: Pick<Classification, 'tier' | 'flagged'>): string {
  const tier = tierLabels[classification.tier];
  return classification.flagged ? `${tier} — sent to the governance team for review` : `${tier} — no review needed`;
}

/** The classification as plain lines: verdict, reasons, obligations (first `maxObligations`). */
export function classificationSummaryLines(classification: Classification, maxObligations = 10): string[] {
  const lines = [classificationHeadline(classification)];
  if (classification.reasons.length > 0) {
    lines.push('Why:');
    for (const reason of classification.reasons) lines.push(`• ${reason.summary}`);
  }
  if (classification.obligations.length > 0) {
    lines.push('What to do:');
    for (const obligation of classification.obligations.slice(0, maxObligations)) {
      lines.push(`• ${obligation.text} (${obligation.framework})`);
    }
    const more = classification.obligations.length - maxObligations;
    if (more > 0) lines.push(`• …and ${more} more`);
  }
  return lines;
}
