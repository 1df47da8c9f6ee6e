// Floors for the intake eval set: every prohibited case must be caught, and tiers must stay accurate.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import { silentLogger } from '../../src/logger.js';
import { compareLanguages, evaluateIntake, loadIntakeCases } from '../../evals/suites/intake.js';
import { createHeadingCatalog } from '../intake/heading-catalog.js';

describe('intake eval floors', () => {
  it('prohibited recall 1.0, tier accuracy ≥ 0.95, flags and signals above their floors', async () => {
    const cases = loadIntakeCases();
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const classifier = createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: createHeadingCatalog(), logger: silentLogger() });
    const { metrics, failures } = await evaluateIntake(classifier, cases);
    expect(metrics.prohibitedRecall, failures.join('\n')).toBe(1);
    expect(metrics.tierAccuracy, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(metrics.flagRecall, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(metrics.flagPrecision, failures.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(metrics.signalRecall, failures.join('\n')).toBeGreaterThanOrEqual(0.85);
    expect(metrics.obligationCases).toBeGreaterThanOrEqual(12);
    expect(metrics.obligationRoleAccuracy, failures.join('\n')).toBe(1);
  });

  it('gives identical tiers, flags, rules, obligations and signals in Japanese and English, every text in the reader’s language', async () => {
    const cases = loadIntakeCases();
    const classifier = createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: createHeadingCatalog(), logger: silentLogger() });
    const english = await evaluateIntake(classifier, cases, { locale: 'en' });
    const japanese = await evaluateIntake(classifier, cases, { locale: 'ja' });
    expect(japanese.outcomes.map((outcome) => outcome.tier)).toEqual(english.outcomes.map((outcome) => outcome.tier));
    expect(japanese.metrics).toEqual(english.metrics);
    const comparison = compareLanguages([english, japanese]);
    expect(comparison.tierAgreement, comparison.differences.join('\n')).toBe(1);
    expect(comparison.outcomeAgreement, comparison.differences.join('\n')).toBe(1);
    expect(comparison.textsInReaderLanguage, comparison.differences.join('\n')).toBe(1);
    expect(japanese.outcomes.flatMap((outcome) => outcome.texts).length).toBeGreaterThan(500);
  });

  it('role-labelled cases cover every Japan role, every EU operator role and every model source', () => {
    const labelled = loadIntakeCases().filter((item) => item.expected.obligations !== undefined);
    expect(new Set(labelled.map((item) => item.input.role))).toEqual(new Set(['developer', 'provider', 'business_user']));
    expect(new Set(labelled.flatMap((item) => item.input.euRoles))).toEqual(new Set(['eu_provider', 'eu_deployer', 'eu_importer', 'eu_distributor']));
    expect(new Set(labelled.map((item) => item.input.modelSource))).toEqual(new Set(['in_house', 'third_party_api', 'open_source', 'vendor_product']));
    expect(labelled.filter((item) => (item.expected.obligations?.vendor.length ?? 0) > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('the eval set covers every practice, every Annex III domain and both languages', () => {
    const cases = loadIntakeCases();
    const practices = new Set(cases.flatMap((item) => item.input.practices));
    expect(practices.size).toBe(8);
    const domains = new Set(cases.flatMap((item) => item.input.domains));
    for (const domain of ['biometrics', 'critical_infrastructure', 'education', 'employment', 'essential_public_services', 'credit_scoring', 'life_health_insurance', 'emergency_services', 'law_enforcement', 'migration_border', 'justice', 'elections', 'product_safety_component']) {
      expect(domains.has(domain as never), domain).toBe(true);
    }
    expect(cases.filter((item) => /[\u3040-\u30ff\u4e00-\u9fff]/u.test(item.input.description) && (item.expected.signals?.length ?? 0) > 0).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((item) => item.expected.signals?.length === 0).length).toBeGreaterThanOrEqual(15);
  });
});
