// The store contract against PostgreSQL (a fresh schema per test, all dropped at the end), plus
// PostgreSQL-only behaviour: a server that is down or goes away and comes back.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { isShishinError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createStore } from '../../src/providers/store/create-store.js';
import { postgresMigrations } from '../../src/providers/store/postgres-migrations.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { ManualClock, newIntake } from './intake-fixtures.js';
import { openPostgresTestDatabase } from './postgres-test-schema.js';
import { describeStoreContract } from './store-contract.js';

const database = await openPostgresTestDatabase();

afterAll(async () => {
  await database?.dropAll();
});

if (database === undefined) {
  describe.skip('IntakeStore contract: PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;

  describeStoreContract('PostgreSQL', async () => {
    const schema = await db.createSchema('contract');
    const clock = new ManualClock();
    const open = async (hooks = {}) => {
      const store = new PostgresIntakeStore({ connectionString: db.url, schema, logger: silentLogger(), clock, hooks });
      await store.migrate();
      return store;
    };
    const store = await open();
    const inSchema = (text: string) => `SET LOCAL search_path TO "${schema}"; ${text}`;
    return {
      store,
      clock,
      migrationVersions: postgresMigrations.map((migration) => migration.version),
    attestationVersion: postgresMigrations.find((migration) => migration.step === 'attest-intake-content')?.version ?? 0,
      async sql(text, values = []) {
        // One transaction so SET LOCAL applies; parameters are not used with multi-statement text.
        if (values.length > 0) throw new Error('parameters are not supported in raw test SQL');
        const results = await db.execute(`BEGIN; ${inSchema(text)}; COMMIT;`).catch(async (error: unknown) => {
          await db.execute('ROLLBACK');
          throw error;
        });
        const list = (Array.isArray(results) ? results : [results]) as { rows: Record<string, unknown>[]; command: string }[];
        const main = list.find((result) => ['SELECT', 'UPDATE', 'DELETE', 'INSERT'].includes(result.command));
        return main?.rows ?? [];
      },
      async disableAuditGuard() {
        await db.execute(`ALTER TABLE "${schema}".audit_entries DISABLE TRIGGER USER`);
      },
      openAnother: (options = {}) => open(options.hooks),
      close: () => store.close(),
    };
  });

  describe('PostgreSQL store', () => {
    it('is what createStore picks with DATABASE_URL, and describes itself without credentials', async () => {
      const schema = await db.createSchema('create');
      const url = new URL(db.url);
      url.password = 'secret-password';
      const store = await createStore({ databaseUrl: db.url, dataDir: '/nonexistent' }, silentLogger(), { schema });
      try {
        expect(store).toBeInstanceOf(PostgresIntakeStore);
        expect(store.description).toContain(`schema ${schema}`);
        expect(store.description).not.toContain('secret');
        await store.createIntake(newIntake());
        const rows = await db.execute(`SELECT COUNT(*)::int AS n FROM "${schema}".intakes`);
        expect(rows.rows[0]).toEqual({ n: 1 });
      } finally {
        await store.close();
      }
    });

    it('reports a server that is not listening as unavailable, with the cause', async () => {
      const port = await closedPort();
      const store = new PostgresIntakeStore({ connectionString: `postgresql://postgres@127.0.0.1:${port}/test`, logger: silentLogger(), connectionTimeoutMs: 2000 });
      try {
        for (const attempt of [store.ping(), store.createIntake(newIntake()), store.listIntakes()]) {
          const error = await attempt.catch((caught: unknown) => caught);
          expect(isShishinError(error, 'unavailable')).toBe(true);
          expect((error as Error).message).toBe('The database is unavailable; please try again shortly.');
          expect((error as Error).cause).toBeInstanceOf(Error);
        }
      } finally {
        await store.close();
      }
    });

    it('recovers by itself when the server comes back', async () => {
      const schema = await db.createSchema('recover');
      const target = new URL(db.url);
      const proxy = await startProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(db.url);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const store = new PostgresIntakeStore({ connectionString: viaProxy.toString(), schema, logger: silentLogger(), connectionTimeoutMs: 2000 });
      try {
        await store.migrate();
        await store.createIntake(newIntake());
        await proxy.stop();
        const down = await store.listIntakes().catch((caught: unknown) => caught);
        expect(isShishinError(down, 'unavailable')).toBe(true);
        await proxy.start();
        expect(await store.listIntakes()).toHaveLength(1);
        await store.createIntake(newIntake());
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 4, driftCount: 0 });
      } finally {
        await store.close();
        await proxy.stop();
      }
    });

    it('survives its backends being terminated', async () => {
      const schema = await db.createSchema('terminate');
      // Its own application name, so only this store's backends are terminated, never those of
      // suites running at the same time on the same database.
      const applicationName = `shishin-${schema}`.slice(0, 63);
      const store = new PostgresIntakeStore({ connectionString: db.url, schema, logger: silentLogger(), applicationName });
      try {
        await store.migrate();
        await Promise.all([store.ping(), store.ping(), store.ping()]);
        const terminated = await db.execute(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() AND datname = current_database()',
          [applicationName],
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        // The pool still holds the dead connections; each call must swap them for fresh ones.
        await Promise.all([store.ping(), store.listIntakes(), store.getSetting('x')]);
        await store.createIntake(newIntake());
        expect(await store.listIntakes()).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP forwarder that can be stopped (dropping every connection) and started again on one port. */
async function startProxy(host: string, targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, host);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  const stop = async () => {
    const closing = server;
    server = undefined;
    if (closing === undefined) return;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await start();
  return {
    get port() {
      return port;
    },
    start,
    stop,
  };
}
