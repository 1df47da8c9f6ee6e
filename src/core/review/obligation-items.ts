// How an approval turns into obligation items: one item per obligation of the classification's
// checklist (not yet tracked for the intake), and one per condition of an "approve with conditions"
// decision — each line of the comment, list markers removed. Items belong to the submitter until
// someone else is assigned, and are due when the rules file's review interval says.
import type { Actor } from '../actor.js';
import { obligationItemId, type ObligationItem, type SystemActor } from './obligation-types.js';
import type { Decision, IntakeRecord } from './review-types.js';

/** Longest item text (a condition line is cut there). */
export const maximumItemTextLength = 2000;

const listMarker = /^\s*(?:[・•‣◦]\s*|(?:[-*]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)])\s+)/i;

/** The conditions stated in a decision comment: one per non-empty line, list markers removed. */
export function conditionsFromComment(comment: string | undefined): string[] {
  if (comment === undefined) return [];
  return comment
    .split(/\r?\n/)
    .map((line) => line.replace(listMarker, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.slice(0, maximumItemTextLength));
}

export interface ApprovalItemsRequest {
  record: IntakeRecord;
  /** Items the intake already has (from an earlier approval): their obligations are not repeated. */
  existing: readonly ObligationItem[];
  decision: Decision;
  comment: string | undefined;
  /** Who created the items: the decider, or the scheduler for an approval made before items were tracked. */
  decidedBy: Actor | SystemActor;
  decidedAt: string;
  dueAt: string | undefined;
}

/** The items an approval creates; none for decisions that are not approvals. */
export function itemsForApproval(request: ApprovalItemsRequest): ObligationItem[] {
  if (request.decision !== 'approve' && request.decision !== 'approve_with_conditions') return [];
  const tracked = new Set(request.existing.flatMap((item) => (item.obligationId === undefined ? [] : [item.obligationId])));
  let number = request.existing.reduce((highest, item) => Math.max(highest, item.number), 0);
  const base = (text: string): ObligationItem => {
    number += 1;
    return {
      id: obligationItemId(request.record.id, number),
      intakeId: request.record.id,
      number,
      source: 'obligation',
      text: text.slice(0, maximumItemTextLength),
      status: 'open',
      owner: request.record.submittedBy,
      ...(request.dueAt === undefined ? {} : { dueAt: request.dueAt }),
      revision: 1,
      createdAt: request.decidedAt,
      updatedAt: request.decidedAt,
      updatedBy: request.decidedBy,
    };
  };
  const items: ObligationItem[] = [];
  for (const obligation of request.record.classification.obligations) {
    if (tracked.has(obligation.id)) continue;
    tracked.add(obligation.id);
    items.push({ ...base(obligation.text), obligationId: obligation.id, framework: obligation.framework });
  }
  if (request.decision === 'approve_with_conditions') {
    for (const condition of conditionsFromComment(request.comment)) items.push({ ...base(condition), source: 'condition' });
  }
  return items;
}
