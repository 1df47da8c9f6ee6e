// The intake classifier: applies the risk rules file to an intake and explains the result. The tier is
// the highest tier among the rules that fire; every rule that fires is a reason with the corpus
// passages it rests on; obligations are the de-duplicated checklist those rules bring, filtered by the
// intake's regions; text signals and flag conditions decide whether the governance team must review.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShishinError } from '../../errors.js';
import type { Locale } from '../i18n/locale.js';
import type { Logger } from '../../logger.js';
import type { ChatModel } from '../../ports/chat-model.js';
import type { PassageCatalog, Retriever } from '../../ports/retriever.js';
import { resolveCitation } from './citation-resolver.js';
import {
  tierRank,
  type Classification,
  type ClassificationReason,
  type Obligation,
  type RiskTier,
  type RuleCitation,
  type Signal,
  type VendorDuty,
} from './classification.js';
import { createClassificationTexts, tierFlagReason } from './classification-texts.js';
import { evaluateCondition } from './condition.js';
import { bindsAny, heldRoles, vendorHolds } from './roles.js';
import { valueLabels, type IntakeInput } from './intake-schema.js';
import type { CitationReference, RulesFile } from './rules-file.js';
import {
  detectChatModelSignals,
  detectLexicalSignals,
  detectRetrievalSignals,
  loadTextSignals,
  type SignalDefinition,
  type TextSignalsFile,
} from './text-signals.js';

export { loadRules, parseRules, type RulesFile } from './rules-file.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ClassifierDependencies {
  rules: RulesFile;
  /** The indexed corpus; every citation in the rules must resolve in it. */
  catalog: PassageCatalog;
  /** Adds retrieval-based text signals when given. */
  retriever?: Retriever;
  /** Adds chat-model text signals when given (never removes any, never changes the tier). */
  chatModel?: ChatModel;
  logger: Logger;
  /** Text signal patterns; default: `text-signals.yaml` next to the rules file, else the bundled one. */
  textSignals?: TextSignalsFile;
  /** Directory holding `intake-signals.md`; default: the bundled `prompts/`. */
  promptsDir?: string;
  /** Upper bound for the chat-model signal check (default 8000 ms). */
  chatTimeoutMs?: number;
}

export interface Classifier {
  classify(input: IntakeInput): Promise<Classification>;
  /** A classification with its texts in `locale`, looked up by id in the rules (see classification-texts.ts). */
  localize(classification: Classification, locale: Locale): Classification;
  /** Resolves every citation of the rules, obligations and signals; throws config_invalid on the first gap. */
  validateCitations(): void;
  /** Short sha256 of the rules file, recorded with each classification. */
  readonly rulesVersion: string;
}

/** The text signals that go with a rules file: `text-signals.yaml` beside it, else the bundled one. */
export function textSignalsBesideRules(rules: Pick<RulesFile, 'path'>): TextSignalsFile {
  const besideRules = rules.path === 'inline' ? undefined : path.join(path.dirname(rules.path), 'text-signals.yaml');
  if (besideRules !== undefined && existsSync(besideRules)) return loadTextSignals(besideRules);
  return loadTextSignals(path.join(repositoryRoot, 'rules', 'text-signals.yaml'));
}

