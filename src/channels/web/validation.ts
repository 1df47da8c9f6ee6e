// zod helpers for the web edge: parse a body or query and turn failures into field errors.
import { z } from 'zod';
import { ShishinError, type FieldError } from '../../errors.js';

function fieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** Parses `value` or throws ShishinError('input_invalid') listing the fields at fault. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.infer<Schema> {
  if (value === undefined) {
    throw new ShishinError('input_invalid', `${what} must be a JSON object (send Content-Type: application/json).`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    throw new ShishinError('input_invalid', `${what} has ${fields.length} invalid field(s).`, { fields });
  }
  return result.data;
}
