// Two `shishin serve` processes sharing one PostgreSQL database (a fresh database per run): an intake
// submitted through one is visible and decidable through the other, and one idempotency key sent to
// both at once creates exactly one intake. Without PostgreSQL the suite fails (see postgres-test-schema.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { describeWithPeer } from '../helpers/peers.js';
import { openPostgresTestDatabase, postgresSkippedReason, testDatabaseUrl } from '../store/postgres-test-schema.js';

// Without PostgreSQL this fails, as the store suites do, unless SHISHIN_SKIP_POSTGRES=1 asks to skip.
const postgres = await openPostgresTestDatabase();
const adminUrl = postgres?.url ?? testDatabaseUrl;

async function admin(sql: string): Promise<void> {
  await postgres?.execute(sql);
}

describeWithPeer('two replicas on one PostgreSQL database', postgres === undefined ? postgresSkippedReason : undefined, () => {
  const database = `shishin_replicas_${randomBytes(6).toString('hex')}`;
  const replicas: ServerProcess[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const environment = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url.toString(),
      API_TOKENS: 'alice=web:alice,reviewer=web:reviewer',
      GOVERNANCE_MEMBERS: 'web:reviewer',
    };
    for (const name of ['a', 'b']) dataDirs.push(await mkdtemp(path.join(os.tmpdir(), `shishin-replica-${name}-`)));
    const started = await Promise.allSettled(dataDirs.map((dataDir) => startServerProcess({ ...environment, DATA_DIR: dataDir }, { startTimeoutMs: 110_000 })));
    for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await postgres?.dropAll();
    expect(codes).toEqual(replicas.map(() => 0));
  }, 60_000);

  it('lets either replica read and decide an intake submitted through the other', async () => {
    const [a, b] = replicas as [ServerProcess, ServerProcess];
    const created = await call(`${a.url}/api/intakes`, { token: 'alice', body: cvScreeningIntake });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const seen = await call(`${b.url}/api/intakes/${id}`, { token: 'alice' });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id, status: 'pending_review', classification: { tier: 'high' } });
    const queue = await call<{ intakes: Array<{ id: string }> }>(`${b.url}/api/queue`, { token: 'reviewer' });
    expect(queue.body.intakes.map((intake) => intake.id)).toContain(id);

    const decided = await call(`${b.url}/api/intakes/${id}/decision`, { token: 'reviewer', body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    const afterwards = await call(`${a.url}/api/intakes/${id}`, { token: 'alice' });
    expect(afterwards.body).toMatchObject({ status: 'approved', decidedBy: 'web:reviewer' });
    // The second decision, through the other replica, meets the first one.
    const late = await call(`${a.url}/api/intakes/${id}/decision`, { token: 'reviewer', body: { decision: 'reject', comment: 'late' } });
    expect(late.status).toBe(409);
  });

  it('creates one intake when both replicas receive the same idempotency key at once', async () => {
    const [a, b] = replicas as [ServerProcess, ServerProcess];
    const key = `race-${randomBytes(4).toString('hex')}`;
    const body = { ...cvScreeningIntake, title: `Race ${key}` };
    const replies = await Promise.all(
      [a, b, a, b].map((replica) => call(`${replica.url}/api/intakes`, { token: 'alice', body, headers: { 'idempotency-key': key } })),
    );
    const ids = new Set(replies.map((reply) => String(reply.body.id)));
    expect(ids.size).toBe(1);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 201]);
    const mine = await call<{ intakes: Array<{ input: { title: string } }> }>(`${b.url}/api/intakes`, { token: 'alice' });
    expect(mine.body.intakes.filter((intake) => intake.input.title === body.title)).toHaveLength(1);
  });
});
