// Dates as people read them: day, month, year, hour and minute in the configured time zone
// (DISPLAY_TIME_ZONE, else the process's), with the zone named. Stored values stay ISO 8601 UTC.

export interface DisplayTimeOptions {
  /** IANA zone, e.g. Asia/Tokyo; undefined: the process's time zone. */
  timeZone?: string | undefined;
  locale?: 'en' | 'ja';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: DisplayTimeOptions): Intl.DateTimeFormat {
  const key = `${options.locale ?? 'en'}|${options.timeZone ?? ''}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(options.locale === 'ja' ? 'ja-JP' : 'en-GB', {
      year: 'numeric',
      month: options.locale === 'ja' ? 'long' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    });
    formatters.set(key, found);
  }
  return found;
}

/** "3 Dec 2026, 21:15 UTC" (en) or "2026年12月4日 06:15 JST" (ja); the input unchanged when it is not a date. */
export function formatDisplayTime(iso: string | undefined, options: DisplayTimeOptions = {}): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(options).format(date);
}
