// The risk rules file (`rules/risk-rules.yaml`): the organisation's classification rules as data the
// governance team can read, review and change. This module defines its shape and loads it; every
// mistake (unknown field, unknown obligation, duplicate id, rule without a citation, a summary,
// obligation, vendor ask or flag reason missing a language) fails loudly with a
// ShishinError('config_invalid') that names the rule.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ShishinError } from '../../errors.js';
import { localizedTextSchema, type LocalizedText } from '../i18n/localized-text.js';
import { riskTiers, type RiskTier } from './classification.js';
import { conditionSchema, type Condition } from './condition.js';
import { regions } from './intake-schema.js';
import { obligationRoles, type ObligationRole } from './roles.js';

/** A pointer into the corpus: source file and heading path (joined with ' › ', from the `##` heading). */
export interface CitationReference {
  source: string;
  section: string;
}

const citationReferenceSchema = z
  .object({
    source: z.string().min(1, 'source must name a corpus file'),
    section: z.string().min(1, 'section must name a heading path'),
  })
  .strict();

const citesSchema = z.array(citationReferenceSchema).min(1, 'must cite at least one corpus section');

const identifierSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'ids use lower-case letters, digits, dots, dashes and underscores');

const obligationSchema = z
  .object({
    text: localizedTextSchema(),
    framework: localizedTextSchema(),
    /** Regions the obligation applies in; `any` means every intake. */
    regions: z.array(z.enum([...regions, 'any'])).min(1),
    /** Whose duty it is: `any`, EU AI Act operators (`eu_…`) or Japan AI business operators (`jp_…`). */
    roles: z.array(z.enum(obligationRoles)).min(1, 'must name the roles it binds (or `any`)'),
    /** For a provider's or developer's duty: what a deployer should ask the vendor for instead. */
    ask_vendor: localizedTextSchema().optional(),
    /** Narrows the obligation further (e.g. some domains only), over the same intake fields as rules. */
    applies_when: conditionSchema.optional(),
    cites: citesSchema,
  })
  .strict();

const ruleSchema = z
  .object({
    id: identifierSchema,
    tier: z.enum(riskTiers),
    when: conditionSchema,
    summary: localizedTextSchema({ check: (value) => !value.includes('\n'), message: 'summary must be one line' }),
    obligations: z.array(z.string()).default([]),
    cites: citesSchema,
  })
  .strict();

const flagSchema = z
  .object({
    id: identifierSchema,
    when: conditionSchema,
    /** Plain words shown to the submitter and the reviewers. */
    reason: localizedTextSchema(),
  })
  .strict();

const reviewIntervalSchema = z
  .object({
    /** Months from an approval to the next review. */
    months: z.number().int().min(1).max(120),
    /** Days from the approval to the due date of its obligation items; default: the next review. */
    items_due_days: z.number().int().min(1).max(3650).optional(),
    cites: citesSchema.optional(),
  })
  .strict();

const rulesFileSchema = z
  .object({
    /** Format version of the file (not of the rules). */
    format: z.literal(1),
    obligations: z.record(identifierSchema, obligationSchema),
    rules: z.array(ruleSchema).min(1),
    flags: z.array(flagSchema).default([]),
    /** How often an approved use case of each tier is reviewed again; tiers not listed are not rescheduled. */
    review_intervals: z.partialRecord(z.enum(riskTiers), reviewIntervalSchema).default({}),
  })
  .strict();

export interface ObligationDefinition {
  id: string;
  /** The checklist text in every language. */
  text: LocalizedText;
  /** The framework's name in every language (`EU AI Act` / `EU AI法`). */
  framework: LocalizedText;
  regions: (Region | 'any')[];
  roles: ObligationRole[];
  askVendor: LocalizedText | undefined;
  appliesWhen: Condition | undefined;
  cites: CitationReference[];
}

type Region = (typeof regions)[number];

export interface RuleDefinition {
  id: string;
  tier: RiskTier;
  when: Condition;
  summary: LocalizedText;
  obligations: string[];
  cites: CitationReference[];
}

