// Read access to intakes for web users and the public JSON view of a record with its history and
// obligation items.
import type { AppContext } from '../../app-context.js';
import { actorKey, type Actor } from '../../core/actor.js';
import { displayTimeZone } from '../../core/i18n/date-format.js';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import type { Classification } from '../../core/intake/classification.js';
import { itemsInLanguageOf } from '../../core/presentation/obligation-presentation.js';
import type { RegisterRow } from '../../core/review/intake-service.js';
import type { ObligationItem } from '../../core/review/obligation-types.js';
import { filterRegister, type RegisterFilter } from '../../core/review/register-filter.js';
import { toRegisterRows } from '../../core/review/register-format.js';
import type { IntakeRecord } from '../../core/review/review-types.js';
import { ShishinError } from '../../errors.js';

/** One line of an intake's history, taken from the audit trail. */
export interface HistoryEntry {
  sequence: number;
  at: string;
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

/**
 * Loads an intake the actor may see: its submitter, a governance member, or the owner of one of its
 * items (refusals worded in `locale`). The record is as stored: see `inLanguage` for its texts.
 */
export async function readableIntake(app: AppContext, actor: Actor, id: string, locale: Locale = 'en'): Promise<IntakeRecord> {
  const record = await app.intakes.get(id, locale);
  if (actorKey(record.submittedBy) !== actorKey(actor) && !app.intakes.isGovernanceMember(actor) && !(await app.obligations.ownsItemOf(actor, record.id))) {
    throw new ShishinError('not_authorised', t(locale, 'api.notReadable'));
  }
  return record;
}

/** An obligation item as the API shows it: owners and the last editor as `channel:id`. */
export function obligationItemJson(item: ObligationItem): Record<string, unknown> {
  return {
    id: item.id,
    number: item.number,
    text: item.text,
    status: item.status,
    owner: item.owner === undefined ? undefined : actorKey(item.owner),
    dueAt: item.dueAt,
    evidence: item.evidence,
    reason: item.reason,
    source: item.source,
    obligationId: item.obligationId,
    framework: item.framework,
    revision: item.revision,
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy.channel === 'system' ? `system:${item.updatedBy.id}` : actorKey(item.updatedBy as Actor),
  };
}

export async function intakeHistory(app: AppContext, id: string): Promise<HistoryEntry[]> {
  const entries = await app.store.listAudit({ intakeId: id });
  return entries.map((entry) => ({
    sequence: entry.sequence,
    at: entry.at,
    action: entry.action,
    actor: 'channel' in entry.actor ? `${entry.actor.channel}:${entry.actor.id}` : String(entry.actor),
    details: entry.details,
  }));
}

/** The record with its classification's texts in `locale` (ids, codes and what was typed unchanged). */
export function inLanguage(app: AppContext, record: IntakeRecord, locale: Locale): IntakeRecord {
  return locale === 'en' ? record : { ...record, classification: app.intakes.localize(record.classification, locale) };
}

/** Items with their checklist texts in the language of `classification` (see itemsInLanguageOf). */
export function itemsInLanguage(items: ObligationItem[], classification: Classification): ObligationItem[] {
  return itemsInLanguageOf(items, classification);
}

/**
 * The record as the API shows it: everything but transport bookkeeping (idempotency key, chat
 * message refs). Give it the record in the reader's language (`inLanguage`).
 */
export function intakeJson(record: IntakeRecord): Record<string, unknown> {
  return {
    id: record.id,
    version: record.version,
    previousId: record.previousId,
    status: record.status,
    input: record.input,
    classification: record.classification,
    submittedBy: actorKey(record.submittedBy),
    submittedAt: record.submittedAt,
    decision: record.decision,
    decidedBy: record.decidedBy === undefined ? undefined : actorKey(record.decidedBy),
    decidedAt: record.decidedAt,
    decisionComment: record.decisionComment,
    nextReviewAt: record.nextReviewAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * One intake with its tracked obligation items (GET /api/intakes/:id and decision responses), the
 * classification's and the items' texts in `locale`.
 */
export async function intakeWithItemsJson(app: AppContext, record: IntakeRecord, locale: Locale = 'en'): Promise<Record<string, unknown>> {
  const shown = inLanguage(app, record, locale);
  const items = itemsInLanguage(await app.obligations.forIntake(record.id), shown.classification);
  return { ...intakeJson(shown), obligationItems: items.map(obligationItemJson) };
}

/**
 * The register rows the actor may see: everything for governance members (and for everyone with
 * REGISTER_VISIBILITY=all), otherwise only the actor's own intakes — the same rule as reading one.
 * Labels and texts in `locale`, times in its display time zone (as `shishin export --lang`).
 */
export async function visibleRegister(
  app: AppContext,
  actor: Actor,
  filter: RegisterFilter = {},
  locale: Locale = 'en',
): Promise<{ rows: RegisterRow[]; scope: 'all' | 'own'; total: number }> {
  const now = app.clock.now();
  let rows: RegisterRow[];
  let scope: 'all' | 'own';
  if (app.config.registerVisibility === 'all' || app.intakes.isGovernanceMember(actor)) {
    rows = await app.intakes.register(locale);
    scope = 'all';
  } else {
    // list() is newest first; the register reads oldest first.
    const own = [...(await app.intakes.list({ submittedBy: actor }))].reverse();
    const items = own.length === 0 ? [] : await app.store.listObligationItems({ intakeIds: own.map((record) => record.id) });
    rows = toRegisterRows(own, {
      items,
      now,
      locale,
      localize: (classification) => app.intakes.localize(classification, locale),
      timeZone: displayTimeZone(locale, app.config.locale.displayTimeZone),
    });
    scope = 'own';
  }
  return { rows: filterRegister(rows, filter, now), scope, total: rows.length };
}
