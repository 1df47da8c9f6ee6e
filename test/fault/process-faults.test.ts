// The process itself failing, on a real `shishin serve` child with SQLite: SIGTERM while questions and
// intake submissions are in flight (every one of them completes, every accepted intake is stored),
// and SIGKILL in the middle of submissions (on restart each intake is whole or absent, and the
// client's retry with the same Idempotency-Key completes it without a duplicate).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import { call, type JsonReply } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from '../helpers/fake-openai-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

let fake: FakeOpenAIServer;
let workDir: string;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-process-fault-'));
});

afterEach(async () => {
  for (const running of processes.splice(0)) await running.stop('SIGKILL');
});

afterAll(async () => {
  await fake?.close();
  await rm(workDir, { recursive: true, force: true });
});

async function serve(dataDir: string): Promise<ServerProcess> {
  const running = await startServerProcess(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'test-key',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    { startTimeoutMs: 90_000 },
  );
  processes.push(running);
  return running;
}

/** Opens the stopped process's SQLite file and reads what is stored. */
async function storedState(dataDir: string) {
  const store = new SqliteIntakeStore({ file: path.join(dataDir, 'shishin.db'), logger: silentLogger() });
  try {
    await store.migrate();
    const intakes = await store.listIntakes();
    const audit = await store.listAudit();
    return { intakes, audit, verification: await store.verifyAudit() };
  } finally {
    await store.close();
  }
}

const isSignalCheck = (request: RecordedRequest) => request.rawBody.includes('declaredDomains');
const question = 'Which AI practices are prohibited under the EU AI Act?';

describe('process faults', () => {
  it('finishes every in-flight question and submission on SIGTERM, and loses nothing', async () => {
    const dataDir = path.join(workDir, 'sigterm');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.setChatHandler(async (request) => {
      await released;
      return isSignalCheck(request) ? { content: '{"signals": []}' } : { content: 'Article 5 of the EU AI Act bans certain AI practices [1].' };
    });
    const server = await serve(dataDir);

    const asks = Array.from({ length: 8 }, () => call(`${server.url}/api/ask`, { body: { question } }));
    const submissions = Array.from({ length: 4 }, (_, index) =>
      call(`${server.url}/api/intakes`, { body: { ...cvScreeningIntake, title: `Drain ${index}` }, headers: { 'idempotency-key': `drain-${index}` } }),
    );
    // Every request is inside the service, waiting on the language model.
    await expect.poll(() => fake.chatRequests().length, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(12);

    server.child.kill('SIGTERM');
    await server.waitForOutput(/"msg":"shutting down"/);
    release();
    const answered = await Promise.all(asks);
    const submitted = await Promise.all(submissions);
    for (const reply of answered) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ grounded: true, mode: 'llm' });
    }
    for (const reply of submitted) expect(reply.status).toBe(201);
    expect(await server.exited).toBe(0);

    const state = await storedState(dataDir);
    expect(state.intakes.map((intake) => intake.id).sort()).toEqual(submitted.map((reply) => String(reply.body.id)).sort());
    expect(state.verification.ok).toBe(true);
  }, 90_000);

  it('keeps each submission whole or absent after SIGKILL, and a retry with the same key completes it', async () => {
    const dataDir = path.join(workDir, 'sigkill');
    let heldArrived!: () => void;
    const held = new Promise<void>((resolve) => (heldArrived = resolve));
    let counter = 0;
    fake.setChatHandler((request) => {
      if (request.rawBody.includes('Held submission')) {
        heldArrived();
        return { hang: true };
      }
      counter += 1;
      return { content: '{"signals": []}', delayMs: (counter * 37) % 200 };
    });
    const first = await serve(dataDir);
    const keys = Array.from({ length: 10 }, (_, index) => `kill-${index}`);
    const submit = (url: string, key: string) =>
      call(`${url}/api/intakes`, {
        body: { ...cvScreeningIntake, title: key === 'kill-held' ? 'Held submission' : `Killed ${key}` },
        headers: { 'idempotency-key': key },
      });

    const heldReply = submit(first.url, 'kill-held').catch((error: unknown) => error);
    let firstAnswered!: () => void;
    const oneAnswered = new Promise<void>((resolve) => (firstAnswered = resolve));
    const burst = keys.map((key) =>
      submit(first.url, key).then(
        (reply) => {
          firstAnswered();
          return reply;
        },
        (error: unknown) => error,
      ),
    );
    await Promise.all([held, oneAnswered]);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const before = await Promise.all(burst);
    expect(await heldReply).toBeInstanceOf(Error);

    // Whatever the kill interrupted is either fully stored (intake and its audit entries) or absent.
    const afterKill = await storedState(dataDir);
    expect(afterKill.verification.ok).toBe(true);
    const auditCounts = new Set(afterKill.intakes.map((intake) => afterKill.audit.filter((entry) => entry.intakeId === intake.id).length));
    expect(auditCounts.size).toBeLessThanOrEqual(1);
    expect(afterKill.audit.every((entry) => entry.intakeId === undefined || afterKill.intakes.some((intake) => intake.id === entry.intakeId))).toBe(true);
    expect(afterKill.intakes.some((intake) => intake.input.title === 'Held submission')).toBe(false);
    for (const reply of before) {
      if (!(reply instanceof Error) && (reply as JsonReply).status === 201) {
        expect(afterKill.intakes.map((intake) => intake.id)).toContain((reply as JsonReply).body.id);
      }
    }

    // The clients retry against the restarted service with the same keys.
    fake.setChatHandler({ content: '{"signals": []}' });
    const second = await serve(dataDir);
    const retries = await Promise.all([...keys, 'kill-held'].map((key) => submit(second.url, key)));
    retries.forEach((reply, index) => {
      expect([200, 201]).toContain(reply.status);
      const earlier = before[index];
      if (earlier !== undefined && !(earlier instanceof Error) && (earlier as JsonReply).status === 201) {
        expect(reply.status).toBe(200);
        expect(reply.body.id).toBe((earlier as JsonReply).body.id);
      }
    });
    expect(retries.at(-1)?.status).toBe(201);
    expect(await second.stop('SIGTERM')).toBe(0);

    const final = await storedState(dataDir);
    expect(final.intakes).toHaveLength(keys.length + 1);
    expect(new Set(final.intakes.map((intake) => intake.input.title)).size).toBe(keys.length + 1);
    expect(final.verification.ok).toBe(true);
  }, 120_000);
});
