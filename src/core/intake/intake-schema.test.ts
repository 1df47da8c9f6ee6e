import { describe, expect, it } from 'vitest';
import { isShishinError } from '../../errors.js';
import { intake } from '../../../test/intake/fixtures.js';
import { fieldLabel, intakeInputSchemaFor, parseIntake, toFieldErrors, valueLabel } from './intake-schema.js';

function fieldErrors(value: unknown): Record<string, string> {
  try {
    parseIntake(value);
  } catch (error) {
    if (!isShishinError(error, 'input_invalid')) throw error;
    return Object.fromEntries((error.fields ?? []).map((field) => [field.field, field.message]));
  }
  throw new Error('expected the intake to be rejected');
}

describe('intake schema', () => {
  it('accepts a complete intake, trims text, de-duplicates choices and defaults the exception', () => {
    const withoutException: Record<string, unknown> = { ...intake({ title: '  Notes  ', regions: ['EU', 'EU', 'JP'] }) };
    delete withoutException.exception;
    const parsed = parseIntake(withoutException);
    expect(parsed.title).toBe('Notes');
    expect(parsed.regions).toEqual(['EU', 'JP']);
    expect(parsed.exception).toBe('none');
  });

  it('reports every invalid field at once, in words a form can show next to the field', () => {
    const errors = fieldErrors({
      title: '',
      description: 'too short',
      lifecycleStage: 'someday',
      domains: ['astrology'],
      regions: [],
      profilesPeople: 'yes',
      unexpected: 1,
    });
    expect(errors).toMatchObject({
      title: 'Title is required.',
      description: 'Description must be at least 20 characters.',
      businessUnit: 'Business unit is required.',
      lifecycleStage: '"someday" is not one of the options. Choose a lifecycle stage.',
      role: 'Choose your role.',
      modelSource: 'Choose a model source.',
      domains: '"astrology" is not a listed domain. Choose domains from the list.',
      regions: 'Choose at least one region.',
      personalData: 'Choose the kind of personal data.',
      decisionImpact: 'Choose the decision impact.',
      profilesPeople: 'Profiles people: answer yes or no.',
      interactsWithPeople: 'Interacts with people: answer yes or no.',
      generatesContent: 'Generates content: answer yes or no.',
      _: 'Unknown field(s): unexpected.',
    });
    expect(Object.keys(errors)).toHaveLength(16);
  });

  it('asks for at least one domain and one region when the lists are empty', () => {
    const errors = fieldErrors(intake({ domains: [], regions: [] }));
    expect(errors).toEqual({ domains: 'Choose at least one domain.', regions: 'Choose at least one region.' });
  });

  it('rejects values outside the lists and over-long text', () => {
    const errors = fieldErrors({ ...intake(), title: 'x'.repeat(121), exception: 'because', practices: ['mind_reading'] });
    expect(errors.title).toBe('Title must be at most 120 characters.');
    expect(errors.exception).toContain('Choose an Art. 6(3) exception, or "none".');
    expect(errors.practices).toBe('"mind_reading" is not a listed practice. Choose practices from the list.');
  });

  it('says so when the intake is not an object at all', () => {
    expect(fieldErrors('a string')).toEqual({ _: 'The intake must be a JSON object.' });
  });
});

describe('intake errors in the reader’s language', () => {
  it('words every field error in Japanese for a Japanese reader, with the same fields as in English', () => {
    const input = { title: 'ab', description: 'short', businessUnit: '', lifecycleStage: 'someday', role: 'developer', modelSource: 'in_house', domains: [], personalData: 'none', decisionImpact: 'none', profilesPeople: 'maybe', interactsWithPeople: false, generatesContent: false, regions: ['JP', 'Mars'], practices: [] };
    const english = intakeInputSchemaFor('en').safeParse(input);
    const japanese = intakeInputSchemaFor('ja').safeParse(input);
    expect(english.success || japanese.success).toBe(false);
    if (english.success || japanese.success) return;
    const inEnglish = toFieldErrors(english.error, 'en');
    const inJapanese = toFieldErrors(japanese.error, 'ja');
    expect(inJapanese.map((error) => error.field)).toEqual(inEnglish.map((error) => error.field));
    const byField = Object.fromEntries(inJapanese.map((error) => [error.field, error.message]));
    expect(byField.title).toBe('タイトルは3文字以上で入力してください。');
    expect(byField.businessUnit).toBe('担当部署を入力してください。');
    expect(byField.lifecycleStage).toBe('「someday」は選択肢にありません。現在の段階を選んでください。');
    expect(byField.domains).toBe('利用分野を1つ以上選んでください。');
    expect(byField.profilesPeople).toBe('個人のプロファイリング：「はい」か「いいえ」で回答してください。');
    expect(byField.regions).toBe('「Mars」は利用地域の一覧にありません。利用地域を一覧から選んでください。');
    expect(Object.fromEntries(inEnglish.map((error) => [error.field, error.message])).title).toBe('Title must be at least 3 characters.');
    for (const { message } of inJapanese) expect(message, message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/u);
    expect(() => parseIntake(input, 'ja')).toThrow(/ユースケースに不備のある項目が 8 件あります。/u);
    expect(() => parseIntake({ ...input, extra: 1 }, 'ja')).toThrow();
    expect(toFieldErrors(intakeInputSchemaFor('ja').safeParse([]).error!, 'ja')).toEqual([{ field: '_', message: 'ユースケースはJSONオブジェクトで指定してください。' }]);
    expect(valueLabel('ja', 'sensitive')).toBe('要配慮個人情報');
    expect(valueLabel('ja', 'not_a_value')).toBe('not_a_value');
    expect(fieldLabel('ja', 'euRoles')).toBe('EU AI法上の立場');
  });
});
