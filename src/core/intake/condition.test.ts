import { describe, expect, it } from 'vitest';
import { intake } from '../../../test/intake/fixtures.js';
import { conditionSchema, evaluateCondition, type Condition } from './condition.js';

const check = (condition: unknown, overrides = {}) => evaluateCondition(conditionSchema.parse(condition) as Condition, intake(overrides));

describe('condition language', () => {
  it('equals / not_equals on choice and yes/no fields', () => {
    expect(check({ field: 'personalData', equals: 'sensitive' }, { personalData: 'sensitive' })).toBe(true);
    expect(check({ field: 'personalData', equals: 'sensitive' }, { personalData: 'personal' })).toBe(false);
    expect(check({ field: 'exception', not_equals: 'none' }, { exception: 'preparatory_task' })).toBe(true);
    expect(check({ field: 'exception', not_equals: 'none' })).toBe(false);
    expect(check({ field: 'profilesPeople', equals: true }, { profilesPeople: true })).toBe(true);
    expect(check({ field: 'profilesPeople', equals: true })).toBe(false);
  });

  it('in on a choice field', () => {
    expect(check({ field: 'role', in: ['developer', 'provider'] }, { role: 'provider' })).toBe(true);
    expect(check({ field: 'role', in: ['developer', 'provider'] })).toBe(false);
  });

  it('includes_any / includes_all / is_empty on list fields', () => {
    expect(check({ field: 'domains', includes_any: ['employment', 'education'] }, { domains: ['marketing', 'education'] })).toBe(true);
    expect(check({ field: 'domains', includes_any: ['employment'] })).toBe(false);
    expect(check({ field: 'regions', includes_all: ['EU', 'JP'] }, { regions: ['JP', 'EU'] })).toBe(true);
    expect(check({ field: 'regions', includes_all: ['EU', 'JP'] }, { regions: ['EU'] })).toBe(false);
    expect(check({ field: 'practices', is_empty: true })).toBe(true);
    expect(check({ field: 'practices', is_empty: false }, { practices: ['social_scoring'] })).toBe(true);
  });

  it('any_of, all_of, not and always combine', () => {
    const condition = {
      all_of: [
        { field: 'domains', includes_any: ['employment'] },
        { any_of: [{ field: 'exception', equals: 'none' }, { field: 'profilesPeople', equals: true }] },
        { not: { field: 'regions', includes_any: ['US'] } },
      ],
    };
    expect(check(condition, { domains: ['employment'] })).toBe(true);
    expect(check(condition, { domains: ['employment'], exception: 'preparatory_task' })).toBe(false);
    expect(check(condition, { domains: ['employment'], exception: 'preparatory_task', profilesPeople: true })).toBe(true);
    expect(check(condition, { domains: ['employment'], regions: ['US'] })).toBe(false);
    expect(check({ always: true })).toBe(true);
  });

  it('rejects unknown fields, unknown values, wrong operators and empty nodes, naming the path', () => {
    const messages = (condition: unknown) => {
      const result = conditionSchema.safeParse(condition);
      expect(result.success).toBe(false);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(messages({ field: 'domian', includes_any: ['employment'] })[0]).toMatch(/^field: unknown field "domian"/);
    expect(messages({ any_of: [{ field: 'domains', includes_any: ['hr'] }] })[0]).toMatch(/^any_of.0.includes_any: "hr" is not a value of field "domains"/);
    expect(messages({ field: 'profilesPeople', includes_any: ['yes'] })[0]).toMatch(/operator "includes_any" does not apply to boolean field/);
    expect(messages({ field: 'role', equals: 'provider', in: ['developer'] })[0]).toMatch(/needs exactly one operator/);
    expect(messages({ field: 'title', equals: 'x' })[0]).toMatch(/unknown field "title"/);
    expect(messages({ all_of: [] })[0]).toMatch(/all_of/);
    expect(messages({ sometimes: true })[0]).toMatch(/a condition must be/);
  });
});
