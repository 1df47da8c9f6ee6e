// Adapts the service's pino logger to the logger interface Bolt and the Slack SDKs expect.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export function toBoltLogger(logger: Logger): BoltLogger {
  let name = 'bolt';
  // Bolt logs arrays of strings and objects; join them into one message.
  const format = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => logger.debug({ component: name }, format(parts)),
    info: (...parts: unknown[]) => logger.debug({ component: name }, format(parts)),
    warn: (...parts: unknown[]) => logger.warn({ component: name }, format(parts)),
    error: (...parts: unknown[]) => logger.error({ component: name }, format(parts)),
    setLevel: () => undefined,
    getLevel: () => (logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: (value: string) => {
      name = value;
    },
  };
}
