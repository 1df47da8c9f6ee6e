import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { intakeFormFieldByName, intakeFormFields, intakeFormSections, type IntakeFieldKind } from './intake-form.js';
import { fieldLabels, intakeInputSchema, type IntakeField } from './intake-schema.js';

const schemaFields = Object.keys(intakeInputSchema.shape) as IntakeField[];

/** What the schema itself says about a field, read from the zod types (not from the descriptor). */
function schemaFacts(name: IntakeField): { kinds: IntakeFieldKind[]; values?: readonly unknown[]; required: boolean; maxLength?: number } {
  let type: z.core.$ZodType = intakeInputSchema.shape[name];
  const required = !z.safeParse(type, undefined).success && !z.safeParse(type, []).success;
  if (type instanceof z.ZodDefault) type = type.unwrap();
  if (type instanceof z.ZodPipe) type = type.in;
  if (type instanceof z.ZodString) return { kinds: ['text', 'multiline'], required, maxLength: type.maxLength ?? undefined };
  if (type instanceof z.ZodBoolean) return { kinds: ['boolean'], required };
  if (type instanceof z.ZodEnum) return { kinds: ['single'], values: type.options, required };
  if (type instanceof z.ZodArray && type.element instanceof z.ZodEnum) {
    return { kinds: ['multiple'], values: type.element.options, required };
  }
  throw new Error(`The test does not know the schema type of "${name}".`);
}

describe('intake form descriptor', () => {
  it('describes exactly the schema fields, once each, in the schema order', () => {
    expect(intakeFormFields.map((field) => field.name)).toEqual(schemaFields);
    expect(schemaFields).toEqual(Object.keys(fieldLabels));
  });

  it.each(schemaFields)('matches the schema for %s: kind, values, required and length limit', (name) => {
    const field = intakeFormFieldByName[name];
    const facts = schemaFacts(name);
    expect(facts.kinds).toContain(field.kind);
    expect(field.values).toEqual(facts.values);
    expect(field.required).toBe(facts.required);
    expect(field.maxLength).toBe(facts.maxLength);
    expect(field.help.trim().length).toBeGreaterThan(10);
  });

  it('leaves optional lists and the defaulted exception not required, and the rest required', () => {
    const optional = intakeFormFields.filter((field) => !field.required).map((field) => field.name);
    expect(optional).toEqual(['euRoles', 'affectedPersons', 'practices', 'exception']);
  });

  it('uses multi-line text for the description only', () => {
    expect(intakeFormFields.filter((field) => field.kind === 'multiline').map((field) => field.name)).toEqual(['description']);
  });

  it('puts every field in exactly one section', () => {
    const inSections = intakeFormSections.flatMap((section) => section.fields);
    expect([...inSections].sort()).toEqual([...schemaFields].sort());
    expect(new Set(inSections).size).toBe(inSections.length);
    for (const section of intakeFormSections) expect(section.heading.trim()).not.toBe('');
  });
});
