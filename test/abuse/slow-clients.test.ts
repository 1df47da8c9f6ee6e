// Slow and idle clients against the real server on loopback, bounded in count and time: 200 half-sent
// requests (silent connections, headers cut off, bodies cut off) do not stop other requests from
// being answered, and the server closes every one of them once HEADERS_TIMEOUT_MS /
// REQUEST_TIMEOUT_MS pass; connections over MAX_CONNECTIONS are closed at once.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../api/http-client.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

const servers: TestServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(environment: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ NODE_ENV: 'production', API_TOKENS: 'alice-token=web:alice', RATE_LIMIT_PER_MINUTE: '100000', ...environment });
  servers.push(server);
  return server;
}

interface HeldConnection {
  socket: net.Socket;
  /** Resolves with what the server sent, once the server has closed the connection. */
  closed: Promise<string>;
}

/** Opens a connection, writes `opening` (possibly nothing) and leaves the request unfinished. */
async function holdHalfSent(url: string, opening: string): Promise<HeldConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (opening !== '') await new Promise<void>((resolve) => socket.write(opening, () => resolve()));
  return { socket, closed };
}

const partialHeaders = 'POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer alice-token\r\nContent-Ty';
const partialBody =
  'POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer alice-token\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"question": "Which AI prac';

describe('slow clients', () => {
  it('keeps answering while 200 requests hang half-sent, then closes every one of them', async () => {
    const server = await serve({ HEADERS_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '3000' });
    const started = Date.now();
    const openings = Array.from({ length: 200 }, (_, index) => (index % 4 === 0 ? '' : index % 4 === 1 ? partialBody : partialHeaders));
    const held = await Promise.all(openings.map((opening) => holdHalfSent(server.url, opening)));

    // Everyone else is still served while the half-sent requests hold their connections.
    const replies = await Promise.all([
      ...Array.from({ length: 10 }, () => call(`${server.url}/healthz`)),
      ...Array.from({ length: 5 }, () => call(`${server.url}/api/ask`, { token: 'alice-token', body: { question: 'Which AI practices are prohibited under the EU AI Act?' } })),
    ]);
    for (const reply of replies) expect(reply.status).toBe(200);

    // The server closes all 200 on its own (request timeout plus Node's checking interval, well under 10 s).
    const received = await Promise.all(held.map((connection) => connection.closed));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(10_000);
    // Cut-off headers and bodies get a 408 (or nothing); never a 200 or a 500.
    for (const text of received) expect(text === '' || text.startsWith('HTTP/1.1 408')).toBe(true);
    expect((await call(`${server.url}/readyz`)).status).toBe(200);
  }, 30_000);

  it('closes connections over MAX_CONNECTIONS at once and serves again when they are gone', async () => {
    const server = await serve({ MAX_CONNECTIONS: '40', HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });
    let dropped = 0;
    server.web.server.on('drop', () => (dropped += 1));
    const held = await Promise.all(Array.from({ length: 60 }, () => holdHalfSent(server.url, partialHeaders)));
    // Twenty connections were over the cap: dropped on arrival, long before any timeout.
    await expect.poll(() => dropped, { timeout: 900, interval: 20 }).toBe(20);
    expect(await new Promise<number>((resolve, reject) => server.web.server.getConnections((error, count) => (error ? reject(error) : resolve(count))))).toBeLessThanOrEqual(40);
    await Promise.all(held.map((connection) => connection.closed));
    expect((await call(`${server.url}/healthz`)).status).toBe(200);
  }, 30_000);
});
