// The intake service with the real classifier and the real risk rules file (the corpus catalog is
// faked): a high-risk intake lands in the review queue with its rules version audited; a minimal
// one is auto-cleared; the register carries the rules' obligations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import type { IntakeService } from '../../src/core/review/intake-service.js';
import { silentLogger } from '../../src/logger.js';
import { systemClock } from '../../src/ports/clock.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { createStore } from '../../src/providers/store/create-store.js';
import { intake, permissiveCatalog } from '../intake/fixtures.js';
import { alice, reviewer } from '../store/intake-fixtures.js';

describe('intake service with the real classifier', () => {
  let dataDir: string;
  let store: IntakeStore;
  let service: IntakeService;
  let rulesVersion: string;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-classifier-'));
    store = await createStore({ databaseUrl: undefined, dataDir }, silentLogger());
    const classifier = createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: permissiveCatalog(), logger: silentLogger() });
    rulesVersion = classifier.rulesVersion;
    service = createIntakeService({ store, classifier, governanceMembers: ['teams:aad-reviewer-1'], clock: systemClock, logger: silentLogger() });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues a high-risk intake for review and auto-clears a minimal one', async () => {
    const high = await service.submit({ input: intake({ domains: ['employment'] }), submittedBy: alice, idempotencyKey: 'high-1' });
    expect(high.record).toMatchObject({ status: 'pending_review', classification: { tier: 'high', flagged: true } });
    const minimal = await service.submit({ input: intake(), submittedBy: alice, idempotencyKey: 'minimal-1' });
    expect(minimal.record).toMatchObject({ status: 'auto_cleared', classification: { tier: 'minimal', flagged: false } });
    expect((await service.queue()).map((record) => record.id)).toEqual([high.record.id]);
    const classified = (await store.listAudit({ intakeId: high.record.id })).find((entry) => entry.action === 'intake.classified');
    expect(classified?.details).toMatchObject({ tier: 'high', flagged: true, rulesVersion });
    expect(classified?.details.ruleIds).toContain('high.annex_iii.employment');

    await service.decide({ intakeId: high.record.id, actor: reviewer, decision: 'approve_with_conditions', comment: 'Human review of every shortlist.' });
    const row = (await service.register()).find((candidate) => candidate.id === high.record.id);
    expect(row).toMatchObject({ status: 'approved_with_conditions', tier: 'high' });
    expect(row?.obligations.length).toBeGreaterThan(0);
    expect(row?.obligations).toEqual(high.record.classification.obligations.map((obligation) => obligation.text));
    // Submitted and classified twice, decided, and the approval's items created: six entries.
    expect(row).toMatchObject({ obligationsOpen: high.record.classification.obligations.length + 1, obligationsDone: 0 });
    expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 6, obligationItems: row?.obligationsOpen, driftCount: 0 });
  });
});
