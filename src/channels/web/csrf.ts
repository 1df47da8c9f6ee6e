// CSRF protection for console form posts: a per-browser random token in a SameSite=Strict cookie that
// each form echoes in a hidden `_csrf` field (double submit), plus an Origin / Sec-Fetch-Site check.
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

export function csrfProtection(options: { publicUrl: string }) {
  const publicHost = new URL(options.publicUrl).host;
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
      throw new ShishinError('not_authorised', 'This form has expired or did not come from this Shishin console. Reload the page and try again.');
    };
    if (request.get('sec-fetch-site') === 'cross-site') refuse();
    const origin = request.get('origin');
    if (origin !== undefined && origin !== 'null') {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (originHost !== request.get('host') && originHost !== publicHost) refuse();
    }
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!hasValidCookie || typeof sent !== 'string' || !sameToken(sent, token)) refuse();
    next();
  };
}
