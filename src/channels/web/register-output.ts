// Renders the AI use-case register for download (CSV or JSON).
import type { RegisterRow } from '../../core/review/intake-service.js';

const columns: Array<keyof RegisterRow> = [
  'id', 'title', 'businessUnit', 'owner', 'tier', 'status', 'decidedBy', 'decidedAt', 'obligations', 'version', 'submittedAt',
];

function csvCell(value: unknown): string {
  let text = Array.isArray(value) ? value.join('; ') : String(value ?? '');
  // Cells starting with a formula character are prefixed so spreadsheets show them as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatRegister(rows: RegisterRow[], format: 'csv' | 'json'): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify({ register: rows }, null, 2)}\n` };
  const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(','))];
  return { contentType: 'text/csv; charset=utf-8', body: `${lines.join('\r\n')}\r\n` };
}
