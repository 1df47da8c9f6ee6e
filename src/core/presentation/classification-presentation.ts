// Channel-neutral wording for classifications and review states: tier, status and decision labels,
// and a classification summary as lines. Chat doors and the console format them in their own markup.
import type { Classification, RiskTier } from '../intake/classification.js';
import { withDocumentLinks } from '../documents/document-links.js';
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

/** The vendor's share of the checklist, worded the same in every door. */
export interface VendorDutySummary {
  heading: string;
  /** One sentence: which duties sit with the vendor and why. */
  intro: string;
  /** What to ask the vendor for, one item per duty. */
  asks: string[];
}

/**
 * Duties that bind the model's vendor rather than the intake's roles, with what to ask the vendor for;
 * undefined when there are none (or the classification predates roles).
 */
export function vendorDutySummary(classification: Pick<Classification, 'vendorDuties'>): VendorDutySummary | undefined {
  const duties = classification.vendorDuties ?? [];
  if (duties.length === 0) return undefined;
  const frameworks = [...new Set(duties.map((duty) => duty.framework))].join(' and ');
  return {
    heading: 'With the vendor',
    intro: `${duties.length === 1 ? 'One duty' : `${duties.length} duties`} under the ${frameworks} ${duties.length === 1 ? 'sits' : 'sit'} with the vendor as provider or developer, not with your role. Ask the vendor for:`,
    asks: [...new Set(duties.map((duty) => duty.ask))],
  };
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
  const vendor = vendorDutySummary(classification);
  if (vendor !== undefined) {
    lines.push(`${vendor.heading}: ${vendor.intro}`);
    for (const ask of vendor.asks) lines.push(`• ${ask}`);
  }
  return lines;
}

/** The classification with every citation's links set for a door (see withDocumentLinks). */
export function classificationWithLinks(classification: Classification, publicUrl?: string): Classification {
  const link = <T extends { citations: Classification['reasons'][number]['citations'] }>(item: T): T => ({
    ...item,
    citations: item.citations.map((citation) => withDocumentLinks(citation, publicUrl)),
  });
  const result: Classification = {
    ...classification,
    reasons: classification.reasons.map(link),
    obligations: classification.obligations.map(link),
    signals: classification.signals.map(link),
  };
  if (classification.vendorDuties !== undefined) result.vendorDuties = classification.vendorDuties.map(link);
  return result;
}
