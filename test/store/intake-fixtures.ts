// Sample intakes, classifications and a hand-driven clock for the store and review tests.
import type { Actor } from '../../src/core/actor.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import type { Classification, RiskTier } from '../../src/core/intake/classification.js';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { IntakeRecord, IntakeStatus } from '../../src/core/review/review-types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { NewIntake } from '../../src/ports/intake-store.js';

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
  return {
    record: {
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
    },
    audit: [
      { action: 'intake.submitted', actor: overrides.submittedBy ?? alice, intakeId: id, details: { version: overrides.version ?? 1 } },
      { action: 'intake.classified', actor: { channel: 'system', id: 'classifier' }, intakeId: id, details: { tier: classification.tier, flagged: classification.flagged } },
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
