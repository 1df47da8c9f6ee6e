// The intake modal: builds the Block Kit form from the shared intake form description (kinds, values,
// help) and the schema's labels, reads a submitted view back into an unvalidated intake object, and
// maps schema field errors to block ids.
// Block ids and action ids equal the intake field names, so errors map one to one.
import type { FieldError } from '../../errors.js';
import { fieldLabels, valueLabels, type IntakeInput } from '../../core/intake/intake-schema.js';
import { intakeFormFields, type IntakeFormField } from '../../core/intake/intake-form.js';
import { plainText, slackLimits, type InputBlock, type KnownBlock, type ModalView, type PlainTextOption } from './block-kit.js';

export const intakeModalCallbackId = 'shishin_intake_submit';

function option(value: string): PlainTextOption {
  return { text: plainText(valueLabels[value] ?? value, slackLimits.optionText), value };
}

const yesOption: PlainTextOption = { text: plainText('Yes'), value: 'yes' };
const noOption: PlainTextOption = { text: plainText('No'), value: 'no' };

function inputBlock(definition: IntakeFormField, initial: Partial<IntakeInput>): InputBlock {
  const { name: field, help } = definition;
  const label = plainText(fieldLabels[field], 2000);
  const base = { type: 'input' as const, block_id: field, label, optional: !definition.required, hint: plainText(help, 2000) };
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
          placeholder: plainText('Choose…'),
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
          placeholder: plainText('Choose…'),
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
}

/** The intake modal, optionally pre-filled (resubmission). */
export function buildIntakeModal(metadata: IntakeModalMetadata = {}, initial: Partial<IntakeInput> = {}): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Describe the AI use case. You get a risk tier with the reasons and your obligations right away; flagged cases go to the governance team.',
        },
      ],
    },
    ...intakeFormFields.map((definition) => inputBlock(definition, initial)),
  ];
  return {
    type: 'modal',
    callback_id: intakeModalCallbackId,
    title: plainText('Submit an AI use case', slackLimits.modalTitle),
    submit: plainText('Submit'),
    close: plainText('Cancel'),
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
    if (parsed !== null && typeof parsed === 'object' && 'previousId' in parsed && typeof parsed.previousId === 'string') {
      return { previousId: parsed.previousId };
    }
  } catch {
    // Not ours; ignore.
  }
  return {};
}

/** A modal shown while the intake is being classified, and after (view update). */
export function buildIntakeStatusModal(title: string, lines: string[]): ModalView {
  return {
    type: 'modal',
    callback_id: 'shishin_intake_status',
    title: plainText('AI use case', slackLimits.modalTitle),
    close: plainText('Close'),
    blocks: [
      { type: 'header', text: plainText(title, slackLimits.headerText) },
      ...lines.slice(0, 40).map((line): KnownBlock => ({ type: 'section', text: plainText(line, slackLimits.sectionText) })),
    ],
  };
}
