// Builds the real application for tests: a temporary DATA_DIR (fresh SQLite store, index built from
// the starter corpus on first open), the repository's rules and prompts, NODE_ENV=test, quiet logs.
// `startTestServer` also serves it over real HTTP on an ephemeral loopback port.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../src/app-context.js';
import { buildApp, type BuildAppOptions } from '../../src/app.js';
import { startWebServer, type RunningWebServer } from '../../src/channels/web/web-server.js';
import { loadConfig, type Environment } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';

/** The repository root (for corpus/, rules/, prompts/). */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TestApp extends AppContext {
  /** The temporary data folder; removed by close(). */
  dataDir: string;
}

/**
 * The real app on a temporary DATA_DIR. `overrides` are environment variables layered over the test
 * defaults (e.g. `{ GOVERNANCE_MEMBERS: 'web:reviewer' }`); the process environment is not read.
 */
export async function createTestApp(overrides: Environment = {}, options: BuildAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
    RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
    PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
    ...overrides,
  });
  let app: AppContext;
  try {
    app = await buildApp(config, {
      logger: options.logger ?? silentLogger(),
      metrics: options.metrics ?? createMetrics({ defaultMetrics: false }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.databaseSchema === undefined ? {} : { databaseSchema: options.databaseSchema }),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const close = app.close.bind(app);
  return Object.assign(app, {
    dataDir,
    async close() {
      await close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

export interface TestServer {
  app: TestApp;
  web: RunningWebServer;
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

/** The real app served over HTTP on 127.0.0.1 with an ephemeral port. */
export async function startTestServer(overrides: Environment = {}, options: BuildAppOptions = {}): Promise<TestServer> {
  const app = await createTestApp(overrides, options);
  const web = await startWebServer(app, { port: 0, host: '127.0.0.1' });
  return {
    app,
    web,
    url: web.url,
    async close() {
      await web.close(2000);
      await app.close();
    },
  };
}
