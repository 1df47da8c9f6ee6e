// A fake Bot Framework connector service: real HTTP on 127.0.0.1 that acts as an activity's
// `serviceUrl`. It records what the bot sends (new activities, replies, in-place updates, new
// conversations), answers with ids like the real service, and lets a test await the next matching
// activity instead of sleeping. It also builds incoming activities that point back at itself.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  /** `send` (POST …/activities), `reply` (POST …/activities/:replyTo), `update` (PUT …/activities/:id). */
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  /** Id assigned by the fake (send/reply) or the id being updated (update). */
  activityId: string;
  /** The activity the bot replied to, for `reply`. */
  replyToId?: string;
  /** The JSON the bot sent. */
  activity: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form activity JSON inspected by tests
  authorization: string | undefined;
}

export interface CreatedConversation {
  conversationId: string;
  parameters: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form JSON
  authorization: string | undefined;
}

type Waiter = { predicate: (record: RecordedActivity) => boolean; resolve: (record: RecordedActivity) => void };

export interface UserIdentity {
  /** Bot Framework user id (`29:…`). */
  id: string;
  name: string;
  aadObjectId: string;
}

export interface ConversationOptions {
  id: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  tenantId?: string;
}

export class FakeBotConnector {
  readonly activities: RecordedActivity[] = [];
  readonly conversations: CreatedConversation[] = [];
  readonly botId = '28:shishin-bot';
  readonly botName = 'Shishin';
  /** Status to answer the next bot calls with (e.g. 503), for failure tests; undefined = normal. */
  failWith: number | undefined;
  private readonly consumed = new Set<RecordedActivity>();
  private waiters: Waiter[] = [];
  private counter = 0;

  private constructor(private readonly server: Server, readonly serviceUrl: string) {}

  static async start(): Promise<FakeBotConnector> {
    const holder: { connector?: FakeBotConnector } = {};
    const server = createServer((request, response) => {
      void holder.connector?.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.connector = new FakeBotConnector(server, `http://127.0.0.1:${port}/`);
    return holder.connector;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Resolves with the first recorded activity matching `predicate` that no earlier call returned,
   * waiting for it if needed (rejects after `timeoutMs`).
   */
  nextActivity(predicate: (record: RecordedActivity) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedActivity> {
    const existing = this.activities.find((record) => !this.consumed.has(record) && predicate(record));
    if (existing !== undefined) {
      this.consumed.add(existing);
      return Promise.resolve(existing);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((item) => item !== waiter);
        reject(new Error(`No matching activity within ${timeoutMs} ms; recorded: ${JSON.stringify(this.summary())}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next non-typing message (send or reply), optionally in one conversation. */
  nextMessage(conversationId?: string, timeoutMs?: number): Promise<RecordedActivity> {
    return this.nextActivity(
      (record) =>
        record.kind !== 'update' &&
        record.activity.type === 'message' &&
        (conversationId === undefined || record.conversationId === conversationId),
      timeoutMs,
    );
  }

  /** The next in-place update, optionally of one activity. */
  nextUpdate(activityId?: string, timeoutMs?: number): Promise<RecordedActivity> {
    return this.nextActivity((record) => record.kind === 'update' && (activityId === undefined || record.activityId === activityId), timeoutMs);
  }

  /** Short description of what was recorded, for assertion messages. */
  summary(): Array<{ kind: string; conversationId: string; type: unknown; text: unknown }> {
    return this.activities.map((record) => ({
      kind: record.kind,
      conversationId: record.conversationId,
      type: record.activity.type,
      text: typeof record.activity.text === 'string' ? record.activity.text.slice(0, 60) : undefined,
    }));
  }

  /** An incoming activity from `user` in `conversation`, addressed to the bot, pointing back here. */
  activity(
    user: UserIdentity,
    conversation: ConversationOptions,
    fields: Record<string, unknown>,
  ): Record<string, unknown> {
    const tenantId = conversation.tenantId ?? 'tenant-1';
    return {
      type: 'message',
      id: `incoming-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: this.botId, name: this.botName },
      conversation: {
        id: conversation.id,
        conversationType: conversation.conversationType ?? 'personal',
        tenantId,
        ...(conversation.conversationType === 'channel' ? { isGroup: true } : {}),
      },
      channelData: { tenant: { id: tenantId } },
      locale: 'en-US',
      ...fields,
    };
  }

  private record(record: RecordedActivity): void {
    this.activities.push(record);
    const waiter = this.waiters.find((item) => item.predicate(record));
    if (waiter !== undefined) {
      this.waiters = this.waiters.filter((item) => item !== waiter);
      this.consumed.add(record);
      waiter.resolve(record);
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form JSON
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const reply = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (this.failWith !== undefined) {
      reply(this.failWith, { error: { code: 'ServiceError', message: 'failing on purpose' } });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
    const authorization = request.headers.authorization;
    // POST /v3/conversations
    if (request.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
      const conversationId = `a:created-${++this.counter}`;
      this.conversations.push({ conversationId, parameters: body, authorization });
      reply(201, { id: conversationId, serviceUrl: this.serviceUrl });
      return;
    }
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities' && parts[2] !== undefined) {
      const conversationId = parts[2];
      const target = parts[4];
      if (request.method === 'POST') {
        const activityId = `activity-${++this.counter}`;
        this.record({
          kind: target === undefined ? 'send' : 'reply',
          conversationId,
          activityId,
          ...(target !== undefined ? { replyToId: target } : {}),
          activity: body,
          authorization,
        });
        reply(200, { id: activityId });
        return;
      }
      if (request.method === 'PUT' && target !== undefined) {
        this.record({ kind: 'update', conversationId, activityId: target, activity: body, authorization });
        reply(200, { id: target });
        return;
      }
    }
    reply(404, { error: { code: 'NotFound', message: `${request.method} ${url.pathname}` } });
  }
}
