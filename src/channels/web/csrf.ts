// CSRF protection for console form posts: a per-browser random token in a SameSite=Strict cookie that
// each form echoes in a hidden `_csrf` field (double submit). The Origin / Sec-Fetch-Site check that
// runs before it is shared with the JSON API (state-change-guards.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { ShishinError } from '../../errors.js';
import { readCookies, writeCookie } from './cookies.js';
import { locals } from './request-context.js';
import { localeOf } from './request-locale.js';

export const csrfCookie = 'shishin_csrf';
const tokenPattern = /^[A-Za-z0-9_-]{32,64}$/;

function sameToken(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a refused console post says (a stale form or one from another site), in `locale`. */
export function consoleRefusalMessage(locale: Locale): string {
  return t(locale, 'console.error.formExpired');
}

export function csrfProtection(options: { publicUrl: string }) {
  const secure = options.publicUrl.startsWith('https:');
  return function csrfMiddleware(request: Request, response: Response, next: NextFunction): void {
    const existing = readCookies(request).get(csrfCookie);
    const hasValidCookie = existing !== undefined && tokenPattern.test(existing);
    const token = hasValidCookie ? existing : randomBytes(24).toString('base64url');
    if (!hasValidCookie) writeCookie(response, csrfCookie, token, { secure });
    locals(response).csrfToken = token;
    if (request.method !== 'POST') {
      next();
      return;
    }
    const refuse = () => {
      throw new ShishinError('not_authorised', consoleRefusalMessage(localeOf(response)));
    };
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!hasValidCookie || typeof sent !== 'string' || !sameToken(sent, token)) refuse();
    next();
  };
}
