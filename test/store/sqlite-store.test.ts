// The store contract against SQLite (a fresh file per test), plus SQLite-only behaviour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isShishinError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createStore } from '../../src/providers/store/create-store.js';
import { sqliteMigrations } from '../../src/providers/store/sqlite-migrations.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import { ManualClock, newIntake } from './intake-fixtures.js';
import { describeStoreContract } from './store-contract.js';

const temporaryDirectories: string[] = [];

function temporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-sqlite-'));
  temporaryDirectories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

describeStoreContract('SQLite', async () => {
  const file = path.join(temporaryDirectory(), 'shishin.db');
  const clock = new ManualClock();
  const open = async (hooks = {}) => {
    const store = new SqliteIntakeStore({ file, logger: silentLogger(), clock, hooks });
    await store.migrate();
    return store;
  };
  const store = await open();
  const raw = new Database(file);
  raw.pragma('busy_timeout = 5000');
  return {
    store,
    clock,
    migrationVersions: sqliteMigrations.map((migration) => migration.version),
    attestationVersion: sqliteMigrations.find((migration) => migration.step === 'attest-intake-content')?.version ?? 0,
    async sql(text, values = []) {
      const statement = raw.prepare(text.replace(/\$\d+/g, '?'));
      if (statement.reader) return statement.all(...values) as Record<string, unknown>[];
      statement.run(...values);
      return [];
    },
    async disableAuditGuard() {
      raw.exec('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;');
    },
    openAnother: (options = {}) => open(options.hooks),
    async close() {
      raw.close();
      await store.close();
    },
  };
});

describe('SQLite store', () => {
  let directory: string;
  beforeEach(() => {
    directory = temporaryDirectory();
  });

  it('is what createStore picks without DATABASE_URL, in DATA_DIR/shishin.db, in WAL mode', async () => {
    const dataDir = path.join(directory, 'nested', 'data');
    const store = await createStore({ databaseUrl: undefined, dataDir }, silentLogger());
    try {
      expect(store.description).toBe(`sqlite:${path.join(dataDir, 'shishin.db')}`);
      await store.createIntake(newIntake());
      const raw = new Database(path.join(dataDir, 'shishin.db'), { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT COUNT(*) AS n FROM intakes').get()).toEqual({ n: 1 });
      raw.close();
    } finally {
      await store.close();
    }
  });

  it('reports a database locked by another process beyond the busy timeout as unavailable', async () => {
    const file = path.join(directory, 'shishin.db');
    const store = new SqliteIntakeStore({ file, logger: silentLogger(), busyTimeoutMs: 50 });
    await store.migrate();
    const locker = new Database(file);
    locker.exec('BEGIN EXCLUSIVE');
    try {
      const error = await store.createIntake(newIntake()).catch((caught: unknown) => caught);
      expect(isShishinError(error, 'unavailable')).toBe(true);
      expect((error as Error).message).toBe('The database is unavailable; please try again shortly.');
      expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    await store.createIntake(newIntake());
    await store.close();
  });

  it('reports a data directory it cannot create as unavailable', async () => {
    const blocker = path.join(directory, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const error = await createStore({ databaseUrl: undefined, dataDir: path.join(blocker, 'data') }, silentLogger()).catch((caught: unknown) => caught);
    expect(isShishinError(error, 'unavailable')).toBe(true);
  });
});
