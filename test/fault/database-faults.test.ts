// The database failing: unreachable at start-up (a real `shishin serve` exits non-zero with one clear
// line), and lost mid-run behind a TCP proxy we cut and restore (PostgreSQL in its own schema):
// submissions fail with a clear 503, nothing is half-written, answers keep working, and the service
// recovers by itself when the database returns — retries with the same idempotency key complete.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonReply } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { spawnServe } from '../helpers/server-process.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { openPostgresTestDatabase } from '../store/postgres-test-schema.js';
import { closedPort, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const database = await openPostgresTestDatabase();

function runServe(environment: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnServe(environment);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not exit within 60 s:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

if (database === undefined) {
  describe.skip('database faults (skipped: SHISHIN_SKIP_POSTGRES=1 and no PostgreSQL)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;
  const target = new URL(db.url);

  describe('database faults on PostgreSQL', () => {
    let proxy: TcpProxy;
    let server: TestServer;
    let schema: string;

    beforeAll(async () => {
      schema = await db.createSchema('fault');
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(db.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      server = await startTestServer({ DATABASE_URL: viaProxy.toString(), RATE_LIMIT_PER_MINUTE: '100000' }, { databaseSchema: schema });
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      await proxy?.close();
      await db.dropAll();
    });

    const submit = (key: string, title = `Fault ${key}`) =>
      call(`${server.url}/api/intakes`, { body: { ...cvScreeningIntake, title }, headers: { 'idempotency-key': key } });

    async function count(sql: string): Promise<number> {
      const result = await db.execute<{ n: number }>(sql.replaceAll('$schema', `"${schema}"`));
      return result.rows[0]?.n ?? -1;
    }

    /** Every intake has the same number of audit entries as a healthy one, and no entry is orphaned. */
    async function expectNothingHalfWritten(): Promise<void> {
      const perIntake = await db.execute<{ n: number }>(
        `SELECT COUNT(a.sequence)::int AS n FROM "${schema}".intakes i LEFT JOIN "${schema}".audit_entries a ON a.intake_id = i.id GROUP BY i.id`,
      );
      const counts = new Set(perIntake.rows.map((row) => row.n));
      expect(counts.size).toBe(1);
      expect([...counts][0]).toBeGreaterThan(0);
      expect(
        await count(`SELECT COUNT(*)::int AS n FROM $schema.audit_entries a WHERE a.intake_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM $schema.intakes i WHERE i.id = a.intake_id)`),
      ).toBe(0);
      const verification = await server.app.store.verifyAudit();
      expect(verification.ok).toBe(true);
    }

    it('refuses submissions with a clear 503 while the database is down, and recovers by itself', async () => {
      const first = await submit('healthy-1');
      expect(first.status).toBe(201);

      await proxy.cut();
      try {
        const started = performance.now();
        const refused = await submit('while-down');
        expect(refused.status).toBe(503);
        expect(refused.body).toMatchObject({ error: { code: 'unavailable' } });
        expect(String((refused.body.error as { message: string }).message)).toMatch(/database is unavailable.*try again/i);
        expect(refused.text).not.toMatch(/ECONNREFUSED|\bat \w+ \(|stack/);
        expect(performance.now() - started).toBeLessThan(7000);

        const read = await call(`${server.url}/api/intakes/${String(first.body.id)}`);
        expect(read.status).toBe(503);
        const ready = await call(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(ready.body).toMatchObject({ status: 'not_ready', failed: ['store'] });
        expect((await call(`${server.url}/healthz`)).status).toBe(200);
        // Answers do not need the database.
        const answer = await call(`${server.url}/api/ask`, { body: { question: 'Which AI practices are prohibited under the EU AI Act?' } });
        expect(answer.status).toBe(200);
        expect(answer.body.grounded).toBe(true);
      } finally {
        await proxy.restore();
      }

      // No restart: the next request reconnects.
      expect((await call(`${server.url}/readyz`)).status).toBe(200);
      const retried = await submit('while-down');
      expect(retried.status).toBe(201);
      expect((await submit('while-down')).status).toBe(200);
      expect(await count('SELECT COUNT(*)::int AS n FROM $schema.intakes')).toBe(2);
      await expectNothingHalfWritten();
    });

    it('leaves every submission whole or absent when the database drops in the middle of a burst', async () => {
      const keys = Array.from({ length: 16 }, (_, index) => `burst-${randomBytes(3).toString('hex')}-${index}`);
      let cutting: Promise<void> | undefined;
      const replies = await Promise.all(
        keys.map(async (key) => {
          const reply = await submit(key);
          cutting ??= proxy.cut();
          return reply;
        }),
      );
      await cutting;
      await proxy.restore();
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
      expect(statuses).toContain(503);
      for (const reply of replies.filter((item) => item.status === 503)) {
        expect(reply.body).toMatchObject({ error: { code: 'unavailable' } });
      }
      await expectNothingHalfWritten();

      // The clients retry with the same keys: everything completes, nothing is duplicated.
      const retries: JsonReply[] = [];
      for (const key of keys) retries.push(await submit(key));
      keys.forEach((_key, index) => {
        const before = replies[index] as JsonReply;
        const after = retries[index] as JsonReply;
        expect([200, 201]).toContain(after.status);
        if (before.status === 201) {
          expect(after.status).toBe(200);
          expect(after.body.id).toBe(before.body.id);
        }
      });
      const stored = await db.execute<{ key: string }>(`SELECT idempotency_key AS key FROM "${schema}".intakes WHERE idempotency_key LIKE '%burst-%'`);
      expect(stored.rows).toHaveLength(keys.length);
      await expectNothingHalfWritten();
    });

    it('answers a clear 503 within seconds when the database stops answering altogether, and recovers', async () => {
      expect((await submit('before-black-hole')).status).toBe(201);
      proxy.freeze();
      try {
        const started = performance.now();
        const refused = await submit('during-black-hole');
        expect(refused.status).toBe(503);
        expect(refused.body).toMatchObject({ error: { code: 'unavailable' } });
        expect(performance.now() - started).toBeLessThan(20_000);
        const ready = await call(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
      } finally {
        // The partition ends the way real ones do: the stale connections are reset.
        await proxy.cut();
        await proxy.restore();
      }
      const retried = await submit('during-black-hole');
      expect([200, 201]).toContain(retried.status);
      expect((await call(`${server.url}/readyz`)).status).toBe(200);
      await expectNothingHalfWritten();
    }, 90_000);

    it('exits non-zero with one clear line when the database is unreachable at start-up', async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-fault-start-'));
      try {
        const port = await closedPort();
        const result = await runServe({
          NODE_ENV: 'production',
          API_TOKENS: 'fault-token=web:fault',
          LOG_LEVEL: 'fatal',
          DATA_DIR: dataDir,
          // Reuse the index the test server built, so this start is quick.
          INDEX_DIR: path.join(server.app.dataDir, 'index'),
          DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/shishin`,
        });
        expect(result.code).not.toBe(0);
        expect(result.code).not.toBeNull();
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/database/i);
        expect(lines[0]).toContain(`127.0.0.1:${port}`);
        expect(lines[0]).toMatch(/DATABASE_URL/);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stdout).not.toMatch(/listening on/);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 70_000);
  });
}
