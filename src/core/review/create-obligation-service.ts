// The obligation-item service: validates a change, checks who may make it, and writes the item's
// next revision with its `obligation.updated` audit entry (compare-and-set, so concurrent edits
// from two doors or replicas never overwrite each other silently). Every door calls this one
// implementation.
import { z } from 'zod';
import { actorKey, parseActorKey, type Actor } from '../actor.js';
import { ShishinError, type FieldError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Clock } from '../../ports/clock.js';
import type { IntakeStore } from '../../ports/intake-store.js';
import { itemChanges, itemUpdatedAuditEntry } from './intake-audit.js';
import type { IntakeService } from './intake-service.js';
import type { ObligationEntry, ObligationPermissions, ObligationService, ObligationUpdateRequest } from './obligation-service.js';
import { intakeIdOfItem, obligationStatuses, type ObligationEvidence, type ObligationItem } from './obligation-types.js';
import { trackedStatuses } from './review-transitions.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { IntakeRecord } from './review-types.js';

export interface ObligationServiceOptions {
  store: IntakeStore;
  /** For reading intakes and knowing who is a governance member. */
  intakes: Pick<IntakeService, 'get' | 'isGovernanceMember'>;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
}

export const maximumEvidenceNoteLength = 2000;
export const maximumEvidenceLinkLength = 2000;
export const maximumReasonLength = 1000;
export const maximumItemCommentLength = 1000;

const statusLabels: Record<string, string> = { open: 'open', done: 'done', not_applicable: 'not applicable' };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const dueDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** The change schema with its messages in `locale`. */
function changeSchemaFor(locale: Locale) {
  /** Text that may be absent; an empty (or blank) string means "remove". */
  const optionalText = (maximum: number, notText: string, tooLong: string) =>
    z
      .string({ error: () => notText })
      .trim()
      .max(maximum, { error: () => tooLong })
      .optional();
  const ownerFormat = t(locale, 'obligation.error.ownerFormat');
  const dueFormat = t(locale, 'obligation.error.dueFormat');
  return z.object({
    status: z.enum(obligationStatuses, { error: () => t(locale, 'obligation.error.chooseStatus') }).optional(),
    note: optionalText(maximumEvidenceNoteLength, t(locale, 'obligation.error.noteNotText'), t(locale, 'obligation.error.noteTooLong', { limit: maximumEvidenceNoteLength })),
    link: optionalText(maximumEvidenceLinkLength, t(locale, 'obligation.error.linkNotText'), t(locale, 'obligation.error.linkTooLong', { limit: maximumEvidenceLinkLength })).refine(
      (value) => value === undefined || value === '' || isHttpUrl(value),
      { error: () => t(locale, 'obligation.error.linkNotHttp') },
    ),
    reason: optionalText(maximumReasonLength, t(locale, 'obligation.error.reasonNotText'), t(locale, 'obligation.error.reasonTooLong', { limit: maximumReasonLength })),
    owner: z
      .string({ error: () => ownerFormat })
      .trim()
      .max(300, { error: () => t(locale, 'obligation.error.ownerTooLong', { limit: 300 }) })
      .refine((value) => parseActorKey(value) !== undefined, { error: () => ownerFormat })
      .optional(),
    dueAt: z
      .union([z.null(), z.string({ error: () => dueFormat })])
      .optional()
      .transform((value, context) => {
        if (value === undefined) return undefined;
        if (value === null || value.trim() === '') return null;
        const text = value.trim();
        const time = dueDatePattern.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
        if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
          context.addIssue({ code: 'custom', message: dueFormat });
          return z.NEVER;
        }
        return new Date(time).toISOString();
      }),
    comment: optionalText(maximumItemCommentLength, t(locale, 'obligation.error.commentNotText'), t(locale, 'obligation.error.commentTooLong', { limit: maximumItemCommentLength })),
    revision: z.number({ error: () => t(locale, 'obligation.error.revision') }).int().positive().optional(),
  });
}

const changeSchemas = new Map<Locale, ReturnType<typeof changeSchemaFor>>();

function changeSchema(locale: Locale): ReturnType<typeof changeSchemaFor> {
  let schema = changeSchemas.get(locale);
  if (schema === undefined) {
    schema = changeSchemaFor(locale);
    changeSchemas.set(locale, schema);
  }
  return schema;
}

