// Property-based checks of the intake schema: any value at all either parses or throws
// ShishinError('input_invalid') with field errors naming real fields; any intake built from the
// listed options parses; and one bad field never hides another.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affectedPersonGroups,
  decisionImpacts,
  domains,
  exceptions,
  fieldLabels,
  lifecycleStages,
  modelSources,
  parseIntake,
  personalDataLevels,
  practices,
  regions,
  roles,
} from '../../src/core/intake/intake-schema.js';
import { isShishinError } from '../../src/errors.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';

const knownFields = new Set([...Object.keys(fieldLabels), '_']);

function parseOutcome(value: unknown): { ok: true } | { ok: false; fields: string[] } {
  try {
    parseIntake(value);
    return { ok: true };
  } catch (error) {
    if (!isShishinError(error, 'input_invalid')) throw new Error(`parseIntake threw something else: ${String(error)}`);
    expect(error.message).toMatch(/invalid field/);
    const fields = (error.fields ?? []).map((field) => field.field);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(knownFields.has(field), `unknown field name ${field}`).toBe(true);
    for (const field of error.fields ?? []) expect(field.message.length).toBeGreaterThan(0);
    return { ok: false, fields };
  }
}

const subset = <T extends string>(values: readonly T[], minimum: number) => fc.uniqueArray(fc.constantFrom(...values), { minLength: minimum, maxLength: values.length });
const textOf = (minimum: number, maximum: number) => fc.string({ minLength: minimum, maxLength: maximum }).filter((value) => value.trim().length >= minimum);

const validIntake = fc.record({
  title: textOf(3, 120),
  description: textOf(20, 400),
  businessUnit: textOf(1, 80),
  lifecycleStage: fc.constantFrom(...lifecycleStages),
  role: fc.constantFrom(...roles),
  modelSource: fc.constantFrom(...modelSources),
  domains: subset(domains, 1),
  affectedPersons: subset(affectedPersonGroups, 0),
  personalData: fc.constantFrom(...personalDataLevels),
  decisionImpact: fc.constantFrom(...decisionImpacts),
  profilesPeople: fc.boolean(),
  interactsWithPeople: fc.boolean(),
  generatesContent: fc.boolean(),
  regions: subset(regions, 1),
  practices: subset(practices, 0),
  exception: fc.constantFrom(...exceptions),
});

describe('intake schema under fuzzing', () => {
  it('throws nothing but input_invalid for any value at all', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (value) => {
        parseOutcome(value);
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but input_invalid when random fields of a valid intake are replaced', () => {
    const replacement = fc.dictionary(
      fc.constantFrom(...Object.keys(cvScreeningIntake), 'unexpected', '__proto__', 'constructor', 'toString'),
      fc.oneof(fc.anything(), fc.string({ maxLength: 5000 }), fc.constant(null), fc.constant(undefined)),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(replacement, (fields) => {
        parseOutcome({ ...cvScreeningIntake, ...fields });
      }),
      { numRuns: 200 },
    );
  });

  it('accepts every intake built from the listed options', () => {
    fc.assert(
      fc.property(validIntake, (intake) => {
        expect(parseOutcome(intake)).toEqual({ ok: true });
      }),
      { numRuns: 150 },
    );
  });

  it('reports every broken field at once', () => {
    const breakable = ['title', 'description', 'lifecycleStage', 'role', 'domains', 'regions', 'profilesPeople'] as const;
    fc.assert(
      fc.property(validIntake, fc.uniqueArray(fc.constantFrom(...breakable), { minLength: 1, maxLength: breakable.length }), (intake, broken) => {
        const value: Record<string, unknown> = { ...intake };
        for (const field of broken) value[field] = 12345;
        const outcome = parseOutcome(value);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect([...outcome.fields].sort()).toEqual([...broken].sort());
      }),
      { numRuns: 100 },
    );
  });
});
