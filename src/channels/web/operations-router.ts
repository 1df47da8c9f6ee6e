// Operations endpoints: liveness (/healthz), readiness (/readyz: index loaded, store reachable, not
// draining) and Prometheus metrics (/metrics).
import express from 'express';
import type { AppContext } from '../../app-context.js';

export function createOperationsRouter(app: AppContext, options: { isDraining: () => boolean }): express.Router {
  const router = express.Router();

  router.get('/healthz', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.json({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    let result: Awaited<ReturnType<AppContext['ready']>>;
    try {
      result = await app.ready();
    } catch (error) {
      result = { ok: false, checks: { ready: { ok: false, detail: error instanceof Error ? error.message : String(error) } } };
    }
    const checks = { ...result.checks };
    if (options.isDraining()) checks.shutdown = { ok: false, detail: 'shutting down' };
    const ok = result.ok && !options.isDraining();
    const failed = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    response.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', ...(failed.length > 0 ? { failed } : {}), checks });
  });

  router.get('/metrics', async (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });

  return router;
}
