// Intake classification eval: runs every labelled case of evals/intake-cases.jsonl through the
// classifier and reports tier accuracy, a confusion matrix, prohibited recall, flag precision/recall
// and text-signal recall/false positives. Lexical signals always; retrieval signals too when the
// corpus index can be opened (pass `retrieval: false` to skip). It runs in every language Shishin
// speaks (the intake read by that language's form, the result rendered for that language's reader)
// and reports whether every language gets identical tiers, flags, rules, obligations and signals,
// with every text in the reader's language.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { silentLogger } from '../../src/logger.js';
import { riskTiers, type Classification, type RiskTier } from '../../src/core/intake/classification.js';
import { createClassifier, loadRules, type Classifier } from '../../src/core/intake/classifier.js';
import { parseIntake, type IntakeInput } from '../../src/core/intake/intake-schema.js';
import { locales, type Locale } from '../../src/core/i18n/locale.js';
import type { PassageCatalog, Retriever } from '../../src/ports/retriever.js';
import { createHeadingCatalog } from '../../test/intake/heading-catalog.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const caseSchema = z.object({
  id: z.string(),
  input: z.unknown(),
  expected: z.object({
    tier: z.enum(riskTiers),
    flagged: z.boolean(),
    rules: z.array(z.string()).optional(),
    signals: z.array(z.string()).optional(),
    /** Role-aware checklist: obligations that must be listed, must not be, and must be the vendor's. */
    obligations: z
      .object({
        include: z.array(z.string()).default([]),
        exclude: z.array(z.string()).default([]),
        vendor: z.array(z.string()).default([]),
      })
      .optional(),
  }),
  note: z.string().optional(),
});

export interface IntakeCase {
  id: string;
  input: IntakeInput;
  expected: z.infer<typeof caseSchema>['expected'];
  note?: string;
}

export function loadIntakeCases(file = path.join(root, 'evals', 'intake-cases.jsonl')): IntakeCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = caseSchema.parse(JSON.parse(line));
      try {
        return { ...parsed, input: parseIntake(parsed.input) };
      } catch (error) {
        throw new Error(`intake case ${index + 1} (${parsed.id}) is not a valid intake: ${(error as Error).message}`);
      }
    });
}

export interface IntakeMetrics {
  cases: number;
  tierAccuracy: number;
  prohibitedRecall: number;
  flagRecall: number;
  flagPrecision: number;
  signalRecall: number;
  /** Signals raised on cases whose expected signal list says none (or lists others). */
  signalFalsePositives: number;
  ruleRecall: number;
  /** Share of labelled obligation checks (listed / not listed / the vendor's) that hold. */
  obligationRoleAccuracy: number;
  /** Cases carrying obligation labels. */
  obligationCases: number;
}

/** What one case came out as: codes and ids only, comparable across languages. */
export interface IntakeOutcome {
  id: string;
  tier: RiskTier;
  flagged: boolean;
  rules: string[];
  obligations: string[];
  vendorDuties: string[];
  signals: string[];
  /** Every text the reader sees: reasons, obligations and frameworks, vendor asks, signals, flag reasons. */
  texts: string[];
}

export interface IntakeEvaluation {
  metrics: IntakeMetrics;
  confusion: Record<RiskTier, Record<RiskTier, number>>;
  failures: string[];
  /** The language the intakes were read and the results rendered in. */
  locale: Locale;
  outcomes: IntakeOutcome[];
}

function outcomeOf(id: string, result: Classification): IntakeOutcome {
  return {
    id,
    tier: result.tier,
    flagged: result.flagged,
    rules: result.reasons.map((reason) => reason.ruleId),
    obligations: result.obligations.map((obligation) => obligation.id),
    vendorDuties: (result.vendorDuties ?? []).map((duty) => duty.id),
    signals: result.signals.map((signal) => signal.id),
    texts: [
      ...result.reasons.map((reason) => reason.summary),
      ...result.obligations.flatMap((obligation) => [obligation.text, obligation.framework]),
      ...(result.vendorDuties ?? []).flatMap((duty) => [duty.text, duty.framework, duty.ask]),
      ...result.signals.map((signal) => signal.message),
      ...result.flagReasons,
    ],
  };
}