/** Builds a classifier. Validates every citation first: a gap fails with ShishinError('config_invalid'). */
export function createClassifier(dependencies: ClassifierDependencies): Classifier {
  const { rules, catalog, retriever, chatModel } = dependencies;
  const logger = dependencies.logger.child({ component: 'classifier' });
  const textSignals = dependencies.textSignals ?? textSignalsBesideRules(rules);
  const chatTimeoutMs = dependencies.chatTimeoutMs ?? 8000;
  let prompt: string | undefined;
  if (chatModel !== undefined) {
    const promptFile = path.join(dependencies.promptsDir ?? path.join(repositoryRoot, 'prompts'), 'intake-signals.md');
    try {
      prompt = readFileSync(promptFile, 'utf8');
    } catch (cause) {
      throw new ShishinError('config_invalid', `Cannot read the intake signals prompt ${promptFile}`, { cause });
    }
  }

  const resolved = new Map<string, RuleCitation>();
  const cite = (references: CitationReference[], owner: string): RuleCitation[] =>
    references.map((reference) => {
      const key = `${reference.source}\u0000${reference.section}`;
      let citation = resolved.get(key);
      if (citation === undefined) {
        citation = resolveCitation(catalog, reference, owner);
        resolved.set(key, citation);
      }
      return citation;
    });

  function validateCitations(): void {
    resolved.clear();
    for (const rule of rules.rules) cite(rule.cites, `Rule "${rule.id}"`);
    for (const obligation of rules.obligations.values()) cite(obligation.cites, `Obligation "${obligation.id}"`);
    for (const signal of textSignals.signals) cite(signal.cites, `Text signal "${signal.id}"`);
    for (const interval of rules.reviewIntervals.values()) cite(interval.cites, `Review interval "${interval.tier}"`);
  }

  validateCitations();
  const signalCitations = (definition: SignalDefinition) => cite(definition.cites, `Text signal "${definition.id}"`);
  logger.info(
    { rulesVersion: rules.version, rules: rules.rules.length, obligations: rules.obligations.size, citations: resolved.size },
    'risk rules loaded',
  );

  async function detectSignals(input: IntakeInput): Promise<Signal[]> {
    const signals = detectLexicalSignals(textSignals, input, signalCitations);
    const add = (more: Signal[]) => {
      for (const signal of more) if (!signals.some((existing) => existing.id === signal.id)) signals.push(signal);
    };
    if (retriever !== undefined) {
      try {
        add(await detectRetrievalSignals(textSignals, input, retriever, signalCitations));
      } catch (error) {
        logger.warn({ err: error }, 'retrieval signal check failed; ignored');
      }
    }
    if (chatModel !== undefined && prompt !== undefined) {
      add(await detectChatModelSignals(textSignals, input, { chatModel, prompt, timeoutMs: chatTimeoutMs, logger, citationsFor: signalCitations }));
    }
    return signals;
  }

  /** Adds `entry` to `into` once per id (citations resolved then); a later rule only adds its id. */
  function collect<T extends Obligation>(into: Map<string, T>, entry: T, citations: () => RuleCitation[]): void {
    const known = into.get(entry.id);
    if (known === undefined) into.set(entry.id, { ...entry, citations: citations() });
    else if (!known.ruleIds.includes(entry.ruleIds[0] as string)) known.ruleIds.push(...entry.ruleIds);
  }

  async function classify(input: IntakeInput): Promise<Classification> {
    const fired = rules.rules.filter((rule) => evaluateCondition(rule.when, input));
    const tier = fired.reduce<RiskTier>((highest, rule) => (tierRank(rule.tier) > tierRank(highest) ? rule.tier : highest), 'minimal');
    const ordered = [...fired].sort((a, b) => tierRank(b.tier) - tierRank(a.tier));
    const reasons: ClassificationReason[] = ordered.map((rule) => ({
      ruleId: rule.id,
      tier: rule.tier,
      summary: rule.summary.en,
      citations: cite(rule.cites, `Rule "${rule.id}"`),
    }));

    const obligations = new Map<string, Obligation>();
    const vendorDuties = new Map<string, VendorDuty>();
    const held = heldRoles(input);
    for (const rule of ordered) {
      for (const id of rule.obligations) {
        const definition = rules.obligations.get(id);
        if (definition === undefined) continue;
        const inRegion = definition.regions.includes('any') || definition.regions.some((region) => input.regions.includes(region as never));
        if (!inRegion) continue;
        if (definition.appliesWhen !== undefined && !evaluateCondition(definition.appliesWhen, input)) continue;
        const obligation = {
          id,
          text: definition.text.en,
          framework: definition.framework.en,
          ruleIds: [rule.id],
          citations: [] as RuleCitation[],
        };
        if (bindsAny(definition.roles, held)) {
          collect(obligations, obligation, () => cite(definition.cites, `Obligation "${id}"`));
        } else if (definition.askVendor !== undefined && vendorHolds(definition.roles, input)) {
          collect(vendorDuties, { ...obligation, ask: definition.askVendor.en }, () => cite(definition.cites, `Obligation "${id}"`));
        }
      }
    }

    const signals = await detectSignals(input);
    const flagReasons: string[] = [];
    const tierReason = tierFlagReason(tier);
    if (tierReason !== undefined) flagReasons.push(tierReason);
    for (const flag of rules.flags) if (evaluateCondition(flag.when, input)) flagReasons.push(flag.reason.en);
    for (const signal of signals) flagReasons.push(signal.message);

    logger.debug({ tier, rules: fired.length, signals: signals.length, flagged: flagReasons.length > 0 }, 'intake classified');
    return {
      tier,
      flagged: flagReasons.length > 0,
      flagReasons,
      reasons,
      obligations: [...obligations.values()],
      vendorDuties: [...vendorDuties.values()],
      signals,
      rulesVersion: rules.version,
    };
  }

  const texts = createClassificationTexts(rules, textSignals);
  return { classify, localize: texts.localize, validateCitations, rulesVersion: rules.version };
}

/** Human label for a tier, for renderers. */
export function tierLabel(tier: RiskTier): string {
  return { prohibited: 'Prohibited', high: 'High risk', limited: 'Limited risk', minimal: 'Minimal risk' }[tier];
}

/** Human label for an intake value (re-exported for renderers next to the classification). */
export function labelOf(value: string): string {
  return valueLabels[value] ?? value;
}
