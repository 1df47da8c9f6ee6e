import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { isShishinError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { intake, permissiveCatalog } from '../../../test/intake/fixtures.js';
import type { IntakeInput } from './intake-schema.js';
import { createClassifier, loadRules, parseRules } from './classifier.js';

const rulesFile = path.resolve('rules/risk-rules.yaml');
const rules = loadRules(rulesFile);
const classifier = createClassifier({ rules, catalog: permissiveCatalog(), logger: silentLogger() });

/** The smallest intake that makes each rule fire; every rule in the file must be listed here. */
const minimalExamples: Record<string, Partial<IntakeInput>> = {
  'prohibited.subliminal_manipulation': { practices: ['subliminal_manipulation'] },
  'prohibited.exploiting_vulnerabilities': { practices: ['exploiting_vulnerabilities'] },
  'prohibited.social_scoring': { practices: ['social_scoring'] },
  'prohibited.crime_prediction_by_profiling': { practices: ['crime_prediction_by_profiling'] },
  'prohibited.untargeted_face_scraping': { practices: ['untargeted_face_scraping'] },
  'prohibited.emotion_recognition_work_or_education': { practices: ['emotion_recognition_work_or_education'] },
  'prohibited.biometric_categorisation_sensitive': { practices: ['biometric_categorisation_sensitive'] },
  'prohibited.realtime_remote_biometric_id_public': { practices: ['realtime_remote_biometric_id_public'] },
  'high.annex_iii.biometrics': { domains: ['biometrics'] },
  'high.annex_iii.critical_infrastructure': { domains: ['critical_infrastructure'] },
  'high.annex_iii.education': { domains: ['education'] },
  'high.annex_iii.employment': { domains: ['employment'] },
  'high.annex_iii.essential_services': { domains: ['credit_scoring'] },
  'high.annex_iii.law_enforcement': { domains: ['law_enforcement'] },
  'high.annex_iii.migration_border': { domains: ['migration_border'] },
  'high.annex_iii.justice_democracy': { domains: ['elections'] },
  'high.product_safety_component': { domains: ['product_safety_component'] },
  'exception.art_6_3_claimed': { domains: ['education'], exception: 'preparatory_task' },
  'limited.interacts_with_people': { interactsWithPeople: true },
  'limited.generates_content': { generatesContent: true },
  'baseline.internal_policy': {},
};

describe('classifier', () => {
  it('has a minimal example for every rule in the rules file', () => {
    expect(Object.keys(minimalExamples).sort()).toEqual(rules.rules.map((rule) => rule.id).sort());
  });

  it.each(Object.entries(minimalExamples))('rule %s fires on its minimal example and sets the tier', async (ruleId, overrides) => {
    const result = await classifier.classify(intake(overrides));
    const rule = rules.rules.find((candidate) => candidate.id === ruleId);
    expect(result.reasons.map((reason) => reason.ruleId)).toContain(ruleId);
    expect(result.tier).toBe(rule?.tier);
    const reason = result.reasons.find((candidate) => candidate.ruleId === ruleId);
    expect(reason?.citations.length).toBeGreaterThan(0);
    expect(reason?.citations[0]?.quote).toMatch(/^Passage text of /);
    expect(result.rulesVersion).toBe(classifier.rulesVersion);
  });

  it('a plain internal tool is minimal and not flagged', async () => {
    const result = await classifier.classify(intake());
    expect(result).toMatchObject({ tier: 'minimal', flagged: false, flagReasons: [], signals: [] });
    expect(result.reasons.map((reason) => reason.ruleId)).toEqual(['baseline.internal_policy']);
    expect(result.obligations.map((obligation) => obligation.id)).toEqual(['policy.register_use_case']);
  });

  it('the highest tier wins and every triggered rule is reported, highest first', async () => {
    const result = await classifier.classify(
      intake({ practices: ['social_scoring'], domains: ['employment'], interactsWithPeople: true, generatesContent: true }),
    );
    expect(result.tier).toBe('prohibited');
    expect(result.reasons.map((reason) => reason.ruleId)).toEqual([
      'prohibited.social_scoring',
      'high.annex_iii.employment',
      'limited.interacts_with_people',
      'limited.generates_content',
      'baseline.internal_policy',
    ]);
    expect(result.obligations.map((obligation) => obligation.id)).toContain('policy.do_not_proceed');
    expect(result.flagged).toBe(true);
  });

  describe('Art. 6(3) exception', () => {
    it('an exception without profiling is not high on that ground, but is flagged for confirmation', async () => {
      const result = await classifier.classify(intake({ domains: ['employment'], exception: 'narrow_procedural_task', modelSource: 'vendor_product' }));
      expect(result.tier).toBe('minimal');
      expect(result.reasons.map((reason) => reason.ruleId)).toContain('exception.art_6_3_claimed');
      expect(result.reasons.map((reason) => reason.ruleId)).not.toContain('high.annex_iii.employment');
      expect(result.flagged).toBe(true);
      expect(result.flagReasons.join(' ')).toMatch(/Art\. 6\(3\) exception is claimed/);
      // The assessment is the provider's: a business user of a bought model asks the vendor for it.
      expect(result.vendorDuties?.map((duty) => duty.id)).toContain('eu.document_art6_3_assessment');
      const asProvider = await classifier.classify(intake({ domains: ['employment'], exception: 'narrow_procedural_task', role: 'provider' }));
      expect(asProvider.obligations.map((obligation) => obligation.id)).toContain('eu.document_art6_3_assessment');
    });

    it('profiling people with an Annex III domain is always high, exception or not', async () => {
      const result = await classifier.classify(intake({ domains: ['employment'], exception: 'narrow_procedural_task', profilesPeople: true }));
      expect(result.tier).toBe('high');
      expect(result.reasons.map((reason) => reason.ruleId)).toContain('high.annex_iii.employment');
      expect(result.reasons.map((reason) => reason.ruleId)).not.toContain('exception.art_6_3_claimed');
    });

    it('profiling without an Annex III domain does not make a use high-risk by itself', async () => {
      const result = await classifier.classify(intake({ domains: ['marketing'], profilesPeople: true }));
      expect(result.tier).toBe('minimal');
    });

    it('does not lift a product safety component (Art. 6(1)) out of high risk', async () => {
      const result = await classifier.classify(intake({ domains: ['product_safety_component'], exception: 'preparatory_task' }));
      expect(result.tier).toBe('high');
    });
  });

  describe('obligations by region', () => {
    const highRisk = { domains: ['employment'] } satisfies Partial<IntakeInput>;
    const ids = async (overrides: Partial<IntakeInput>) =>
      (await classifier.classify(intake({ ...highRisk, ...overrides }))).obligations.map((obligation) => obligation.id);

    it('EU high risk brings the Chapter III checklist; Japan measures only with JP', async () => {
      const eu = await ids({ regions: ['EU'], role: 'developer', modelSource: 'in_house' });
      expect(eu).toEqual(
        expect.arrayContaining([
          'eu.risk_management',
          'eu.data_governance',
          'eu.technical_documentation',
          'eu.record_keeping',
          'eu.transparency_to_deployers',
          'eu.human_oversight',
          'eu.accuracy_robustness',
          'eu.deployer_duties',
          'policy.governance_review',
          'policy.register_use_case',
        ]),
      );
      expect(eu.some((id) => id.startsWith('jp.'))).toBe(false);
      const japan = await ids({ regions: ['JP'], role: 'developer', modelSource: 'in_house' });
      expect(japan.some((id) => id.startsWith('eu.'))).toBe(false);
      expect(japan).toEqual(
        expect.arrayContaining([
          'jp.governance_framework',
          'jp.explainability',
          'jp.information_for_appropriate_use',
          'jp.safety_and_provenance',
          'jp.business_continuity',
          'jp.data_rights',
        ]),
      );
      const elsewhere = await ids({ regions: ['US'] });
      expect(elsewhere.every((id) => id.startsWith('policy.'))).toBe(true);
      expect((await classifier.classify(intake({ ...highRisk, regions: ['US'] }))).tier).toBe('high');
    });

    it('a rule without a roles list, or with an unknown role, refuses to load naming the obligation', () => {
      const rules = (obligation: string) => `format: 1
obligations:
  ${obligation}
rules:
  - { id: r.one, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, obligations: [eu.x], cites: [{ source: a.md, section: One }] }
`;
      expect(() => parseRules(rules('eu.x: { text: { en: "Do x.", ja: "xを行う。" }, framework: { en: EU AI Act, ja: EU AI法 }, regions: [EU], cites: [{ source: a.md, section: One }] }'))).toThrow(
        /obligation "eu\.x" \(roles\)/,
      );
      expect(() =>
        parseRules(rules('eu.x: { text: { en: "Do x.", ja: "xを行う。" }, framework: { en: EU AI Act, ja: EU AI法 }, regions: [EU], roles: [eu_manufacturer], cites: [{ source: a.md, section: One }] }')),
      ).toThrow(/obligation "eu\.x" \(roles/);
    });

    it('a CV-screening business user of a vendor product gets deployer duties; provider duties go to the vendor with what to ask', async () => {
      const result = await classifier.classify(intake({ ...highRisk, regions: ['EU', 'JP'], role: 'business_user', modelSource: 'vendor_product' }));
      const listed = result.obligations.map((obligation) => obligation.id);
      expect(listed).toEqual(expect.arrayContaining(['eu.deployer_duties', 'jp.governance_framework', 'jp.business_continuity', 'policy.governance_review']));
      for (const providerDuty of ['eu.risk_management', 'eu.data_governance', 'eu.technical_documentation', 'eu.transparency_to_deployers', 'eu.quality_management', 'jp.explainability']) {
        expect(listed).not.toContain(providerDuty);
      }
      const vendor = result.vendorDuties ?? [];
      expect(vendor.map((duty) => duty.id)).toEqual(
        expect.arrayContaining(['eu.risk_management', 'eu.technical_documentation', 'eu.transparency_to_deployers', 'eu.quality_management', 'jp.explainability']),
      );
      expect(vendor.find((duty) => duty.id === 'eu.transparency_to_deployers')?.ask).toMatch(/instructions for use/);
      expect(vendor.every((duty) => duty.citations.length > 0 && duty.ruleIds.length > 0)).toBe(true);
      expect(listed.some((id) => vendor.some((duty) => duty.id === id))).toBe(false);
    });

    it('a business user building the system (in-house or on a third-party model) is also its provider', async () => {
      for (const modelSource of ['in_house', 'third_party_api', 'open_source'] as const) {
        const result = await classifier.classify(intake({ ...highRisk, regions: ['EU'], role: 'business_user', modelSource }));
        expect(result.obligations.map((obligation) => obligation.id)).toEqual(expect.arrayContaining(['eu.risk_management', 'eu.quality_management', 'eu.deployer_duties']));
        expect(result.vendorDuties).toEqual([]);
      }
      // In Japan the model's developer is whoever trained it: explainability of training data is asked of the API vendor.
      const japan = await classifier.classify(intake({ ...highRisk, regions: ['JP'], role: 'business_user', modelSource: 'third_party_api' }));
      expect(japan.vendorDuties?.map((duty) => duty.id)).toContain('jp.explainability');
      const inHouse = await classifier.classify(intake({ ...highRisk, regions: ['JP'], role: 'business_user', modelSource: 'in_house' }));
      expect(inHouse.vendorDuties).toEqual([]);
    });

    it('declared EU roles win over the derived ones: importer and distributor checks, and none of the deployer duties', async () => {
      const importer = await classifier.classify(intake({ ...highRisk, regions: ['EU'], role: 'provider', euRoles: ['eu_importer'], modelSource: 'vendor_product' }));
      const listed = importer.obligations.map((obligation) => obligation.id);
      expect(listed).toContain('eu.importer_checks');
      expect(listed).not.toContain('eu.distributor_checks');
      expect(listed).not.toContain('eu.deployer_duties');
      expect(listed).not.toContain('eu.risk_management');
      const distributor = await ids({ regions: ['EU'], euRoles: ['eu_distributor'] });
      expect(distributor).toContain('eu.distributor_checks');
      expect(distributor).not.toContain('eu.importer_checks');
      const both = await ids({ regions: ['EU'], euRoles: ['eu_provider', 'eu_deployer'], modelSource: 'vendor_product' });
      expect(both).toEqual(expect.arrayContaining(['eu.risk_management', 'eu.deployer_duties']));
    });

    it('quality management for providers, deployer duties for users, FRIA only where it applies', async () => {
      const provider = await ids({ role: 'provider' });
      expect(provider).toContain('eu.quality_management');
      expect(provider).not.toContain('eu.deployer_duties');
      const user = await ids({ role: 'business_user', modelSource: 'vendor_product' });
      expect(user).toContain('eu.deployer_duties');
      expect(user).not.toContain('eu.quality_management');
      expect(user).not.toContain('eu.fundamental_rights_impact_assessment');
      expect(await ids({ domains: ['credit_scoring'] })).toContain('eu.fundamental_rights_impact_assessment');
      expect(await ids({ domains: ['life_health_insurance'] })).toContain('eu.fundamental_rights_impact_assessment');
      expect(await ids({ domains: ['essential_public_services'] })).toContain('eu.fundamental_rights_impact_assessment');
    });

    it('limited risk brings Art. 50 duties in the EU and the internal labelling policy everywhere; no duplicates', async () => {
      const result = await classifier.classify(intake({ interactsWithPeople: true, generatesContent: true, regions: ['EU', 'JP'] }));
      const list = result.obligations.map((obligation) => obligation.id);
      expect(list).toEqual(expect.arrayContaining(['eu.disclose_ai_interaction', 'eu.mark_synthetic_content', 'policy.label_ai_output']));
      expect(new Set(list).size).toBe(list.length);
      const label = result.obligations.find((obligation) => obligation.id === 'policy.label_ai_output');
      expect(label?.ruleIds).toEqual(['limited.interacts_with_people', 'limited.generates_content']);
      const usOnly = await classifier.classify(intake({ generatesContent: true, regions: ['US'] }));
      expect(usOnly.obligations.map((obligation) => obligation.id)).toEqual(['policy.label_ai_output', 'policy.register_use_case']);
    });

    it('prohibited means do not proceed', async () => {
      expect(await ids({ practices: ['social_scoring'], regions: ['US'] })).toContain('policy.do_not_proceed');
    });
  });

  describe('flags', () => {
    it.each([
      [{ personalData: 'sensitive' }, /sensitive personal data/],
      [{ decisionImpact: 'automated' }, /without a person deciding/],
      [{ exception: 'preparatory_task' }, /exception is claimed/],
      [{ domains: ['education'] }, /high-risk/],
      [{ practices: ['social_scoring'] }, /prohibited practice/],
    ] as [Partial<IntakeInput>, RegExp][])('flags %o', async (overrides, reason) => {
      const result = await classifier.classify(intake(overrides));
      expect(result.flagged).toBe(true);
      expect(result.flagReasons.join('\n')).toMatch(reason);
    });

    it('personal data alone, assistive decisions and limited tier do not flag', async () => {
      const result = await classifier.classify(intake({ personalData: 'personal', decisionImpact: 'assistive', interactsWithPeople: true }));
      expect(result).toMatchObject({ tier: 'limited', flagged: false });
      expect(result.obligations.map((obligation) => obligation.id)).toContain('policy.data_handling');
    });
  });

  describe('rules files that must fail loudly', () => {
    const base = `format: 1
obligations:
  policy.x: { text: { en: "Do x.", ja: "xを行う。" }, framework: { en: Internal policy, ja: 社内AI規程 }, regions: [any], roles: [any], cites: [{ source: a.md, section: "One" }] }
rules:
`;
    const expectConfigError = (action: () => unknown, pattern: RegExp) => {
      try {
        action();
      } catch (error) {
        expect(isShishinError(error, 'config_invalid')).toBe(true);
        expect((error as Error).message).toMatch(pattern);
        return;
      }
      throw new Error('expected a config_invalid error');
    };

    it('a rule citing nothing', () => {
      expectConfigError(
        () => parseRules(`${base}  - { id: r.one, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, obligations: [], cites: [] }\n`),
        /rule "r\.one" \(cites\): must cite at least one corpus section/,
      );
    });

    it('a rule testing an unknown field', () => {
      expectConfigError(
        () => parseRules(`${base}  - { id: r.two, tier: high, summary: { en: S, ja: 概要 }, when: { field: department, equals: hr }, cites: [{ source: a.md, section: One }] }\n`),
        /rule "r\.two" \(when\.field\): unknown field "department"/,
      );
    });

    it('a rule naming an obligation that does not exist, or an id used twice', () => {
      expectConfigError(
        () => parseRules(`${base}  - { id: r.three, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, obligations: [policy.y], cites: [{ source: a.md, section: One }] }\n`),
        /rule "r\.three" lists unknown obligation "policy\.y"/,
      );
      const rule = `  - { id: r.four, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, cites: [{ source: a.md, section: One }] }\n`;
      expectConfigError(() => parseRules(`${base}${rule}${rule}`), /rule "r\.four" is defined twice/);
    });

    it('a rule citing a section missing from the corpus, naming the rule and the section', () => {
      const text = `${base}  - { id: r.five, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, cites: [{ source: a.md, section: "Article 99 — Nowhere" }] }\n`;
      const catalog = {
        findSection: (source: string, section: string) => (section === 'One' ? permissiveCatalog().findSection(source, section) : []),
        size: () => 1,
      };
      expectConfigError(
        () => createClassifier({ rules: parseRules(text), catalog, logger: silentLogger(), textSignals: { retrieval: { minScore: 1, k: 1 }, signals: [] } }),
        /Rule "r\.five" cites section "Article 99 — Nowhere" of a\.md/,
      );
    });

    it('a summary, obligation, vendor ask or flag reason missing a language, naming the rule', () => {
      expectConfigError(
        () => parseRules(`${base}  - { id: r.seven, tier: high, summary: { en: S }, when: { always: true }, cites: [{ source: a.md, section: One }] }\n`),
        /rule "r\.seven" \(summary\.ja\): the ja text is missing/,
      );
      expectConfigError(
        () => parseRules(`${base}  - { id: r.eight, tier: high, summary: "Only English", when: { always: true }, cites: [{ source: a.md, section: One }] }\n`),
        /rule "r\.eight" \(summary\): must give the text in every language/,
      );
      expectConfigError(
        () => parseRules(`${base}  - { id: r.nine, tier: high, summary: { en: S, ja: "  " }, when: { always: true }, cites: [{ source: a.md, section: One }] }\n`),
        /rule "r\.nine" \(summary\.ja\): the ja text is empty/,
      );
      const obligation = (fields: string) => `format: 1
obligations:
  eu.y: { ${fields}, regions: [EU], roles: [eu_provider], cites: [{ source: a.md, section: One }] }
rules:
  - { id: r.ten, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, obligations: [eu.y], cites: [{ source: a.md, section: One }] }
`;
      expectConfigError(() => parseRules(obligation('text: { ja: "yを行う。" }, framework: { en: F, ja: F }')), /obligation "eu\.y" \(text\.en\): the en text is missing/);
      expectConfigError(
        () => parseRules(obligation('text: { en: Y, ja: Y }, framework: { en: F, ja: F }, ask_vendor: { en: "the docs" }')),
        /obligation "eu\.y" \(ask_vendor\.ja\): the ja text is missing/,
      );
      expectConfigError(
        () => parseRules(`${base}  - { id: r.eleven, tier: high, summary: { en: S, ja: 概要 }, when: { always: true }, cites: [{ source: a.md, section: One }] }\nflags:\n  - { id: flag.z, when: { always: true }, reason: { en: Because } }\n`),
        /flag "flag\.z" \(reason\.ja\): the ja text is missing/,
      );
    });

    it('a missing rules file, or one that is not YAML', () => {
      expectConfigError(() => loadRules('/nonexistent/rules.yaml'), /Cannot read the rules file/);
      expectConfigError(() => parseRules('format: 1\nrules: [\n'), /not valid YAML/);
    });

    it('versions the rules by content', () => {
      expect(classifier.rulesVersion).toMatch(/^[0-9a-f]{12}$/);
      expect(parseRules(`${base}  - { id: r.six, tier: minimal, summary: { en: S, ja: 概要 }, when: { always: true }, cites: [{ source: a.md, section: One }] }\n`).version).not.toBe(
        classifier.rulesVersion,
      );
    });
  });
});
