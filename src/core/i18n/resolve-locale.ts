// Choosing the reader's language. Pure functions, one per kind of evidence, and one that weighs them
// for an HTTP request: an explicit `?lang=` first, then the language cookie the console's switch sets,
// then Accept-Language, then the configured default. Chat doors use `localeFromTag` on the platform's
// user locale and `localeOfText` on what the person typed.
import { detectLanguage } from '../answer/text-terms.js';
import { localeFromTag, type Locale } from './locale.js';

/** The cookie the console's language switch sets (value `ja` or `en`). */
export const localeCookieName = 'shishin_lang';

/** The query parameter that picks a language for one request (`?lang=ja`). */
export const localeQueryParameter = 'lang';

/**
 * The best supported language of an Accept-Language header (RFC 9110: tags with optional q weights,
 * highest weight first, earlier entries winning ties; q=0 means "not this one"), or undefined.
 */
export function localeFromAcceptLanguage(header: string | readonly string[] | undefined): Locale | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join(',');
  const entries: Array<{ locale: Locale; weight: number; order: number }> = [];
  text.split(',').forEach((part, order) => {
    const [tag = '', ...parameters] = part.split(';');
    const locale = localeFromTag(tag);
    if (locale === undefined) return;
    let weight = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*([0-9](?:\.[0-9]{0,3})?)\s*$/iu.exec(parameter);
      if (match?.[1] !== undefined) weight = Math.min(1, Number(match[1]));
    }
    if (weight > 0) entries.push({ locale, weight, order });
  });
  entries.sort((a, b) => b.weight - a.weight || a.order - b.order);
  return entries[0]?.locale;
}

/** The language a piece of text is written in (the answer path's own guess): `ja` or `en`. */
export function localeOfText(text: string): Locale {
  return detectLanguage(text);
}

/** What an HTTP request says about its reader's language. Every field is optional and untrusted. */
export interface RequestLanguageEvidence {
  /** The `?lang=` query value (a string, or the array a repeated parameter gives). */
  query?: unknown;
  /** The language cookie's value. */
  cookie?: string | undefined;
  /** The Accept-Language header. */
  acceptLanguage?: string | readonly string[] | undefined;
}

/** The reader's language for an HTTP request: `?lang=`, else the cookie, else Accept-Language, else `fallback`. */
export function resolveRequestLocale(evidence: RequestLanguageEvidence, fallback: Locale): Locale {
  const query = Array.isArray(evidence.query) ? evidence.query[0] : evidence.query;
  return (
    (typeof query === 'string' ? localeFromTag(query) : undefined) ??
    localeFromTag(evidence.cookie) ??
    localeFromAcceptLanguage(evidence.acceptLanguage) ??
    fallback
  );
}

/** The POSIX locale variables, as the configuration reads them. */
export interface PosixLocaleEnvironment {
  LC_ALL?: string | undefined;
  LC_MESSAGES?: string | undefined;
  LANG?: string | undefined;
}

/**
 * The language the POSIX locale variables name, in their order of precedence (LC_ALL, LC_MESSAGES,
 * LANG; the first one set decides), or undefined: `C`, `POSIX` and unsupported languages name none.
 */
export function localeFromPosixEnvironment(environment: PosixLocaleEnvironment): Locale | undefined {
  for (const value of [environment.LC_ALL, environment.LC_MESSAGES, environment.LANG]) {
    if (value === undefined || value.trim() === '') continue;
    return localeFromTag(value);
  }
  return undefined;
}

/** The language of a command-line run: `--lang`, else the POSIX locale variables, else `fallback`. */
export function resolveCommandLineLocale(option: string | undefined, environment: PosixLocaleEnvironment, fallback: Locale): Locale {
  if (option !== undefined) return localeFromTag(option) ?? fallback;
  return localeFromPosixEnvironment(environment) ?? fallback;
}
