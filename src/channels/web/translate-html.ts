// Catalogue messages as markup for the console: `tHtml(locale, key, params)` is `t` whose parameters
// may be markup (a link, a <time>, a <strong>) placed where the message's own word order puts them.
// The message text and plain parameters are escaped; SafeHtml parameters are inserted as they are.
import type { Locale } from '../../core/i18n/locale.js';
import { t, type MessageKey, type MessageParams } from '../../core/i18n/translate.js';
import { escapeHtml, SafeHtml } from './html.js';

/** A message's parameters, any of which may be markup. */
export type HtmlMessageParams<K extends MessageKey> = { [P in keyof MessageParams<K>]: P extends 'count' ? number : MessageParams<K>[P] | SafeHtml };

type HtmlParamArguments<K extends MessageKey> = keyof MessageParams<K> extends never ? [params?: Record<string, never>] : [params: HtmlMessageParams<K>];

// Markers no catalogue text or parameter contains, so each parameter is found again after escaping.
const markerStart = '\u{E000}';
const markerEnd = '\u{E001}';

/** The message `key` in `locale` as markup, each SafeHtml parameter inserted unescaped. */
export function tHtml<K extends MessageKey>(locale: Locale, key: K, ...params: HtmlParamArguments<K>): SafeHtml {
  const values = (params[0] ?? {}) as Record<string, unknown>;
  const markup: string[] = [];
  const placeholders: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof SafeHtml) {
      placeholders[name] = `${markerStart}${markup.length}${markerEnd}`;
      markup.push(value.value);
    } else {
      // A marker typed into a value must not pull in markup: plain text loses them.
      placeholders[name] = typeof value === 'string' ? value.replace(/[\u{E000}\u{E001}]/gu, '') : value;
    }
  }
  const text = (t as (locale: Locale, key: string, params: Record<string, unknown>) => string)(locale, key, placeholders);
  return new SafeHtml(escapeHtml(text).replace(/\u{E000}(\d+)\u{E001}/gu, (_marker, index: string) => markup[Number(index)] ?? ''));
}
