// Test harness for the Slack door: the real service (startService: real app, real HTTP server with
// the Slack router mounted by the server) on a temporary DATA_DIR, pointed at a fake Slack Web API,
// plus builders for signed Slack payloads.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Environment } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { postSignedCommand, postSignedEvent, postSignedInteraction, startFakeSlackApi, type FakeSlackApi, type SignedPostOptions } from '../helpers/fake-slack-api.js';
import { repositoryRoot } from '../helpers/test-app.js';
import type { IntakeInput } from '../../src/core/intake/intake-schema.js';
import type { ViewStateValues } from '../../src/channels/slack/intake-modal.js';
import type { Clock } from '../../src/ports/clock.js';

export const signingSecret = 'test-signing-secret';
export const reviewChannel = 'CREVIEW001';
export const governanceMember = 'UGOVERN01';
export const submitter = 'USUBMIT01';
export const outsider = 'UOUTSIDE1';

export interface SlackHarness {
  fake: FakeSlackApi;
  service: RunningService;
  eventsUrl: string;
  event(event: Record<string, unknown>, options?: SignedPostOptions & { eventId?: string }): Promise<Response>;
  command(text: string, user?: string, options?: SignedPostOptions): Promise<Response>;
  interaction(payload: Record<string, unknown>, options?: SignedPostOptions): Promise<Response>;
  close(): Promise<void>;
}

let eventCounter = 0;

/** Starts the fake Slack API and the real service configured for Slack HTTP mode. */
export async function startSlackHarness(environment: Environment = {}, options: { clock?: Clock } = {}): Promise<SlackHarness> {
  const fake = await startFakeSlackApi();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-slack-'));
  let service: RunningService;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
      RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
      PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_REVIEW_CHANNEL: reviewChannel,
      GOVERNANCE_MEMBERS: `slack:${governanceMember}`,
      ...environment,
    });
    service = await startService(config, {
      port: 0,
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  } catch (error) {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const eventsUrl = `${service.web.url}/slack/events`;
  return {
    fake,
    service,
    eventsUrl,
    event(event, options = {}) {
      eventCounter += 1;
      const eventId = options.eventId ?? `Ev${Date.now()}${eventCounter}`;
      return postSignedEvent(
        eventsUrl,
        signingSecret,
        { token: 'legacy', team_id: 'TTEAM0001', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event },
        options,
      );
    },
    command(text, user = submitter, options = {}) {
      return postSignedCommand(
        eventsUrl,
        signingSecret,
        {
          token: 'legacy',
          team_id: 'TTEAM0001',
          team_domain: 'test',
          channel_id: 'CGENERAL1',
          channel_name: 'general',
          user_id: user,
          user_name: user.toLowerCase(),
          command: '/shishin',
          text,
          api_app_id: 'A1',
          response_url: fake.responseUrl(),
          trigger_id: `trigger-${++eventCounter}`,
        },
        options,
      );
    },
    interaction(payload, options = {}) {
      return postSignedInteraction(eventsUrl, signingSecret, { team: { id: 'TTEAM0001' }, api_app_id: 'A1', token: 'legacy', ...payload }, options);
    },
    async close() {
      await service.stop(1000);
      await fake.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A block_actions payload for a button click on a channel message. */
export function buttonClick(options: { user: string; actionId: string; value: string; blockId?: string; channel?: string; messageTs?: string; responseUrl?: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: options.user, username: options.user.toLowerCase(), name: options.user.toLowerCase(), team_id: 'TTEAM0001' },
    trigger_id: `trigger-${++eventCounter}`,
    channel: { id: options.channel ?? reviewChannel, name: 'channel' },
    container: { type: 'message', message_ts: options.messageTs ?? '1.0', channel_id: options.channel ?? reviewChannel, is_ephemeral: false },
    message: { ts: options.messageTs ?? '1.0', text: 'x' },
    ...(options.responseUrl === undefined ? {} : { response_url: options.responseUrl }),
    actions: [{ type: 'button', action_id: options.actionId, block_id: options.blockId ?? 'b', value: options.value, action_ts: String(Date.now() / 1000) }],
  };
}

/** A view_submission payload. */
export function viewSubmission(options: { user: string; callbackId: string; viewId: string; hash?: string; values: unknown; privateMetadata?: string }): Record<string, unknown> {
  return {
    type: 'view_submission',
    user: { id: options.user, username: options.user.toLowerCase(), name: options.user.toLowerCase(), team_id: 'TTEAM0001' },
    trigger_id: `trigger-${++eventCounter}`,
    view: {
      id: options.viewId,
      team_id: 'TTEAM0001',
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? '{}',
      hash: options.hash ?? `${options.viewId}.hash`,
      state: { values: options.values },
      blocks: [],
      title: { type: 'plain_text', text: 'x' },
      app_id: 'A1',
      bot_id: 'BBOT00001',
    },
  };
}

/** What Slack sends back for a filled-in modal. */
export function modalValues(input: Partial<IntakeInput>): ViewStateValues {
  const values: ViewStateValues = {};
  for (const [field, value] of Object.entries(input)) {
    if (typeof value === 'string' && ['title', 'description', 'businessUnit'].includes(field)) values[field] = { [field]: { type: 'plain_text_input', value } };
    else if (typeof value === 'string') values[field] = { [field]: { type: 'static_select', selected_option: { value } } };
    else if (typeof value === 'boolean') values[field] = { [field]: { type: 'radio_buttons', selected_option: { value: value ? 'yes' : 'no' } } };
    else if (Array.isArray(value)) values[field] = { [field]: { type: 'multi_static_select', selected_options: value.map((item) => ({ value: item })) } };
  }
  return values;
}

/** Every string a Slack payload shows to people: its `text` fields (button values are never shown). */
export function shownText(value: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'text' && typeof child === 'string') parts.push(child);
        else visit(child);
      }
    }
  };
  visit(value);
  return parts.join('\n');
}
