// Per-request plumbing: a request id (taken from `x-request-id` when well-formed, else generated), a
// child logger carrying it, an access log line and HTTP metrics labelled by route pattern.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Locale } from '../../core/i18n/locale.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { requestScope } from '../../observability/request-scope.js';
import type { RequestIdentity } from './authentication.js';

/** What handlers find in `response.locals`. */
export interface RequestLocals {
  requestId: string;
  log: Logger;
  /** Set once the caller is identified (console and API routes). */
  identity?: RequestIdentity;
  /** Set by the CSRF middleware for console pages. */
  csrfToken?: string;
  /** The reader's language (request-locale.ts): `?lang=`, the language cookie, Accept-Language, DEFAULT_LOCALE. */
  locale?: Locale;
}

export function locals(response: Response): RequestLocals {
  return response.locals as RequestLocals;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The route pattern (e.g. `/api/intakes/:id`), never the raw path, so metrics stay low-cardinality. */
export function routePattern(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route;
  if (route !== undefined && typeof route.path === 'string') return `${request.baseUrl}${route.path}`;
  return 'unmatched';
}

export function requestContext(options: { logger: Logger; metrics: Metrics }) {
  return function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    response.setHeader('x-request-id', requestId);
    // The id reaches log lines through the request scope (logger mixin), and explicitly below.
    const log = options.logger;
    Object.assign(response.locals, { requestId, log } satisfies RequestLocals);
    const started = process.hrtime.bigint();
    let pattern = 'unmatched';
    // The route is known while handlers run; capture it before routers restore baseUrl.
    response.on('prefinish', () => {
      pattern = routePattern(request);
    });
    response.on('close', () => {
      if (pattern === 'unmatched') pattern = routePattern(request);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: request.method, route: pattern, status: String(response.statusCode) };
      options.metrics.httpRequests.inc(labels);
      options.metrics.httpDuration.observe(labels, seconds);
      const identity = locals(response).identity;
      log.info(
        {
          requestId,
          method: request.method,
          route: pattern,
          status: response.statusCode,
          durationMs: Math.round(seconds * 1000),
          actor: identity === undefined ? undefined : `${identity.actor.channel}:${identity.actor.id}`,
          completed: response.writableFinished,
        },
        'request',
      );
    });
    requestScope.run({ requestId }, next);
  };
}

/**
 * Re-enters the request scope. Body parsers resume the chain from stream callbacks, which run outside
 * the scope entered at the start; mount this after them.
 */
export function restoreRequestScope(_request: Request, response: Response, next: NextFunction): void {
  const requestId = locals(response).requestId;
  if (requestId === undefined || requestScope.getStore()?.requestId === requestId) {
    next();
    return;
  }
  requestScope.run({ requestId }, next);
}
