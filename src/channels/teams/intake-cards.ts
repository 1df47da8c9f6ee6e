// Adaptive Cards for the intake: the form (every intake field, labels from the shared schema, server
// errors shown next to the fields) and the result card (tier, reasons with citations, obligations).
import type { FieldError } from '../../errors.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { fieldLabel, valueLabel, type IntakeField } from '../../core/intake/intake-schema.js';
import { fieldHelp, intakeFormFieldByName } from '../../core/intake/intake-form.js';
import type { Classification, RuleCitation } from '../../core/intake/classification.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { classificationHeadline, statusLabel, tierLabel, vendorDutySummary } from '../../core/presentation/classification-presentation.js';
import {
  adaptiveCard,
  container,
  factSet,
  heading,
  submitAction,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';
import { intakeFields, type IntakeFormValues } from './intake-card-data.js';
import { escapeTeamsText, truncateText } from './teams-text.js';
import { httpUrl, markdownUrl } from './answer-activity.js';

function inputFor(field: IntakeField, value: string | undefined, locale: Locale): CardElement {
  const label = fieldLabel(locale, field);
  const definition = intakeFormFieldByName[field];
  const { kind } = definition;
  const common = { id: field, label, isRequired: definition.required && kind !== 'boolean' };
  switch (kind) {
    case 'text':
    case 'multiline':
      return {
        type: 'Input.Text',
        ...common,
        isMultiline: kind === 'multiline',
        maxLength: definition.maxLength,
        ...(value !== undefined ? { value } : {}),
        errorMessage: t(locale, 'intake.error.required', { label }),
      };
    case 'boolean':
      return {
        type: 'Input.Toggle',
        id: field,
        label,
        title: t(locale, 'common.yes'),
        valueOn: 'true',
        valueOff: 'false',
        value: value === 'true' ? 'true' : 'false',
      };
    case 'single':
    case 'multiple': {
      const values = definition.values ?? [];
      return {
        type: 'Input.ChoiceSet',
        ...common,
        isMultiSelect: kind === 'multiple',
        style: kind === 'multiple' && values.length <= 8 ? 'expanded' : 'compact',
        choices: values.map((item) => ({ title: valueLabel(locale, item), value: item })),
        ...(value !== undefined && value !== '' ? { value } : field === 'exception' ? { value: 'none' } : {}),
        ...(kind === 'single' ? { placeholder: t(locale, 'common.choose') } : {}),
        errorMessage: t(locale, kind === 'multiple' ? 'teams.intake.chooseAtLeastOne' : 'teams.intake.chooseOne'),
      };
    }
  }
}

export interface IntakeFormOptions {
  /** Idempotency id embedded in the card; kept when the card is refreshed with errors. */
  submissionId: string;
  values?: IntakeFormValues;
  errors?: FieldError[];
  /** When resubmitting after changes were requested. */
  previousId?: string;
  /** Language of the form (the submitter's); default English. */
  locale?: Locale;
}

/** The intake form. Errors appear in red under their fields and as a summary at the top. */
export function intakeFormCard(options: IntakeFormOptions): AdaptiveCard {
  const locale = options.locale ?? 'en';
  const errorsByField = new Map((options.errors ?? []).map((error) => [error.field, error.message]));
  const body: CardElement[] = [
    heading(options.previousId === undefined ? t(locale, 'teams.intake.formTitle') : t(locale, 'teams.intake.resubmitTitle', { id: escapeTeamsText(options.previousId) })),
    textBlock(t(locale, 'teams.intake.formIntro'), {
      isSubtle: true,
      spacing: 'None',
    }),
  ];
  if (errorsByField.size > 0) {
    body.push(
      textBlock(t(locale, 'teams.intake.fixFields', { count: errorsByField.size }), {
        color: 'Attention',
        weight: 'Bolder',
      }),
    );
    const general = errorsByField.get('_');
    if (general !== undefined) body.push(textBlock(escapeTeamsText(general), { color: 'Attention' }));
  }
  for (const field of intakeFields) {
    const error = errorsByField.get(field);
    const items: CardElement[] = [
      inputFor(field, options.values?.[field], locale),
      textBlock(fieldHelp(locale, field), { isSubtle: true, size: 'Small', spacing: 'None' }),
    ];
    if (error !== undefined) {
      items.push(textBlock(escapeTeamsText(error), { color: 'Attention', size: 'Small', spacing: 'None', id: `${field}Error` }));
    }
    body.push(container(items, { spacing: 'Medium' }));
  }
  const data: Record<string, unknown> = { action: 'intake.submit', submissionId: options.submissionId };
  if (options.previousId !== undefined) data.previousId = options.previousId;
  return adaptiveCard(body, [submitAction(t(locale, 'teams.intake.submit'), data, { style: 'positive' })]);
}

/** "eu-ai-act.md § Article 6" with a short quote, all escaped. */
export function citationLines(citations: RuleCitation[], limit = 2, locale: Locale = 'en'): CardElement[] {
  return citations.slice(0, limit).map((citation) => {
    const quote = escapeTeamsText(truncateText(citation.quote, 160));
    const original = httpUrl(citation.url);
    const viewer = httpUrl(citation.documentUrl);
    const title = escapeTeamsText(citation.title ?? citation.source);
    const name = original === undefined ? title : `[${title}](${markdownUrl(original)})`;
    const section = escapeTeamsText(citation.section);
    const text =
      viewer === undefined || viewer === original
        ? t(locale, 'teams.intake.citation', { name, section, quote })
        : t(locale, 'teams.intake.citationWithViewer', { name, section, quote, readHere: t(locale, 'common.readInShishin'), viewer: markdownUrl(viewer) });
    return textBlock(text, { isSubtle: true, size: 'Small', spacing: 'None' });
  });
}

/**
 * Reasons (each with its citations) and obligations, shared by the result and review cards. Give it
 * the classification with its texts in `locale` (IntakeService.localize).
 */
export function classificationElements(classification: Classification, options: { maxObligations?: number; locale?: Locale } = {}): CardElement[] {
  const locale = options.locale ?? 'en';
  const elements: CardElement[] = [];
  if (classification.reasons.length > 0) {
    elements.push(textBlock(t(locale, 'classification.why'), { weight: 'Bolder', spacing: 'Medium' }));
    for (const reason of classification.reasons) {
      elements.push(
        container([
          textBlock(`• ${t(locale, 'classification.reasonWithTier', { summary: escapeTeamsText(reason.summary), tier: tierLabel(locale, reason.tier) })}`, { spacing: 'Small' }),
          ...citationLines(reason.citations, 2, locale),
        ]),
      );
    }
  }
  if (classification.flagReasons.length > 0) {
    elements.push(textBlock(t(locale, 'classification.flaggedBecause'), { weight: 'Bolder', spacing: 'Medium' }));
    for (const reason of classification.flagReasons) elements.push(textBlock(`• ${escapeTeamsText(reason)}`, { spacing: 'None' }));
  }
  const maxObligations = options.maxObligations ?? 12;
  if (classification.obligations.length > 0) {
    elements.push(textBlock(t(locale, 'classification.obligations'), { weight: 'Bolder', spacing: 'Medium' }));
    for (const obligation of classification.obligations.slice(0, maxObligations)) {
      elements.push(
        container([
          textBlock(`• ${t(locale, 'classification.obligationWithFramework', { text: escapeTeamsText(obligation.text), framework: escapeTeamsText(obligation.framework) })}`, {
            spacing: 'Small',
          }),
          ...citationLines(obligation.citations, 1, locale),
        ]),
      );
    }
    const more = classification.obligations.length - maxObligations;
    if (more > 0) elements.push(textBlock(t(locale, 'teams.intake.more', { count: more }), { isSubtle: true }));
  }
  const vendor = vendorDutySummary(classification, locale);
  if (vendor !== undefined) {
    elements.push(textBlock(vendor.heading, { weight: 'Bolder', spacing: 'Medium' }));
    elements.push(textBlock(escapeTeamsText(vendor.intro), { spacing: 'Small', isSubtle: true }));
    for (const ask of vendor.asks) elements.push(textBlock(`• ${escapeTeamsText(ask)}`, { spacing: 'None' }));
  }
  if (classification.signals.length > 0) {
    elements.push(textBlock(t(locale, 'classification.worthChecking'), { weight: 'Bolder', spacing: 'Medium' }));
    for (const signal of classification.signals.slice(0, 5)) {
      elements.push(textBlock(`• ${escapeTeamsText(signal.message)}`, { spacing: 'None' }));
    }
  }
  return elements;
}

/** The card the submitter sees after a valid submission, in the submitter's language. */
export function intakeResultCard(record: IntakeRecord, locale: Locale = 'en'): AdaptiveCard {
  const { classification } = record;
  const body: CardElement[] = [
    heading(t(locale, 'teams.intake.heading', { id: escapeTeamsText(record.id), title: escapeTeamsText(record.input.title) })),
    textBlock(escapeTeamsText(classificationHeadline(classification, locale)), {
      weight: 'Bolder',
      color: classification.tier === 'minimal' ? 'Good' : classification.tier === 'limited' ? 'Warning' : 'Attention',
    }),
    factSet([
      { title: t(locale, 'classification.riskTier'), value: tierLabel(locale, classification.tier) },
      { title: t(locale, 'classification.status'), value: statusLabel(locale, record.status) },
      { title: t(locale, 'classification.version'), value: String(record.version) },
    ]),
    ...classificationElements(classification, { locale }),
  ];
  return adaptiveCard(body);
}
