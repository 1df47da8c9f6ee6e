// The service configuration: one zod schema over the environment. This module is the only reader of
// process.env. Precedence: explicit option, else environment variable, else default. An invalid
// value fails fast with a message naming the variable.
import path from 'node:path';
import { z } from 'zod';
import { ShishinError } from './errors.js';
import { isTimeZone } from './core/i18n/date-format.js';
import { locales, type Locale } from './core/i18n/locale.js';
import { localeFromPosixEnvironment } from './core/i18n/resolve-locale.js';
import { addressRangeProblem, loopbackRanges } from './network-address.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const positiveInteger = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed <= 0) {
        context.addIssue({ code: 'custom', message: 'must be a positive whole number' });
        return z.NEVER;
      }
      return parsed;
    });

const wholeNumber = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) {
        context.addIssue({ code: 'custom', message: 'must be a whole number (0 or more)' });
        return z.NEVER;
      }
      return parsed;
    });

/** Raw environment schema: keys are the environment variable names, documented in .env.example. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  PORT: positiveInteger(3978).refine((port) => port < 65536, 'must be a TCP port (1-65535)'),
  HOST: z.string().optional().default('127.0.0.1'),
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  DATA_DIR: z.string().optional().default('./data'),
  INDEX_DIR: optionalText.refine(
    (value) => value === undefined || path.basename(path.resolve(value)) === 'index',
    'must be a folder named "index", e.g. /app/index-data/index',
  ),
  CORPUS_DIR: z.string().optional().default('./corpus'),
  RULES_FILE: z.string().optional().default('./rules/risk-rules.yaml'),
  PROMPTS_DIR: z.string().optional().default('./prompts'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  EMBEDDINGS: z.enum(['local', 'openai']).optional().default('local'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url().optional()),
  OPENAI_CHAT_MODEL: z.string().optional().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().optional().default('text-embedding-3-small'),
  LLM_TIMEOUT_MS: positiveInteger(20_000),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  SLACK_REVIEW_CHANNEL: optionalText,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  TEAMS_REVIEW_CONVERSATION: optionalText,
  DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: booleanFlag,
  GOVERNANCE_MEMBERS: commaList,
  ALLOW_SELF_REVIEW: booleanFlag,
  DECISION_RATE_LIMIT_PER_MINUTE: positiveInteger(30),
  SCHEDULER_INTERVAL_SECONDS: wholeNumber(60),
  API_TOKENS: commaList,
  TRUSTED_PROXY_USER_HEADER: optionalText,
  DEV_USER: z.string().optional().default('web:dev'),
  DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK: booleanFlag,
  TRUSTED_PROXY_ADDRESSES: commaList,
  REGISTER_VISIBILITY: z.enum(['members', 'all']).optional().default('members'),
  HEADERS_TIMEOUT_MS: positiveInteger(20_000),
  REQUEST_TIMEOUT_MS: positiveInteger(30_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInteger(65_000),
  MAX_CONNECTIONS: positiveInteger(512),
  RATE_LIMIT_PER_MINUTE: positiveInteger(30),
  MAX_QUESTION_CHARS: positiveInteger(2000),
  DEFAULT_LOCALE: z.enum(locales, { error: () => `must be one of ${locales.join(', ')}` }).optional().default('en'),
  REVIEW_LOCALE: optionalText.pipe(z.enum(locales, { error: () => `must be one of ${locales.join(', ')}` }).optional()),
  DISPLAY_TIME_ZONE: optionalText.refine((value) => value === undefined || isTimeZone(value), 'must be an IANA time zone such as Asia/Tokyo or UTC'),
  /** The process time zone; used for display when DISPLAY_TIME_ZONE is unset (ignored when unknown). */
  TZ: optionalText,
  /** The POSIX locale variables: the command line's language when --lang is not given. */
  LC_ALL: optionalText,
  LC_MESSAGES: optionalText,
  LANG: optionalText,
});

export type Environment = Record<string, string | undefined>;

