// A fake OpenAI-compatible HTTP server on 127.0.0.1 (ephemeral port), so tests run the real `openai`
// SDK against it. Serves POST /v1/chat/completions, POST /v1/embeddings and GET /v1/models. Every
// response is scriptable per test (a queue of scripted replies or a function of the request), and
// every request is recorded so tests can inspect prompts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The raw body text. */
  rawBody: string;
  /** The body parsed as JSON, or undefined when it was empty or not JSON. */
  body: Record<string, unknown> | undefined;
  /** Milliseconds since the epoch when the request arrived. */
  receivedAt: number;
}

/**
 * How the fake answers one request. Exactly one of the shapes below:
 * - `{ content }` chat completion with this assistant text (chat only);
 * - `{ vectors }` embeddings response with these vectors (embeddings only; one per input);
 * - `{ status, body?, headers? }` any status with a JSON body (default: an OpenAI-style error);
 * - `{ rawBody, status?, headers? }` bytes sent as is (e.g. malformed JSON);
 * - `{ hang: true }` never answer (the socket stays open until the client gives up or close());
 * Any reply may carry `delayMs`: wait that long before answering.
 */
export type FakeReply =
  | { content: string; delayMs?: number; finishReason?: string }
  | { vectors: number[][]; delayMs?: number }
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { rawBody: string; status?: number; headers?: Record<string, string>; delayMs?: number }
  | { hang: true };

/** Decides the reply to one request; may inspect it (e.g. the prompt) and may be async. */
export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * What a handler setter accepts: a function, one reply used for every request, or a queue of replies
 * consumed in order (once empty, the default reply is used again).
 */
export type FakeScript = FakeHandler | FakeReply | FakeReply[];

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url + '/v1'`, to pass as the SDK's `baseURL` / OPENAI_BASE_URL. */
  baseURL: string;
  /** Every request received, in arrival order (all routes). */
  requests: RecordedRequest[];
  /** Requests to /v1/chat/completions only. */
  chatRequests(): RecordedRequest[];
  /** Requests to /v1/embeddings only. */
  embeddingRequests(): RecordedRequest[];
  setChatHandler(script: FakeScript): void;
  setEmbeddingHandler(script: FakeScript): void;
  /** Stops the server and destroys open sockets (including hanging requests). Never hangs. */
  close(): Promise<void>;
}

export interface FakeOpenAIServerOptions {
  /** Default assistant text when no chat script is set. */
  defaultContent?: string;
  /** Vector length of the default embeddings (overridden by the request's `dimensions`). */
  embeddingDimensions?: number;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
}

/** A deterministic, unit-length vector for a text (hash of character trigrams into buckets). */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const normalised = ` ${text.toLowerCase()} `;
  for (let index = 0; index + 3 <= normalised.length; index += 1) {
    let hash = 2166136261;
    for (let offset = 0; offset < 3; offset += 1) {
      hash ^= normalised.charCodeAt(index + offset);
      hash = Math.imul(hash, 16777619);
    }
    const bucket = (hash >>> 0) % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

function toBase64Float32(vector: number[]): string {
  const array = new Float32Array(vector);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function scriptToHandler(script: FakeScript): FakeHandler {
  if (typeof script === 'function') return script;
  if (Array.isArray(script)) {
    const queue = [...script];
    return () => queue.shift() ?? { status: 599, body: { error: { message: 'fake script queue is empty', type: 'fake' } } };
  }
  return () => script;
}

function errorBody(status: number): unknown {
  const type = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: `fake error ${status}`, type, param: null, code: type } };
}

function inputsOf(body: Record<string, unknown> | undefined): string[] {
  const input = body?.['input'];
  if (typeof input === 'string') return [input];
  if (Array.isArray(input)) return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return [];
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const defaultDimensions = options.embeddingDimensions ?? 16;
  const models = options.models ?? ['gpt-4o-mini', 'text-embedding-3-small'];
  let chatHandler: FakeHandler = () => ({ content: options.defaultContent ?? 'OK' });
  let embeddingHandler: FakeHandler = (request) => {
    const requested = request.body?.['dimensions'];
    const dimensions = typeof requested === 'number' && requested > 0 ? requested : defaultDimensions;
    return { vectors: inputsOf(request.body).map((text) => fakeEmbedding(text, dimensions)) };
  };
  let counter = 0;

  const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    response.end(text);
  };

  const deliver = async (request: RecordedRequest, response: ServerResponse, reply: FakeReply) => {
    if ('hang' in reply) return; // leave the response open; close() destroys the socket
    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        response.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (response.destroyed || response.writableEnded) return;
    }
    if ('rawBody' in reply) {
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.rawBody);
      return;
    }
    if ('status' in reply) {
      sendJson(response, reply.status, reply.body ?? errorBody(reply.status), reply.headers);
      return;
    }
    const model = typeof request.body?.['model'] === 'string' ? (request.body['model'] as string) : 'fake-model';
    if ('content' in reply) {
      counter += 1;
      sendJson(response, 200, {
        id: `chatcmpl-fake-${counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, logprobs: null, finish_reason: reply.finishReason ?? 'stop' }],
        usage: { prompt_tokens: Math.ceil(request.rawBody.length / 4), completion_tokens: Math.ceil(reply.content.length / 4), total_tokens: Math.ceil((request.rawBody.length + reply.content.length) / 4) },
      });
      return;
    }
    const asFloat = request.body?.['encoding_format'] === 'float';
    sendJson(response, 200, {
      object: 'list',
      model,
      data: reply.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: asFloat ? vector : toBase64Float32(vector) })),
      usage: { prompt_tokens: inputsOf(request.body).join(' ').length, total_tokens: inputsOf(request.body).join(' ').length },
    });
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = rawBody === '' ? undefined : JSON.parse(rawBody);
        body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      const recorded: RecordedRequest = { method: incoming.method ?? 'GET', path, headers: incoming.headers, rawBody, body, receivedAt: Date.now() };
      requests.push(recorded);
      const route = async () => {
        if (recorded.method === 'GET' && path === '/v1/models') {
          sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
          return;
        }
        if (recorded.method === 'POST' && path === '/v1/chat/completions') {
          await deliver(recorded, response, await chatHandler(recorded));
          return;
        }
        if (recorded.method === 'POST' && path === '/v1/embeddings') {
          await deliver(recorded, response, await embeddingHandler(recorded));
          return;
        }
        sendJson(response, 404, { error: { message: `no route ${recorded.method} ${path}`, type: 'invalid_request_error' } });
      };
      route().catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: { message: `fake handler threw: ${String(error)}`, type: 'server_error' } });
        else response.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    chatRequests: () => requests.filter((request) => request.path === '/v1/chat/completions'),
    embeddingRequests: () => requests.filter((request) => request.path === '/v1/embeddings'),
    setChatHandler(script) {
      chatHandler = scriptToHandler(script);
    },
    setEmbeddingHandler(script) {
      embeddingHandler = scriptToHandler(script);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Alias matching the brief: `start()` → the running fake. */
export const start = startFakeOpenAIServer;
