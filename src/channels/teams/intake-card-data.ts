// Card data arriving from Teams (Action.Submit payloads) validated with zod at the edge. Adaptive Card
// inputs always arrive as strings: multi-select choices comma-separated, toggles as "true"/"false".
// This module turns them into the shapes core expects; core then validates the intake itself.
import { z } from 'zod';
import { decisions, type Decision } from '../../core/review/review-types.js';
import type { IntakeField } from '../../core/intake/intake-schema.js';
import { intakeFormFieldByName, intakeFormFields } from '../../core/intake/intake-form.js';

/** The intake fields in form order. */
export const intakeFields: IntakeField[] = intakeFormFields.map((field) => field.name);

/** The raw values a form card holds, keyed by field: what Teams sends back and what refills a card. */
export type IntakeFormValues = Partial<Record<IntakeField, string>>;

const cardText = z.string().max(10_000).optional();
const submissionId = z.string().regex(/^[A-Za-z0-9_-]{8,80}$/, 'invalid submission id');

const intakeFieldShape = Object.fromEntries(intakeFields.map((field) => [field, cardText])) as Record<
  IntakeField,
  typeof cardText
>;

/** The Action.Submit payload of the intake form. Unknown keys are dropped. */
export const intakeSubmitDataSchema = z.object({
  action: z.literal('intake.submit'),
  submissionId,
  /** Set when the card resubmits an intake after changes were requested. */
  previousId: z.string().max(40).optional(),
  ...intakeFieldShape,
});
export type IntakeSubmitData = z.infer<typeof intakeSubmitDataSchema>;

/** The Action.Submit payload of a review card. */
export const reviewDecisionDataSchema = z.object({
  action: z.literal('review.decide'),
  intakeId: z.string().min(1).max(40),
  decision: z.enum(decisions),
  comment: z.string().max(4000).optional(),
});
export type ReviewDecisionData = z.infer<typeof reviewDecisionDataSchema> & { decision: Decision };

/** "Ask the governance team" under an answer: carries the question back. */
export const escalateQuestionDataSchema = z.object({
  action: z.literal('ask.escalate'),
  question: z.string().trim().min(1).max(4000),
  answerId: z.string().max(100).optional(),
});

/** "Open the intake form" button (from help or status replies). */
export const openIntakeDataSchema = z.object({ action: z.literal('intake.open') });

/** "Revise and resubmit" after changes were requested: opens the form prefilled from that intake. */
export const reviseIntakeDataSchema = z.object({ action: z.literal('intake.revise'), intakeId: z.string().min(1).max(40) });

/**
 * "Save" on an obligation item's update form. The form's inputs arrive beside it, keyed
 * `<field>-<item id>` (see obligation-cards.ts), so they are kept and read with `obligationFormValues`.
 */
export const obligationUpdateDataSchema = z.looseObject({
  action: z.literal('obligation.update'),
  itemId: z.string().min(1).max(40),
  revision: z.number().int().positive().optional(),
});
export type ObligationUpdateData = z.infer<typeof obligationUpdateDataSchema>;

/** Every card payload this door understands. */
export const cardDataSchema = z.discriminatedUnion('action', [
  intakeSubmitDataSchema,
  reviewDecisionDataSchema,
  escalateQuestionDataSchema,
  openIntakeDataSchema,
  reviseIntakeDataSchema,
  obligationUpdateDataSchema,
]);

const formValue = z.string().max(4000).optional().catch(undefined);

/**
 * The values of one item's update form, in the obligation service's terms (validated there): blank
 * text removes a note, link or reason; a blank date or owner changes nothing (the pickers cannot be
 * cleared).
 */
export function obligationFormValues(data: ObligationUpdateData): {
  status?: string;
  evidence?: { note?: string; link?: string };
  reason?: string;
  dueAt?: string;
  owner?: string;
  comment?: string;
} {
  const read = (field: string) => formValue.parse(data[`${field}-${data.itemId}`]);
  const status = read('status');
  const note = read('note');
  const link = read('link');
  const reason = read('reason');
  const due = read('due');
  const owner = read('owner');
  const comment = read('comment');
  return {
    ...(status === undefined || status === '' ? {} : { status }),
    ...(note === undefined && link === undefined ? {} : { evidence: { ...(note === undefined ? {} : { note }), ...(link === undefined ? {} : { link }) } }),
    ...(reason === undefined ? {} : { reason }),
    ...(due === undefined || due.trim() === '' ? {} : { dueAt: due.trim() }),
    ...(owner === undefined || owner.trim() === '' ? {} : { owner: `teams:${owner.trim()}` }),
    ...(comment === undefined || comment.trim() === '' ? {} : { comment: comment.trim() }),
  };
}
export type CardData = z.infer<typeof cardDataSchema>;

/** The raw form values of a submission, to refill the card when it comes back with errors. */
export function formValuesFromSubmission(data: IntakeSubmitData): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const field of intakeFields) {
    const value = data[field];
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/**
 * Converts card strings into the intake's JSON shape: blank → absent (so core reports "required"),
 * comma lists → arrays, "true"/"false" → booleans. Anything else is passed through for core to reject.
 */
export function intakeCandidateFromValues(values: IntakeFormValues): Record<string, unknown> {
  const candidate: Record<string, unknown> = {};
  for (const field of intakeFields) {
    const raw = values[field];
    const { kind } = intakeFormFieldByName[field];
    if (raw === undefined) {
      if (kind === 'multiple') candidate[field] = [];
      continue;
    }
    switch (kind) {
      case 'multiple':
        candidate[field] = raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
        break;
      case 'boolean':
        candidate[field] = raw === 'true' ? true : raw === 'false' ? false : raw;
        break;
      default:
        if (raw.trim() !== '') candidate[field] = raw;
    }
  }
  return candidate;
}

/** The raw form values for an existing intake (to prefill a resubmission). */
export function formValuesFromInput(input: Record<string, unknown>): IntakeFormValues {
  const values: IntakeFormValues = {};
  for (const field of intakeFields) {
    const value = input[field];
    if (Array.isArray(value)) values[field] = value.map(String).join(',');
    else if (typeof value === 'boolean') values[field] = value ? 'true' : 'false';
    else if (typeof value === 'string') values[field] = value;
  }
  return values;
}
