// A small TCP proxy on 127.0.0.1 for fault tests: it forwards every connection to a target host and
// port, and can be cut (listener closed, every open connection destroyed — the peer looks down) and
// restored on the same port (the peer is back). Used in front of PostgreSQL and the fake LLM.
import net, { type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Stops listening and destroys every open connection (both sides). New connections are refused. */
  cut(): Promise<void>;
  /**
   * A network black hole: every byte from now on is dropped (nothing is
   * forwarded in either direction, no connection is closed) and new connections are accepted but
   * never forwarded. `cut()` then ends the partition the way a real one usually ends: with resets.
   */
  freeze(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (ephemeral port) forwarding to `targetHost:targetPort`. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let frozen = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const onConnection = (client: Socket) => {
    accepted += 1;
    if (frozen) {
      track(client);
      client.on('error', () => undefined);
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    // Forward chunk by chunk so a freeze can hold them back.
    client.on('data', (chunk: Buffer) => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!frozen) client.write(chunk);
    });
  };

  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const created = net.createServer(onConnection);
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        created.off('error', reject);
        resolve(created);
      });
    });
  server = await listen(0);
  const port = (server.address() as AddressInfo).port;

  const stop = async () => {
    frozen = false;
    const current = server;
    server = undefined;
    for (const socket of open) socket.destroy();
    if (current !== undefined) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  return {
    port,
    get accepted() {
      return accepted;
    },
    cut: stop,
    freeze() {
      frozen = true;
    },
    async restore() {
      if (server === undefined) server = await listen(port);
    },
    close: stop,
  };
}

/** A loopback port nothing listens on (bound and released at once). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
