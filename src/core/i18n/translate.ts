// Message look-up for every door: `t(locale, key, params)` over the ja and en catalogues, with typed
// keys (a key missing from the English catalogue is a compile error), typed parameters (each `{{name}}`
// of the English message must be given) and plurals (`count`). i18next does the interpolation and the
// plural rules; values are not HTML-escaped here: each door escapes for its own markup.
import i18next, { type i18n } from 'i18next';
import { en } from './messages-en.js';
import { ja } from './messages-ja.js';
import { fallbackLocale, locales, type Locale } from './locale.js';

/** A catalogue with the English shape: every leaf a string. */
export type MessageCatalogue = { readonly [K in keyof typeof en]: Stringly<(typeof en)[K]> };
type Stringly<T> = T extends string ? string : { readonly [K in keyof T]: Stringly<T[K]> };

type PluralSuffix = '_one' | '_other';

/** Every dotted path to a leaf of T. */
type LeafPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafPaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type RawKey = LeafPaths<typeof en>;

/** A message key: a leaf path, with plural leaves (`x_one`, `x_other`) named by their stem `x`. */
export type MessageKey = RawKey extends infer K ? (K extends `${infer Stem}${PluralSuffix}` ? Stem : K) : never;

type MessageAt<Path extends string, T = typeof en> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? MessageAt<Rest, T[Head]>
    : never
  : Path extends keyof T
    ? T[Path]
    : Path extends string
      ? `${Path}_other` extends keyof T
        ? T[`${Path}_other`]
        : never
      : never;

type PlaceholderNames<S> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | PlaceholderNames<Rest> : never;

type IsPlural<K extends MessageKey> = `${K}_other` extends RawKey ? true : false;

/** The parameters a message takes: one per `{{name}}` of its English text, and `count` for plurals. */
export type MessageParams<K extends MessageKey> = { [P in Exclude<PlaceholderNames<MessageAt<K>>, 'count'>]: string | number } & (IsPlural<K> extends true
  ? { count: number }
  : 'count' extends PlaceholderNames<MessageAt<K>>
    ? { count: number }
    : unknown);

type ParamArguments<K extends MessageKey> = keyof MessageParams<K> extends never ? [params?: Record<string, never>] : [params: MessageParams<K>];

/** The catalogue of each language, as shipped. */
export const catalogues: Record<Locale, MessageCatalogue> = { en, ja };

let instance: i18n | undefined;

function translator(): i18n {
  if (instance !== undefined) return instance;
  const created = i18next.createInstance();
  void created.init({
    resources: Object.fromEntries(locales.map((locale) => [locale, { translation: catalogues[locale] }])),
    lng: fallbackLocale,
    supportedLngs: [...locales],
    // No silent fallback: every language is complete (checked by the catalogue tests).
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
  });
  instance = created;
  return created;
}

/** The message `key` in `locale`, with its parameters filled in. */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamArguments<K>): string {
  const values = (params[0] ?? {}) as Record<string, unknown>;
  return translator().t(key as string, { ...values, lng: locale }) as string;
}

/** True when `key` names a message in `locale` (for keys built from data, e.g. a tier or field name). */
export function hasMessage(locale: Locale, key: string): boolean {
  return translator().exists(key, { lng: locale });
}

/**
 * A message whose key is built from data (`intake.value.${value}`), or `fallback` when there is none:
 * for enumerations the catalogue may not know (values of an older rules file, free-text values).
 */
export function tOr(locale: Locale, key: string, fallback: string): string {
  return hasMessage(locale, key) ? (translator().t(key, { lng: locale }) as string) : fallback;
}

/** Joins items as a list in the reader's language ("A and B" / "A、B"). */
export function formatList(locale: Locale, items: readonly string[]): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}
