// A stored classification in the reader's language. Classifications keep their ids and codes and are
// stored with the English texts of the rules that made them (stable for the audit trail and for
// joining exports across languages); the texts in another language are looked up at render time by
// id in the rules and text-signals files: rule summaries, obligations and their frameworks, what to
// ask a vendor, flag reasons and signal messages. A text the current files no longer know (a rule
// since removed) is shown as stored.
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { Classification, RiskTier } from './classification.js';
import type { RulesFile } from './rules-file.js';
import { signalMessage, type TextSignalsFile } from './text-signals.js';

/** Why the tier alone sends a use case to review, in `locale` (English when stored with a classification). */
export function tierFlagReason(tier: RiskTier, locale: Locale = 'en'): string | undefined {
  if (tier === 'prohibited') return t(locale, 'classification.flagProhibited');
  if (tier === 'high') return t(locale, 'classification.flagHigh');
  return undefined;
}

export interface ClassificationTexts {
  /** The classification with every text in `locale`; ids, codes, tiers and citations unchanged. */
  localize(classification: Classification, locale: Locale): Classification;
}

export function createClassificationTexts(rules: Pick<RulesFile, 'rules' | 'obligations' | 'flags'>, textSignals: TextSignalsFile): ClassificationTexts {
  const ruleById = new Map(rules.rules.map((rule) => [rule.id, rule]));
  const signalById = new Map(textSignals.signals.map((signal) => [signal.id, signal]));
  const flagByEnglishReason = new Map(rules.flags.map((flag) => [flag.reason.en, flag]));

  function localize(classification: Classification, locale: Locale): Classification {
    if (locale === 'en') return classification;
    const signals = classification.signals.map((signal) => {
      const definition = signalById.get(signal.id);
      return definition === undefined ? signal : { ...signal, message: signalMessage(definition, signal.evidence, locale) };
    });
    const signalMessages = new Map(classification.signals.map((signal, index) => [signal.message, signals[index]?.message ?? signal.message]));
    const tierReason = tierFlagReason(classification.tier);
    const flagReasons = classification.flagReasons.map((reason) => {
      if (reason === tierReason) return tierFlagReason(classification.tier, locale) ?? reason;
      const flag = flagByEnglishReason.get(reason);
      if (flag !== undefined) return flag.reason[locale];
      return signalMessages.get(reason) ?? reason;
    });
    return {
      ...classification,
      flagReasons,
      reasons: classification.reasons.map((reason) => {
        const rule = ruleById.get(reason.ruleId);
        return rule === undefined ? reason : { ...reason, summary: rule.summary[locale] };
      }),
      obligations: classification.obligations.map((obligation) => {
        const definition = rules.obligations.get(obligation.id);
        return definition === undefined ? obligation : { ...obligation, text: definition.text[locale], framework: definition.framework[locale] };
      }),
      ...(classification.vendorDuties === undefined
        ? {}
        : {
            vendorDuties: classification.vendorDuties.map((duty) => {
              const definition = rules.obligations.get(duty.id);
              if (definition === undefined) return duty;
              return {
                ...duty,
                text: definition.text[locale],
                framework: definition.framework[locale],
                ask: definition.askVendor?.[locale] ?? duty.ask,
              };
            }),
          }),
      signals,
    };
  }

  return { localize };
}