/** The re-review schedule of one tier. */
export interface ReviewInterval {
  tier: RiskTier;
  months: number;
  /** Days from the approval until its obligation items are due; undefined: due at the next review. */
  itemsDueDays: number | undefined;
  cites: CitationReference[];
}

export interface FlagDefinition {
  id: string;
  when: Condition;
  reason: LocalizedText;
}

/** A loaded, validated rules file. */
export interface RulesFile {
  /** Short sha256 of the file's bytes, recorded with every classification. */
  version: string;
  /** Where it was loaded from (or `inline`). */
  path: string;
  rules: RuleDefinition[];
  obligations: Map<string, ObligationDefinition>;
  flags: FlagDefinition[];
  /** Re-review intervals by tier (`review_intervals`). */
  reviewIntervals: Map<RiskTier, ReviewInterval>;
}

function describeIssues(error: z.ZodError, document: unknown): string {
  return error.issues
    .map((issue) => {
      const [top, index] = issue.path;
      let where = issue.path.join('.');
      if (top === 'rules' && typeof index === 'number') {
        const rule = (document as { rules?: { id?: unknown }[] }).rules?.[index];
        if (typeof rule?.id === 'string') where = `rule "${rule.id}" (${issue.path.slice(2).join('.') || 'itself'})`;
      } else if (top === 'obligations' && typeof index === 'string') {
        where = `obligation "${index}" (${issue.path.slice(2).join('.') || 'itself'})`;
      } else if (top === 'review_intervals' && typeof index === 'string') {
        where = `review interval "${index}" (${issue.path.slice(2).join('.') || 'itself'})`;
      } else if (top === 'flags' && typeof index === 'number') {
        const flag = (document as { flags?: { id?: unknown }[] }).flags?.[index];
        if (typeof flag?.id === 'string') where = `flag "${flag.id}" (${issue.path.slice(2).join('.') || 'itself'})`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses and validates rules-file text. `origin` names the file in error messages. */
export function parseRules(text: string, origin = 'inline'): RulesFile {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw new ShishinError('config_invalid', `Rules file ${origin} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const parsed = rulesFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new ShishinError('config_invalid', `Rules file ${origin} is invalid — ${describeIssues(parsed.error, document)}`, {
      cause: parsed.error,
    });
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of parsed.data.rules) {
    if (seen.has(rule.id)) problems.push(`rule "${rule.id}" is defined twice`);
    seen.add(rule.id);
    for (const obligation of rule.obligations) {
      if (!(obligation in parsed.data.obligations)) {
        problems.push(`rule "${rule.id}" lists unknown obligation "${obligation}"`);
      }
    }
  }
  for (const flag of parsed.data.flags) {
    if (seen.has(flag.id)) problems.push(`flag "${flag.id}" reuses an id`);
    seen.add(flag.id);
  }
  if (problems.length > 0) {
    throw new ShishinError('config_invalid', `Rules file ${origin} is invalid — ${problems.join('; ')}`);
  }
  const obligations = new Map<string, ObligationDefinition>();
  for (const [id, obligation] of Object.entries(parsed.data.obligations)) {
    obligations.set(id, {
      id,
      text: obligation.text,
      framework: obligation.framework,
      regions: obligation.regions,
      roles: obligation.roles,
      askVendor: obligation.ask_vendor,
      appliesWhen: obligation.applies_when,
      cites: obligation.cites,
    });
  }
  const reviewIntervals = new Map<RiskTier, ReviewInterval>();
  for (const tier of riskTiers) {
    const interval = parsed.data.review_intervals[tier];
    if (interval === undefined) continue;
    reviewIntervals.set(tier, { tier, months: interval.months, itemsDueDays: interval.items_due_days, cites: interval.cites ?? [] });
  }
  return {
    version: createHash('sha256').update(text).digest('hex').slice(0, 12),
    path: origin,
    rules: parsed.data.rules,
    obligations,
    flags: parsed.data.flags,
    reviewIntervals,
  };
}

/** Reads and validates a rules file. Throws ShishinError('config_invalid') naming the rule at fault. */
export function loadRules(file: string): RulesFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ShishinError('config_invalid', `Cannot read the rules file ${file} (set RULES_FILE)`, { cause });
  }
  return parseRules(text, file);
}
