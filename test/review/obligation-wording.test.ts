// Obligation items and re-reviews worded for a reader: due dates, counts and what changed since the
// last review in Japanese and English, and item texts in the language of a localised classification
// (conditions stay as the reviewer wrote them).
import { describe, expect, it } from 'vitest';
import { dueText, itemsInLanguageOf, obligationCountsText, obligationStatusLabel } from '../../src/core/presentation/obligation-presentation.js';
import { summariseReviewChanges } from '../../src/core/review/reminders.js';
import type { ObligationItem } from '../../src/core/review/obligation-types.js';
import type { IntakeRecord } from '../../src/core/review/review-types.js';
import type { AuditEntry } from '../../src/ports/intake-store.js';

const now = new Date('2027-06-10T00:00:00.000Z');
const item = (overrides: Partial<ObligationItem>): ObligationItem => ({
  id: 'AI-7K3F9Q-1',
  intakeId: 'AI-7K3F9Q',
  number: 1,
  source: 'obligation',
  obligationId: 'eu.deployer_duties',
  framework: 'EU AI Act',
  text: 'Use the system according to its instructions.',
  status: 'open',
  revision: 1,
  createdAt: '2026-12-03T12:15:00.000Z',
  updatedAt: '2026-12-03T12:15:00.000Z',
  updatedBy: { channel: 'web', id: 'reviewer' },
  ...overrides,
});

describe('obligation wording', () => {
  it('words statuses, due dates and counts in each language', () => {
    expect(obligationStatusLabel('ja', 'not_applicable')).toBe('該当なし');
    expect(dueText(item({ dueAt: '2027-06-03T23:59:59.999Z' }), now, 'ja')).toBe('2027-06-03 から期限超過');
    expect(dueText(item({ dueAt: '2027-06-03T23:59:59.999Z' }), now)).toBe('overdue since 2027-06-03');
    const counts = { total: 4, open: 2, done: 1, notApplicable: 1, overdue: 1 };
    expect(obligationCountsText(counts)).toBe('2 open · 1 done · 1 not applicable · 1 overdue');
    expect(obligationCountsText(counts, 'ja')).toBe('未完了 2 件 · 完了 1 件 · 該当なし 1 件 · 期限超過 1 件');
  });

  it('summarises what changed since the last decision in the reader’s language', () => {
    const record = { id: 'AI-7K3F9Q', decidedAt: '2026-12-03T12:15:00.000Z' } as IntakeRecord;
    const entries = [
      { sequence: 1, at: '2026-12-03T12:15:00.000Z', action: 'intake.decided', actor: { channel: 'web', id: 'reviewer' }, intakeId: 'AI-7K3F9Q', details: {} },
      {
        sequence: 2,
        at: '2027-01-10T09:00:00.000Z',
        action: 'obligation.updated',
        actor: { channel: 'web', id: 'alice' },
        intakeId: 'AI-7K3F9Q',
        details: { itemId: 'AI-7K3F9Q-1', changes: { status: { from: 'open', to: 'done' }, dueAt: { from: undefined, to: '2027-02-01T23:59:59.999Z' } }, comment: '記録済み' },
      },
    ] as unknown as AuditEntry[];
    expect(summariseReviewChanges(record, [item({})], entries, now).changes[0]?.summary).toBe('done, due 2027-02-01, “記録済み”');
    expect(summariseReviewChanges(record, [item({})], entries, now, 'ja').changes[0]?.summary).toBe('完了、期限を 2027-02-01 に変更、「記録済み」');
  });

  it('takes checklist texts and frameworks from the localised classification, not conditions', () => {
    const classification = {
      obligations: [{ id: 'eu.deployer_duties', text: '使用説明書に従ってシステムを使用する。', framework: 'EU AI法', ruleIds: [], citations: [] }],
    };
    const [checklist, condition] = itemsInLanguageOf([item({}), item({ id: 'AI-7K3F9Q-2', source: 'condition', text: 'Keep a recruiter on every shortlist.' })], classification);
    expect(checklist?.text).toBe('使用説明書に従ってシステムを使用する。');
    expect(checklist?.framework).toBe('EU AI法');
    expect(condition?.text).toBe('Keep a recruiter on every shortlist.');
  });
});
