// Guards for requests that change state, shared by the JSON API and the console, against cross-site
// request forgery when identity rides along with the browser (the development identity, a proxy's
// session cookie):
// - `sameOriginOnly` refuses a request another site made the browser send: Sec-Fetch-Site other
//   than same-origin/none, or an Origin that is neither this request's host nor PUBLIC_URL's
//   (`Origin: null` included). Requests without either header come from non-browser clients.
// - `jsonBodiesOnly` refuses API bodies that are not application/json with 415: a page on another
//   site cannot send JSON without a CORS preflight, which this service never grants.
import type { NextFunction, Request, Response } from 'express';
import type { Locale } from '../../core/i18n/locale.js';
import { t } from '../../core/i18n/translate.js';
import { ShishinError } from '../../errors.js';
import { locals } from './request-context.js';
import { localeOf } from './request-locale.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for methods that may change state. */
export function changesState(request: Request): boolean {
  return !safeMethods.has(request.method);
}

/** Why the request looks cross-site, or undefined when it is same-origin (or from a non-browser client). */
export function crossSiteReason(request: Request, publicHost: string): string | undefined {
  const site = request.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = request.get('origin');
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return 'an unreadable Origin';
  }
  // An opaque origin ("null": sandboxed frames, data: URLs) parses to an empty host.
  if (originHost === '') return 'Origin: null';
  if (originHost === request.get('host')?.toLowerCase() || originHost === publicHost) return undefined;
  return `Origin: ${originHost}`;
}

export interface SameOriginOptions {
  /** PUBLIC_URL: its host is accepted as an origin besides the request's own Host. */
  publicUrl: string;
  /** What the refused caller reads (403), in the request's language. */
  message: (locale: Locale) => string;
  /** Requests for which the check does not apply (e.g. bearer-token callers: no ambient credentials). */
  exempt?: (request: Request, response: Response) => boolean;
}

/** Refuses state-changing requests from another site with 403 and `message`. */
export function sameOriginOnly(options: SameOriginOptions) {
  const publicHost = new URL(options.publicUrl).host.toLowerCase();
  return function sameOriginMiddleware(request: Request, response: Response, next: NextFunction): void {
    if (changesState(request) && options.exempt?.(request, response) !== true) {
      const reason = crossSiteReason(request, publicHost);
      if (reason !== undefined) {
        locals(response).log.info({ reason, path: request.path }, 'cross-site request refused');
        throw new ShishinError('not_authorised', options.message(localeOf(response)));
      }
    }
    next();
  };
}

/** 415 for a state-changing request whose body is not declared as application/json. */
export function jsonBodiesOnly(request: Request, response: Response, next: NextFunction): void {
  if (changesState(request)) {
    const type = (request.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new ShishinError('unsupported_media_type', t(localeOf(response), 'api.jsonOnly'));
    }
  }
  next();
}
