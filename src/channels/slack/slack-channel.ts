// The Slack door: a Bolt app over the core services. HTTP mode gives an Express router for
// POST /slack/events (signature-checked, acknowledged at once, work continues after the response);
// Socket Mode connects out with an app-level token instead. Also provides the review notifier.
import { App, ExpressReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import express, { type Router } from 'express';
import type { AppContext } from '../../app-context.js';
import type { ReviewNotifier } from '../../core/review/intake-service.js';
import type { ReminderChannel } from '../../core/review/reminders.js';
import { ShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { registerAskHandlers } from './ask-handlers.js';
import { toBoltLogger } from './bolt-logger.js';
import { registerCommandHandler } from './command-handler.js';
import { dedupeDeliveries } from './delivery-dedupe.js';
import { publishHome, registerIntakeHandlers } from './intake-handlers.js';
import { registerObligationHandlers } from './obligation-handlers.js';
import { registerReviewHandlers } from './review-handlers.js';
import { createSlackNotifier } from './slack-notifier.js';
import { createSlackReminders } from './slack-reminders.js';
import type { SlackContext } from './slack-context.js';
import { createSlackUserDirectory } from './slack-user-directory.js';

export interface SlackChannel {
  mode: 'http' | 'socket';
  /** HTTP mode: handles POST /slack/events; mount it on the main server. Undefined in Socket Mode. */
  router: Router | undefined;
  /** Socket Mode connects here; HTTP mode has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts flagged intakes to the review channel and updates them after decisions. */
  notifier: ReviewNotifier;
  /** Re-review reminders to the review channel, and reminders and digests to Slack people. */
  reminders: ReminderChannel;
  /** The start-up line. */
  describe(): string;
}

export interface SlackChannelOptions {
  logger?: Logger;
  /** Register the notifier with `app.intakes` (default true). */
  registerNotifier?: boolean;
}

/** Slack Web API base URL with the trailing slash the SDK needs. */
export function slackApiBaseUrl(apiUrl: string | undefined): string | undefined {
  if (apiUrl === undefined) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/**
 * Builds the Slack door from `app.config.slack`, checks the bot token with auth.test (a bad token
 * fails here, naming SLACK_BOT_TOKEN) and registers every handler. The notifier is registered with
 * `app.intakes` (unless `registerNotifier: false`) so intakes from any door reach Slack reviewers.
 */
export async function createSlackChannel(app: AppContext, options: SlackChannelOptions = {}): Promise<SlackChannel> {
  const settings = app.config.slack;
  const logger = (options.logger ?? app.logger).child({ component: 'slack' });
  const botToken = settings.botToken;
  if (botToken === undefined) throw new ShishinError('config_invalid', 'SLACK_BOT_TOKEN is not set; Slack is off');
  const mode: 'http' | 'socket' = settings.appToken === undefined ? 'http' : 'socket';
  if (mode === 'http' && settings.signingSecret === undefined) {
    throw new ShishinError('config_invalid', 'SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (settings.appToken !== undefined && !settings.appToken.startsWith('xapp-')) {
    throw new ShishinError('config_invalid', 'SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  }

  const slackApiUrl = slackApiBaseUrl(settings.apiUrl);
  const boltLogger = toBoltLogger(logger);
  const clientOptions: WebClientOptions = {
    ...(slackApiUrl === undefined ? {} : { slackApiUrl }),
    logger: boltLogger,
    // A few quick retries, not the SDK's default of ten over half an hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 15_000,
  };

  const probe = new WebClient(botToken, clientOptions);
  let identity: { userId: string; botId: string | undefined; team: string | undefined };
  try {
    const result = await probe.auth.test();
    if (result.user_id === undefined) throw new Error('auth.test returned no user_id');
    identity = { userId: result.user_id, botId: result.bot_id, team: result.team };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
      throw new ShishinError('config_invalid', `SLACK_BOT_TOKEN was refused by Slack (${code})`, { cause: error });
    }
    throw new ShishinError(
      'unavailable',
      `Could not reach the Slack Web API${slackApiUrl === undefined ? '' : ` at ${slackApiUrl} (SLACK_API_URL)`} to check SLACK_BOT_TOKEN`,
      { cause: error },
    );
  }

  let receiver: Receiver;
  let router: Router | undefined;
  if (mode === 'http') {
    const expressReceiver = new ExpressReceiver({
      signingSecret: settings.signingSecret ?? '',
      endpoints: '/slack/events',
      processBeforeResponse: false,
      logger: boltLogger,
      // The listeners ack before doing any work, so an error before the ack is Bolt failing on the
      // payload's shape (e.g. block actions with an empty action list): a 400, never a 500.
      processEventErrorHandler: async ({ error, response }) => {
        if (response.headersSent) return false;
        logger.warn({ err: error }, 'Slack request could not be processed');
        response.writeHead(400);
        response.end();
        return true;
      },
    });
    receiver = expressReceiver;
    // Bolt refuses requests signed more than five minutes ago but accepts any dated in the future;
    // Slack's own rule is five minutes either way, which keeps a replay window bounded whatever the skew.
    const guarded = express.Router();
    guarded.use((request, response, next) => {
      const timestamp = Number(request.headers['x-slack-request-timestamp']);
      if (Number.isFinite(timestamp) && timestamp > Date.now() / 1000 + 5 * 60) {
        logger.warn({ timestamp }, 'Slack request dated in the future refused');
        response.status(401).end();
        return;
      }
      next();
    });
    guarded.use(expressReceiver.router as Router);
    router = guarded;
  } else {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken ?? '',
      logger: boltLogger,
      installerOptions: { clientOptions },
    });
  }

  const bolt = new App({
    token: botToken,
    botId: identity.botId,
    botUserId: identity.userId,
    receiver,
    logger: boltLogger,
    clientOptions,
    convoStore: false,
    tokenVerificationEnabled: false,
  });

  const context: SlackContext = {
    core: app,
    client: bolt.client,
    logger,
    botUserId: identity.userId,
    reviewChannel: settings.reviewChannel,
    users: createSlackUserDirectory(bolt.client, logger),
  };

  bolt.error(async (error) => {
    logger.error({ err: error }, 'unhandled Slack handler error');
  });
  // Before any listener: a replayed or redelivered click, submission, shortcut or command does nothing.
  bolt.use(dedupeDeliveries(context));
  registerAskHandlers(bolt, context);
  registerCommandHandler(bolt, context);
  registerIntakeHandlers(bolt, context);
  registerReviewHandlers(bolt, context);
  registerObligationHandlers(bolt, context, { refreshHome: (userId) => publishHome(context, userId) });

  const notifier = createSlackNotifier(context);
  if (options.registerNotifier ?? true) app.intakes.addNotifier(notifier);

  let started = false;
  logger.info({ mode, team: identity.team, botUserId: identity.userId }, 'Slack door ready');
  return {
    mode,
    router,
    notifier,
    reminders: createSlackReminders(context),
    async start() {
      if (mode === 'socket' && !started) {
        await bolt.start();
        started = true;
      }
    },
    async stop() {
      if (mode === 'socket' && started) {
        await bolt.stop();
        started = false;
      }
    },
    describe() {
      const review = settings.reviewChannel === undefined ? 'no review channel (SLACK_REVIEW_CHANNEL unset)' : `review channel ${settings.reviewChannel}`;
      const where = mode === 'http' ? 'HTTP mode at POST /slack/events' : 'Socket Mode (SLACK_APP_TOKEN)';
      const api = slackApiUrl === undefined ? '' : `, Web API ${slackApiUrl}`;
      return `Slack: ${where}, bot ${identity.userId}${identity.team === undefined ? '' : ` in ${identity.team}`}, ${review}${api}`;
    },
  };
}