export interface Config {
  environment: 'development' | 'production' | 'test';
  logLevel: string;
  port: number;
  host: string;
  /** Base URL users reach the console at; defaults to http://HOST:PORT. */
  publicUrl: string;
  dataDir: string;
  /** Folder of the search index (default `<dataDir>/index`); may be read-only once built. */
  indexDir: string;
  corpusDir: string;
  rulesFile: string;
  promptsDir: string;
  /** PostgreSQL connection string; undefined means SQLite in dataDir. */
  databaseUrl: string | undefined;
  embeddings: 'local' | 'openai';
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    chatModel: string;
    embeddingModel: string;
    /** Whether a chat model is configured (API key or base URL present). */
    chatEnabled: boolean;
    timeoutMs: number;
  };
  slack: {
    enabled: boolean;
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    reviewChannel: string | undefined;
  };
  teams: {
    enabled: boolean;
    appId: string | undefined;
    appPassword: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
    tenantId: string | undefined;
    reviewConversation: string | undefined;
    dangerouslyAllowUnauthenticated: boolean;
  };
  /** Governance members as `channel:id` strings, e.g. `slack:U123`. */
  governanceMembers: string[];
  review: {
    /** Whether a member may decide an intake they submitted (the development identity always may). */
    allowSelfReview: boolean;
    /** Decision attempts per person per minute, in every door. */
    decisionsPerMinute: number;
    /**
     * How often this process looks for re-reviews that came due, queues obligation digests and sends
     * reminders (seconds); 0 turns the scheduler off in this process.
     */
    schedulerIntervalSeconds: number;
  };
  auth: {
    /** `token=channel:user` pairs accepted as bearer tokens by the JSON API. */
    apiTokens: Map<string, string>;
    /** Header set by a trusted authenticating proxy carrying the user's identity. */
    trustedProxyUserHeader: string | undefined;
    /** Identity used in development mode when no credentials are sent. */
    devUser: string;
    /** Peer addresses (IPs and CIDR ranges) whose trustedProxyUserHeader is believed; default loopback. */
    trustedProxyAddresses: string[];
    /** Lets the development identity serve a non-loopback bind (never in production). */
    dangerouslyAllowDevelopmentIdentityOffLoopback: boolean;
  };
  /** Who sees every intake in the register: `members` (others see their own) or `all`. */
  registerVisibility: 'members' | 'all';
  /** HTTP server limits against slow and idle clients. */
  server: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  rateLimitPerMinute: number;
  maxQuestionChars: number;
  /** Languages and time zone of what Shishin says. */
  locale: {
    /** The language for people whose own language is unknown (DEFAULT_LOCALE). */
    default: Locale;
    /** The language of the review channel's messages and cards (REVIEW_LOCALE; default: DEFAULT_LOCALE). */
    review: Locale;
    /** The time zone dates are shown in (DISPLAY_TIME_ZONE, else TZ); undefined: Asia/Tokyo for Japanese readers, else UTC. */
    displayTimeZone: string | undefined;
    /** The language LC_ALL, LC_MESSAGES or LANG names, for the command line; undefined when none does. */
    system: Locale | undefined;
  };
}

function parseApiTokens(entries: string[]): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator <= 0 || separator === entry.length - 1) {
      throw new ShishinError('config_invalid', 'API_TOKENS: each entry must look like token=channel:user');
    }
    tokens.set(entry.slice(0, separator), entry.slice(separator + 1));
  }
  return tokens;
}

