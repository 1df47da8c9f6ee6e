// The small declarative condition language of the risk rules file: a rule's `when` is a tree of
// `any_of` / `all_of` / `not` nodes whose leaves test one structured intake field. Leaves are checked
// against the intake schema when the rules file loads, so a typo in a field name or value fails
// loudly instead of silently never matching.
import { z } from 'zod';
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
  roles,
  type IntakeInput,
} from './intake-schema.js';

/** Structured intake fields a condition may test, with the values each one may take. */
export const conditionFields = {
  lifecycleStage: { kind: 'choice', values: lifecycleStages },
  role: { kind: 'choice', values: roles },
  modelSource: { kind: 'choice', values: modelSources },
  personalData: { kind: 'choice', values: personalDataLevels },
  decisionImpact: { kind: 'choice', values: decisionImpacts },
  exception: { kind: 'choice', values: exceptions },
  domains: { kind: 'list', values: domains },
  affectedPersons: { kind: 'list', values: affectedPersonGroups },
  regions: { kind: 'list', values: regions },
  practices: { kind: 'list', values: practices },
  profilesPeople: { kind: 'boolean', values: [true, false] },
  interactsWithPeople: { kind: 'boolean', values: [true, false] },
  generatesContent: { kind: 'boolean', values: [true, false] },
} as const;

export type ConditionField = keyof typeof conditionFields;

/** One leaf: a field and exactly one operator. */
export interface FieldTest {
  field: ConditionField;
  /** Choice or yes/no field equals the value. */
  equals?: string | boolean;
  /** Choice or yes/no field differs from the value. */
  not_equals?: string | boolean;
  /** Choice field is one of the values. */
  in?: string[];
  /** List field contains at least one of the values. */
  includes_any?: string[];
  /** List field contains every one of the values. */
  includes_all?: string[];
  /** List field is empty (`true`) or not empty (`false`). */
  is_empty?: boolean;
}

/** `{ always: true }` matches every intake (for rules that hold for every use case). */
export type Condition = { any_of: Condition[] } | { all_of: Condition[] } | { not: Condition } | { always: true } | FieldTest;

const operators = ['equals', 'not_equals', 'in', 'includes_any', 'includes_all', 'is_empty'] as const;
type Operator = (typeof operators)[number];

const operatorsByKind: Record<'choice' | 'list' | 'boolean', Operator[]> = {
  choice: ['equals', 'not_equals', 'in'],
  boolean: ['equals', 'not_equals'],
  list: ['includes_any', 'includes_all', 'is_empty'],
};

const fieldTestSchema = z
  .object({
    field: z.string(),
    equals: z.union([z.string(), z.boolean()]).optional(),
    not_equals: z.union([z.string(), z.boolean()]).optional(),
    in: z.array(z.string()).min(1).optional(),
    includes_any: z.array(z.string()).min(1).optional(),
    includes_all: z.array(z.string()).min(1).optional(),
    is_empty: z.boolean().optional(),
  })
  .strict()
  .superRefine((test, context) => {
    const definition = (conditionFields as Record<string, (typeof conditionFields)[ConditionField]>)[test.field];
    if (definition === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['field'],
        message: `unknown field "${test.field}"; a condition may test ${Object.keys(conditionFields).join(', ')}`,
      });
      return;
    }
    const used = operators.filter((operator) => test[operator] !== undefined);
    if (used.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `field "${test.field}" needs exactly one operator (${operatorsByKind[definition.kind].join(', ')}), found ${used.length}`,
      });
      return;
    }
    const operator = used[0] as Operator;
    if (!operatorsByKind[definition.kind].includes(operator)) {
      context.addIssue({
        code: 'custom',
        path: [operator],
        message: `operator "${operator}" does not apply to ${definition.kind} field "${test.field}"; use ${operatorsByKind[definition.kind].join(', ')}`,
      });
      return;
    }
    if (operator === 'is_empty') return;
    const raw = test[operator];
    const given = Array.isArray(raw) ? raw : [raw];
    const allowed: readonly (string | boolean)[] = definition.values;
    for (const value of given) {
      if (!allowed.includes(value as string | boolean)) {
        context.addIssue({
          code: 'custom',
          path: [operator],
          message: `"${String(value)}" is not a value of field "${test.field}" (allowed: ${allowed.map(String).join(', ')})`,
        });
      }
    }
  });

const anyOfSchema = z.object({ any_of: z.array(z.lazy(() => conditionSchema)).min(1) }).strict();
const allOfSchema = z.object({ all_of: z.array(z.lazy(() => conditionSchema)).min(1) }).strict();
const notSchema = z.object({ not: z.lazy(() => conditionSchema) }).strict();
const alwaysSchema = z.object({ always: z.literal(true) }).strict();

/**
 * Zod schema of a condition tree; validates field names, operators and values. Dispatches on the
 * node's keys (rather than a plain union) so a mistake deep in a tree is reported at its own path.
 */
export const conditionSchema: z.ZodType<Condition> = z.unknown().transform((value, context): Condition => {
  const schema =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? 'any_of' in value
        ? anyOfSchema
        : 'all_of' in value
          ? allOfSchema
          : 'not' in value
            ? notSchema
            : 'always' in value
              ? alwaysSchema
              : 'field' in value
                ? fieldTestSchema
                : undefined
      : undefined;
  if (schema === undefined) {
    context.addIssue({ code: 'custom', message: 'a condition must be any_of, all_of, not, always, or a field test ({field, <operator>})' });
    return z.NEVER;
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return result.data as Condition;
});

/** Evaluates a validated condition against an intake. */
export function evaluateCondition(condition: Condition, input: IntakeInput): boolean {
  if ('any_of' in condition) return condition.any_of.some((child) => evaluateCondition(child, input));
  if ('all_of' in condition) return condition.all_of.every((child) => evaluateCondition(child, input));
  if ('not' in condition) return !evaluateCondition(condition.not, input);
  if ('always' in condition) return true;
  const value: unknown = input[condition.field];
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.not_equals !== undefined) return value !== condition.not_equals;
  if (condition.in !== undefined) return condition.in.includes(value as string);
  const list = Array.isArray(value) ? (value as string[]) : [];
  if (condition.includes_any !== undefined) return condition.includes_any.some((item) => list.includes(item));
  if (condition.includes_all !== undefined) return condition.includes_all.every((item) => list.includes(item));
  if (condition.is_empty !== undefined) return (list.length === 0) === condition.is_empty;
  return false;
}

/** Every field a condition tests (for documentation and coverage checks). */
export function conditionFieldsUsed(condition: Condition): ConditionField[] {
  if ('any_of' in condition) return condition.any_of.flatMap(conditionFieldsUsed);
  if ('all_of' in condition) return condition.all_of.flatMap(conditionFieldsUsed);
  if ('not' in condition) return conditionFieldsUsed(condition.not);
  if ('always' in condition) return [];
  return [condition.field];
}
