// The New intake form: every field of the intake schema as the shared intake form describes it
// (kinds, values, help, sections), labels from the schema module in the reader's language, inline
// errors next to the fields and the entered values kept after a failed submit.
import type { FieldError } from '../../../errors.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { fieldLabel, valueLabel, type IntakeField } from '../../../core/intake/intake-schema.js';
import { fieldHelp, intakeFormFieldByName, intakeFormSections, sectionHeading, type IntakeFormField } from '../../../core/intake/intake-form.js';
import { html, type SafeHtml } from '../html.js';

/** Raw form values as posted: one string per single field, a list per checkbox group. */
export type IntakeFormValues = Partial<Record<IntakeField, string | string[]>>;

/** The fields in the order the form shows them (section by section). */
const fieldsInFormOrder: IntakeField[] = intakeFormSections.flatMap((section) => section.fields);

/** Turns posted form values into the intake object the core validates (booleans, lists). */
export function formValuesToIntake(values: IntakeFormValues): Record<string, unknown> {
  const intake: Record<string, unknown> = {};
  for (const name of fieldsInFormOrder) {
    const value = values[name];
    const { kind } = intakeFormFieldByName[name];
    if (kind === 'multiple') {
      intake[name] = value === undefined ? [] : Array.isArray(value) ? value : [value];
    } else if (kind === 'boolean') {
      const single = Array.isArray(value) ? value[0] : value;
      if (single === 'yes') intake[name] = true;
      else if (single === 'no') intake[name] = false;
    } else {
      const single = Array.isArray(value) ? value[0] : value;
      if (single !== undefined && single !== '') intake[name] = single;
    }
  }
  return intake;
}

/** Picks the intake fields out of a urlencoded body (ignoring anything else). */
export function readIntakeForm(body: Record<string, unknown>): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const name of fieldsInFormOrder) {
    const value = body[name];
    if (typeof value === 'string') values[name] = value;
    else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return values;
}

/** Form values for an existing intake (resubmission after changes were requested). */
export function intakeToFormValues(input: Record<string, unknown>): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const name of fieldsInFormOrder) {
    const value = input[name];
    if (typeof value === 'boolean') values[name] = value ? 'yes' : 'no';
    else if (Array.isArray(value)) values[name] = value.map(String);
    else if (value !== undefined && value !== null) values[name] = String(value);
  }
  return values;
}

function describedBy(name: string, error: string | undefined): SafeHtml {
  return html` aria-describedby="${name}-help${error === undefined ? '' : ` ${name}-error`}"${error === undefined ? '' : html` aria-invalid="true"`}`;
}

function errorLine(name: string, error: string | undefined, locale: Locale): SafeHtml {
  return error === undefined ? html`` : html`<p id="${name}-error" class="field-error"><span class="visually-hidden">${t(locale, 'console.intakeForm.errorPrefix')} </span>${error}</p>`;
}

function field(definition: IntakeFormField, values: IntakeFormValues, errors: Map<string, string>, locale: Locale): SafeHtml {
  const { name } = definition;
  const help = fieldHelp(locale, name);
  const label = (value: string) => valueLabel(locale, value);
  const choices = definition.values ?? [];
  const error = errors.get(name);
  const value = values[name];
  const single = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  const selected = new Set(Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const title = fieldLabel(locale, name);
  const helpLine = html`<p id="${name}-help" class="help">${help}</p>`;
  const classes = `field${error === undefined ? '' : ' has-error'}`;
  switch (definition.kind) {
    case 'text':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error, locale)}
        <input id="${name}" name="${name}" value="${single}" maxlength="${definition.maxLength ?? ''}"${describedBy(name, error)}></div>`;
    case 'multiline':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error, locale)}
        <textarea id="${name}" name="${name}" rows="5" maxlength="${definition.maxLength ?? ''}"${describedBy(name, error)}>${single}</textarea></div>`;
    case 'single':
      return html`<div class="${classes}"><label for="${name}">${title}</label>${helpLine}${errorLine(name, error, locale)}
        <select id="${name}" name="${name}"${describedBy(name, error)}>
          ${name === 'exception' ? '' : html`<option value="">${t(locale, 'common.choose')}</option>`}
          ${choices.map((option) => html`<option value="${option}"${single === option ? html` selected` : ''}>${label(option)}</option>`)}
        </select></div>`;
    case 'multiple':
      return html`<fieldset id="${name}" class="${classes} choices"${describedBy(name, error)}><legend>${title}</legend>${helpLine}${errorLine(name, error, locale)}
        <div class="choice-grid">${choices.map(
          (option) => html`<div class="choice"><input type="checkbox" id="${name}-${option}" name="${name}" value="${option}"${selected.has(option) ? html` checked` : ''}>
            <label for="${name}-${option}">${label(option)}</label></div>`,
        )}</div></fieldset>`;
    case 'boolean':
      return html`<fieldset id="${name}" class="${classes} choices yes-no"${describedBy(name, error)}><legend>${title}</legend>${helpLine}${errorLine(name, error, locale)}
        ${(['yes', 'no'] as const).map(
          (option) => html`<div class="choice"><input type="radio" id="${name}-${option}" name="${name}" value="${option}"${single === option ? html` checked` : ''}>
            <label for="${name}-${option}">${option === 'yes' ? t(locale, 'common.yes') : t(locale, 'common.no')}</label></div>`,
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
  locale: Locale;
}

/** "Domains: Choose at least one domain." — the label only when the message does not start with it. */
export function summaryLine(field: string, message: string, locale: Locale = 'en'): string {
  const label = field in intakeFormFieldByName ? fieldLabel(locale, field as IntakeField) : field;
  return message.toLowerCase().startsWith(label.toLowerCase()) ? message : t(locale, 'console.intakeForm.summaryLine', { label, message });
}

export function intakeFormPage(options: IntakeFormOptions): SafeHtml {
  const { locale } = options;
  const errors = new Map(options.errors.map((error) => [error.field, error.message]));
  return html`<h1>${options.previousId === undefined ? t(locale, 'console.intakeForm.heading') : t(locale, 'console.intakeForm.resubmitHeading', { id: options.previousId })}</h1>
  <p class="lead">${t(locale, 'console.intakeForm.lead')}</p>
  ${options.errors.length === 0
    ? ''
    : html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
        <h2>${options.message ?? t(locale, 'console.intakeForm.correctFields')}</h2>
        <ul>${options.errors.map((error) => html`<li>${error.field === '_' ? error.message : html`<a href="#${error.field}">${summaryLine(error.field, error.message, locale)}</a>`}</li>`)}</ul>
      </div>`}
  <form method="post" action="/console/intakes" class="intake-form" novalidate>
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <input type="hidden" name="idempotencyKey" value="${options.idempotencyKey}">
    ${options.previousId === undefined ? '' : html`<input type="hidden" name="previousId" value="${options.previousId}">`}
    ${intakeFormSections.map(
      (section) => html`<section class="form-section"><h2>${sectionHeading(locale, section)}</h2>${section.fields.map((name) => field(intakeFormFieldByName[name], options.values, errors, locale))}</section>`,
    )}
    <button type="submit" class="primary">${t(locale, 'console.intakeForm.submit')}</button>
  </form>`;
}
