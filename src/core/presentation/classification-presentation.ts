// Channel-neutral wording for classifications and review states: tier, status and decision labels,
// and a classification summary as lines, in the reader's language. Chat doors and the console format
// them in their own markup. The `…Labels` records are the English labels, kept for English-only
// callers; new code asks for a label in a language.
import type { Classification, RiskTier } from '../intake/classification.js';
import { withDocumentLinks } from '../documents/document-links.js';
import type { Locale } from '../i18n/locale.js';
import { en } from '../i18n/messages-en.js';
import { formatList, t } from '../i18n/translate.js';
import { decisionsNeedingComment } from '../review/review-transitions.js';
import type { Decision, IntakeStatus } from '../review/review-types.js';

export const tierLabels: Record<RiskTier, string> = { ...en.tier };

export const tierEmoji: Record<RiskTier, string> = {
  prohibited: '⛔',
  high: '🔴',
  limited: '🟡',
  minimal: '🟢',
};

export const statusLabels: Record<IntakeStatus, string> = { ...en.status };

export const decisionLabels: Record<Decision, string> = { ...en.decision };

/** A risk tier's name in `locale`. */
export function tierLabel(locale: Locale, tier: RiskTier): string {
  return t(locale, `tier.${tier}`);
}

/** A review status's name in `locale`. */
export function statusLabel(locale: Locale, status: IntakeStatus): string {
  return t(locale, `status.${status}`);
}

/** A decision's name (as on its button) in `locale`. */
export function decisionLabel(locale: Locale, decision: Decision): string {
  return t(locale, `decision.${decision}`);
}

/** Decisions after which the reviewer must say why (the rule itself lives in the review state machine). */
export function decisionNeedsComment(decision: Decision): boolean {
  return decisionsNeedingComment.includes(decision);
}

/** A short one-line verdict, e.g. "High risk — sent to the governance team for review". */
export function classificationHeadline(classification: Pick<Classification, 'tier' | 'flagged'>, locale: Locale = 'en'): string {
  const tier = tierLabel(locale, classification.tier);
  return classification.flagged ? t(locale, 'classification.headlineFlagged', { tier }) : t(locale, 'classification.headlineCleared', { tier });
}

/** The vendor's share of the checklist, worded the same in every door. */
export interface VendorDutySummary {
  heading: string;
  /** One sentence: which duties sit with the vendor and why. */
  intro: string;
  /** What to ask the vendor for, one item per duty. */
  asks: string[];
}

/**
 * Duties that bind the model's vendor rather than the intake's roles, with what to ask the vendor for;
 * undefined when there are none (or the classification predates roles). The classification's own
 * texts are used as they are: localise it first (classification-texts.ts).
 */
export function vendorDutySummary(classification: Pick<Classification, 'vendorDuties'>, locale: Locale = 'en'): VendorDutySummary | undefined {
  const duties = classification.vendorDuties ?? [];
  if (duties.length === 0) return undefined;
  const frameworks = formatList(locale, [...new Set(duties.map((duty) => duty.framework))]);
  return {
    heading: t(locale, 'classification.vendorHeading'),
    intro: t(locale, 'classification.vendorIntro', { count: duties.length, frameworks }),
    asks: [...new Set(duties.map((duty) => duty.ask))],
  };
}

/** The classification as plain lines: verdict, reasons, obligations (first `maxObligations`). */
export function classificationSummaryLines(classification: Classification, maxObligations = 10, locale: Locale = 'en'): string[] {
  const lines = [classificationHeadline(classification, locale)];
  if (classification.reasons.length > 0) {
    lines.push(t(locale, 'classification.whyHeading'));
    for (const reason of classification.reasons) lines.push(t(locale, 'classification.bullet', { text: reason.summary }));
  }
  if (classification.obligations.length > 0) {
    lines.push(t(locale, 'classification.whatToDoHeading'));
    for (const obligation of classification.obligations.slice(0, maxObligations)) {
      lines.push(t(locale, 'classification.bullet', { text: t(locale, 'classification.obligationWithFramework', { text: obligation.text, framework: obligation.framework }) }));
    }
    const more = classification.obligations.length - maxObligations;
    if (more > 0) lines.push(t(locale, 'classification.bullet', { text: t(locale, 'common.moreItems', { count: more }) }));
  }
  const vendor = vendorDutySummary(classification, locale);
  if (vendor !== undefined) {
    lines.push(t(locale, 'classification.headingWithText', { heading: vendor.heading, text: vendor.intro }));
    for (const ask of vendor.asks) lines.push(t(locale, 'classification.bullet', { text: ask }));
  }
  return lines;
}

/** The classification with every citation's links set for a door (see withDocumentLinks). */
export function classificationWithLinks(classification: Classification, publicUrl?: string): Classification {
  const link = <T extends { citations: Classification['reasons'][number]['citations'] }>(item: T): T => ({
    ...item,
    citations: item.citations.map((citation) => withDocumentLinks(citation, publicUrl)),
  });
  const result: Classification = {
    ...classification,
    reasons: classification.reasons.map(link),
    obligations: classification.obligations.map(link),
    signals: classification.signals.map(link),
  };
  if (classification.vendorDuties !== undefined) result.vendorDuties = classification.vendorDuties.map(link);
  return result;
}
