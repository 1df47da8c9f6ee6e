// The AI use-case register: one row per intake version, and its CSV (RFC 4180) and JSON renderings.
// Shared by `shishin export` and the web API's GET /api/register. In every language the columns and
// the ids and codes are the same (so registers in two languages join row by row); headers, tier and
// status labels, obligations and vendor asks are in the reader's language, and times are ISO 8601
// in the reader's time zone.
import { actorKey, type Actor } from '../actor.js';
import { isoInTimeZone } from '../i18n/date-format.js';
import type { Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { Classification } from '../intake/classification.js';
import type { RegisterRow } from './intake-service.js';
import { countObligations, type ObligationItem } from './obligation-types.js';
import type { IntakeRecord } from './review-types.js';

/** Column order and English headers of the CSV export (see registerHeader for the reader's language). */
export const registerColumns: readonly { key: keyof RegisterRow; header: string }[] = [
  { key: 'id', header: 'id' },
  { key: 'title', header: 'title' },
  { key: 'businessUnit', header: 'business_unit' },
  { key: 'owner', header: 'owner' },
  { key: 'tier', header: 'tier' },
  { key: 'status', header: 'status' },
  { key: 'decidedBy', header: 'decided_by' },
  { key: 'decidedAt', header: 'decided_at' },
  { key: 'decisionComment', header: 'decision_comment' },
  { key: 'obligations', header: 'obligations' },
  { key: 'vendorAsks', header: 'vendor_asks' },
  { key: 'version', header: 'version' },
  { key: 'submittedAt', header: 'submitted_at' },
  { key: 'obligationsOpen', header: 'obligations_open' },
  { key: 'obligationsDone', header: 'obligations_done' },
  { key: 'obligationsNotApplicable', header: 'obligations_not_applicable' },
  { key: 'obligationsOverdue', header: 'obligations_overdue' },
  { key: 'nextReviewAt', header: 'next_review_at' },
  { key: 'supersededBy', header: 'superseded_by' },
  { key: 'tierLabel', header: 'tier_label' },
  { key: 'statusLabel', header: 'status_label' },
];

/** A column's header in `locale`. */
export function registerHeader(locale: Locale, key: keyof RegisterRow): string {
  return t(locale, `register.header.${key}`);
}

/** How to render register rows for a reader. */
export interface RegisterRenderOptions {
  /** Language of labels and texts (default `en`). */
  locale?: Locale;
  /** Gives a classification's texts in `locale` (IntakeService.localize); default: as stored. */
  localize?: (classification: Classification) => Classification;
  /** IANA time zone of the times; default: as stored (UTC). */
  timeZone?: string;
}

/** "Alice Tanaka (web:alice)", or just "web:alice" without a display name. */
export function describeActor(actor: Actor | undefined): string {
  if (actor === undefined) return '';
  return actor.displayName === undefined || actor.displayName === '' ? actorKey(actor) : `${actor.displayName} (${actorKey(actor)})`;
}

/** What a row counts: the intake's tracked obligation items (overdue at `now`) and its newer version. */
export interface RegisterRowData {
  items?: readonly ObligationItem[];
  now?: Date;
  /** The id of the intake's newer version, if any. */
  supersededBy?: string;
}

/** One register row, rendered for a reader (`options`), with the counts of its items. */
export function toRegisterRow(record: IntakeRecord, options: RegisterRenderOptions & RegisterRowData = {}): RegisterRow {
  const locale = options.locale ?? 'en';
  const classification = options.localize?.(record.classification) ?? record.classification;
  const time = (value: string) => (options.timeZone === undefined ? value : isoInTimeZone(value, options.timeZone));
  const counts = countObligations(options.items ?? [], options.now ?? new Date());
  return {
    id: record.id,
    title: record.input.title,
    businessUnit: record.input.businessUnit,
    owner: describeActor(record.submittedBy),
    tier: record.classification.tier,
    status: record.status,
    decidedBy: describeActor(record.decidedBy),
    decidedAt: time(record.decidedAt ?? ''),
    decisionComment: record.decisionComment ?? '',
    obligations: classification.obligations.map((obligation) => obligation.text),
    vendorAsks: [...new Set((classification.vendorDuties ?? []).map((duty) => duty.ask))],
    version: record.version,
    submittedAt: time(record.submittedAt),
    obligationsOpen: counts.open,
    obligationsDone: counts.done,
    obligationsNotApplicable: counts.notApplicable,
    obligationsOverdue: counts.overdue,
    nextReviewAt: record.nextReviewAt === undefined ? '' : time(record.nextReviewAt),
    supersededBy: options.supersededBy ?? '',
    tierLabel: t(locale, `tier.${record.classification.tier}`),
    statusLabel: t(locale, `status.${record.status}`),
  };
}

/** The register of `records` (in their order) for a reader, with the counts of `items` and which versions were replaced. */
export function toRegisterRows(records: IntakeRecord[], options: RegisterRenderOptions & { items?: readonly ObligationItem[]; now?: Date } = {}): RegisterRow[] {
  const itemsByIntake = new Map<string, ObligationItem[]>();
  for (const item of options.items ?? []) {
    const list = itemsByIntake.get(item.intakeId) ?? [];
    list.push(item);
    itemsByIntake.set(item.intakeId, list);
  }
  const successors = new Map<string, string>();
  for (const record of records) if (record.previousId !== undefined) successors.set(record.previousId, record.id);
  const now = options.now ?? new Date();
  return records.map((record) => toRegisterRow(record, { ...options, items: itemsByIntake.get(record.id) ?? [], now, supersededBy: successors.get(record.id) ?? '' }));
}

/**
 * One CSV cell: text that a spreadsheet would run as a formula (= + - @, tab, carriage return) gets
 * a leading apostrophe; cells with a comma, quote or line break are quoted, quotes doubled.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The register as CSV: a header line in `locale`, CRLF line ends, obligations joined with "; ". */
export function formatRegisterCsv(rows: RegisterRow[], locale: Locale = 'en'): string {
  const lines = [registerColumns.map((column) => csvCell(registerHeader(locale, column.key))).join(',')];
  for (const row of rows) {
    lines.push(
      registerColumns
        .map(({ key }) => {
          const value = row[key];
          return csvCell(Array.isArray(value) ? value.join('; ') : value);
        })
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The register as pretty-printed JSON: an array of rows with the RegisterRow field names. */
export function formatRegisterJson(rows: RegisterRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
