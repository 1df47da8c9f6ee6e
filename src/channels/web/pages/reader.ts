// Who reads a console page, as far as wording goes: their language and the time zone dates are shown
// in; and dates as that reader reads them.
import { formatDateTime } from '../../../core/i18n/date-format.js';
import type { Locale } from '../../../core/i18n/locale.js';
import { t } from '../../../core/i18n/translate.js';
import { html, type SafeHtml } from '../html.js';

export interface Reader {
  locale: Locale;
  /** IANA time zone of the dates shown (DISPLAY_TIME_ZONE, else the language's default). */
  timeZone: string;
}

/** `<time>` with the machine-readable instant and the local time in the reader's language and zone. */
export function when(iso: string | undefined, reader: Reader): SafeHtml | string {
  if (iso === undefined || iso === '') return '';
  return html`<time datetime="${iso}">${formatDateTime(iso, reader.locale, reader.timeZone)}</time>`;
}

/** Values joined as a plain list in the reader's language ("Employees, Customers" / "従業員、顧客"). */
export function valueList(locale: Locale, values: readonly string[]): string {
  return values.length === 0 ? t(locale, 'common.noValue') : values.join(t(locale, 'console.listSeparator'));
}