/** Reads and validates the configuration. Throws ShishinError('config_invalid') naming each bad variable. */
export function loadConfig(environment: Environment = process.env, overrides: Partial<Environment> = {}): Config {
  const merged: Environment = { ...environment, ...overrides };
  const parsed = environmentSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ShishinError('config_invalid', `Invalid configuration — ${problems.join('; ')}`, {
      fields: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
    });
  }
  const values = parsed.data;
  const resolve = (value: string) => path.resolve(value);
  const chatEnabled = values.OPENAI_API_KEY !== undefined || values.OPENAI_BASE_URL !== undefined;
  if (values.EMBEDDINGS === 'openai' && !chatEnabled) {
    throw new ShishinError('config_invalid', 'EMBEDDINGS=openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  const slackEnabled = values.SLACK_BOT_TOKEN !== undefined;
  if (slackEnabled && values.SLACK_APP_TOKEN === undefined && values.SLACK_SIGNING_SECRET === undefined) {
    throw new ShishinError(
      'config_invalid',
      'SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (values.SLACK_APP_TOKEN !== undefined && !values.SLACK_APP_TOKEN.startsWith('xapp-')) {
    throw new ShishinError('config_invalid', 'SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  }
  const teamsEnabled = values.MicrosoftAppId !== undefined || values.DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS;
  if (values.MicrosoftAppId !== undefined && values.MicrosoftAppType !== 'UserAssignedMSI' && values.MicrosoftAppPassword === undefined) {
    throw new ShishinError('config_invalid', 'MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  if (values.MicrosoftAppType === 'SingleTenant' && values.MicrosoftAppTenantId === undefined) {
    throw new ShishinError('config_invalid', 'MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant');
  }
  for (const entry of values.TRUSTED_PROXY_ADDRESSES) {
    const problem = addressRangeProblem(entry);
    if (problem !== undefined) throw new ShishinError('config_invalid', `TRUSTED_PROXY_ADDRESSES: ${problem}`);
  }
  if (values.HEADERS_TIMEOUT_MS > values.REQUEST_TIMEOUT_MS) {
    throw new ShishinError('config_invalid', 'HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS');
  }
  for (const member of values.GOVERNANCE_MEMBERS) {
    if (!/^(slack|teams|web|cli):.+$/.test(member)) {
      throw new ShishinError('config_invalid', `GOVERNANCE_MEMBERS: "${member}" must look like slack:U123, teams:<aad-object-id> or web:alice`);
    }
  }
  return {
    environment: values.NODE_ENV,
    logLevel: values.LOG_LEVEL,
    port: values.PORT,
    host: values.HOST,
    publicUrl: values.PUBLIC_URL ?? `http://${values.HOST.includes(':') ? `[${values.HOST}]` : values.HOST}:${values.PORT}`,
    dataDir: resolve(values.DATA_DIR),
    indexDir: values.INDEX_DIR === undefined ? path.join(resolve(values.DATA_DIR), 'index') : resolve(values.INDEX_DIR),
    corpusDir: resolve(values.CORPUS_DIR),
    rulesFile: resolve(values.RULES_FILE),
    promptsDir: resolve(values.PROMPTS_DIR),
    databaseUrl: values.DATABASE_URL,
    embeddings: values.EMBEDDINGS,
    openai: {
      apiKey: values.OPENAI_API_KEY,
      baseUrl: values.OPENAI_BASE_URL,
      chatModel: values.OPENAI_CHAT_MODEL,
      embeddingModel: values.OPENAI_EMBEDDING_MODEL,
      chatEnabled,
      timeoutMs: values.LLM_TIMEOUT_MS,
    },
    slack: {
      enabled: slackEnabled,
      botToken: values.SLACK_BOT_TOKEN,
      signingSecret: values.SLACK_SIGNING_SECRET,
      appToken: values.SLACK_APP_TOKEN,
      apiUrl: values.SLACK_API_URL,
      reviewChannel: values.SLACK_REVIEW_CHANNEL,
    },
    teams: {
      enabled: teamsEnabled,
      appId: values.MicrosoftAppId,
      appPassword: values.MicrosoftAppPassword,
      appType: values.MicrosoftAppType,
      tenantId: values.MicrosoftAppTenantId,
      reviewConversation: values.TEAMS_REVIEW_CONVERSATION,
      dangerouslyAllowUnauthenticated: values.DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS,
    },
    governanceMembers: values.GOVERNANCE_MEMBERS,
    review: {
      allowSelfReview: values.ALLOW_SELF_REVIEW,
      decisionsPerMinute: values.DECISION_RATE_LIMIT_PER_MINUTE,
      schedulerIntervalSeconds: values.SCHEDULER_INTERVAL_SECONDS,
    },
    auth: {
      apiTokens: parseApiTokens(values.API_TOKENS),
      trustedProxyUserHeader: values.TRUSTED_PROXY_USER_HEADER?.toLowerCase(),
      devUser: values.DEV_USER,
      trustedProxyAddresses: values.TRUSTED_PROXY_ADDRESSES.length > 0 ? values.TRUSTED_PROXY_ADDRESSES : loopbackRanges,
      dangerouslyAllowDevelopmentIdentityOffLoopback: values.DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK,
    },
    registerVisibility: values.REGISTER_VISIBILITY,
    server: {
      headersTimeoutMs: values.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: values.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: values.MAX_CONNECTIONS,
    },
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    maxQuestionChars: values.MAX_QUESTION_CHARS,
    locale: {
      default: values.DEFAULT_LOCALE,
      review: values.REVIEW_LOCALE ?? values.DEFAULT_LOCALE,
      displayTimeZone: values.DISPLAY_TIME_ZONE ?? (values.TZ !== undefined && isTimeZone(values.TZ) ? values.TZ : undefined),
      system: localeFromPosixEnvironment({ LC_ALL: values.LC_ALL, LC_MESSAGES: values.LC_MESSAGES, LANG: values.LANG }),
    },
  };
}
