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
  /** One sentence shown with the field, worded the same on every door. */
  help: string;
}

/** A heading that groups fields on doors that show sections. */
export interface IntakeFormSection {
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
    help: 'A short name, e.g. "CV screening assistant".',
  },
  {
    name: 'description',
    kind: 'multiline',
    required: true,
    maxLength: 4000,
    help: 'What the system does, for whom, and how its output is used (at least 20 characters).',
  },
  {
    name: 'businessUnit',
    kind: 'text',
    required: true,
    maxLength: 80,
    help: 'The team or department that owns the use case.',
  },
  { name: 'lifecycleStage', kind: 'single', values: lifecycleStages, required: true, help: 'Where the use case stands today.' },
  {
    name: 'role',
    kind: 'single',
    values: roles,
    required: true,
    help: 'Our role as an AI business operator under the Japan AI Guidelines.',
  },
  {
    name: 'euRoles',
    kind: 'multiple',
    values: euRoles,
    required: false,
    help: 'Only if the EU is in scope. Leave empty to derive it: building the system (even on a third-party model) makes us its provider; using a vendor\'s finished product makes us a deployer.',
  },
  { name: 'modelSource', kind: 'single', values: modelSources, required: true, help: 'Where the model comes from.' },
  {
    name: 'domains',
    kind: 'multiple',
    values: domains,
    required: true,
    help: 'Every area the system is used in (at least one).',
  },
  {
    name: 'affectedPersons',
    kind: 'multiple',
    values: affectedPersonGroups,
    required: false,
    help: 'Who is affected by its outputs.',
  },
  {
    name: 'personalData',
    kind: 'single',
    values: personalDataLevels,
    required: true,
    help: 'The most sensitive kind of personal data it processes.',
  },
  {
    name: 'decisionImpact',
    kind: 'single',
    values: decisionImpacts,
    required: true,
    help: 'How far its output shapes decisions about people.',
  },
  {
    name: 'profilesPeople',
    kind: 'boolean',
    required: true,
    help: 'Does it evaluate or predict aspects of individuals (work performance, behaviour, preferences…)?',
  },
  {
    name: 'interactsWithPeople',
    kind: 'boolean',
    required: true,
    help: 'Do people talk to it or receive its output directly?',
  },
  { name: 'generatesContent', kind: 'boolean', required: true, help: 'Does it generate text, images, audio or video?' },
  {
    name: 'regions',
    kind: 'multiple',
    values: regions,
    required: true,
    help: 'Where it is used or its outputs take effect (at least one).',
  },
  {
    name: 'practices',
    kind: 'multiple',
    values: practices,
    required: false,
    help: 'Tick any that apply — these may be prohibited or tightly restricted practices in the EU.',
  },
  {
    name: 'exception',
    kind: 'single',
    values: exceptions,
    required: false,
    help: 'Only for high-risk areas, when an EU AI Act Art. 6(3) exception clearly applies (e.g. a narrow task that does not materially influence decisions); otherwise "None".',
  },
];

/** The same fields grouped under headings, for doors that show sections (the web form). */
export const intakeFormSections: readonly IntakeFormSection[] = [
  {
    heading: 'The use case',
    fields: ['title', 'description', 'businessUnit', 'lifecycleStage', 'role', 'euRoles', 'modelSource'],
  },
  {
    heading: 'Where and on whom it acts',
    fields: ['domains', 'affectedPersons', 'regions', 'personalData', 'decisionImpact'],
  },
  {
    heading: 'Behaviour',
    fields: ['profilesPeople', 'interactsWithPeople', 'generatesContent', 'practices', 'exception'],
  },
];

/** The form description of each intake field, by name. */
export const intakeFormFieldByName = Object.fromEntries(intakeFormFields.map((field) => [field.name, field])) as Record<
  IntakeField,
  IntakeFormField
>;
