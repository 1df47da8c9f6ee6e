// Structured JSON logging (pino). Components take a child logger; secrets are redacted by path.
import { pino, type Logger } from 'pino';

export type { Logger };

const redactPaths = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
];

export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; mixin?: () => Record<string, unknown> } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.mixin === undefined ? {} : { mixin: options.mixin }),
      base: { service: 'shishin' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // pino's destination type is narrower than NodeJS.WritableStream; any writable works.
    options.destination as Parameters<typeof pino>[1],
  );
}

/** A logger that drops everything, for tests and quiet CLI commands. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
