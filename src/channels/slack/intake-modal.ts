// The intake modal: builds the Block Kit form from the shared intake form description (kinds, values,
// help) and the schema's labels, reads a submitted view back into an unvalidated intake object, and
// maps schema field errors to block ids.
// Block ids and action ids equal the intake field names, so errors map one to one.
import type { FieldError } from '../../errors.js';
import { localeFromTag, type Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { fieldLabel, valueLabel, type IntakeInput } from '../../core/intake/intake-schema.js';
import { fieldHelp, intakeFormFields, type IntakeFormField } from '../../core/intake/intake-form.js';
import { plainText, slackLimits, type InputBlock, type KnownBlock, type ModalView, type PlainTextOption } from './block-kit.js';

export const intakeModalCallbackId = 'shishin_intake_submit';

function inputBlock(definition: IntakeFormField, initial: Partial<IntakeInput>, locale: Locale): InputBlock {
  const { name: field } = definition;
  const option = (value: string): PlainTextOption => ({ text: plainText(valueLabel(locale, value), slackLimits.optionText), value });
  const yesOption: PlainTextOption = { text: plainText(t(locale, 'common.yes'), slackLimits.optionText), value: 'yes' };
  const noOption: PlainTextOption = { text: plainText(t(locale, 'common.no'), slackLimits.optionText), value: 'no' };
  const label = plainText(fieldLabel(locale, field), 2000);
  const base = { type: 'input' as const, block_id: field, label, optional: !definition.required, hint: plainText(fieldHelp(locale, field), 2000) };
  const initialValue: unknown = initial[field];
  switch (definition.kind) {
    case 'text':
    case 'multiline': {
      const value = typeof initialValue === 'string' ? initialValue : undefined;
      const maximum = Math.min(definition.maxLength ?? slackLimits.plainTextInput, slackLimits.plainTextInput);
      return {
        ...base,
        element: {
          type: 'plain_text_input',
          action_id: field,
          multiline: definition.kind === 'multiline',
          max_length: maximum,
          ...(value === undefined ? {} : { initial_value: value.slice(0, maximum) }),
        },
      };
    }
    case 'multiple': {
      const values = Array.isArray(initialValue) ? initialValue.map(String) : [];
      const options = (definition.values ?? []).map(option);
      return {
        ...base,
        element: {
          type: 'multi_static_select',
          action_id: field,
          placeholder: plainText(t(locale, 'common.choose'), 150),
          options,
          ...(values.length === 0 ? {} : { initial_options: values.map(option) }),
        },
      };
    }
    case 'boolean': {
      const value = typeof initialValue === 'boolean' ? initialValue : undefined;
      return {
        ...base,
        element: {
          type: 'radio_buttons',
          action_id: field,
          options: [yesOption, noOption],
          ...(value === undefined ? {} : { initial_option: value ? yesOption : noOption }),
        },
      };
    }
    case 'single': {
      const value = typeof initialValue === 'string' ? initialValue : field === 'exception' ? 'none' : undefined;
      return {
        ...base,
        element: {
          type: 'static_select',
          action_id: field,
          placeholder: plainText(t(locale, 'common.choose'), 150),
          options: (definition.values ?? []).map(option),
          ...(value === undefined ? {} : { initial_option: option(value) }),
        },
      };
    }
  }
}

/** What the modal carries through Slack and back (kept small: private_metadata ≤ 3000 chars). */
export interface IntakeModalMetadata {
  /** Set when resubmitting after changes were requested. */
  previousId?: string;
  /** The language the modal was shown in, so its errors and result speak it too. */
  locale?: Locale;
}

/** The intake modal in the reader's language, optionally pre-filled (resubmission). */
export function buildIntakeModal(metadata: IntakeModalMetadata = {}, initial: Partial<IntakeInput> = {}, locale: Locale = 'en'): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: t(locale, 'slack.intake.modalIntro') }],
    },
    ...intakeFormFields.map((definition) => inputBlock(definition, initial, locale)),
  ];
  return {
    type: 'modal',
    callback_id: intakeModalCallbackId,
    title: plainText(t(locale, 'slack.intake.modalTitle'), slackLimits.modalTitle),
    submit: plainText(t(locale, 'common.submit'), slackLimits.buttonText),
    close: plainText(t(locale, 'common.cancel'), slackLimits.buttonText),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** The shape of `view.state.values` Slack sends back: block id → action id → element state. */
export type ViewStateValues = Record<string, Record<string, ViewElementState>>;

export interface ViewElementState {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
}

/** Reads the submitted form into an unvalidated intake object (validation is the schema's job). */
export function readIntakeModal(values: ViewStateValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const { name: field, kind } of intakeFormFields) {
    const state = values[field]?.[field];
    if (state === undefined) continue;
    switch (kind) {
      case 'text':
      case 'multiline':
        if (typeof state.value === 'string') input[field] = state.value;
        break;
      case 'multiple':
        input[field] = (state.selected_options ?? []).map((selected) => selected.value);
        break;
      case 'boolean':
        if (state.selected_option != null) input[field] = state.selected_option.value === 'yes';
        break;
      case 'single':
        if (state.selected_option != null) input[field] = state.selected_option.value;
        break;
    }
  }
  return input;
}

/** Maps schema field errors to `response_action: errors` form: block id → message. */
export function fieldErrorsToBlockErrors(fields: FieldError[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const known = new Set<string>(intakeFormFields.map((definition) => definition.name));
  for (const { field, message } of fields) {
    const blockId = known.has(field) ? field : 'title';
    errors[blockId] = errors[blockId] === undefined ? message : `${errors[blockId]} ${message}`;
  }
  return errors;
}

/** Parses private_metadata defensively (it comes back from Slack). */
export function readIntakeModalMetadata(privateMetadata: string | undefined): IntakeModalMetadata {
  if (privateMetadata === undefined || privateMetadata === '') return {};
  try {
    const parsed: unknown = JSON.parse(privateMetadata);
    if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const locale = localeFromTag(typeof record.locale === 'string' ? record.locale : undefined);
      return {
        ...(typeof record.previousId === 'string' ? { previousId: record.previousId } : {}),
        ...(locale === undefined ? {} : { locale }),
      };
    }
  } catch {
    // Not ours; ignore.
  }
  return {};
}

/** A modal shown while the intake is being classified, and after (view update). */
export function buildIntakeStatusModal(title: string, lines: string[], locale: Locale = 'en'): ModalView {
  return {
    type: 'modal',
    callback_id: 'shishin_intake_status',
    title: plainText(t(locale, 'slack.intake.statusTitle'), slackLimits.modalTitle),
    close: plainText(t(locale, 'common.close'), slackLimits.buttonText),
    blocks: [
      { type: 'header', text: plainText(title, slackLimits.headerText) },
      ...lines.slice(0, 40).map((line): KnownBlock => ({ type: 'section', text: plainText(line, slackLimits.sectionText) })),
    ],
  };
}
