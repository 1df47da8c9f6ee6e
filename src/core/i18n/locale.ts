// The languages Shishin speaks and how a language tag from outside (Accept-Language, a Slack or Teams
// locale, LANG, a query parameter) maps onto one of them.

/** Every supported language, in the order a language switch lists them. */
export const locales = ['en', 'ja'] as const;
export type Locale = (typeof locales)[number];

/** The language used when nothing names one (DEFAULT_LOCALE's own default). */
export const fallbackLocale: Locale = 'en';

/** The language's own name, for language switches (never translated: 日本語 stays 日本語 in English). */
export const localeNames: Record<Locale, string> = { en: 'English', ja: '日本語' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * The supported language a tag names, or undefined: `ja`, `ja-JP`, `ja_JP.UTF-8` and `JA` give `ja`;
 * `en-GB` gives `en`; `C`, `POSIX`, `*`, `fr-FR` and malformed tags give undefined.
 */
export function localeFromTag(tag: string | undefined | null): Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  const match = /^\s*([A-Za-z]{2,3})(?:[-_.@][A-Za-z0-9._@-]*)?\s*$/u.exec(tag);
  const language = match?.[1]?.toLowerCase();
  return isLocale(language) ? language : undefined;
}
