// Review workflow types: statuses, decisions and the stored intake record.
import type { Actor } from '../actor.js';
import type { Classification } from '../intake/classification.js';
import type { IntakeInput } from '../intake/intake-schema.js';

export const intakeStatuses = [
  'submitted',
  'pending_review',
  'auto_cleared',
  'approved',
  'approved_with_conditions',
  'changes_requested',
  'rejected',
  'review_due',
] as const;
export type IntakeStatus = (typeof intakeStatuses)[number];

export const decisions = ['approve', 'approve_with_conditions', 'request_changes', 'reject'] as const;
export type Decision = (typeof decisions)[number];

/** The status each decision leads to. */
export const statusAfterDecision: Record<Decision, IntakeStatus> = {
  approve: 'approved',
  approve_with_conditions: 'approved_with_conditions',
  request_changes: 'changes_requested',
  reject: 'rejected',
};

export interface IntakeRecord {
  /** Short, human-friendly id, e.g. `AI-7K3F9Q`. */
  id: string;
  /** 1 for a first submission; n+1 for a resubmission after changes were requested. */
  version: number;
  /** Id of the earlier version this one replaces, if any. */
  previousId?: string;
  input: IntakeInput;
  classification: Classification;
  status: IntakeStatus;
  submittedBy: Actor;
  submittedAt: string;
  decidedBy?: Actor;
  decidedAt?: string;
  decision?: Decision;
  decisionComment?: string;
  /**
   * When an approved intake is next reviewed (the tier's interval in the rules file after the
   * approval). Kept while the re-review is due; cleared by a decision that is not an approval.
   */
  nextReviewAt?: string;
  /** Idempotency key supplied by the client (or derived by the door). */
  idempotencyKey: string;
  /** Where chat doors posted the review message, so it can be updated in place. */
  reviewMessages: ReviewMessageRef[];
  updatedAt: string;
}

/** A pointer to a posted review message in a channel (Slack ts, Teams activity id …). */
export interface ReviewMessageRef {
  channel: 'slack' | 'teams';
  /** Channel-specific JSON with what is needed to update the message later. */
  reference: Record<string, unknown>;
}
