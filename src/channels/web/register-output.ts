// Renders the AI use-case register for download, with the same formatting as `shishin export`.
import type { Locale } from '../../core/i18n/locale.js';
import { formatRegisterCsv, formatRegisterJson } from '../../core/review/register-format.js';
import type { RegisterRow } from '../../core/review/intake-service.js';

/** CSV headers in `locale`; JSON keeps the RegisterRow field names in every language (rows already in `locale`). */
export function formatRegister(rows: RegisterRow[], format: 'csv' | 'json', locale: Locale = 'en'): { contentType: string; body: string } {
  return format === 'json'
    ? { contentType: 'application/json; charset=utf-8', body: formatRegisterJson(rows) }
    : { contentType: 'text/csv; charset=utf-8', body: formatRegisterCsv(rows, locale) };
}
