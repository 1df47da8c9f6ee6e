// The intake form, described once for every door: which kind of input each intake field takes, its
// allowed values, whether it must be answered, its length limit and its help text. The Slack modal,
// the Teams card and the web form each render this description in their own way.
import {
  affectedPersonGroups,
  decisionImpacts,
  domains,
  exceptions,
  lifecycleStages,
  modelSources,
  personalDataLevels,
  practices,
  regions,
  euRoles,
  roles,
  type IntakeField,
} from './intake-schema.js';
import type { Locale } from '../i18n/locale.js';
import { en } from '../i18n/messages-en.js';
import { t } from '../i18n/translate.js';

/**
 * How a field is answered: one line of text, several lines, one of a list, any of a list, or yes/no.
 * Doors choose their own widget for each kind (e.g. checkboxes, a multi-select menu, a multi-select
 * choice set for `multiple`).
 */
export type IntakeFieldKind = 'text' | 'multiline' | 'single' | 'multiple' | 'boolean';

/** One field of the intake form. Labels for fields and values live in the schema module. */
export interface IntakeFormField {
  /** The intake field name (also the id doors use for the input). */
  name: IntakeField;
  kind: IntakeFieldKind;
  /** The allowed values, in display order; set for `single` and `multiple` fields only. */
  values?: readonly string[];
  /** False when the field may be left empty (an empty list, or a defaulted value). */
  required: boolean;
  /** The longest accepted text; set for `text` and `multiline` fields only. */
  maxLength?: number;
  /** One sentence shown with the field, worded the same on every door (English; fieldHelp gives the reader's language). */
  help: string;
}

/** A heading that groups fields on doors that show sections. */
export interface IntakeFormSection {
  /** The catalogue key of the heading (`intake.section.<key>`). */
  key: keyof typeof en.intake.section;
  /** The heading in English (sectionHeading gives the reader's language). */
  heading: string;
  /** The section's fields in display order. */
  fields: readonly IntakeField[];
}

/** Every intake field, in the order of the intake schema. */
export const intakeFormFields: readonly IntakeFormField[] = [
  {
    name: 'title',
    kind: 'text',
    required: true,
    maxLength: 120,
    help: en.intake.help.title,
  },
  {
    name: 'description',
    kind: 'multiline',
    required: true,
    maxLength: 4000,
    help: en.intake.help.description,
  },
  {
    name: 'businessUnit',
    kind: 'text',
    required: true,
    maxLength: 80,
    help: en.intake.help.businessUnit,
  },
  { name: 'lifecycleStage', kind: 'single', values: lifecycleStages, required: true, help: en.intake.help.lifecycleStage },
  {
    name: 'role',
    kind: 'single',
    values: roles,
    required: true,
    help: en.intake.help.role,
  },
  {
    name: 'euRoles',
    kind: 'multiple',
    values: euRoles,
    required: false,
    help: en.intake.help.euRoles,
  },
  { name: 'modelSource', kind: 'single', values: modelSources, required: true, help: en.intake.help.modelSource },
  {
    name: 'domains',
    kind: 'multiple',
    values: domains,
    required: true,
    help: en.intake.help.domains,
  },
  {
    name: 'affectedPersons',
    kind: 'multiple',
    values: affectedPersonGroups,
    required: false,
    help: en.intake.help.affectedPersons,
  },
  {
    name: 'personalData',
    kind: 'single',
    values: personalDataLevels,
    required: true,
    help: en.intake.help.personalData,
  },
  {
    name: 'decisionImpact',
    kind: 'single',
    values: decisionImpacts,
    required: true,
    help: en.intake.help.decisionImpact,
  },
  {
    name: 'profilesPeople',
    kind: 'boolean',
    required: true,
    help: en.intake.help.profilesPeople,
  },
  {
    name: 'interactsWithPeople',
    kind: 'boolean',
    required: true,
    help: en.intake.help.interactsWithPeople,
  },
  { name: 'generatesContent', kind: 'boolean', required: true, help: en.intake.help.generatesContent },
  {
    name: 'regions',
    kind: 'multiple',
    values: regions,
    required: true,
    help: en.intake.help.regions,
  },
  {
    name: 'practices',
    kind: 'multiple',
    values: practices,
    required: false,
    help: en.intake.help.practices,
  },
  {
    name: 'exception',
    kind: 'single',
    values: exceptions,
    required: false,
    help: en.intake.help.exception,
  },
];

/** The same fields grouped under headings, for doors that show sections (the web form). */
export const intakeFormSections: readonly IntakeFormSection[] = [
  {
    key: 'useCase',
    heading: en.intake.section.useCase,
    fields: ['title', 'description', 'businessUnit', 'lifecycleStage', 'role', 'euRoles', 'modelSource'],
  },
  {
    key: 'whereAndWhom',
    heading: en.intake.section.whereAndWhom,
    fields: ['domains', 'affectedPersons', 'regions', 'personalData', 'decisionImpact'],
  },
  {
    key: 'behaviour',
    heading: en.intake.section.behaviour,
    fields: ['profilesPeople', 'interactsWithPeople', 'generatesContent', 'practices', 'exception'],
  },
];

/** The form description of each intake field, by name. */
export const intakeFormFieldByName = Object.fromEntries(intakeFormFields.map((field) => [field.name, field])) as Record<
  IntakeField,
  IntakeFormField
>;

/** The help sentence of an intake field in `locale`. */
export function fieldHelp(locale: Locale, field: IntakeField): string {
  return t(locale, `intake.help.${field}`);
}

/** A section heading in `locale`. */
export function sectionHeading(locale: Locale, section: Pick<IntakeFormSection, 'key'>): string {
  return t(locale, `intake.section.${section.key}`);
}
