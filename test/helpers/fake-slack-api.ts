// A local fake of the Slack Web API for tests: real HTTP on 127.0.0.1, so the real Bolt app and
// WebClient talk to it. It answers auth.test, records every method call (form or JSON bodies, with
// `blocks`/`view` decoded), answers response_url posts under /respond/<id>, and lets a test await
// "the next call to method X" instead of sleeping. Also signs requests the way Slack does (v0 HMAC).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** Web API method (e.g. `chat.postMessage`), or `response_url` for posts to a response URL. */
  method: string;
  /** Decoded arguments; JSON-valued form fields (blocks, view, attachments …) are parsed. */
  args: Record<string, unknown>;
  /** Bearer token sent, if any. */
  token: string | undefined;
  /** For response_url posts: the id in /respond/<id>. */
  responseId?: string;
  at: number;
}

type Responder = (call: RecordedCall) => Record<string, unknown> | Promise<Record<string, unknown>>;

interface Waiter {
  method: string;
  predicate: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
}

const jsonFields = new Set(['blocks', 'view', 'attachments', 'metadata', 'users', 'options']);

export interface FakeSlackApi {
  /** Base URL for SLACK_API_URL, e.g. `http://127.0.0.1:1234/api/`. */
  apiUrl: string;
  /** Base URL of the server itself. */
  url: string;
  /** A response_url the fake records, e.g. for slash commands and interactive payloads. */
  responseUrl(id?: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /**
   * Resolves with the first call to `method` (matching `predicate`) not yet taken by an earlier
   * wait — including calls already made — so tests never race the app.
   */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Overrides the reply for a method (the default replies are `ok: true` with plausible fields). */
  respond(method: string, responder: Responder): void;
  /** Scripted thread for conversations.replies, by `channel:ts`. */
  setReplies(channel: string, threadTs: string, messages: Array<Record<string, unknown>>): void;
  /** The locale users.info reports for a user when asked with include_locale (default `en-US`). */
  setUserLocale(userId: string, locale: string): void;
  /** Forgets recorded calls and waiters' taken marks (overrides stay). */
  reset(): void;
  close(): Promise<void>;
}

export const fakeBotUserId = 'UBOT00001';
export const fakeBotId = 'BBOT00001';
export const fakeTeamId = 'TTEAM0001';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function decodeArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.includes('application/json') === true) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (jsonFields.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // A plain string after all (e.g. users=U1,U2).
      }
    }
    args[key] = value;
  }
  return args;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const taken = new Set<RecordedCall>();
  const waiters: Waiter[] = [];
  const responders = new Map<string, Responder>();
  const replies = new Map<string, Array<Record<string, unknown>>>();
  const userLocales = new Map<string, string>();
  let sequence = 0;
  const nextTs = () => {
    sequence += 1;
    return `1764000000.${String(sequence).padStart(6, '0')}`;
  };

  const defaults: Record<string, Responder> = {
    'auth.test': () => ({ user_id: fakeBotUserId, bot_id: fakeBotId, team_id: fakeTeamId, team: 'Test team', user: 'shishin', url: 'https://test.slack.com/' }),
    'chat.postMessage': (call) => ({ channel: call.args.channel, ts: nextTs(), message: { text: call.args.text } }),
    'chat.update': (call) => ({ channel: call.args.channel, ts: call.args.ts, text: call.args.text }),
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'views.open': () => ({ view: { id: `V${String(++sequence).padStart(8, '0')}`, hash: `${sequence}.hash` } }),
    'views.update': (call) => ({ view: { id: call.args.view_id, hash: `${++sequence}.hash` } }),
    'views.publish': () => ({ view: { id: `V${String(++sequence).padStart(8, '0')}` } }),
    'conversations.open': (call) => ({ channel: { id: `D${String(call.args.users ?? 'X').replace(/^U/, '')}` } }),
    'conversations.replies': (call) => ({ messages: replies.get(`${String(call.args.channel)}:${String(call.args.ts)}`) ?? [], has_more: false }),
    'users.info': (call) => ({
      user: {
        id: call.args.user,
        name: `user-${String(call.args.user).toLowerCase()}`,
        real_name: `Person ${String(call.args.user)}`,
        profile: { display_name: `Person ${String(call.args.user)}`, real_name: `Person ${String(call.args.user)}` },
        // As Slack does: the locale only when asked for it.
        ...(String(call.args.include_locale) === 'true' ? { locale: userLocales.get(String(call.args.user)) ?? 'en-US' } : {}),
      },
    }),
  };

  function record(call: RecordedCall): void {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.method === call.method && !taken.has(call) && waiter.predicate(call)) {
        taken.add(call);
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const body = await readBody(request);
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ') === true ? authorization.slice('Bearer '.length) : undefined;
    const respondJson = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (path.startsWith('/respond/')) {
      const call: RecordedCall = { method: 'response_url', args: decodeArgs(body, request.headers['content-type']), token, responseId: path.slice('/respond/'.length), at: Date.now() };
      record(call);
      respondJson(200, { ok: true });
      return;
    }
    if (!path.startsWith('/api/')) {
      respondJson(404, { ok: false, error: 'unknown_path' });
      return;
    }
    const method = path.slice('/api/'.length);
    const args = decodeArgs(body, request.headers['content-type']);
    if (args.token !== undefined && token === undefined) {
      // Some clients send the token in the form.
      delete args.token;
    }
    const call: RecordedCall = { method, args, token, at: Date.now() };
    const responder = responders.get(method) ?? defaults[method] ?? (() => ({}));
    let payload: Record<string, unknown>;
    try {
      payload = await responder(call);
    } catch (error) {
      payload = { ok: false, error: error instanceof Error ? error.message : 'fake_error' };
    }
    record(call);
    respondJson(200, { ok: true, ...payload });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let responseIds = 0;

  return {
    url,
    apiUrl: `${url}/api/`,
    responseUrl: (id?: string) => `${url}/respond/${id ?? `r${++responseIds}`}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 10_000) {
      const existing = calls.find((call) => call.method === method && !taken.has(call) && predicate(call));
      if (existing !== undefined) {
        taken.add(existing);
        return Promise.resolve(existing);
      }
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = calls.map((call) => call.method).join(', ') || 'none';
          reject(new Error(`no call to ${method} within ${timeoutMs} ms (calls so far: ${seen})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    respond(method, responder) {
      responders.set(method, responder);
    },
    setReplies(channel, threadTs, messages) {
      replies.set(`${channel}:${threadTs}`, messages);
    },
    setUserLocale(userId, locale) {
      userLocales.set(userId, locale);
    },
    reset() {
      calls.length = 0;
      taken.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/** Slack's v0 request signature over `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (to test rejection). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a signed Events API (JSON) body. */
export async function postSignedEvent(url: string, signingSecret: string, payload: unknown, options: SignedPostOptions = {}): Promise<Response> {
  return postSigned(url, signingSecret, JSON.stringify(payload), 'application/json', options);
}

/** POSTs a signed interactive payload (`payload=<json>` form), as Slack sends block actions and views. */
export async function postSignedInteraction(url: string, signingSecret: string, payload: unknown, options: SignedPostOptions = {}): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(url, signingSecret, body, 'application/x-www-form-urlencoded', options);
}

/** POSTs a signed slash command (form fields). */
export async function postSignedCommand(url: string, signingSecret: string, fields: Record<string, string>, options: SignedPostOptions = {}): Promise<Response> {
  return postSigned(url, signingSecret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

async function postSigned(url: string, signingSecret: string, body: string, contentType: string, options: SignedPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(signingSecret, timestamp, body),
      ...options.headers,
    },
    body,
  });
}
