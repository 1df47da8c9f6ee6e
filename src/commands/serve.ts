// `shishin serve`: load the configuration, start the service (src/main.ts) and run until SIGTERM or
// SIGINT, then stop gracefully — stop accepting, let in-flight requests finish (bounded), stop the
// chat channels, close the store — and exit 0.
import { loadConfig } from '../config.js';
import { isShishinError } from '../errors.js';
import { createLogger } from '../logger.js';
import { requestIdMixin } from '../observability/request-scope.js';
import { parseCommandLine } from './command-line.js';

const help = `Usage: shishin serve [--port N]

Runs the web console, the JSON API, the operations endpoints (/healthz, /readyz, /metrics) and,
when configured, the Slack and Teams endpoints on one HTTP server. Configuration comes from the
environment (see .env.example). --port overrides PORT (0 picks a free port).`;

function parsePort(value: string | undefined): number | undefined | 'invalid' {
  if (value === undefined) return undefined;
  const port = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 'invalid';
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandLine({ args, strict: true, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, `${help}\n`, {
    output: process.stdout,
    errors: process.stderr,
  });
  if (typeof parsed === 'number') return parsed;
  const port = parsePort(parsed.values.port);
  if (port === 'invalid') {
    process.stderr.write('serve: --port needs a number between 0 and 65535\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel, mixin: requestIdMixin });
  let service;
  try {
    // The service modules (HTTP server, chat SDKs, stores) load only once the arguments are known good.
    const { startService } = await import('../main.js');
    service = await startService(config, { logger, ...(port === undefined ? {} : { port }) });
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    const message = isShishinError(error) ? error.message : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\n`);
    return isShishinError(error, 'config_invalid') ? 2 : 1;
  }
  process.stdout.write(`Shishin is running.\n${service.lines.map((line) => `  ${line}`).join('\n')}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  // A second signal while draining stops at once.
  const forceExit = () => {
    logger.warn('second signal: exiting without waiting');
    process.exit(1);
  };
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);
  try {
    await service.stop(10_000);
  } catch (error) {
    logger.error({ err: error }, 'shutdown did not complete cleanly');
    return 1;
  }
  logger.info('stopped');
  // Anything still holding the event loop (a stray socket or timer) must not keep a stopped server alive.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
