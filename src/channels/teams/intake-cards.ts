// Adaptive Cards for the intake: the form (every intake field, labels from the shared schema, server
// errors shown next to the fields) and the result card (tier, reasons with citations, obligations).
import type { FieldError } from '../../errors.js';
import { fieldLabels, valueLabels, type IntakeField } from '../../core/intake/intake-schema.js';
import { intakeFormFieldByName } from '../../core/intake/intake-form.js';
import type { Classification, RuleCitation } from '../../core/intake/classification.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { classificationHeadline, statusLabels, tierLabels, vendorDutySummary } from '../../core/presentation/classification-presentation.js';
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
import { httpUrl } from './answer-activity.js';

function inputFor(field: IntakeField, value: string | undefined): CardElement {
  const label = fieldLabels[field];
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
        errorMessage: `${label} is required.`,
      };
    case 'boolean':
      return {
        type: 'Input.Toggle',
        id: field,
        label,
        title: 'Yes',
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
        choices: values.map((item) => ({ title: valueLabels[item] ?? item, value: item })),
        ...(value !== undefined && value !== '' ? { value } : field === 'exception' ? { value: 'none' } : {}),
        ...(kind === 'single' ? { placeholder: `Choose…` } : {}),
        errorMessage: kind === 'multiple' ? `Choose at least one.` : `Choose one.`,
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
}

/** The intake form. Errors appear in red under their fields and as a summary at the top. */
export function intakeFormCard(options: IntakeFormOptions): AdaptiveCard {
  const errorsByField = new Map((options.errors ?? []).map((error) => [error.field, error.message]));
  const body: CardElement[] = [
    heading(options.previousId === undefined ? 'Register an AI use case' : `Resubmit ${escapeTeamsText(options.previousId)}`),
    textBlock('Describe the use case; Shishin classifies its risk tier and lists your obligations.', {
      isSubtle: true,
      spacing: 'None',
    }),
  ];
  if (errorsByField.size > 0) {
    body.push(
      textBlock(`Please fix ${errorsByField.size === 1 ? 'the field' : `${errorsByField.size} fields`} marked below.`, {
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
      inputFor(field, options.values?.[field]),
      textBlock(intakeFormFieldByName[field].help, { isSubtle: true, size: 'Small', spacing: 'None' }),
    ];
    if (error !== undefined) {
      items.push(textBlock(escapeTeamsText(error), { color: 'Attention', size: 'Small', spacing: 'None', id: `${field}Error` }));
    }
    body.push(container(items, { spacing: 'Medium' }));
  }
  const data: Record<string, unknown> = { action: 'intake.submit', submissionId: options.submissionId };
  if (options.previousId !== undefined) data.previousId = options.previousId;
  return adaptiveCard(body, [submitAction('Submit intake', data, { style: 'positive' })]);
}

/** "eu-ai-act.md § Article 6" with a short quote, all escaped. */
export function citationLines(citations: RuleCitation[], limit = 2): CardElement[] {
  return citations.slice(0, limit).map((citation) => {
    const name = escapeTeamsText(`${citation.title ?? citation.source} § ${citation.section}`);
    const quote = escapeTeamsText(truncateText(citation.quote, 160));
    const original = httpUrl(citation.url);
    const viewer = httpUrl(citation.documentUrl);
    const linked = original === undefined ? name : `[${name}](${encodeURI(original).replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
    const more = viewer === undefined || viewer === original ? '' : ` · [read in Shishin](${encodeURI(viewer).replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
    return textBlock(`${linked}${more}: “${quote}”`, { isSubtle: true, size: 'Small', spacing: 'None' });
  });
}

/** Reasons (each with its citations) and obligations, shared by the result and review cards. */
export function classificationElements(classification: Classification, options: { maxObligations?: number } = {}): CardElement[] {
  const elements: CardElement[] = [];
  if (classification.reasons.length > 0) {
    elements.push(textBlock('Why', { weight: 'Bolder', spacing: 'Medium' }));
    for (const reason of classification.reasons) {
      elements.push(
        container([
          textBlock(`• ${escapeTeamsText(reason.summary)} (${tierLabels[reason.tier]})`, { spacing: 'Small' }),
          ...citationLines(reason.citations),
        ]),
      );
    }
  }
  if (classification.flagReasons.length > 0) {
    elements.push(textBlock('Flagged because', { weight: 'Bolder', spacing: 'Medium' }));
    for (const reason of classification.flagReasons) elements.push(textBlock(`• ${escapeTeamsText(reason)}`, { spacing: 'None' }));
  }
  const maxObligations = options.maxObligations ?? 12;
  if (classification.obligations.length > 0) {
    elements.push(textBlock('Obligations', { weight: 'Bolder', spacing: 'Medium' }));
    for (const obligation of classification.obligations.slice(0, maxObligations)) {
      elements.push(
        container([
          textBlock(`• ${escapeTeamsText(obligation.text)} (${escapeTeamsText(obligation.framework)})`, { spacing: 'Small' }),
          ...citationLines(obligation.citations, 1),
        ]),
      );
    }
    const more = classification.obligations.length - maxObligations;
    if (more > 0) elements.push(textBlock(`…and ${more} more.`, { isSubtle: true }));
  }
  const vendor = vendorDutySummary(classification);
  if (vendor !== undefined) {
    elements.push(textBlock(vendor.heading, { weight: 'Bolder', spacing: 'Medium' }));
    elements.push(textBlock(escapeTeamsText(vendor.intro), { spacing: 'Small', isSubtle: true }));
    for (const ask of vendor.asks) elements.push(textBlock(`• ${escapeTeamsText(ask)}`, { spacing: 'None' }));
  }
  if (classification.signals.length > 0) {
    elements.push(textBlock('Worth checking', { weight: 'Bolder', spacing: 'Medium' }));
    for (const signal of classification.signals.slice(0, 5)) {
      elements.push(textBlock(`• ${escapeTeamsText(signal.message)}`, { spacing: 'None' }));
    }
  }
  return elements;
}

/** The card the submitter sees after a valid submission. */
export function intakeResultCard(record: IntakeRecord): AdaptiveCard {
  const { classification } = record;
  const body: CardElement[] = [
    heading(`${escapeTeamsText(record.id)}: ${escapeTeamsText(record.input.title)}`),
    textBlock(escapeTeamsText(classificationHeadline(classification)), {
      weight: 'Bolder',
      color: classification.tier === 'minimal' ? 'Good' : classification.tier === 'limited' ? 'Warning' : 'Attention',
    }),
    factSet([
      { title: 'Risk tier', value: tierLabels[classification.tier] },
      { title: 'Status', value: statusLabels[record.status] },
      { title: 'Version', value: String(record.version) },
    ]),
    ...classificationElements(classification),
  ];
  return adaptiveCard(body);
}
