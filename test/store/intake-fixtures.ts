// Sample intakes, classifications and a hand-driven clock for the store and review tests.
import type { Actor } from '../../src/core/actor.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import type { Classification, RiskTier } from '../../src/core/intake/classification.js';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { IntakeRecord, IntakeStatus } from '../../src/core/review/review-types.js';
import type { Clock } from '../../src/ports/clock.js';
import { decisionAuditEntry, submissionAuditEntries } from '../../src/core/review/intake-audit.js';
import type { DecisionUpdate, NewIntake } from '../../src/ports/intake-store.js';

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
