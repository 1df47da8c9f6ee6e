// CSRF protection for console form posts: a per-browser random token in a SameSite=Strict cookie that
// each form echoes in a hidden `_csrf` field (double submit). The Origin / Sec-Fetch-Site check that
// runs before it is shared with the JSON API (state-change-guards.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ShishinError } from '../../errors.js';
import { readCookies, writeCookie } from './cookies.js';
import { locals } from './request-context.js';

export const csrfCookie = 'shishin_csrf';
const tokenPattern = /^[A-Za-z0-9_-]{32,64}$/;

function sameToken(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a refused console post says (a stale form or one from another site). */
export const consoleRefusalMessage = 'This form has expired or did not come from this Shishin console. Reload the page and try again.';

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
      throw new ShishinError('not_authorised', consoleRefusalMessage);
    };
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!hasValidCookie || typeof sent !== 'string' || !sameToken(sent, token)) refuse();
    next();
  };
}
