// The AI use-case intake: the one input shape that the Slack modal, the Teams card, the web form and
// the CLI all produce. Field names and values are a stable interface.
import { z } from 'zod';
import { ShishinError, type FieldError } from '../../errors.js';
import type { Locale } from '../i18n/locale.js';
import { en } from '../i18n/messages-en.js';
import { t, tOr } from '../i18n/translate.js';

export const lifecycleStages = ['idea', 'development', 'pilot', 'production'] as const;
export const roles = ['developer', 'provider', 'business_user'] as const;
/** Operator roles under the EU AI Act an intake may declare (empty: derived from `role`, see roles.ts). */
export const euRoles = ['eu_provider', 'eu_deployer', 'eu_importer', 'eu_distributor'] as const;
export const modelSources = ['in_house', 'third_party_api', 'open_source', 'vendor_product'] as const;
export const domains = [
  'biometrics',
  'critical_infrastructure',
  'education',
  'employment',
  'essential_public_services',
  'credit_scoring',
  'life_health_insurance',
  'emergency_services',
  'law_enforcement',
  'migration_border',
  'justice',
  'elections',
  'product_safety_component',
  'healthcare',
  'customer_service',
  'marketing',
  'content_creation',
  'internal_productivity',
  'software_development',
  'research',
  'other',
] as const;
export const affectedPersonGroups = [
  'employees',
  'job_applicants',
  'students',
  'customers',
  'general_public',
  'children',
  'vulnerable_groups',
] as const;
export const personalDataLevels = ['none', 'personal', 'sensitive'] as const;
export const decisionImpacts = ['none', 'assistive', 'significant', 'automated'] as const;
export const regions = ['JP', 'EU', 'US', 'other'] as const;
export const practices = [
  'subliminal_manipulation',
  'exploiting_vulnerabilities',
  'social_scoring',
  'crime_prediction_by_profiling',
  'untargeted_face_scraping',
  'emotion_recognition_work_or_education',
  'biometric_categorisation_sensitive',
  'realtime_remote_biometric_id_public',
] as const;
export const exceptions = [
  'none',
  'narrow_procedural_task',
  'improves_completed_human_activity',
  'detects_patterns_without_replacing_review',
  'preparatory_task',
] as const;

export type Domain = (typeof domains)[number];
export type Practice = (typeof practices)[number];
export type Region = (typeof regions)[number];
export type EuRole = (typeof euRoles)[number];

/** Human labels for every enumerated value in English (see valueLabel for the reader's language). */
export const valueLabels: Record<string, string> = { ...en.intake.value };

/** Field labels in English, for forms and error messages (see fieldLabel for the reader's language). */
export const fieldLabels = { ...en.intake.field } as const;

export type IntakeField = keyof typeof fieldLabels;

/** The label of an enumerated value in `locale`; an unknown value is shown as it is. */
export function valueLabel(locale: Locale, value: string): string {
  return tOr(locale, `intake.value.${value}`, value);
}

/** The label of an intake field in `locale`. */
export function fieldLabel(locale: Locale, field: IntakeField): string {
  return t(locale, `intake.field.${field}`);
}

type SingleChoiceField = keyof typeof en.intake.what;
type MultipleChoiceField = keyof typeof en.intake.noun;

