// Renders the AI use-case register for download, with the same formatting as `shishin export`.
import { formatRegisterCsv, formatRegisterJson } from '../../core/review/register-format.js';
import type { RegisterRow } from '../../core/review/intake-service.js';

export function formatRegister(rows: RegisterRow[], format: 'csv' | 'json'): { contentType: string; body: string } {
  return format === 'json'
    ? { contentType: 'application/json; charset=utf-8', body: formatRegisterJson(rows) }
    : { contentType: 'text/csv; charset=utf-8', body: formatRegisterCsv(rows) };
}
