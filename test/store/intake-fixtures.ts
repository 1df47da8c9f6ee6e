// Sample intakes, classifications and a hand-driven clock for the store and review tests.
import type { Actor } from '../../src/core/actor.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import type { Classification, RiskTier } from '../../src/core/intake/classification.js';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { IntakeRecord, IntakeStatus } from '../../src/core/review/review-types.js';
import type { Clock } from '../../src/ports/clock.js';
import { decisionAuditEntry, itemsCreatedAuditEntry, itemUpdatedAuditEntry, submissionAuditEntries } from '../../src/core/review/intake-audit.js';
import { obligationItemId, type ObligationItem } from '../../src/core/review/obligation-types.js';
import type { DecisionUpdate, NewIntake, ObligationItemUpdate } from '../../src/ports/intake-store.js';

export function sampleInput(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return { ...cvScreeningIntake, businessUnit: 'People & Culture', ...overrides };
}

export function sampleClassification(tier: RiskTier = 'high', flagged = tier !== 'minimal'): Classification {
  return {
    tier,
    flagged,
    flagReasons: flagged ? [`Tier ${tier}`] : [],
    reasons: [
      {
        ruleId: `test.${tier}`,
        tier,
        summary: `Test rule for ${tier}`,
        citations: [{ source: 'eu-ai-act.md', section: 'Annex III', quote: 'Employment, workers management' }],
      },
    ],
    obligations:
      tier === 'minimal'
        ? []
        : [
            { id: 'eu.risk_management', text: 'Run a risk management system', framework: 'EU AI Act', ruleIds: [`test.${tier}`], citations: [] },
            { id: 'eu.human_oversight', text: 'Ensure human oversight, with "stop" authority', framework: 'EU AI Act', ruleIds: [`test.${tier}`], citations: [] },
          ],
    signals: [],
    rulesVersion: 'test-rules-1',
  };
}

export const alice: Actor = { channel: 'web', id: 'alice', displayName: 'Alice Tanaka' };
export const bob: Actor = { channel: 'slack', id: 'U0BOB' };
export const reviewer: Actor = { channel: 'teams', id: 'aad-reviewer-1', displayName: 'Rei Viewer' };

let counter = 0;

/** A NewIntake with a fresh id and key unless given. */
export function newIntake(overrides: Partial<Omit<IntakeRecord, 'updatedAt'>> = {}): NewIntake {
  counter += 1;
  const id = overrides.id ?? `AI-T${String(counter).padStart(5, '0')}`;
  const classification = overrides.classification ?? sampleClassification();
  const status: IntakeStatus = overrides.status ?? (classification.flagged ? 'pending_review' : 'auto_cleared');
  const record: Omit<IntakeRecord, 'updatedAt'> = {
    id,
    version: 1,
    input: sampleInput(),
    classification,
    status,
    submittedBy: alice,
    submittedAt: '2026-11-25T09:00:00.000Z',
    idempotencyKey: `key-${id}-${counter}`,
    reviewMessages: [],
    ...overrides,
  };
  // The entries the intake service writes, so `verifyAudit` can reconcile the stored intake with them.
  return { record, audit: submissionAuditEntries(record) };
}

/** A DecisionUpdate from `pending_review` with the entry the intake service writes. */
export function newDecision(intakeId: string, overrides: Partial<Omit<DecisionUpdate, 'audit'>> = {}): DecisionUpdate {
  const update = {
    intakeId,
    expectedStatus: 'pending_review' as const,
    status: 'approved' as const,
    decision: 'approve' as const,
    decidedBy: reviewer,
    decidedAt: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
  return {
    ...update,
    audit: [
      decisionAuditEntry({
        intakeId,
        decidedBy: update.decidedBy,
        decision: update.decision,
        from: update.expectedStatus,
        to: update.status,
        decidedAt: update.decidedAt,
        ...(update.comment === undefined ? {} : { comment: update.comment }),
      }),
    ],
  };
}

/** Items as an approval of `intakeId` creates them: the classification's checklist, then conditions. */
export function newItems(
  intakeId: string,
  texts: string[] = ['Run a risk management system', 'Ensure human oversight'],
  overrides: Partial<ObligationItem> = {},
  firstNumber = 1,
): ObligationItem[] {
  return texts.map((text, index) => ({
    id: obligationItemId(intakeId, firstNumber + index),
    intakeId,
    number: firstNumber + index,
    source: 'obligation',
    obligationId: `test.obligation_${firstNumber + index}`,
    framework: 'EU AI Act',
    text,
    status: 'open',
    owner: alice,
    dueAt: '2027-05-26T10:00:00.000Z',
    revision: 1,
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    updatedBy: reviewer,
    ...overrides,
  }));
}

/** An approval of a pending intake that schedules its next review and creates `items`, with the entries the service writes. */
export function newApproval(intakeId: string, items: ObligationItem[] = newItems(intakeId), nextReviewAt = '2027-05-26T10:00:00.000Z'): DecisionUpdate {
  const decision = newDecision(intakeId);
  return {
    ...decision,
    nextReviewAt,
    newItems: items,
    audit: [
      decisionAuditEntry({ intakeId, decidedBy: reviewer, decision: 'approve', from: 'pending_review', to: 'approved', decidedAt: decision.decidedAt, nextReviewAt }),
      itemsCreatedAuditEntry(intakeId, reviewer, items),
    ],
  };
}

/** An item change as the service makes it: the next revision, with its audit entry. */
export function itemChange(before: ObligationItem, changes: Partial<ObligationItem>, actor: Actor = alice, at = '2026-12-01T09:00:00.000Z'): ObligationItemUpdate {
  const after: ObligationItem = { ...before, ...changes, revision: before.revision + 1, updatedAt: at, updatedBy: actor };
  return { item: after, expectedRevision: before.revision, audit: [itemUpdatedAuditEntry({ actor, before, after })] };
}

/** A clock that moves only when told (and by 1 ms per reading, so timestamps stay distinct). */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = '2026-11-25T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    this.current += 1;
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