function schemaFor(locale: Locale) {
  const describeInput = (input: unknown): string =>
    typeof input === 'string' ? t(locale, 'common.quotedValue', { text: input.length > 40 ? `${input.slice(0, 40)}…` : input }) : t(locale, 'common.thatValue');

  const choice = <T extends readonly [string, ...string[]]>(values: T, field: SingleChoiceField) => {
    const what = t(locale, `intake.what.${field}`);
    return z.enum(values, {
      error: (issue) =>
        issue.input === undefined || issue.input === null || issue.input === ''
          ? t(locale, 'intake.error.chooseOne', { what })
          : t(locale, 'intake.error.notAnOption', { value: describeInput(issue.input), what }),
    });
  };

  const choices = <T extends readonly [string, ...string[]]>(values: T, field: MultipleChoiceField, minimum: number) => {
    const noun = t(locale, `intake.noun.${field}`);
    const nouns = t(locale, `intake.nouns.${field}`);
    return z
      .array(z.enum(values, { error: (issue) => t(locale, 'intake.error.notListed', { value: describeInput(issue.input), noun, nouns }) }), {
        error: (issue) =>
          issue.input !== undefined && issue.input !== null
            ? t(locale, 'intake.error.notAList', { nouns, example: values[0] })
            : minimum > 0
              ? t(locale, 'intake.error.atLeastOne', { noun })
              : t(locale, 'intake.error.anyOrNone', { nouns }),
      })
      .min(minimum, { error: () => t(locale, 'intake.error.atLeastOne', { noun }) })
      .transform((items) => [...new Set(items)]);
  };

  const text = (field: IntakeField, minimum: number, maximum: number) => {
    const label = fieldLabel(locale, field);
    return z
      .string({ error: () => t(locale, 'intake.error.required', { label }) })
      .trim()
      .min(minimum, {
        error: (issue) =>
          typeof issue.input === 'string' && issue.input.length === 0
            ? t(locale, 'intake.error.required', { label })
            : t(locale, 'intake.error.tooShort', { label, count: minimum }),
      })
      .max(maximum, { error: () => t(locale, 'intake.error.tooLong', { label, count: maximum }) });
  };

  const yesNo = (field: IntakeField) => z.boolean({ error: () => t(locale, 'intake.error.yesOrNo', { label: fieldLabel(locale, field) }) });

  return z
    .object({
      title: text('title', 3, 120),
      description: text('description', 20, 4000),
      businessUnit: text('businessUnit', 1, 80),
      lifecycleStage: choice(lifecycleStages, 'lifecycleStage'),
      role: choice(roles, 'role'),
      euRoles: choices(euRoles, 'euRoles', 0).default([]),
      modelSource: choice(modelSources, 'modelSource'),
      domains: choices(domains, 'domains', 1),
      affectedPersons: choices(affectedPersonGroups, 'affectedPersons', 0),
      personalData: choice(personalDataLevels, 'personalData'),
      decisionImpact: choice(decisionImpacts, 'decisionImpact'),
      profilesPeople: yesNo('profilesPeople'),
      interactsWithPeople: yesNo('interactsWithPeople'),
      generatesContent: yesNo('generatesContent'),
      regions: choices(regions, 'regions', 1),
      practices: choices(practices, 'practices', 0),
      exception: choice(exceptions, 'exception').default('none'),
    })
    .strict();
}

const schemas = new Map<Locale, ReturnType<typeof schemaFor>>();

/** The intake schema whose error messages are in `locale` (the accepted values are the same in every language). */
export function intakeInputSchemaFor(locale: Locale): ReturnType<typeof schemaFor> {
  let schema = schemas.get(locale);
  if (schema === undefined) {
    schema = schemaFor(locale);
    schemas.set(locale, schema);
  }
  return schema;
}

/** The intake schema with English error messages. */
export const intakeInputSchema = intakeInputSchemaFor('en');

export type IntakeInput = z.infer<typeof intakeInputSchema>;

/** Converts zod issues into one message per field, worded for display next to the field in `locale`. */
export function toFieldErrors(error: z.ZodError, locale: Locale = 'en'): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_';
    if (byField.has(field)) continue;
    if (issue.code === 'unrecognized_keys') {
      byField.set('_', t(locale, 'intake.error.unknownFields', { fields: issue.keys.join(', ') }));
      continue;
    }
    if (issue.code === 'invalid_type' && issue.path.length === 0) {
      byField.set('_', t(locale, 'intake.error.notAnObject'));
      continue;
    }
    byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** Validates an intake; throws ShishinError('input_invalid') carrying every field error at once, worded in `locale`. */
export function parseIntake(value: unknown, locale: Locale = 'en'): IntakeInput {
  const result = intakeInputSchemaFor(locale).safeParse(value);
  if (!result.success) {
    const fields = toFieldErrors(result.error, locale);
    throw new ShishinError('input_invalid', t(locale, 'intake.error.invalidFields', { count: fields.length }), { fields });
  }
  return result.data;
}
