// The AI use-case intake: the one input shape that the Slack modal, the Teams card, the web form and
// the CLI all produce. Field names and values are a stable interface.
import { z } from 'zod';
import { ShishinError, type FieldError } from '../../errors.js';

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

/** Human labels for every enumerated value, shared by all forms. */
export const valueLabels: Record<string, string> = {
  idea: 'Idea',
  development: 'In development',
  pilot: 'Pilot',
  production: 'In production',
  developer: 'AI developer (we build the model or system)',
  provider: 'AI provider (we offer it to others)',
  business_user: 'AI business user (we use it in our work)',
  eu_provider: 'Provider (we place it on the market or put it into service under our name)',
  eu_deployer: 'Deployer (we use it under our authority)',
  eu_importer: 'Importer (we bring a non-EU provider\'s system onto the EU market)',
  eu_distributor: 'Distributor (we make it available without being provider or importer)',
  in_house: 'Built in-house',
  third_party_api: 'Third-party API',
  open_source: 'Open-source model',
  vendor_product: 'Vendor product',
  biometrics: 'Biometrics',
  critical_infrastructure: 'Critical infrastructure',
  education: 'Education and training',
  employment: 'Employment and HR',
  essential_public_services: 'Essential public services',
  credit_scoring: 'Credit scoring',
  life_health_insurance: 'Life or health insurance',
  emergency_services: 'Emergency services',
  law_enforcement: 'Law enforcement',
  migration_border: 'Migration and border control',
  justice: 'Justice',
  elections: 'Elections and democratic processes',
  product_safety_component: 'Safety component of a regulated product',
  healthcare: 'Healthcare',
  customer_service: 'Customer service',
  marketing: 'Marketing',
  content_creation: 'Content creation',
  internal_productivity: 'Internal productivity',
  software_development: 'Software development',
  research: 'Research',
  other: 'Other',
  employees: 'Employees',
  job_applicants: 'Job applicants',
  students: 'Students',
  customers: 'Customers',
  general_public: 'General public',
  children: 'Children',
  vulnerable_groups: 'Vulnerable groups',
  none: 'None',
  personal: 'Personal data',
  sensitive: 'Sensitive personal data',
  assistive: 'Assistive (a person decides)',
  significant: 'Significant (strongly shapes decisions)',
  automated: 'Automated (decides without a person)',
  JP: 'Japan',
  EU: 'European Union',
  US: 'United States',
  subliminal_manipulation: 'Subliminal or manipulative techniques',
  exploiting_vulnerabilities: 'Exploiting vulnerabilities (age, disability, situation)',
  social_scoring: 'Social scoring',
  crime_prediction_by_profiling: 'Predicting crime from profiling',
  untargeted_face_scraping: 'Untargeted scraping of facial images',
  emotion_recognition_work_or_education: 'Emotion recognition at work or in education',
  biometric_categorisation_sensitive: 'Biometric categorisation by sensitive traits',
  realtime_remote_biometric_id_public: 'Real-time remote biometric identification in public',
  narrow_procedural_task: 'Narrow procedural task',
  improves_completed_human_activity: 'Improves a completed human activity',
  detects_patterns_without_replacing_review: 'Detects patterns without replacing human review',
  preparatory_task: 'Preparatory task',
};

/** Field labels, for forms and error messages. */
export const fieldLabels = {
  title: 'Title',
  description: 'Description',
  businessUnit: 'Business unit',
  lifecycleStage: 'Lifecycle stage',
  role: 'Our role',
  euRoles: 'EU AI Act role',
  modelSource: 'Model source',
  domains: 'Domains',
  affectedPersons: 'Affected persons',
  personalData: 'Personal data',
  decisionImpact: 'Decision impact',
  profilesPeople: 'Profiles people',
  interactsWithPeople: 'Interacts with people',
  generatesContent: 'Generates content',
  regions: 'Regions',
  practices: 'Practices',
  exception: 'Art. 6(3) exception',
} as const;

export type IntakeField = keyof typeof fieldLabels;

const describeInput = (input: unknown): string =>
  typeof input === 'string' ? `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}"` : 'That value';

const choice = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) => (issue.input === undefined || issue.input === null || issue.input === '' ? `Choose ${what}.` : `${describeInput(issue.input)} is not one of the options. Choose ${what}.`),
  });

const choices = <T extends readonly [string, ...string[]]>(values: T, noun: string, plural: string, minimum: number) =>
  z
    .array(
      z.enum(values, { error: (issue) => `${describeInput(issue.input)} is not a listed ${noun}. Choose ${plural} from the list.` }),
      {
        error: (issue) =>
          issue.input !== undefined && issue.input !== null
            ? `Give ${plural} as a list, e.g. ["${values[0]}"].`
            : minimum > 0
              ? `Choose at least one ${noun}.`
              : `Choose any ${plural} that apply, or none.`,
      },
    )
    .min(minimum, { error: () => `Choose at least one ${noun}.` })
    .transform((items) => [...new Set(items)]);

const text = (label: string, minimum: number, maximum: number) =>
  z
    .string({ error: () => `${label} is required.` })
    .trim()
    .min(minimum, {
      error: (issue) =>
        typeof issue.input === 'string' && issue.input.length === 0
          ? `${label} is required.`
          : `${label} must be at least ${minimum} characters.`,
    })
    .max(maximum, { error: () => `${label} must be at most ${maximum} characters.` });

const yesNo = (label: string) => z.boolean({ error: () => `${label}: answer yes or no.` });

export const intakeInputSchema = z
  .object({
    title: text('Title', 3, 120),
    description: text('Description', 20, 4000),
    businessUnit: text('Business unit', 1, 80),
    lifecycleStage: choice(lifecycleStages, 'a lifecycle stage'),
    role: choice(roles, 'your role'),
    euRoles: choices(euRoles, 'EU AI Act role', 'EU AI Act roles', 0).default([]),
    modelSource: choice(modelSources, 'a model source'),
    domains: choices(domains, 'domain', 'domains', 1),
    affectedPersons: choices(affectedPersonGroups, 'affected person group', 'affected person groups', 0),
    personalData: choice(personalDataLevels, 'the kind of personal data'),
    decisionImpact: choice(decisionImpacts, 'the decision impact'),
    profilesPeople: yesNo('Profiles people'),
    interactsWithPeople: yesNo('Interacts with people'),
    generatesContent: yesNo('Generates content'),
    regions: choices(regions, 'region', 'regions', 1),
    practices: choices(practices, 'practice', 'practices', 0),
    exception: choice(exceptions, 'an Art. 6(3) exception, or "none"').default('none'),
  })
  .strict();

export type IntakeInput = z.infer<typeof intakeInputSchema>;

/** Converts zod issues into one message per field, worded for display next to the field. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '_';
    if (byField.has(field)) continue;
    if (issue.code === 'unrecognized_keys') {
      byField.set('_', `Unknown field(s): ${issue.keys.join(', ')}.`);
      continue;
    }
    if (issue.code === 'invalid_type' && issue.path.length === 0) {
      byField.set('_', 'The intake must be a JSON object.');
      continue;
    }
    byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** Validates an intake; throws ShishinError('input_invalid') carrying every field error at once. */
export function parseIntake(value: unknown): IntakeInput {
  const result = intakeInputSchema.safeParse(value);
  if (!result.success) {
    const fields = toFieldErrors(result.error);
    throw new ShishinError('input_invalid', `The intake has ${fields.length} invalid field(s).`, { fields });
  }
  return result.data;
}
