// The message catalogues and language choice: both languages complete and consistent, typed look-up
// with plurals and interpolation, HTTP and command-line language resolution, dates, and the settings.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { isShishinError } from '../../errors.js';
import { displayTimeZone, formatDateTime, isoInTimeZone } from './date-format.js';
import { localeFromTag } from './locale.js';
import { en } from './messages-en.js';
import { localeFromAcceptLanguage, localeOfText, resolveCommandLineLocale, resolveRequestLocale } from './resolve-locale.js';
import { catalogues, formatList, hasMessage, t, tOr } from './translate.js';

/** Every leaf of a catalogue as dotted key → text. */
function flatten(value: unknown, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = `${prefix}${key}`;
    if (typeof child === 'string') entries.set(path, child);
    else for (const [inner, text] of flatten(child, `${path}.`)) entries.set(inner, text);
  }
  return entries;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/gu)].map((match) => match[1]).sort();

describe('message catalogues', () => {
  const english = flatten(catalogues.en);
  const japanese = flatten(catalogues.ja);

  it('have the same keys in both languages', () => {
    const onlyEnglish = [...english.keys()].filter((key) => !japanese.has(key));
    const onlyJapanese = [...japanese.keys()].filter((key) => !english.has(key));
    expect(onlyEnglish, 'keys missing in ja').toEqual([]);
    expect(onlyJapanese, 'keys missing in en').toEqual([]);
    expect(english.size).toBeGreaterThan(300);
  });

  it('fill every message, with the same placeholders in both languages', () => {
    for (const [key, text] of english) {
      const other = japanese.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it('write Japanese messages in Japanese', () => {
    // Markup-only or symbol-only messages (an em dash, a quoted placeholder) are the same everywhere.
    const untranslated = [...japanese].filter(([key, text]) => /[A-Za-z]{3}/u.test(text.replace(/\{\{\w+\}\}|`[^`]*`|\*\*?[a-z]+\*\*?|:[a-z_]+:|AI|EU|JSON|ID|PoC|Shishin|Teams|Slack|ISO\/IEC 42001|--json/gu, '')) && !/[\u3040-\u30ff\u4e00-\u9fff]/u.test(text) && key !== 'common.noValue');
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it('looks messages up by typed key, with interpolation and plurals', () => {
    expect(t('en', 'tier.high')).toBe('High risk');
    expect(t('ja', 'tier.high')).toBe('高リスク');
    expect(t('en', 'classification.headlineFlagged', { tier: t('en', 'tier.high') })).toBe('High risk — sent to the governance team for review');
    expect(t('en', 'classification.moreReasons', { count: 1 })).toBe('…and 1 more reason');
    expect(t('en', 'classification.moreReasons', { count: 3 })).toBe('…and 3 more reasons');
    expect(t('ja', 'classification.moreReasons', { count: 3 })).toBe('ほか 3 件の理由');
    // Values are not escaped here: each door escapes for its own markup.
    expect(t('en', 'common.quoted', { text: '<b>&' })).toBe('“<b>&”');
    expect(en.tier.high).toBe('High risk');
  });

  it('tells keys built from data apart from missing ones', () => {
    expect(hasMessage('ja', 'intake.value.employment')).toBe(true);
    expect(hasMessage('ja', 'intake.value.not_a_value')).toBe(false);
    expect(tOr('ja', 'intake.value.employment', 'employment')).toBe('雇用・人事');
    expect(tOr('ja', 'intake.value.custom', 'custom')).toBe('custom');
  });

  it('formats lists in the reader’s language', () => {
    expect(formatList('en', ['EU AI Act', 'Japan AI Guidelines'])).toBe('EU AI Act and Japan AI Guidelines');
    expect(formatList('ja', ['EU AI法', 'AIガイドライン'])).toBe('EU AI法、AIガイドライン');
  });
});

describe('language resolution', () => {
  it('maps language tags onto supported languages', () => {
    expect(localeFromTag('ja')).toBe('ja');
    expect(localeFromTag('ja-JP')).toBe('ja');
    expect(localeFromTag('ja_JP.UTF-8')).toBe('ja');
    expect(localeFromTag('EN-gb')).toBe('en');
    expect(localeFromTag('fr-FR')).toBeUndefined();
    expect(localeFromTag('C')).toBeUndefined();
    expect(localeFromTag('*')).toBeUndefined();
    expect(localeFromTag('ja;<script>')).toBeUndefined();
    expect(localeFromTag(undefined)).toBeUndefined();
  });

  it('reads Accept-Language by weight and order', () => {
    expect(localeFromAcceptLanguage('ja,en-US;q=0.9,en;q=0.8')).toBe('ja');
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,ja;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4')).toBe('ja');
    expect(localeFromAcceptLanguage('en;q=0.2, ja;q=0.7')).toBe('ja');
    expect(localeFromAcceptLanguage('ja;q=0, en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage('fr, de')).toBeUndefined();
    expect(localeFromAcceptLanguage('')).toBeUndefined();
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined();
  });

  it('weighs ?lang=, the cookie, Accept-Language and the default in that order', () => {
    expect(resolveRequestLocale({ query: 'ja', cookie: 'en', acceptLanguage: 'en' }, 'en')).toBe('ja');
    expect(resolveRequestLocale({ query: ['en', 'ja'], acceptLanguage: 'ja' }, 'ja')).toBe('en');
    expect(resolveRequestLocale({ query: 'klingon', cookie: 'ja', acceptLanguage: 'en' }, 'en')).toBe('ja');
    expect(resolveRequestLocale({ cookie: 'garbage', acceptLanguage: 'ja-JP,ja;q=0.9' }, 'en')).toBe('ja');
    expect(resolveRequestLocale({ acceptLanguage: 'fr' }, 'ja')).toBe('ja');
    expect(resolveRequestLocale({ query: { nested: 'ja' } }, 'en')).toBe('en');
    expect(resolveRequestLocale({}, 'en')).toBe('en');
  });

  it('reads --lang, then LC_ALL, LC_MESSAGES and LANG, on the command line', () => {
    expect(resolveCommandLineLocale('ja', { LANG: 'en_US.UTF-8' }, 'en')).toBe('ja');
    expect(resolveCommandLineLocale(undefined, { LANG: 'ja_JP.UTF-8' }, 'en')).toBe('ja');
    expect(resolveCommandLineLocale(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'ja_JP.UTF-8' }, 'ja')).toBe('en');
    expect(resolveCommandLineLocale(undefined, { LANG: 'C.UTF-8' }, 'ja')).toBe('ja');
    expect(resolveCommandLineLocale(undefined, {}, 'en')).toBe('en');
  });

  it('tells the language of what someone typed', () => {
    expect(localeOfText('日本のAIガイドラインに罰則はありますか？')).toBe('ja');
    expect(localeOfText('Do the Japanese AI guidelines impose penalties?')).toBe('en');
  });
});

describe('dates', () => {
  const instant = '2026-12-03T12:15:00.000Z';

  it('show the minute in the reader’s language and time zone, with the zone named', () => {
    expect(formatDateTime(instant, 'en', 'UTC')).toBe('2026-12-03 12:15 UTC');
    expect(formatDateTime(instant, 'en', 'Asia/Tokyo')).toBe('2026-12-03 21:15 JST');
    expect(formatDateTime(instant, 'ja', 'Asia/Tokyo')).toBe('2026年12月3日 21:15 (JST)');
    expect(formatDateTime('not a date', 'ja', 'UTC')).toBe('not a date');
  });

  it('default to Asia/Tokyo for Japanese readers and UTC otherwise', () => {
    expect(displayTimeZone('ja', undefined)).toBe('Asia/Tokyo');
    expect(displayTimeZone('en', undefined)).toBe('UTC');
    expect(displayTimeZone('ja', 'Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('keep exports machine-readable: ISO 8601 with the zone’s offset', () => {
    expect(isoInTimeZone(instant, 'Asia/Tokyo')).toBe('2026-12-03T21:15:00+09:00');
    expect(isoInTimeZone(instant, 'UTC')).toBe(instant);
    expect(isoInTimeZone('', 'Asia/Tokyo')).toBe('');
    expect(new Date(isoInTimeZone(instant, 'America/New_York')).toISOString()).toBe(instant);
  });
});

describe('language settings', () => {
  it('default to English, the review channel following DEFAULT_LOCALE', () => {
    expect(loadConfig({}).locale).toEqual({ default: 'en', review: 'en', displayTimeZone: undefined, system: undefined });
    expect(loadConfig({ DEFAULT_LOCALE: 'ja' }).locale).toEqual({ default: 'ja', review: 'ja', displayTimeZone: undefined, system: undefined });
    expect(loadConfig({ DEFAULT_LOCALE: 'ja', REVIEW_LOCALE: 'en', DISPLAY_TIME_ZONE: 'Asia/Tokyo', LANG: 'ja_JP.UTF-8' }).locale).toEqual({
      default: 'ja',
      review: 'en',
      displayTimeZone: 'Asia/Tokyo',
      system: 'ja',
    });
    expect(loadConfig({ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }).locale.system).toBeUndefined();
  });

  it('take TZ when DISPLAY_TIME_ZONE is unset, ignoring values that name no zone', () => {
    expect(loadConfig({ TZ: 'Europe/Berlin' }).locale.displayTimeZone).toBe('Europe/Berlin');
    expect(loadConfig({ TZ: ':/etc/localtime' }).locale.displayTimeZone).toBeUndefined();
    expect(loadConfig({ TZ: 'Europe/Berlin', DISPLAY_TIME_ZONE: 'UTC' }).locale.displayTimeZone).toBe('UTC');
  });

  it('refuse to start on an unknown language or time zone, naming the variable', () => {
    for (const [name, value] of [
      ['DEFAULT_LOCALE', 'fr'],
      ['REVIEW_LOCALE', 'de'],
      ['DISPLAY_TIME_ZONE', 'Mars/Olympus'],
    ] as const) {
      try {
        loadConfig({ [name]: value });
        expect.fail(`${name}=${value} was accepted`);
      } catch (error) {
        expect(isShishinError(error, 'config_invalid'), String(error)).toBe(true);
        expect((error as Error).message).toContain(name);
      }
    }
  });
});
