// The one HTTP server of a Shishin process: operations endpoints, chat channel endpoints, the JSON API
// and the web console on a single express application, with graceful draining on shutdown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { createApiRouter } from './api-router.js';
import { assertSafeExposure, createAuthenticator, type Authenticator } from './authentication.js';
import { consoleErrorPage, createConsoleRouter, pageContext } from './console-router.js';
import { toErrorResponse } from './error-response.js';
import { createOperationsRouter } from './operations-router.js';
import { createRateLimiter } from '../../core/rate-limiter.js';
import { locals, requestContext, restoreRequestScope } from './request-context.js';
import { localeOf, requestLocale } from './request-locale.js';
import { t } from '../../core/i18n/translate.js';
import { jsonBodiesOnly } from './state-change-guards.js';

/** Largest accepted JSON or form body. */
export const bodyLimitBytes = 64 * 1024;

/**
 * An HTTP endpoint contributed by a chat channel (Slack events, Teams messages). Mounted before the
 * body parsers, so the handler sees the raw request stream (needed for signature checks).
 */
export interface ChannelRoute {
  /** Short name for logs, e.g. `slack`. */
  name: string;
  method: 'post' | 'get' | 'all';
  /** Exact path, e.g. `/slack/events`. */
  path: string;
  handler: RequestHandler | express.Router;
}

export interface WebApplicationOptions {
  channelRoutes?: ChannelRoute[];
  /** True once shutdown has begun: /readyz answers 503 and responses close their connection. */
  isDraining?: () => boolean;
  /** The address the server binds (default HOST); the development identity exists only on loopback. */
  bindHost?: string;
}

const securityHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** Builds the express application (without listening). */
export function createWebApplication(app: AppContext, options: WebApplicationOptions = {}): express.Express {
  const isDraining = options.isDraining ?? (() => false);
  const authenticator: Authenticator = createAuthenticator(app.config, { bindHost: options.bindHost ?? app.config.host });
  const limiter = createRateLimiter({ perMinute: app.config.rateLimitPerMinute, clock: app.clock });
  const web = express();
  web.disable('x-powered-by');
  web.set('etag', false);

  web.use(requestContext({ logger: app.logger.child({ component: 'web' }), metrics: app.metrics }));
  web.use(requestLocale({ defaultLocale: app.config.locale.default, publicUrl: app.config.publicUrl }));
  web.use((_request, response, next) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    if (isDraining()) response.setHeader('Connection', 'close');
    next();
  });
  web.use(createOperationsRouter(app, { isDraining }));

  for (const route of options.channelRoutes ?? []) {
    web[route.method](route.path, route.handler as RequestHandler);
  }

  web.use('/api', jsonBodiesOnly);
  web.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  web.use(express.urlencoded({ extended: false, limit: bodyLimitBytes, parameterLimit: 200 }));
  web.use(restoreRequestScope);
  web.use(createApiRouter(app, { authenticator, limiter }));
  web.use(createConsoleRouter(app, { authenticator, limiter }));

  web.use((request: Request, _response: Response, next: NextFunction) => {
    next(Object.assign(new Error('not found'), { notFoundPath: request.path }));
  });
  web.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const requestLocals = locals(response);
    const requestId = requestLocals.requestId ?? 'unknown';
    const notFound = typeof error === 'object' && error !== null && 'notFoundPath' in error;
    const translated = notFound
      ? { status: 404, body: { error: { code: 'not_found', message: t(localeOf(response), 'api.noRoute') } }, unexpected: false }
      : toErrorResponse(error, { requestId, bodyLimitBytes, locale: localeOf(response) });
    const log = requestLocals.log ?? app.logger;
    if (translated.unexpected) log.error({ err: error }, 'request failed');
    else if (!notFound) log.info({ code: translated.body.error.code, status: translated.status }, 'request refused');
    if (response.headersSent) {
      next(error);
      return;
    }
    if (translated.status === 401 && !authenticator.developmentMode) response.setHeader('WWW-Authenticate', 'Bearer realm="shishin"');
    const wantsPage = (request.path === '/' || request.path.startsWith('/console')) && request.accepts(['html', 'json']) === 'html';
    if (wantsPage) {
      response
        .status(translated.status)
        .type('html')
        .send(consoleErrorPage(pageContext(app, request, response, authenticator), translated.status, translated.body.error.message));
      return;
    }
    response.status(translated.status).json(translated.body);
  });
  return web;
}

export interface RunningWebServer {
  server: http.Server;
  /** The bound address, e.g. `http://127.0.0.1:3978`. */
  url: string;
  /** Stops accepting, waits for in-flight requests (at most `timeoutMs`), then closes remaining connections. */
  close(timeoutMs?: number): Promise<void>;
}

/** Creates the application and listens on `port` (0 = ephemeral) and `host`. */
export async function startWebServer(
  app: AppContext,
  options: WebApplicationOptions & { port: number; host: string },
): Promise<RunningWebServer> {
  assertSafeExposure(app.config, options.host);
  let draining = false;
  const web = createWebApplication(app, { ...options, bindHost: options.host, isDraining: () => draining || (options.isDraining?.() ?? false) });
  const limits = app.config.server;
  // Node enforces the header and request timeouts on this interval; its 30 s default would let a
  // half-sent request live that much longer than configured.
  const connectionsCheckingInterval = Math.min(5_000, Math.max(250, Math.floor(limits.headersTimeoutMs / 4)));
  const server = http.createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval },
    web,
  );
  // Longer than a proxy's idle timeout for its upstream connections (60 s for common load balancers),
  // so the proxy, not this server, closes idle keep-alive connections.
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Beyond the cap new connections are closed at once, keeping file descriptors for the store and index.
  server.maxConnections = limits.maxConnections;
  // While draining, a keep-alive connection becomes idle once its last response is out: close it then.
  server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.on('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    async close(timeoutMs = 10_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
        timer.unref();
      });
      const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut]);
      if (timer !== undefined) clearTimeout(timer);
      if (outcome === 'timeout') {
        app.logger.warn({ timeoutMs }, 'in-flight requests did not finish in time; closing connections');
        server.closeAllConnections();
        await closed;
      }
    },
  };
}
