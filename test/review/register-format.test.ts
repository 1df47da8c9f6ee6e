// Register rows and their CSV / JSON renderings: RFC 4180 quoting, obligations joined with "; ",
// and cells a spreadsheet would run as formulas defused.
import { describe, expect, it } from 'vitest';
import type { RegisterRow } from '../../src/core/review/intake-service.js';
import { csvCell, formatRegisterCsv, formatRegisterJson, registerColumns, toRegisterRow, toRegisterRows } from '../../src/core/review/register-format.js';
import { alice, newItems, reviewer, sampleClassification, sampleInput } from '../store/intake-fixtures.js';

/** A strict RFC 4180 reader, to check the writer's output round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let index = 0;
  let quoted = false;
  while (index < text.length) {
    const character = text[index] as string;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 2;
        continue;
      }
      if (character === '"') quoted = false;
      else cell += character;
      index += 1;
      continue;
    }
    if (character === '"' && cell === '') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else if (character === '"' || character === '\n' || character === '\r') throw new Error(`stray ${JSON.stringify(character)} at ${index}`);
    else cell += character;
    index += 1;
  }
  if (cell !== '' || row.length > 0) throw new Error('missing final CRLF');
  return rows;
}

const row: RegisterRow = {
  id: 'AI-7K3F9Q',
  title: 'Résumé ranking, "v2"\nwith notes',
  businessUnit: '=HYPERLINK("http://evil.example")',
  owner: '@alice',
  tier: 'high',
  status: 'approved_with_conditions',
  decidedBy: '+81 reviewer',
  decidedAt: '2026-11-26T10:00:00.000Z',
  decisionComment: 'Only with a second reviewer, "always"',
  obligations: ['Keep logs, for 6 months', '-Human oversight'],
  vendorAsks: ['the instructions for use', '@vendor docs'],
  version: 2,
  submittedAt: '2026-11-25T09:00:00.000Z',
  obligationsOpen: 3,
  obligationsDone: 4,
  obligationsNotApplicable: 1,
  obligationsOverdue: 2,
  nextReviewAt: '2027-05-26T10:00:00.000Z',
  supersededBy: '',
  tierLabel: 'High risk',
  statusLabel: 'Approved with conditions',
};

describe('register format', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(3)).toBe('3');
  });

  it('defuses cells that start like a formula', () => {
    for (const dangerous of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(dangerous).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell('2026-11-25')).toBe('2026-11-25');
  });

  it('writes a header and CRLF-terminated rows that an RFC 4180 reader reads back', () => {
    const csv = formatRegisterCsv([row]);
    expect(
      csv.startsWith(
        'id,title,business_unit,owner,tier,status,decided_by,decided_at,decision_comment,obligations,vendor_asks,version,submitted_at,obligations_open,obligations_done,obligations_not_applicable,obligations_overdue,next_review_at,superseded_by,tier_label,status_label\r\n',
      ),
    ).toBe(true);
    const [header, values] = parseCsv(csv);
    expect(header).toEqual(registerColumns.map((column) => column.header));
    expect(values).toEqual([
      'AI-7K3F9Q',
      'Résumé ranking, "v2"\nwith notes',
      `'=HYPERLINK("http://evil.example")`,
      "'@alice",
      'high',
      'approved_with_conditions',
      "'+81 reviewer",
      '2026-11-26T10:00:00.000Z',
      'Only with a second reviewer, "always"',
      'Keep logs, for 6 months; -Human oversight',
      'the instructions for use; @vendor docs',
      '2',
      '2026-11-25T09:00:00.000Z',
      '3',
      '4',
      '1',
      '2',
      '2027-05-26T10:00:00.000Z',
      '',
      'High risk',
      'Approved with conditions',
    ]);
    expect(formatRegisterCsv([])).toBe(`${registerColumns.map((column) => column.header).join(',')}\r\n`);
  });

  it('writes JSON rows with the register field names, unaltered', () => {
    expect(JSON.parse(formatRegisterJson([row]))).toEqual([row]);
  });

  it('builds a row from an intake record', () => {
    const built = toRegisterRow({
      id: 'AI-7K3F9Q',
      version: 1,
      input: sampleInput(),
      classification: sampleClassification('high'),
      status: 'approved',
      submittedBy: alice,
      submittedAt: '2026-11-25T09:00:00.000Z',
      decidedBy: reviewer,
      decidedAt: '2026-11-26T10:00:00.000Z',
      decision: 'approve',
      decisionComment: 'Keep a person in the loop',
      idempotencyKey: 'k',
      reviewMessages: [],
      updatedAt: '2026-11-26T10:00:00.000Z',
    });
    expect(built).toEqual({
      id: 'AI-7K3F9Q',
      title: 'CV screening assistant',
      businessUnit: 'People & Culture',
      owner: 'Alice Tanaka (web:alice)',
      tier: 'high',
      status: 'approved',
      decidedBy: 'Rei Viewer (teams:aad-reviewer-1)',
      decidedAt: '2026-11-26T10:00:00.000Z',
      decisionComment: 'Keep a person in the loop',
      obligations: ['Run a risk management system', 'Ensure human oversight, with "stop" authority'],
      vendorAsks: [],
      version: 1,
      submittedAt: '2026-11-25T09:00:00.000Z',
      obligationsOpen: 0,
      obligationsDone: 0,
      obligationsNotApplicable: 0,
      obligationsOverdue: 0,
      nextReviewAt: '',
      supersededBy: '',
      tierLabel: 'High risk',
      statusLabel: 'Approved',
    });
  });

  it('counts tracked items by status, overdue ones at the given time, and marks replaced versions', () => {
    const base = {
      version: 1,
      input: sampleInput(),
      classification: sampleClassification('high'),
      submittedBy: alice,
      submittedAt: '2026-11-25T09:00:00.000Z',
      idempotencyKey: 'k',
      reviewMessages: [],
      updatedAt: '2026-11-26T10:00:00.000Z',
    };
    const first = { ...base, id: 'AI-7K3F9Q', status: 'changes_requested' as const };
    const second = { ...base, id: 'AI-8K3F9Q', version: 2, previousId: 'AI-7K3F9Q', status: 'approved' as const, nextReviewAt: '2027-05-26T10:00:00.000Z' };
    const items = [
      ...newItems('AI-8K3F9Q', ['a', 'b', 'c'], { dueAt: '2027-01-01T00:00:00.000Z' }),
      ...newItems('AI-8K3F9Q', ['d'], { status: 'done', evidence: { note: 'x' } }, 4),
      ...newItems('AI-8K3F9Q', ['e'], { status: 'not_applicable', reason: 'no EU users' }, 5),
    ];
    items[0] = { ...items[0]!, dueAt: '2026-12-01T00:00:00.000Z' };
    const rows = toRegisterRows([first, second], { items, now: new Date('2026-12-15T00:00:00.000Z') });
    expect(rows.map((entry) => [entry.id, entry.supersededBy, entry.obligationsOpen, entry.obligationsDone, entry.obligationsNotApplicable, entry.obligationsOverdue, entry.nextReviewAt])).toEqual([
      ['AI-7K3F9Q', 'AI-8K3F9Q', 0, 0, 0, 0, ''],
      ['AI-8K3F9Q', '', 3, 1, 1, 1, '2027-05-26T10:00:00.000Z'],
    ]);
  });

  it('gives a Japanese reader Japanese headers, labels, texts and Tokyo times, with the same columns, ids and codes', () => {
    const record = {
      id: 'AI-7K3F9Q',
      version: 1,
      input: sampleInput(),
      classification: sampleClassification('high'),
      status: 'approved' as const,
      submittedBy: alice,
      submittedAt: '2026-11-25T09:00:00.000Z',
      decidedBy: reviewer,
      decidedAt: '2026-11-26T15:30:00.000Z',
      decision: 'approve' as const,
      idempotencyKey: 'k',
      reviewMessages: [],
      updatedAt: '2026-11-26T10:00:00.000Z',
    };
    const localize = (classification: ReturnType<typeof sampleClassification>) => ({
      ...classification,
      obligations: classification.obligations.map((obligation, index) => ({ ...obligation, text: `義務${index + 1}` })),
    });
    const english = formatRegisterCsv([toRegisterRow(record)]);
    const japanese = formatRegisterCsv([toRegisterRow(record, { locale: 'ja', localize, timeZone: 'Asia/Tokyo' })], 'ja');
    const [englishHeader = [], englishValues = []] = parseCsv(english);
    const [japaneseHeader = [], japaneseValues = []] = parseCsv(japanese);
    expect(japaneseHeader).toHaveLength(englishHeader.length);
    expect(japaneseHeader.slice(0, 6)).toEqual(['ID', 'タイトル', '担当部署', '申請者', 'リスク区分コード', 'ステータスコード']);
    expect(japaneseHeader.slice(-2)).toEqual(['リスク区分', 'ステータス']);
    const column = (name: string) => registerColumns.findIndex((entry) => entry.header === name);
    for (const stable of ['id', 'title', 'tier', 'status', 'version']) {
      expect(japaneseValues[column(stable)], stable).toBe(englishValues[column(stable)]);
    }
    expect(japaneseValues[column('tier_label')]).toBe('高リスク');
    expect(japaneseValues[column('status_label')]).toBe('承認');
    expect(japaneseValues[column('obligations')]).toBe('義務1; 義務2');
    expect(japaneseValues[column('decided_at')]).toBe('2026-11-27T00:30:00+09:00');
    expect(new Date(japaneseValues[column('decided_at')] ?? '').toISOString()).toBe(englishValues[column('decided_at')]);
  });
});
