// Dates as people read them: in the reader's language and time zone, to the minute, with the zone
// named ("2026-12-03 21:15 JST", "2026年12月3日 21:15 (JST)"). Stored values stay ISO 8601 in UTC.
import type { Locale } from './locale.js';

/** The time zone dates are shown in: the configured one, else Asia/Tokyo for Japanese readers, else UTC. */
export function displayTimeZone(locale: Locale, configured: string | undefined): string {
  return configured ?? (locale === 'ja' ? 'Asia/Tokyo' : 'UTC');
}

/** True when the runtime knows the IANA time zone name (e.g. `Asia/Tokyo`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function parts(date: Date, timeZone: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
}

/** A short zone name: "UTC", "JST", "EST", else "GMT+1". */
function zoneName(date: Date, timeZone: string): string {
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const english = name('en-US');
  if (!/^GMT[+-]/u.test(english)) return english;
  // Some zones have a well-known abbreviation only in their own region's data (Asia/Tokyo → JST).
  const japanese = name('ja-JP');
  return /^[A-Z]{2,5}$/u.test(japanese) ? japanese : english;
}

/**
 * A date and time for display, e.g. "2026-12-03 21:15 JST" (en) or "2026年12月3日 21:15 (JST)" (ja).
 * Returns the input unchanged when it is not a valid date.
 */
export function formatDateTime(value: string | Date, locale: Locale, timeZone: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const { year = '', month = '', day = '', hour = '', minute = '' } = parts(date, timeZone);
  const zone = zoneName(date, timeZone);
  if (locale === 'ja') return `${year}年${month}月${day}日 ${hour}:${minute} (${zone})`;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')} ${hour}:${minute} ${zone}`;
}

/**
 * The instant as ISO 8601 with the time zone's offset (2026-12-03T21:15:00+09:00), for exports: still
 * machine-readable and the same instant, shown in the reader's zone. UTC keeps the `Z` form.
 */
export function isoInTimeZone(value: string, timeZone: string): string {
  const date = new Date(value);
  if (value === '' || Number.isNaN(date.getTime())) return value;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return date.toISOString();
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const field = Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
  const local = Date.UTC(Number(field.year), Number(field.month) - 1, Number(field.day), Number(field.hour), Number(field.minute), Number(field.second));
  const offsetMinutes = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
  return `${field.year}-${field.month}-${field.day}T${field.hour}:${field.minute}:${field.second}${offset}`;
}
