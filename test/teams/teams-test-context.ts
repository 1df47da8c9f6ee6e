// Test wiring for the Teams door: the real intake service and a real SQLite store on a temporary
// DATA_DIR (dedupe, settings, review message refs, feedback, audit), with a small deterministic
// classifier and a scripted answer service so each test controls what the door renders. The full
// application (corpus, index, rules) is exercised in teams-end-to-end.test.ts. Plus an express app
// mounting the channel on 127.0.0.1.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AppContext } from '../../src/app-context.js';
import { loadConfig, type Environment } from '../../src/config.js';
import type { AnswerDetails, AskRequest } from '../../src/core/answer/answer.js';
import type { Classification } from '../../src/core/intake/classification.js';
import { parseIntake, type IntakeInput } from '../../src/core/intake/intake-schema.js';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { createObligationService } from '../../src/core/review/create-obligation-service.js';
import { createReviewSchedule } from '../../src/core/review/review-schedule.js';
import { permissiveCatalog } from '../intake/fixtures.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createStore } from '../../src/providers/store/create-store.js';
import type { Clock } from '../../src/ports/clock.js';
import { createTeamsChannel, type TeamsChannel, type TeamsChannelOptions } from '../../src/channels/teams/teams-channel.js';

export const reviewer = { id: '29:reviewer', name: 'Rei Reviewer', aadObjectId: 'aad-reviewer' };
export const submitter = { id: '29:submitter', name: 'Sam <b>Submitter</b>', aadObjectId: 'aad-submitter' };
export const outsider = { id: '29:outsider', name: 'Olli Outsider', aadObjectId: 'aad-outsider' };

/**
 * Bot Framework settings that send every token and metadata look-up to `baseUrl` (a local OpenID
 * endpoint, or a closed port to prove nothing is fetched) and expect tokens from `issuer`.
 */
export function localBotFrameworkSettings(baseUrl: string, issuer: string): Record<string, string> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: `${baseUrl}/.well-known/openid-configuration`,
    ToBotFromEmulatorOpenIdMetadataUrl: `${baseUrl}/.well-known/openid-configuration`,
    ToBotFromChannelTokenIssuer: issuer,
    ToChannelFromBotLoginUrl: `${baseUrl}/login`,
    ToChannelFromBotOAuthScope: issuer,
    OAuthUrl: baseUrl,
    CallerId: 'urn:botframework:test',
    ValidateAuthority: 'false',
  };
}

/** The strings an intake form card sends back for `input`: multi-selects comma-separated, toggles "true"/"false". */
export function cardValues(input: IntakeInput): Record<string, string> {
  return Object.fromEntries(Object.entries(input).map(([field, value]) => [field, Array.isArray(value) ? value.join(',') : String(value)]));
}

export interface TestContext {
  app: AppContext;
  questions: string[];
  /** Replace to script the next answers. */
  answer: (request: AskRequest) => Promise<AnswerDetails>;
  close(): Promise<void>;
}

function classify(input: ReturnType<typeof parseIntake>): Classification {
  const high = input.domains.includes('employment');
  return {
    tier: high ? 'high' : 'minimal',
    flagged: high,
    flagReasons: high ? ['High-risk use cases always need review.'] : [],
    reasons: high
      ? [
          {
            ruleId: 'eu.annex3.employment',
            tier: 'high',
            summary: 'Employment use *screening* candidates (EU AI Act Annex III)',
            citations: [{ source: 'eu-ai-act.md', section: 'Annex III', quote: 'Employment, workers management and access to self-employment' }],
          },
        ]
      : [],
    obligations: high
      ? [
          {
            id: 'eu.risk_management',
            text: 'Run a risk management system',
            framework: 'EU AI Act',
            ruleIds: ['eu.annex3.employment'],
            citations: [{ source: 'eu-ai-act.md', section: 'Article 9', quote: 'A risk management system shall be established' }],
          },
        ]
      : [],
    signals: [],
    rulesVersion: 'test',
  };
}

export const defaultAnswer: AnswerDetails = {
  answer: 'Recruitment screening is high-risk [1]. Providers must keep *logs* <script>x</script> [2].',
  grounded: true,
  citations: [
    {
      n: 1,
      title: 'EU AI Act',
      source: 'eu-ai-act.md',
      section: 'Annex III',
      quote: 'AI systems intended to be used for the recruitment or selection of natural persons, in particular to place targeted job advertisements, to analyse and filter job applications, and to evaluate candidates.',
      url: 'https://example.org/eu-ai-act#annex-iii',
      score: 0.92,
    },
    { n: 2, title: 'EU AI Act', source: 'eu-ai-act.md', section: 'Article 12', quote: 'High-risk AI systems shall technically allow for the automatic recording of events.', score: 0.8 },
  ],
  related: [],
  mode: 'extractive',
  answerId: 'answer-1',
  timings: { retrievalMs: 3, totalMs: 5 },
};

export interface TestContextOptions {
  /** Classify with the real rules files (texts in every language) instead of the small scripted classifier. */
  realRules?: boolean;
  /** Moves time for the whole context (the intake service, the store, the door). */
  clock?: Clock;
}

export async function createTestContext(environment: Environment = {}, options: TestContextOptions = {}): Promise<TestContext> {
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'shishin-teams-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS: 'true',
    GOVERNANCE_MEMBERS: `teams:${reviewer.aadObjectId},web:alice`,
    ...environment,
  });
  const logger = silentLogger();
  const store = await createStore(config, logger, { clock });
  const reviewSchedule = createReviewSchedule(new Map([['high', { months: 6, itemsDueDays: undefined }]]));
  const intakes = createIntakeService({
    store,
    classifier: options.realRules === true ? createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: permissiveCatalog(), logger }) : { classify: async (input) => classify(input) },
    governanceMembers: config.governanceMembers,
    clock,
    logger,
    reviewSchedule,
  });
  const obligations = createObligationService({ store, intakes, clock, logger });

  const context: TestContext = {
    questions: [],
    answer: async () => defaultAnswer,
    app: undefined as unknown as AppContext,
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  context.app = {
    config,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    clock,
    answers: {
      ask: async (request) => {
        context.questions.push(request.question);
        return context.answer(request);
      },
    },
    intakes,
    obligations,
    reviewSchedule,
    store,
    retriever: { search: async () => [] },
    catalog: { findSection: () => [], size: () => 0 } as unknown as AppContext['catalog'], // unused by the Teams door
    documents: { list: () => [], read: async () => undefined },
    describe: () => ['test'],
    ready: async () => ({ ok: true, checks: {} }),
    close: async () => {},
  };
  return context;
}

export interface BotServer {
  channel: TeamsChannel;
  url: string;
  /** POSTs an activity to /api/messages; resolves with the HTTP status and JSON body (if any). */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Mounts the Teams channel on an express app listening on 127.0.0.1:0. */
export async function startBotServer(
  app: AppContext,
  options: TeamsChannelOptions & { jsonParser?: boolean } = {},
): Promise<BotServer> {
  const { jsonParser = true, ...channelOptions } = options;
  const channel = await createTeamsChannel(app, channelOptions);
  const web = express();
  // The server mounts channel routes before its JSON parser; both ways must work.
  if (jsonParser) web.use(express.json({ limit: '1mb' }));
  web.post('/api/messages', (request, response) => channel.handler(request, response));
  const server: Server = await new Promise((resolve) => {
    const listening = web.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  return {
    channel,
    url,
    async post(activity, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
    async close() {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
