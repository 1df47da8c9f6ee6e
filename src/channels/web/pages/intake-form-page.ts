// The New intake form: every field of the intake schema, with labels and value labels from the schema
// module, inline errors next to the fields and the entered values kept after a failed submit.
import type { FieldError } from '../../../errors.js';
import {
  affectedPersonGroups,
  decisionImpacts,
  domains,
  exceptions,
  fieldLabels,
  lifecycleStages,
  modelSources,
  personalDataLevels,
  practices,
  regions,
  roles,
  valueLabels,
  type IntakeField,
} from '../../../core/intake/intake-schema.js';
import { html, type SafeHtml } from '../html.js';

/** Raw form values as posted: one string per single field, a list per checkbox group. */
export type IntakeFormValues = Partial<Record<IntakeField, string | string[]>>;

type FieldKind =
  | { kind: 'text'; maxLength: number }
  | { kind: 'textarea'; maxLength: number }
  | { kind: 'select'; values: readonly string[] }
  | { kind: 'checkboxes'; values: readonly string[] }
  | { kind: 'yes_no' };

interface FieldDefinition {
  name: IntakeField;
  help: string;
  control: FieldKind;
}

/** The form's fields in display order, grouped into sections. */
export const intakeFormSections: Array<{ heading: string; fields: FieldDefinition[] }> = [
  {
    heading: 'The use case',
    fields: [
      { name: 'title', help: 'A short name, e.g. "CV screening assistant".', control: { kind: 'text', maxLength: 120 } },
      { name: 'description', help: 'What the system does, for whom, and how its output is used (at least 20 characters).', control: { kind: 'textarea', maxLength: 4000 } },
      { name: 'businessUnit', help: 'The team or department that owns the use case.', control: { kind: 'text', maxLength: 80 } },
      { name: 'lifecycleStage', help: 'Where the use case stands today.', control: { kind: 'select', values: lifecycleStages } },
      { name: 'role', help: 'Our role under the Japan AI Guidelines and the EU AI Act.', control: { kind: 'select', values: roles } },
      { name: 'modelSource', help: 'Where the model comes from.', control: { kind: 'select', values: modelSources } },
    ],
  },
  {
    heading: 'Where and on whom it acts',
    fields: [
      { name: 'domains', help: 'Every area the system is used in (at least one).', control: { kind: 'checkboxes', values: domains } },
      { name: 'affectedPersons', help: 'Who is affected by its outputs.', control: { kind: 'checkboxes', values: affectedPersonGroups } },
      { name: 'regions', help: 'Where it is used or its outputs take effect (at least one).', control: { kind: 'checkboxes', values: regions } },
      { name: 'personalData', help: 'The most sensitive kind of personal data it processes.', control: { kind: 'select', values: personalDataLevels } },
      { name: 'decisionImpact', help: 'How far its output shapes decisions about people.', control: { kind: 'select', values: decisionImpacts } },
    ],
  },
  {
    heading: 'Behaviour',
    fields: [
      { name: 'profilesPeople', help: 'Does it evaluate or predict aspects of individuals (work performance, behaviour, preferences…)?', control: { kind: 'yes_no' } },
      { name: 'interactsWithPeople', help: 'Do people talk to it or receive its output directly?', control: { kind: 'yes_no' } },
      { name: 'generatesContent', help: 'Does it generate text, images, audio or video?', control: { kind: 'yes_no' } },
      { name: 'practices', help: 'Tick any that apply — these may be prohibited practices.', control: { kind: 'checkboxes', values: practices } },
      { name: 'exception', help: 'Only if an EU AI Act Art. 6(3) exception clearly applies; otherwise "None".', control: { kind: 'select', values: exceptions } },
    ],
  },
];

const multiFields = new Set<IntakeField>(['domains', 'affectedPersons', 'regions', 'practices']);
const yesNoFields = new Set<IntakeField>(['profilesPeople', 'interactsWithPeople', 'generatesContent']);

/** Turns posted form values into the intake object the core validates (booleans, lists). */
export function formValuesToIntake(values: IntakeFormValues): Record<string, unknown> {
  const intake: Record<string, unknown> = {};
  for (const section of intakeFormSections) {
    for (const { name } of section.fields) {
      const value = values[name];
      if (multiFields.has(name)) {
        intake[name] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      } else if (yesNoFields.has(name)) {
        const single = Array.isArray(value) ? value[0] : value;
        if (single === 'yes') intake[name] = true;
        else if (single === 'no') intake[name] = false;
      } else {
        const single = Array.isArray(value) ? value[0] : value;
        if (single !== undefined && single !== '') intake[name] = single;
      }
    }
  }
  return intake;
}

/** Picks the intake fields out of a urlencoded body (ignoring anything else). */
export function readIntakeForm(body: Record<string, unknown>): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const section of intakeFormSections) {
    for (const { name } of section.fields) {
      const value = body[name];
      if (typeof value === 'string') values[name] = value;
      else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string');
    }
  }
  return values;
}

