// Separate processes sharing one database: the same idempotency keys submitted from two processes
// at once give one intake each; a process killed inside a submission's transaction leaves nothing
// behind, and a retry with the same key completes. Run against PostgreSQL and SQLite.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { silentLogger } from '../../src/logger.js';
import { systemClock } from '../../src/ports/clock.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import { alice, sampleClassification, sampleInput } from './intake-fixtures.js';
import { openPostgresTestDatabase } from './postgres-test-schema.js';

const worker = path.resolve('test/store/fixtures/submit-worker.ts');
const database = await openPostgresTestDatabase();
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-processes-'));

afterAll(async () => {
  await database?.dropAll();
  fs.rmSync(directory, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  /** Resolves with the next line the worker prints. */
  nextLine(): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const pending: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const next = waiting.shift();
    if (next !== undefined) next(line);
    else pending.push(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    nextLine: () => {
      const line = pending.shift();
      if (line !== undefined) return Promise.resolve(line);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push(resolve)),
        exited.then(({ code, signal }) => {
          throw new Error(`worker exited (${code ?? signal}) before printing a line: ${stderr}`);
        }),
      ]);
    },
  };
}

interface Target {
  name: string;
  env(): Promise<Record<string, string>>;
  open(env: Record<string, string>): IntakeStore;
  count(env: Record<string, string>, table: 'intakes' | 'audit_entries'): Promise<number>;
}

function describeProcesses(target: Target): void {
  describe(`separate processes on ${target.name}`, () => {
    it('give one intake per idempotency key when two processes submit the same keys at once', async () => {
      const env = await target.env();
      const keys = Array.from({ length: 25 }, (_, index) => `shared-${index}`);
      const workers = [0, 1].map(() => startWorker({ ...env, WORKER_KEYS: keys.join(',') }));
      for (const started of workers) expect(await started.nextLine()).toBe('ready');
      for (const started of workers) started.child.stdin?.write('go\n');
      const results: { key: string; id: string; created: boolean }[] = [];
      for (const started of workers) {
        for (let index = 0; index < keys.length; index += 1) results.push(JSON.parse(await started.nextLine()) as (typeof results)[number]);
        expect((await started.exited).code).toBe(0);
      }
      for (const key of keys) {
        const forKey = results.filter((result) => result.key === key);
        expect(forKey).toHaveLength(2);
        expect(forKey.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(forKey.map((result) => result.id)).size).toBe(1);
      }
      expect(await target.count(env, 'intakes')).toBe(25);
      expect(await target.count(env, 'audit_entries')).toBe(50);
      const store = target.open(env);
      try {
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 50, driftCount: 0 });
      } finally {
        await store.close();
      }
    });

    it('leave no partial intake when a process is killed inside the transaction, and a retry completes', async () => {
      const env = await target.env();
      const killed = startWorker({ ...env, WORKER_KEYS: 'crash-key', WORKER_PAUSE: '1' });
      expect(await killed.nextLine()).toBe('ready');
      killed.child.stdin?.write('go\n');
      expect(await killed.nextLine()).toBe('paused');
      killed.child.kill('SIGKILL');
      expect((await killed.exited).signal).toBe('SIGKILL');

      const store = target.open(env);
      try {
        expect(await store.findByIdempotencyKey('crash-key')).toBeUndefined();
        expect(await target.count(env, 'intakes')).toBe(0);
        expect(await target.count(env, 'audit_entries')).toBe(0);
        const service = createIntakeService({
          store,
          classifier: { classify: async () => sampleClassification('high') },
          governanceMembers: [],
          clock: systemClock,
          logger: silentLogger(),
        });
        const retried = await service.submit({ input: sampleInput(), submittedBy: alice, idempotencyKey: 'crash-key' });
        expect(retried.created).toBe(true);
        expect(await target.count(env, 'intakes')).toBe(1);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 2, driftCount: 0 });
      } finally {
        await store.close();
      }
    });
  });
}

if (database === undefined) {
  describe.skip('separate processes on PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;
  describeProcesses({
    name: 'PostgreSQL',
    async env() {
      const schema = await db.createSchema('processes');
      return { WORKER_STORE: 'postgres', WORKER_DATABASE_URL: db.url, WORKER_SCHEMA: schema };
    },
    open: (env) => new PostgresIntakeStore({ connectionString: db.url, schema: env.WORKER_SCHEMA as string, logger: silentLogger() }),
    async count(env, table) {
      const result = await db.execute<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "${env.WORKER_SCHEMA}".${table}`);
      return result.rows[0]?.n ?? -1;
    },
  });
}

let sqliteCounter = 0;
describeProcesses({
  name: 'SQLite',
  async env() {
    sqliteCounter += 1;
    return { WORKER_STORE: 'sqlite', WORKER_SQLITE_FILE: path.join(directory, `shishin-${sqliteCounter}.db`) };
  },
  open: (env) => new SqliteIntakeStore({ file: env.WORKER_SQLITE_FILE as string, logger: silentLogger() }),
  async count(env, table) {
    const store = new SqliteIntakeStore({ file: env.WORKER_SQLITE_FILE as string, logger: silentLogger() });
    try {
      await store.migrate();
      return table === 'intakes' ? (await store.listIntakes()).length : (await store.listAudit()).length;
    } finally {
      await store.close();
    }
  },
});