const japaneseScript = /[\u3040-\u30ff\u4e00-\u9fff]/u;

/** Whether a text a reader sees is in `locale` (Japanese texts carry Japanese script; English ones none outside quoted evidence). */
function inLanguage(text: string, locale: Locale): boolean {
  if (locale === 'ja') return japaneseScript.test(text);
  return !japaneseScript.test(text.replace(/"[^"]*"/gu, ''));
}

export interface LanguageComparison {
  /** Cases whose tier is the same in every language. */
  tierAgreement: number;
  /** Cases whose tier, flag, rules, obligations, vendor duties and signals are all the same. */
  outcomeAgreement: number;
  /** Share of the texts readers see that are in their language, over every language. */
  textsInReaderLanguage: number;
  differences: string[];
}

/** Compares the evaluations of one case set in several languages. */
export function compareLanguages(evaluations: IntakeEvaluation[]): LanguageComparison {
  const [first, ...others] = evaluations;
  const differences: string[] = [];
  let sameTier = 0;
  let sameOutcome = 0;
  let texts = 0;
  let textsInLanguage = 0;
  for (const evaluation of evaluations) {
    for (const outcome of evaluation.outcomes) {
      for (const text of outcome.texts) {
        texts += 1;
        if (inLanguage(text, evaluation.locale)) textsInLanguage += 1;
        else differences.push(`${outcome.id} (${evaluation.locale}): text not in ${evaluation.locale}: ${text}`);
      }
    }
  }
  const codes = (outcome: IntakeOutcome | undefined) => (outcome === undefined ? '' : JSON.stringify({ ...outcome, texts: undefined }));
  for (const [index, outcome] of (first?.outcomes ?? []).entries()) {
    const counterparts = others.map((evaluation) => evaluation.outcomes[index]);
    if (counterparts.every((other) => other?.tier === outcome.tier)) sameTier += 1;
    else differences.push(`${outcome.id}: tiers differ across languages`);
    if (counterparts.every((other) => codes(other) === codes(outcome))) sameOutcome += 1;
    else differences.push(`${outcome.id}: flags, rules, obligations or signals differ across languages`);
  }
  const cases = first?.outcomes.length ?? 0;
  return {
    tierAgreement: ratio(sameTier, cases),
    outcomeAgreement: ratio(sameOutcome, cases),
    textsInReaderLanguage: ratio(textsInLanguage, texts),
    differences,
  };
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator);

/**
 * Classifies every case and scores the results. With a `locale`, each intake is read through that
 * language's form (its schema) and the result is rendered for a reader of that language.
 */
export async function evaluateIntake(classifier: Classifier, cases: IntakeCase[], options: { locale?: Locale } = {}): Promise<IntakeEvaluation> {
  const locale = options.locale ?? 'en';
  const outcomes: IntakeOutcome[] = [];
  const confusion = Object.fromEntries(riskTiers.map((row) => [row, Object.fromEntries(riskTiers.map((column) => [column, 0]))])) as Record<
    RiskTier,
    Record<RiskTier, number>
  >;
  let correct = 0;
  let prohibited = 0;
  let prohibitedFound = 0;
  let flagTruePositive = 0;
  let flagFalsePositive = 0;
  let flagFalseNegative = 0;
  let signalsExpected = 0;
  let signalsFound = 0;
  let signalFalsePositives = 0;
  let rulesExpected = 0;
  let rulesFound = 0;
  let obligationChecks = 0;
  let obligationChecksHeld = 0;
  let obligationCases = 0;
  const failures: string[] = [];
  for (const item of cases) {
    const result: Classification = classifier.localize(await classifier.classify(parseIntake(item.input, locale)), locale);
    outcomes.push(outcomeOf(item.id, result));
    const { expected } = item;
    confusion[expected.tier][result.tier] += 1;
    if (result.tier === expected.tier) correct += 1;
    else failures.push(`${item.id}: tier ${result.tier}, expected ${expected.tier}`);
    if (expected.tier === 'prohibited') {
      prohibited += 1;
      if (result.tier === 'prohibited') prohibitedFound += 1;
    }
    if (expected.flagged && result.flagged) flagTruePositive += 1;
    if (!expected.flagged && result.flagged) {
      flagFalsePositive += 1;
      failures.push(`${item.id}: flagged (${result.flagReasons.join(' | ')}), expected not flagged`);
    }
    if (expected.flagged && !result.flagged) {
      flagFalseNegative += 1;
      failures.push(`${item.id}: not flagged, expected flagged`);
    }
    const raised = result.signals.map((signal) => signal.id);
    if (expected.signals !== undefined) {
      for (const id of expected.signals) {
        signalsExpected += 1;
        if (raised.includes(id)) signalsFound += 1;
        else failures.push(`${item.id}: signal ${id} missed`);
      }
      for (const signal of result.signals) {
        if (!expected.signals.includes(signal.id)) {
          signalFalsePositives += 1;
          failures.push(`${item.id}: unexpected ${signal.detector} signal ${signal.id} ("${signal.evidence}")`);
        }
      }
    }
    if (expected.obligations !== undefined) {
      obligationCases += 1;
      const listed = new Set(result.obligations.map((obligation) => obligation.id));
      const vendor = new Set((result.vendorDuties ?? []).map((duty) => duty.id));
      const check = (held: boolean, failure: string) => {
        obligationChecks += 1;
        if (held) obligationChecksHeld += 1;
        else failures.push(`${item.id}: ${failure}`);
      };
      for (const id of expected.obligations.include) check(listed.has(id), `obligation ${id} not listed`);
      for (const id of expected.obligations.exclude) check(!listed.has(id), `obligation ${id} listed but binds another role`);
      for (const id of expected.obligations.vendor) check(vendor.has(id), `obligation ${id} not shown as the vendor's`);
      for (const id of vendor) if (!expected.obligations.vendor.includes(id)) check(false, `obligation ${id} shown as the vendor's unexpectedly`);
    }
    for (const ruleId of expected.rules ?? []) {
      rulesExpected += 1;
      if (result.reasons.some((reason) => reason.ruleId === ruleId)) rulesFound += 1;
      else failures.push(`${item.id}: rule ${ruleId} did not fire`);
    }
  }
  return {
    metrics: {
      cases: cases.length,
      tierAccuracy: ratio(correct, cases.length),
      prohibitedRecall: ratio(prohibitedFound, prohibited),
      flagRecall: ratio(flagTruePositive, flagTruePositive + flagFalseNegative),
      flagPrecision: ratio(flagTruePositive, flagTruePositive + flagFalsePositive),
      signalRecall: ratio(signalsFound, signalsExpected),
      signalFalsePositives,
      ruleRecall: ratio(rulesFound, rulesExpected),
      obligationRoleAccuracy: ratio(obligationChecksHeld, obligationChecks),
      obligationCases,
    },
    confusion,
    failures,
    locale,
    outcomes,
  };
}

export interface IntakeSuiteOptions {
  /** Catalog for citations; default: headings scanned from corpus/. */
  catalog?: PassageCatalog;
  /** Retriever for retrieval signals; default: the corpus index (opened in a temp folder) unless `retrieval: false`. */
  retriever?: Retriever;
  retrieval?: boolean;
}

async function openCorpusIndex(): Promise<Retriever & PassageCatalog> {
  const [{ loadConfig }, { createEmbedder }, { CorpusIndex }] = await Promise.all([
    import('../../src/config.js'),
    import('../../src/providers/embeddings/create-embedder.js'),
    import('../../src/providers/index/corpus-index.js'),
  ]);
  const config = loadConfig({}, { EMBEDDINGS: 'local' });
  const embedder = await createEmbedder(config);
  const dataDir = path.join(os.tmpdir(), 'shishin-intake-eval');
  return CorpusIndex.open({ dataDir, corpusDir: path.join(root, 'corpus'), embedder, autoIngest: true });
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The eval-suite contract: a title, tables of rows, and flat metrics. */
export async function run(options: IntakeSuiteOptions = {}) {
  const rules = loadRules(path.join(root, 'rules', 'risk-rules.yaml'));
  const cases = loadIntakeCases();
  const catalog = options.catalog ?? createHeadingCatalog(path.join(root, 'corpus'));
  const lexicalClassifier = createClassifier({ rules, catalog, logger: silentLogger() });
  const byLanguage = await Promise.all(locales.map((locale) => evaluateIntake(lexicalClassifier, cases, { locale })));
  const lexical = byLanguage.find((evaluation) => evaluation.locale === 'en') ?? (await evaluateIntake(lexicalClassifier, cases));
  const languages = compareLanguages(byLanguage);
  let withRetrieval: IntakeEvaluation | undefined;
  if (options.retrieval !== false) {
    const retriever = options.retriever ?? (await openCorpusIndex());
    withRetrieval = await evaluateIntake(createClassifier({ rules, catalog, retriever, logger: silentLogger() }), cases);
  }
  const confusionRows = riskTiers
    .slice()
    .reverse()
    .map((expected) => ({
      expected,
      ...Object.fromEntries(
        riskTiers
          .slice()
          .reverse()
          .map((predicted) => [`predicted ${predicted}`, lexical.confusion[expected][predicted]]),
      ),
    }));
  const metricRows = (label: string, evaluation: IntakeEvaluation) => ({
    detectors: label,
    cases: evaluation.metrics.cases,
    'tier accuracy': percent(evaluation.metrics.tierAccuracy),
    'prohibited recall': percent(evaluation.metrics.prohibitedRecall),
    'flag recall': percent(evaluation.metrics.flagRecall),
    'flag precision': percent(evaluation.metrics.flagPrecision),
    'signal recall': percent(evaluation.metrics.signalRecall),
    'signal false positives': evaluation.metrics.signalFalsePositives,
    'rule recall': percent(evaluation.metrics.ruleRecall),
    'role-aware obligations': `${percent(evaluation.metrics.obligationRoleAccuracy)} (${evaluation.metrics.obligationCases} cases)`,
  });
  const tables = [
    {
      caption: 'Intake classification (rules + text signals)',
      rows: [metricRows('rules + lexical signals', lexical), ...(withRetrieval ? [metricRows('rules + lexical + retrieval signals', withRetrieval)] : [])],
    },
    {
      caption: 'Both languages (intake read by each language\'s form, result rendered for its reader)',
      rows: byLanguage.map((evaluation) => ({
        language: evaluation.locale,
        'tier accuracy': percent(evaluation.metrics.tierAccuracy),
        'flag recall': percent(evaluation.metrics.flagRecall),
        'flag precision': percent(evaluation.metrics.flagPrecision),
        'signal recall': percent(evaluation.metrics.signalRecall),
        'identical tiers': percent(languages.tierAgreement),
        'identical outcomes': percent(languages.outcomeAgreement),
        'texts in the reader\'s language': percent(languages.textsInReaderLanguage),
      })),
    },
    { caption: 'Confusion matrix (rows: expected tier; columns: predicted tier)', rows: confusionRows },
    {
      caption: 'Cases that missed',
      rows: [
        ...lexical.failures.map((failure) => ({ detectors: 'lexical', failure })),
        ...(withRetrieval?.failures ?? []).map((failure) => ({ detectors: 'lexical + retrieval', failure })),
        ...languages.differences.map((failure) => ({ detectors: 'languages', failure })),
      ],
    },
  ];
  const metrics: Record<string, number> = {
    ...lexical.metrics,
    languageTierAgreement: languages.tierAgreement,
    languageOutcomeAgreement: languages.outcomeAgreement,
    textsInReaderLanguage: languages.textsInReaderLanguage,
  };
  if (withRetrieval) {
    metrics.retrievalSignalRecall = withRetrieval.metrics.signalRecall;
    metrics.retrievalSignalFalsePositives = withRetrieval.metrics.signalFalsePositives;
    metrics.retrievalFlagPrecision = withRetrieval.metrics.flagPrecision;
  }
  return { title: 'Intake classification', tables, metrics };
}