/** Form values for an existing intake (resubmission after changes were requested). */
export function intakeToFormValues(input: Record<string, unknown>): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const section of intakeFormSections) {
    for (const { name } of section.fields) {
      const value = input[name];
      if (typeof value === 'boolean') values[name] = value ? 'yes' : 'no';
      else if (Array.isArray(value)) values[name] = value.map(String);
      else if (value !== undefined && value !== null) values[name] = String(value);
    }
  }
  return values;
}

function label(value: string): string {
  return valueLabels[value] ?? value;
}

function describedBy(name: string, error: string | undefined): SafeHtml {
  return html` aria-describedby="${name}-help${error === undefined ? '' : ` ${name}-error`}"${error === undefined ? '' : html` aria-invalid="true"`}`;
}

function errorLine(name: string, error: string | undefined): SafeHtml {
  return error === undefined ? html`` : html`<p id="${name}-error" class="field-error"><span class="visually-hidden">Error: </span>${error}</p>`;
}

function field(definition: FieldDefinition, values: IntakeFormValues, errors: Map<string, string>): SafeHtml {
  const { name, help, control } = definition;
  const error = errors.get(name);
  const value = values[name];
  const single = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  const selected = new Set(Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const title = fieldLabels[name];
  const helpLine = html`<p id="${name}-help" class="help">${help}</p>`;
  const classes = `field${error === undefined ? '' : ' has-error'}`;
  switch (control.kind) {
    case 'text':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error)}
        <input id="${name}" name="${name}" value="${single}" maxlength="${control.maxLength}"${describedBy(name, error)}></div>`;
    case 'textarea':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error)}
        <textarea id="${name}" name="${name}" rows="5" maxlength="${control.maxLength}"${describedBy(name, error)}>${single}</textarea></div>`;
    case 'select':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error)}
        <select id="${name}" name="${name}"${describedBy(name, error)}>
          ${name === 'exception' ? '' : html`<option value="">Choose…</option>`}
          ${control.values.map((option) => html`<option value="${option}"${single === option ? html` selected` : ''}>${label(option)}</option>`)}
        </select></div>`;
    case 'checkboxes':
      return html`<fieldset id="${name}" class="${classes} choices"${describedBy(name, error)}><legend>${title}</legend>${helpLine}${errorLine(name, error)}
        <div class="choice-grid">${control.values.map(
          (option) => html`<div class="choice"><input type="checkbox" id="${name}-${option}" name="${name}" value="${option}"${selected.has(option) ? html` checked` : ''}>
            <label for="${name}-${option}">${label(option)}</label></div>`,
        )}</div></fieldset>`;
    case 'yes_no':
      return html`<fieldset id="${name}" class="${classes} choices yes-no"${describedBy(name, error)}><legend>${title}</legend>${helpLine}${errorLine(name, error)}
        ${(['yes', 'no'] as const).map(
          (option) => html`<div class="choice"><input type="radio" id="${name}-${option}" name="${name}" value="${option}"${single === option ? html` checked` : ''}>
            <label for="${name}-${option}">${option === 'yes' ? 'Yes' : 'No'}</label></div>`,
        )}</fieldset>`;
  }
}

export interface IntakeFormOptions {
  values: IntakeFormValues;
  errors: FieldError[];
  csrfToken: string;
  /** Generated once per form so a double submit creates one intake. */
  idempotencyKey: string;
  /** When resubmitting after changes were requested. */
  previousId?: string;
  message?: string;
}

export function intakeFormPage(options: IntakeFormOptions): SafeHtml {
  const errors = new Map(options.errors.map((error) => [error.field, error.message]));
  return html`<h1>${options.previousId === undefined ? 'New AI use-case intake' : html`Resubmit intake ${options.previousId}`}</h1>
  <p class="lead">Describe the use case. Shishin classifies its risk tier with the reasons and the obligations that follow; flagged intakes go to the governance team for review.</p>
  ${options.errors.length === 0
    ? ''
    : html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
        <h2>${options.message ?? 'Please correct the highlighted fields.'}</h2>
        <ul>${options.errors.map((error) => html`<li>${error.field === '_' ? error.message : html`<a href="#${error.field}">${fieldLabels[error.field as IntakeField] ?? error.field}: ${error.message}</a>`}</li>`)}</ul>
      </div>`}
  <form method="post" action="/console/intakes" class="intake-form" novalidate>
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="idempotencyKey" value="${options.idempotencyKey}">
    ${options.previousId === undefined ? '' : html`<input type="hidden" name="previousId" value="${options.previousId}">`}
    ${intakeFormSections.map(
      (section) => html`<section class="form-section"><h2>${section.heading}</h2>${section.fields.map((definition) => field(definition, options.values, errors))}</section>`,
    )}
    <button type="submit" class="primary">Submit intake</button>
  </form>`;
}
