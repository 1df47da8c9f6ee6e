// Intake submission from the web door (JSON API and console form) with an idempotency key. The core
// service returns the first intake for a repeated key; a repeat is a retry only when it carries the
// same intake, so a reused key with a different body (or a different `replaces`) is refused with 422
// rather than silently answered with an intake the caller did not send.
import type { AppContext } from '../../app-context.js';
import { parseIntake } from '../../core/intake/intake-schema.js';
import type { SubmitRequest } from '../../core/review/intake-service.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { t } from '../../core/i18n/translate.js';
import { ShishinError } from '../../errors.js';

/** JSON with object keys sorted and undefined members dropped, so equal values compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
  });
}

/** Whether `request` is a retry of the submission that created `record`. */
export function isSameSubmission(record: IntakeRecord, request: SubmitRequest): boolean {
  if ((record.previousId ?? undefined) !== request.previousId) return false;
  let input: unknown;
  try {
    input = parseIntake(request.input);
  } catch {
    return false;
  }
  return canonicalJson(input) === canonicalJson(record.input);
}

/** Submits; a repeated key with a different intake → ShishinError('idempotency_key_reused') (422), worded in the request's locale. */
export async function submitIntake(app: AppContext, request: SubmitRequest): Promise<{ record: IntakeRecord; created: boolean }> {
  const result = await app.intakes.submit(request);
  if (!result.created && !isSameSubmission(result.record, request)) {
    const locale = request.locale ?? 'en';
    throw new ShishinError('idempotency_key_reused', t(locale, 'api.idempotencyReused', { id: result.record.id }), {
      fields: [{ field: 'Idempotency-Key', message: t(locale, 'api.idempotencyReusedField') }],
    });
  }
  return result;
}
