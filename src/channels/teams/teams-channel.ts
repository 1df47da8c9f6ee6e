// The Microsoft Teams door: a botbuilder CloudAdapter behind `POST /api/messages`. The handler
// validates the activity envelope, authenticates the request (401 on a missing, forged or expired
// token when an app id is configured), then runs the turn logic. Review notifications for intakes
// from every door are delivered through the channel's notifier.
import type { Request, Response } from 'express';
import { CloudAdapter, TurnContext, type Activity } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity } from 'botframework-connector';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { ReviewNotifier } from '../../core/review/intake-service.js';
import type { ReminderChannel } from '../../core/review/reminders.js';
import type { Logger } from '../../logger.js';
import { keepCustomEntityProperties } from './entity-serialization.js';
import { TeamsActivityHandler } from './teams-activity-handler.js';
import { createTeamsAuthentication, teamsAuthenticationMode, type BotFrameworkSettings } from './teams-authentication.js';
import { TeamsConversationStore } from './teams-conversation-store.js';
import { createTeamsReminders } from './teams-reminders.js';
import { TeamsReviewDelivery } from './teams-review-notifier.js';

export interface TeamsChannel {
  /** Express handler for `POST /api/messages`. Works with or without a JSON body parser in front. */
  handler: (request: Request, response: Response) => Promise<void>;
  /** Stops taking activities and waits (up to 10 s) for turns in progress. */
  stop(): Promise<void>;
  /** Posts and updates review cards in Teams; already registered with `app.intakes`. */
  notifier: ReviewNotifier;
  /** Re-review cards for the governance conversation, and reminders and digests to Teams people. */
  reminders: ReminderChannel;
  /** One start-up line describing the Teams door. */
  describe(): string;
}

export interface TeamsChannelOptions {
  logger?: Logger;
  /**
   * Extra Bot Framework settings (OpenID metadata URLs, token issuer, login URL …) for sovereign
   * clouds or local test issuers. Keys as in botbuilder's ConfigurationBotFrameworkAuthentication.
   */
  botFrameworkSettings?: BotFrameworkSettings;
  /** Register the notifier with `app.intakes` (default true). */
  registerNotifier?: boolean;
}

const maximumBodyBytes = 1024 * 1024;

/** The parts of an activity every turn relies on; the rest is passed through to botbuilder. */
const activityEnvelopeSchema = z
  .object({
    type: z.string().min(1).max(100),
    id: z.string().max(1000).optional(),
    channelId: z.string().min(1).max(100),
    serviceUrl: z.url({ protocol: /^https?$/ }),
    conversation: z.looseObject({ id: z.string().min(1).max(1000) }),
    from: z.looseObject({ id: z.string().min(1).max(1000) }).optional(),
    recipient: z.looseObject({ id: z.string().max(1000) }).optional(),
  })
  .loose();

/** Turns in progress, so stop() can let them finish. */
class TurnTracker {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  async drain(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** CloudAdapter whose HTTP edge is ours: consistent status codes, pino logging, no error details out. */
class TeamsCloudAdapter extends CloudAdapter {
  authenticate(activity: Activity, authorization: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
  }

  async run(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<{ status: number; body?: unknown }> {
    const invokeResponse = await this.processActivity(authenticated, activity, logic);
    return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
  }
}

async function readJsonBody(request: Request): Promise<unknown> {
  if (request.body !== undefined && typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body)) {
    return request.body;
  }
  let raw: string;
  if (Buffer.isBuffer(request.body) || typeof request.body === 'string') {
    raw = request.body.toString();
  } else {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maximumBodyBytes) throw Object.assign(new Error('body too large'), { status: 413 });
      chunks.push(chunk as Buffer);
    }
    raw = Buffer.concat(chunks).toString('utf8');
  }
  return JSON.parse(raw) as unknown;
}

