// The PostgreSQL audit append (migration 2): the database finishes each hash from the canonical JSON
// prefix built here, takes the chain lock only in the statement sent with the commit, continues a
// chain written before the upgrade, and still excludes writers that lock the old way.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import type { AuditEntryInput } from '../../src/ports/intake-store.js';
import { chainAuditEntry, hashAuditEntry } from '../../src/providers/store/audit-chain.js';
import { postgresMigrations } from '../../src/providers/store/postgres-migrations.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { alice, newIntake } from './intake-fixtures.js';
import { openPostgresTestDatabase } from './postgres-test-schema.js';

const database = await openPostgresTestDatabase();

afterAll(async () => {
  await database?.dropAll();
});

/** The keys the store's advisory locks use: "SHSN" + 2 for the audit chain, the schema hashed. */
const auditLockKey = 0x5348534e + 2;

if (database === undefined) {
  describe.skip('PostgreSQL audit append (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;

  async function openStore(schema: string): Promise<PostgresIntakeStore> {
    const store = new PostgresIntakeStore({ connectionString: db.url, schema, logger: silentLogger() });
    await store.migrate();
    return store;
  }

  /** A client of its own on the schema, for playing an older replica or holding a lock. */
  async function rawClient(schema: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
    await client.connect();
    return client;
  }

  /** Appends one entry the way version-1 code did: advisory lock, read the tail, hash here, insert. */
  async function appendTheOldWay(client: pg.Client, schema: string, input: AuditEntryInput, beforeCommit?: () => Promise<void>): Promise<void> {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [auditLockKey, schema]);
    const tail = await client.query<{ sequence: string; hash: string }>('SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1');
    const previous = tail.rows[0] === undefined ? undefined : { sequence: Number(tail.rows[0].sequence), hash: tail.rows[0].hash };
    const entry = chainAuditEntry(input, previous, new Date().toISOString());
    await client.query('INSERT INTO audit_entries (sequence, at, action, actor, intake_id, details, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      entry.sequence,
      entry.at,
      entry.action,
      JSON.stringify(entry.actor),
      entry.intakeId ?? null,
      JSON.stringify(entry.details),
      entry.previousHash,
      entry.hash,
    ]);
    await beforeCommit?.();
    await client.query('COMMIT');
  }

  const note = (details: Record<string, unknown>): AuditEntryInput => ({ action: 'system.note', actor: { channel: 'system', id: 'test' }, details });

  describe('PostgreSQL audit append', () => {
    it('hashes exactly as this process does, whatever the details hold', async () => {
      const schema = await db.createSchema('hashing');
      const store = await openStore(schema);
      // Any text JSONB accepts: printable graphemes (emoji, CJK, combining marks) mixed with control
      // characters, quotes, backslashes and separators that JSON escapes. (JSONB itself refuses
      // \u0000 and lone surrogates, with or without this append.)
      const awkward = fc.constantFrom('\n', '\t', '\u0001', '\u001f', '\u007f', '"', '\\', '/', '\u2028', '\ud83d\ude00', 'é', 'ｱ');
      const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), awkward), { maxLength: 6 }).map((parts) => parts.join(''));
      const detailValue = fc.oneof(
        text,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(text, { maxLength: 3 }),
        fc.dictionary(text, text, { maxKeys: 3 }),
      );
      const entry = fc.record({
        details: fc.dictionary(text, detailValue, { maxKeys: 5 }),
        action: text.filter((value) => value.length > 0),
        displayName: fc.option(text, { nil: undefined }),
        intakeId: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), { nil: undefined }),
      });
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 3 }), async (batch) => {
            const inputs: AuditEntryInput[] = batch.map((item) => ({
              action: item.action,
              actor: { channel: 'web', id: 'x', ...(item.displayName === undefined ? {} : { displayName: item.displayName }) },
              ...(item.intakeId === undefined ? {} : { intakeId: item.intakeId }),
              details: item.details,
            }));
            // The store refuses (and rolls back) an entry whose database hash differs from its own.
            const appended = await store.appendAudit(inputs);
            for (const stored of appended) expect(stored.hash).toBe(hashAuditEntry(stored));
          }),
          { numRuns: 60 },
        );
        const verification = await store.verifyAudit();
        expect(verification.ok).toBe(true);
        // Read back from the table, each entry still hashes to what was stored.
        for (const stored of await store.listAudit()) expect(hashAuditEntry(stored)).toBe(stored.hash);
      } finally {
        await store.close();
      }
    });

    it('takes the chain lock only in the last statement, after the intake row is written', async () => {
      const schema = await db.createSchema('late_lock');
      const store = await openStore(schema);
      const holder = await rawClient(schema);
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [auditLockKey, schema]);
        const intake = newIntake({ submittedBy: alice });
        const pending = store.createIntake(intake);
        // Wait (polling the server, bounded) until the submission is queued on the lock.
        let waiting: string | undefined;
        for (let attempt = 0; attempt < 200 && waiting === undefined; attempt += 1) {
          const rows = await db.execute<{ query: string }>(
            "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'shishin' AND datname = current_database()",
          );
          waiting = rows.rows.find((row) => row.query.includes(schema))?.query;
          if (waiting === undefined) await new Promise((resolve) => setImmediate(resolve));
        }
        // (pg_stat_activity truncates the text, so the COMMIT sent with it is not visible here.)
        expect(waiting?.startsWith('SELECT * FROM append_audit_entries(')).toBe(true);
        // The intake row is already in place (uncommitted) while the append waits for the lock.
        const locks = await db.execute<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace s ON s.oid = c.relnamespace
           WHERE s.nspname = $1 AND c.relname = 'intakes' AND l.mode = 'RowExclusiveLock' AND l.granted`,
          [schema],
        );
        expect(locks.rows[0]?.n).toBe(1);
        await holder.query('COMMIT');
        const { created } = await pending;
        expect(created).toBe(true);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: intake.audit.length, driftCount: 0 });
      } finally {
        await holder.end();
        await store.close();
      }
    });

    it('continues a chain written before the upgrade, and excludes replicas still on the old version', async () => {
      const schema = await db.createSchema('upgrade');
      const old = await rawClient(schema);
      try {
        // A database at version 1 with a chain written the old way.
        const first = postgresMigrations.find((migration) => migration.version === 1);
        if (first === undefined) throw new Error('migration 1 missing');
        await old.query(first.sql);
        await old.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
        await old.query("INSERT INTO schema_migrations VALUES (1, 'v1', now())");
        for (const index of [1, 2, 3]) await appendTheOldWay(old, schema, note({ index }));
        const store = await openStore(schema);
        try {
          const appended = await store.appendAudit([note({ index: 4 }), note({ index: 5 })]);
          expect(appended.map((entry) => entry.sequence)).toEqual([4, 5]);
          // An old replica mid-append holds the lock: the new append waits for it, then follows it.
          let released = false;
          let newAppend: Promise<unknown> | undefined;
          await appendTheOldWay(old, schema, note({ index: 6 }), async () => {
            newAppend = store.appendAudit([note({ index: 7 })]).then((entries) => {
              expect(released).toBe(true);
              return entries;
            });
            // Give the new append time to reach the server and queue behind the lock.
            for (let attempt = 0; attempt < 200; attempt += 1) {
              const rows = await db.execute("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%append_audit_entries%' AND query LIKE $1", [
                `%${schema}%`,
              ]);
              if ((rows.rowCount ?? 0) > 0) break;
              await new Promise((resolve) => setImmediate(resolve));
            }
            released = true;
          });
          expect(((await newAppend) as Array<{ sequence: number }>).map((entry) => entry.sequence)).toEqual([7]);
          expect(await store.verifyAudit()).toMatchObject({ ok: true, entries: 7, driftCount: 0 });
        } finally {
          await store.close();
        }
      } finally {
        await old.end();
      }
    });
  });
}