function fieldName(path: PropertyKey[]): string {
  const [first] = path;
  if (first === 'note' || first === 'link') return `evidence.${first}`;
  return String(first ?? '_');
}

export function createObligationService(options: ObligationServiceOptions): ObligationService {
  const { store, intakes, clock, metrics } = options;
  const logger = options.logger.child({ component: 'obligation-service' });

  async function get(itemId: string, locale: Locale = 'en'): Promise<ObligationEntry> {
    const intakeId = typeof itemId === 'string' ? intakeIdOfItem(itemId) : undefined;
    if (intakeId === undefined) throw new ShishinError('not_found', t(locale, 'obligation.error.noSuchItemId'));
    const item = await store.getObligationItem(itemId);
    if (item === undefined) throw new ShishinError('not_found', t(locale, 'obligation.error.noSuchItem', { id: itemId }));
    return { item, intake: await intakes.get(item.intakeId, locale) };
  }

  function permissions(actor: Actor, entry: ObligationEntry): ObligationPermissions {
    const key = actorKey(actor);
    const responsible = actorKey(entry.intake.submittedBy) === key || (entry.item.owner !== undefined && actorKey(entry.item.owner) === key);
    const member = intakes.isGovernanceMember(actor);
    return { complete: responsible, reopen: responsible || member, assign: responsible || member };
  }

  /** The person named by `key`, with the display name Shishin already knows for them. */
  function ownerFor(key: string, actor: Actor, intake: IntakeRecord, item: ObligationItem): Actor {
    for (const known of [actor, intake.submittedBy, item.owner]) if (known !== undefined && actorKey(known) === key) return known;
    return parseActorKey(key) as Actor;
  }

  async function update(request: ObligationUpdateRequest): Promise<ObligationEntry> {
    const locale = request.locale ?? 'en';
    const parsed = changeSchema(locale).safeParse({
      status: request.status,
      note: request.evidence?.note,
      link: request.evidence?.link,
      reason: request.reason,
      owner: request.owner,
      dueAt: request.dueAt,
      comment: request.comment,
      revision: request.revision,
    });
    if (!parsed.success) {
      const fields: FieldError[] = parsed.error.issues.map((issue) => ({ field: fieldName(issue.path), message: issue.message }));
      throw new ShishinError('input_invalid', fields.map((field) => field.message).join(' '), { fields });
    }
    const change = parsed.data;
    const entry = await get(request.itemId, locale);
    const { item: before, intake } = entry;
    if (!trackedStatuses.includes(intake.status)) {
      const status = locale === 'en' ? intake.status.replace(/_/g, ' ') : t(locale, `status.${intake.status}`);
      throw new ShishinError('conflict', t(locale, 'obligation.error.notTracked', { id: intake.id, status }));
    }
    if (change.revision !== undefined && change.revision !== before.revision) {
      throw new ShishinError('conflict', t(locale, 'obligation.error.changedMeanwhile', { id: before.id, revision: before.revision }), {
        fields: [{ field: 'revision', message: t(locale, 'obligation.error.changedMeanwhileField') }],
      });
    }

    const status = change.status ?? before.status;
    const evidence: ObligationEvidence = { ...before.evidence };
    if (change.note !== undefined) {
      if (change.note === '') delete evidence.note;
      else evidence.note = change.note;
    }
    if (change.link !== undefined) {
      if (change.link === '') delete evidence.link;
      else evidence.link = change.link;
    }
    let reason = change.reason === undefined ? before.reason : change.reason === '' ? undefined : change.reason;
    if (status !== 'not_applicable') reason = undefined;
    const fields: FieldError[] = [];
    if (status === 'done' && evidence.note === undefined && evidence.link === undefined) {
      fields.push({ field: 'evidence', message: t(locale, 'obligation.error.evidenceNeeded') });
    }
    if (status === 'not_applicable' && reason === undefined) {
      fields.push({ field: 'reason', message: t(locale, 'obligation.error.reasonNeeded') });
    }
    if (fields.length > 0) throw new ShishinError('input_invalid', fields.map((field) => field.message).join(' '), { fields });

    const owner = change.owner === undefined ? before.owner : ownerFor(change.owner, request.actor, intake, before);
    // A date-only value naming the day the item is already due on changes nothing: forms show the
    // date alone and send it back as it was.
    const sameDay = typeof request.dueAt === 'string' && dueDatePattern.test(request.dueAt.trim()) && before.dueAt?.slice(0, 10) === request.dueAt.trim();
    const dueAt = change.dueAt === undefined || sameDay ? before.dueAt : (change.dueAt ?? undefined);
    const candidate: ObligationItem = {
      ...before,
      status,
      ...(Object.keys(evidence).length === 0 ? { evidence: undefined } : { evidence }),
      reason,
      owner,
      dueAt,
    };
    const changes = itemChanges(before, candidate);
    if (Object.keys(changes).length === 0) return entry;

    const allowed = permissions(request.actor, entry);
    const reopening = changes.status !== undefined && status === 'open';
    // A reason dropped because the item is reopened is part of reopening, not an edit of its own.
    const completing =
      (changes.status !== undefined && status !== 'open') || changes.evidence !== undefined || (changes.reason !== undefined && status === 'not_applicable');
    const assigning = changes.owner !== undefined || changes.dueAt !== undefined;
    if ((completing && !allowed.complete) || (reopening && !allowed.reopen) || (assigning && !allowed.assign)) {
      logger.warn({ itemId: before.id, actor: actorKey(request.actor), completing, reopening, assigning }, 'obligation item change refused');
      throw new ShishinError(
        'not_authorised',
        allowed.reopen
          ? t(locale, 'obligation.error.completeNotAllowed', { id: intake.id })
          : t(locale, 'obligation.error.changeNotAllowed', { id: intake.id, item: before.id }),
      );
    }

    const updatedAt = clock.now().toISOString();
    const after: ObligationItem = Object.fromEntries(
      Object.entries({ ...candidate, revision: before.revision + 1, updatedAt, updatedBy: request.actor }).filter(([, value]) => value !== undefined),
    ) as unknown as ObligationItem;
    const stored = await store.updateObligationItem({
      item: after,
      expectedRevision: before.revision,
      audit: [itemUpdatedAuditEntry({ actor: request.actor, before, after, ...(change.comment === undefined || change.comment === '' ? {} : { comment: change.comment }) })],
    });
    metrics?.obligationChanges.inc({ status: stored.status });
    logger.info({ itemId: stored.id, intakeId: intake.id, status: stored.status, revision: stored.revision, changed: Object.keys(changes) }, 'obligation item updated');
    return { item: stored, intake };
  }

  async function forPerson(actor: Actor): Promise<ObligationEntry[]> {
    const key = actorKey(actor);
    const owned = await store.listObligationItems({ ownerKey: key });
    const submitted = await store.listIntakes({ submittedBy: actor, status: [...trackedStatuses] });
    const ofSubmitted = submitted.length === 0 ? [] : await store.listObligationItems({ intakeIds: submitted.map((record) => record.id) });
    const records = new Map(submitted.map((record) => [record.id, record]));
    const items = new Map<string, ObligationItem>();
    for (const item of [...owned, ...ofSubmitted]) items.set(item.id, item);
    const entries: ObligationEntry[] = [];
    for (const item of items.values()) {
      let intake = records.get(item.intakeId);
      if (intake === undefined) {
        intake = await store.getIntake(item.intakeId);
        if (intake === undefined) continue;
        records.set(intake.id, intake);
      }
      if (trackedStatuses.includes(intake.status)) entries.push({ item, intake });
    }
    const rank = (entry: ObligationEntry) => (entry.item.status === 'open' ? 0 : 1);
    const due = (entry: ObligationEntry) => (entry.item.dueAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(entry.item.dueAt));
    return entries.sort(
      (left, right) =>
        rank(left) - rank(right) || due(left) - due(right) || left.item.intakeId.localeCompare(right.item.intakeId) || left.item.number - right.item.number,
    );
  }

  return {
    forIntake: (intakeId) => store.listObligationItems({ intakeIds: [intakeId] }),
    forPerson,
    get,
    permissions,
    async ownsItemOf(actor, intakeId) {
      const owned = await store.listObligationItems({ ownerKey: actorKey(actor), intakeIds: [intakeId] });
      return owned.length > 0;
    },
    update,
  };
}

/** "done", "not applicable", "open": a status as words, for messages. */
export function obligationStatusWords(status: string): string {
  return statusLabels[status] ?? status;
}
