// Starts the whole service in this process: builds the application (src/app.ts), creates the chat
// channels that are configured, and serves the JSON API, the web console, the operations endpoints
// and the channel webhooks on ONE HTTP server. `shishin serve` (src/commands/serve.ts) calls this.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from './app-context.js';
import { buildApp, type BuildAppOptions } from './app.js';
import type { Config } from './config.js';
import { startWebServer, type ChannelRoute, type RunningWebServer } from './channels/web/web-server.js';
import { assertSafeExposure, developmentIdentityEnabled } from './channels/web/authentication.js';
import { isLoopbackHost } from './network-address.js';
import type { ReminderChannel } from './core/review/reminders.js';
import { createReviewScheduler, type ReviewScheduler } from './core/review/review-scheduler.js';

/** What main needs from a chat channel: webhook routes to mount, a lifecycle and a start-up line. */
export interface ChannelHandle {
  name: string;
  routes: ChannelRoute[];
  start(): Promise<void>;
  stop(): Promise<void>;
  describe(): string;
  /** Delivers re-review reminders and obligation digests to this door's people, when it can. */
  reminders?: ReminderChannel;
}

export interface RunningService {
  app: AppContext;
  web: RunningWebServer;
  /** Console address (PUBLIC_URL when set, else the bound address). */
  consoleUrl: string;
  /** Lines to print at start-up: one per active part, then the console URL. */
  lines: string[];
  /** Puts due re-reviews back in the queue and sends reminders (running on its timer unless turned off). */
  scheduler: ReviewScheduler;
  /** Graceful stop: drain HTTP (at most `drainTimeoutMs`), stop channels, close the store. */
  stop(drainTimeoutMs?: number): Promise<void>;
}

/** What the start-up output says about the development identity (loud when it is exposed). */
function developmentLines(config: Config): string[] {
  if (config.environment === 'production') return [];
  if (!developmentIdentityEnabled(config, config.host)) {
    return [`development mode on a non-loopback HOST (${config.host}): no development identity; users sign in with API_TOKENS or TRUSTED_PROXY_USER_HEADER`];
  }
  if (!isLoopbackHost(config.host)) {
    return [
      `WARNING: DANGEROUSLY_ALLOW_DEV_IDENTITY_OFF_LOOPBACK is set: anyone who can reach ${config.host}:${config.port} acts as ${config.auth.devUser} — never do this on a shared network`,
    ];
  }
  return [`development mode: requests without credentials act as ${config.auth.devUser} (loopback only) — not for production (NODE_ENV=production turns this off)`];
}

async function createChannels(app: AppContext): Promise<ChannelHandle[]> {
  const channels: ChannelHandle[] = [];
  if (app.config.slack.enabled) {
    const { createSlackChannel } = await import('./channels/slack/slack-channel.js');
    const slack = await createSlackChannel(app);
    channels.push({
      name: 'slack',
      routes: slack.router === undefined ? [] : [{ name: 'slack', method: 'post', path: '/slack/events', handler: slack.router }],
      start: () => slack.start(),
      stop: () => slack.stop(),
      describe: () => slack.describe(),
      reminders: slack.reminders,
    });
  }
  if (app.config.teams.enabled) {
    const { createTeamsChannel } = await import('./channels/teams/teams-channel.js');
    const teams = await createTeamsChannel(app);
    const handler: RequestHandler = (request: Request, response: Response, next: NextFunction) => {
      teams.handler(request, response).catch(next);
    };
    channels.push({
      name: 'teams',
      routes: [{ name: 'teams', method: 'post', path: '/api/messages', handler }],
      start: async () => undefined,
      stop: () => teams.stop(),
      describe: () => teams.describe(),
      reminders: teams.reminders,
    });
  }
  return channels;
}

/** Builds and starts everything. On a start-up failure, whatever was opened is closed again. */
export interface StartServiceOptions extends BuildAppOptions {
  /** Listen on this port instead of PORT (0 = an ephemeral port, for tests). */
  port?: number;
}

export async function startService(config: Config, options: StartServiceOptions = {}): Promise<RunningService> {
  // Before anything is built: an exposed development identity or a production door no one can
  // sign in to is a configuration error (the web server checks again for its own callers).
  assertSafeExposure(config, config.host);
  const app = await buildApp(config, options);
  let channels: ChannelHandle[] = [];
  let web: RunningWebServer | undefined;
  try {
    channels = await createChannels(app);
    web = await startWebServer(app, { port: options.port ?? config.port, host: config.host, channelRoutes: channels.flatMap((channel) => channel.routes) });
    for (const channel of channels) await channel.start();
  } catch (error) {
    await web?.close(1000).catch(() => undefined);
    await Promise.allSettled(channels.map((channel) => channel.stop()));
    await app.close().catch(() => undefined);
    throw error;
  }
  const running = web;
  const intervalSeconds = config.review.schedulerIntervalSeconds;
  const scheduler = createReviewScheduler({
    store: app.store,
    clock: app.clock,
    logger: app.logger,
    metrics: app.metrics,
    channels: channels.flatMap((channel) => (channel.reminders === undefined ? [] : [channel.reminders])),
    reviewSchedule: app.reviewSchedule,
    intervalMs: Math.max(1, intervalSeconds) * 1000,
  });
  if (intervalSeconds > 0) scheduler.start();
  // PUBLIC_URL when one was configured; otherwise the address actually bound (the port may be ephemeral).
  const defaultPublicUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const base = config.publicUrl === defaultPublicUrl ? running.url : config.publicUrl.replace(/\/$/, '');
  const consoleUrl = `${base}/console`;
  const lines = [
    ...app.describe(),
    ...channels.map((channel) => channel.describe()),
    ...(channels.length === 0 ? ['chat channels: none configured (set SLACK_BOT_TOKEN or MicrosoftAppId to add Slack or Teams)'] : []),
    intervalSeconds > 0
      ? `scheduler: every ${intervalSeconds} s (due re-reviews, obligation digests, reminders${channels.some((channel) => channel.reminders !== undefined) ? ` via ${channels.filter((channel) => channel.reminders !== undefined).map((channel) => channel.name).join(' and ')}` : '; no chat door to send them'})`
      : 'scheduler: off in this process (SCHEDULER_INTERVAL_SECONDS=0)',
    ...developmentLines(config),
    `listening on ${running.url}`,
    `console: ${consoleUrl}`,
  ];
  let stopping: Promise<void> | undefined;
  return {
    app,
    web: running,
    consoleUrl,
    lines,
    scheduler,
    stop(drainTimeoutMs = 10_000) {
      stopping ??= (async () => {
        await scheduler.stop();
        await running.close(drainTimeoutMs);
        const results = await Promise.allSettled(channels.map((channel) => channel.stop()));
        for (const result of results) {
          if (result.status === 'rejected') app.logger.error({ err: result.reason }, 'channel did not stop cleanly');
        }
        await app.close();
      })();
      return stopping;
    },
  };
}
