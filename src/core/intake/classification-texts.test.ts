// A stored classification read in Japanese: every rule text comes from the rules files by id, ids and
// codes stay, and a text the rules no longer know is shown as stored.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { intake, permissiveCatalog } from '../../../test/intake/fixtures.js';
import { createClassifier, loadRules } from './classifier.js';

const japaneseScript = /[\u3040-\u30ff\u4e00-\u9fff]/u;
const rules = loadRules(path.resolve('rules/risk-rules.yaml'));
const classifier = createClassifier({ rules, catalog: permissiveCatalog(), logger: silentLogger() });

describe('classification texts in the reader’s language', () => {
  it('carry every rule summary, obligation, framework, vendor ask and flag reason in Japanese and English', () => {
    for (const rule of rules.rules) {
      expect(rule.summary.ja, rule.id).toMatch(japaneseScript);
      expect(rule.summary.en, rule.id).not.toMatch(japaneseScript);
    }
    for (const obligation of rules.obligations.values()) {
      expect(obligation.text.ja, obligation.id).toMatch(japaneseScript);
      expect(obligation.framework.ja, obligation.id).toMatch(japaneseScript);
      if (obligation.askVendor !== undefined) expect(obligation.askVendor.ja, obligation.id).toMatch(japaneseScript);
    }
    for (const flag of rules.flags) expect(flag.reason.ja, flag.id).toMatch(japaneseScript);
  });

  it('render a stored classification in Japanese with the same ids, tiers and citations', async () => {
    const stored = await classifier.classify(
      intake({
        description: 'Ranks job applicants from their CVs for the recruiting team. 面接の録画から感情を推定します。',
        domains: ['internal_productivity'],
        personalData: 'sensitive',
        decisionImpact: 'automated',
        regions: ['EU', 'JP'],
        interactsWithPeople: true,
        generatesContent: true,
        exception: 'narrow_procedural_task',
        modelSource: 'vendor_product',
        practices: ['social_scoring'],
      }),
    );
    expect(stored.tier).toBe('prohibited');
    expect(stored.signals.length).toBeGreaterThan(0);
    expect((stored.vendorDuties ?? []).length).toBeGreaterThan(0);
    const japanese = classifier.localize(stored, 'ja');
    expect(classifier.localize(stored, 'en')).toBe(stored);
    const idsAndCodes = (value: typeof stored) => ({
      tier: value.tier,
      flagged: value.flagged,
      rulesVersion: value.rulesVersion,
      reasons: value.reasons.map((reason) => [reason.ruleId, reason.tier, reason.citations]),
      obligations: value.obligations.map((obligation) => [obligation.id, obligation.ruleIds, obligation.citations]),
      vendorDuties: (value.vendorDuties ?? []).map((duty) => [duty.id, duty.ruleIds]),
      signals: value.signals.map((signal) => [signal.id, signal.kind, signal.evidence, signal.detector]),
      flagReasons: value.flagReasons.length,
    });
    expect(idsAndCodes(japanese)).toEqual(idsAndCodes(stored));
    const texts = [
      ...japanese.reasons.map((reason) => reason.summary),
      ...japanese.obligations.flatMap((obligation) => [obligation.text, obligation.framework]),
      ...(japanese.vendorDuties ?? []).flatMap((duty) => [duty.text, duty.framework, duty.ask]),
      ...japanese.signals.map((signal) => signal.message),
      ...japanese.flagReasons,
    ];
    for (const text of texts) expect(text, text).toMatch(japaneseScript);
    expect(japanese.flagReasons[0]).toBe('禁止されている行為に該当します。ガバナンスチームの判断なしに進めることはできません。');
    expect(japanese.signals[0]?.message).toMatch(/^説明に「.+」とあります。.+に該当するか確認してください。$/u);
  });

  it('show a text as stored when the rules no longer know its id', async () => {
    const stored = await classifier.classify(intake());
    const renamed = {
      ...stored,
      reasons: stored.reasons.map((reason) => ({ ...reason, ruleId: 'retired.rule', summary: 'A retired rule' })),
      flagReasons: ['A reason from an older rules file'],
    };
    const japanese = classifier.localize(renamed, 'ja');
    expect(japanese.reasons.map((reason) => reason.summary)).toEqual(renamed.reasons.map(() => 'A retired rule'));
    expect(japanese.flagReasons).toEqual(['A reason from an older rules file']);
  });
});
