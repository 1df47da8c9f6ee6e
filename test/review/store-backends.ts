// Opens each store implementation on a fresh database for suites that run against both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src/ports/clock.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { silentLogger } from '../../src/logger.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import type { PostgresTestDatabase } from '../store/postgres-test-schema.js';

export interface StoreBackend {
  name: string;
  open(clock: Clock): Promise<{ store: IntakeStore; cleanup(): Promise<void> }>;
}

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  async open(clock) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-review-'));
    const store = new SqliteIntakeStore({ file: path.join(directory, 'shishin.db'), logger: silentLogger(), clock });
    await store.migrate();
    return {
      store,
      async cleanup() {
        await store.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  },
};

export function postgresBackend(database: PostgresTestDatabase): StoreBackend {
  return {
    name: 'PostgreSQL',
    async open(clock) {
      const schema = await database.createSchema('review');
      const store = new PostgresIntakeStore({ connectionString: database.url, schema, logger: silentLogger(), clock });
      await store.migrate();
      return { store, cleanup: () => store.close() };
    },
  };
}
