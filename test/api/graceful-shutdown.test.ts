// SIGTERM on a real `shishin serve` process: the request in flight completes, then the process exits 0.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../helpers/fake-openai-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

let fake: FakeOpenAIServer | undefined;
let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await fake?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('finishes the in-flight request, then exits with code 0', async () => {
    fake = await startFakeOpenAIServer();
    let arrived!: () => void;
    const chatArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.setChatHandler(async () => {
      arrived();
      await released;
      return { content: 'Article 5 of the EU AI Act bans certain AI practices [1].' };
    });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-shutdown-'));
    server = await startServerProcess({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key' });

    const inFlight = fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Which AI practices are prohibited in the EU?' }),
    });
    await chatArrived;
    server.child.kill('SIGTERM');
    await server.waitForOutput(/"msg":"shutting down"/);
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { grounded: boolean; citations: unknown[] };
    expect(body.grounded).toBe(true);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