/** Builds the Teams door. Throws ShishinError('config_invalid') when its configuration is unsafe or missing. */
export async function createTeamsChannel(app: AppContext, options: TeamsChannelOptions = {}): Promise<TeamsChannel> {
  const logger = (options.logger ?? app.logger).child({ component: 'teams' });
  keepCustomEntityProperties();
  const mode = teamsAuthenticationMode(app.config);
  const settings = options.botFrameworkSettings ?? {};
  const authentication = createTeamsAuthentication(app.config, settings);
  const adapter = new TeamsCloudAdapter(authentication);
  const appId = app.config.teams.appId ?? '';
  const conversations = new TeamsConversationStore(app.store);
  const delivery = new TeamsReviewDelivery({
    app,
    adapter,
    appId,
    conversations,
    logger,
    ...(settings.ToChannelFromBotOAuthScope !== undefined ? { audience: settings.ToChannelFromBotOAuthScope } : {}),
  });
  const tracker = new TurnTracker();
  const continueLater = (context: TurnContext, work: (later: TurnContext) => Promise<void>) => {
    const reference = TurnContext.getConversationReference(context.activity);
    const claims = context.turnState.get(adapter.BotIdentityKey) as ClaimsIdentity | undefined;
    const background = adapter
      .continueConversationAsync(claims ?? appId, reference, async (later) => {
        // Reply to the user's message, not to the synthetic continuation activity.
        later.activity.id = reference.activityId;
        await work(later);
      })
      .catch((error: unknown) => logger.error({ err: error, activityId: reference.activityId }, 'background Teams work failed'));
    void tracker.track(background);
  };
  const turns = new TeamsActivityHandler({ app, conversations, delivery, logger, continueLater });
  adapter.onTurnError = async (_context, error) => {
    logger.error({ err: error }, 'unhandled error in a Teams turn');
  };
  if (options.registerNotifier ?? true) app.intakes.addNotifier(delivery);
  if (mode === 'unauthenticated') {
    logger.warn('Teams requests are NOT authenticated (DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS on a loopback HOST)');
  } else if (app.config.teams.dangerouslyAllowUnauthenticated) {
    logger.warn('DANGEROUSLY_ALLOW_UNAUTHENTICATED_TEAMS is ignored because MicrosoftAppId is set');
  }
  const reviewLine = await delivery.describeReviewTarget().catch(() => 'review conversation unknown (store unavailable)');
  let stopped = false;

  const send = (response: Response, status: number, body?: unknown) => {
    if (response.headersSent) return;
    if (body === undefined) response.status(status).end();
    else response.status(status).json(body);
  };

  const handler = async (request: Request, response: Response): Promise<void> => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      send(response, 405, { error: 'method_not_allowed' });
      return;
    }
    if (stopped) {
      send(response, 503, { error: 'unavailable' });
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(request);
    } catch (error) {
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      send(response, status, { error: status === 413 ? 'payload_too_large' : 'invalid_json' });
      return;
    }
    const envelope = activityEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      logger.warn({ issues: envelope.error.issues.map((issue) => issue.path.join('.')) }, 'invalid Bot Framework activity');
      send(response, 400, { error: 'invalid_activity' });
      return;
    }
    const activity = envelope.data as unknown as Activity;
    const authorization = typeof request.headers.authorization === 'string' ? request.headers.authorization : '';
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await adapter.authenticate(activity, authorization);
    } catch (error) {
      if (error instanceof AuthenticationError && error.statusCode !== 401) {
        // botbuilder could not load the signing keys: our problem, not the caller's.
        logger.error({ err: error }, 'Teams authentication unavailable');
        send(response, 503, { error: 'unavailable' });
        return;
      }
      app.metrics.chatEvents.inc({ channel: 'teams', type: activity.type, outcome: 'unauthenticated' });
      logger.warn(
        { reason: error instanceof Error ? error.message : String(error), hasToken: authorization !== '' },
        'Teams request refused: not authenticated',
      );
      send(response, 401, { error: 'not_authenticated' });
      return;
    }
    try {
      const result = await tracker.track(adapter.run(authenticated, activity, (context) => turns.onTurn(context)));
      send(response, result.status, result.body);
    } catch (error) {
      logger.error({ err: error, activityId: activity.id }, 'Teams request failed');
      send(response, 500, { error: 'internal' });
    }
  };

  const describe = () =>
    mode === 'unauthenticated'
      ? `Teams: POST /api/messages — UNAUTHENTICATED (loopback only); ${reviewLine}`
      : `Teams: POST /api/messages for app ${maskAppId(appId)} (${app.config.teams.appType ?? 'MultiTenant'}); ${reviewLine}`;

  return {
    handler,
    notifier: delivery,
    reminders: createTeamsReminders(app, delivery),
    describe,
    async stop() {
      stopped = true;
      await tracker.drain(10_000);
    },
  };
}

function maskAppId(appId: string): string {
  return appId.length <= 8 ? appId : `${appId.slice(0, 4)}…${appId.slice(-4)}`;
}

