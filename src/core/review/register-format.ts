// The AI use-case register: one row per intake version, and its CSV (RFC 4180) and JSON renderings.
// Shared by `shishin export` and the web API's GET /api/register.
import { actorKey, type Actor } from '../actor.js';
import type { RegisterRow } from './intake-service.js';
import { countObligations, type ObligationItem } from './obligation-types.js';
import type { IntakeRecord } from './review-types.js';

/** Column order and headers of the CSV export. */
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
];

/** "Alice Tanaka (web:alice)", or just "web:alice" without a display name. */
export function describeActor(actor: Actor | undefined): string {
  if (actor === undefined) return '';
  return actor.displayName === undefined || actor.displayName === '' ? actorKey(actor) : `${actor.displayName} (${actorKey(actor)})`;
}

/**
 * One register row. `items` are the intake's tracked obligation items (counted by status, overdue
 * at `now`); `supersededBy` the id of its newer version, if any.
 */
export function toRegisterRow(record: IntakeRecord, items: readonly ObligationItem[] = [], now: Date = new Date(), supersededBy = ''): RegisterRow {
  const counts = countObligations(items, now);
  return {
    id: record.id,
    title: record.input.title,
    businessUnit: record.input.businessUnit,
    owner: describeActor(record.submittedBy),
    tier: record.classification.tier,
    status: record.status,
    decidedBy: describeActor(record.decidedBy),
    decidedAt: record.decidedAt ?? '',
    decisionComment: record.decisionComment ?? '',
    obligations: record.classification.obligations.map((obligation) => obligation.text),
    vendorAsks: [...new Set((record.classification.vendorDuties ?? []).map((duty) => duty.ask))],
    version: record.version,
    submittedAt: record.submittedAt,
    obligationsOpen: counts.open,
    obligationsDone: counts.done,
    obligationsNotApplicable: counts.notApplicable,
    obligationsOverdue: counts.overdue,
    nextReviewAt: record.nextReviewAt ?? '',
    supersededBy,
  };
}

/** The register of `records` (in their order), with the counts of `items` and which versions were replaced. */
export function toRegisterRows(records: IntakeRecord[], items: readonly ObligationItem[] = [], now: Date = new Date()): RegisterRow[] {
  const itemsByIntake = new Map<string, ObligationItem[]>();
  for (const item of items) {
    const list = itemsByIntake.get(item.intakeId) ?? [];
    list.push(item);
    itemsByIntake.set(item.intakeId, list);
  }
  const successors = new Map<string, string>();
  for (const record of records) if (record.previousId !== undefined) successors.set(record.previousId, record.id);
  return records.map((record) => toRegisterRow(record, itemsByIntake.get(record.id) ?? [], now, successors.get(record.id) ?? ''));
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

/** The register as CSV: a header line, CRLF line ends, obligations joined with "; ". */
export function formatRegisterCsv(rows: RegisterRow[]): string {
  const lines = [registerColumns.map((column) => csvCell(column.header)).join(',')];
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
