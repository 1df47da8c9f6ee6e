// zod helpers for the web edge: parse a body or query and turn failures into field errors, worded in
// the reader's language (the schemas word their own field messages; see api-router.ts).
import { z } from 'zod';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { ShishinError, type FieldError } from '../../errors.js';

function fieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/**
 * Parses `value` or throws ShishinError('input_invalid') listing the fields at fault; `what` names the
 * body in `locale` ("The question").
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string, locale: Locale = 'en'): z.infer<Schema> {
  if (value === undefined) {
    throw new ShishinError('input_invalid', t(locale, 'api.notAJsonObject', { what }));
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    throw new ShishinError('input_invalid', t(locale, 'api.invalidFields', { what, count: fields.length }), { fields });
  }
  return result.data;
}
