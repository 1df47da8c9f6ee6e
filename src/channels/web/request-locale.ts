// The reader's language for a web request, decided once per request before any other middleware so
// that every message (pages, API errors, body-parser refusals) uses it: `?lang=`, then the console's
// language cookie, then Accept-Language, then DEFAULT_LOCALE. A console page opened with a valid
// `?lang=` (the header's language switch) remembers the choice in the cookie.
import type { NextFunction, Request, Response } from 'express';
import { fallbackLocale, localeFromTag, type Locale } from '../../core/i18n/locale.js';
import { localeCookieName, localeQueryParameter, resolveRequestLocale } from '../../core/i18n/resolve-locale.js';
import { readCookies, writeCookie } from './cookies.js';
import { locals } from './request-context.js';

/** How long the console remembers a language choice. */
const rememberedSeconds = 365 * 24 * 60 * 60;

/** The language the request names explicitly with `?lang=`, or undefined. */
export function queryLocale(request: Request): Locale | undefined {
  const value = request.query[localeQueryParameter];
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' ? localeFromTag(single) : undefined;
}

/** Sets `locals(response).locale` for every request. */
export function requestLocale(options: { defaultLocale: Locale; publicUrl: string }) {
  const secure = options.publicUrl.startsWith('https:');
  return function requestLocaleMiddleware(request: Request, response: Response, next: NextFunction): void {
    const locale = resolveRequestLocale(
      { query: request.query[localeQueryParameter], cookie: readCookies(request).get(localeCookieName), acceptLanguage: request.headers['accept-language'] },
      options.defaultLocale,
    );
    locals(response).locale = locale;
    // The console's language switch: a page opened with ?lang= keeps that language afterwards.
    const chosen = queryLocale(request);
    if (chosen !== undefined && request.method === 'GET' && (request.path === '/' || request.path.startsWith('/console')) && readCookies(request).get(localeCookieName) !== chosen) {
      writeCookie(response, localeCookieName, chosen, { maxAgeSeconds: rememberedSeconds, secure });
    }
    next();
  };
}

/** The reader's language of this request (set by requestLocale; the fallback before it ran). */
export function localeOf(response: Response): Locale {
  return locals(response).locale ?? fallbackLocale;
}
