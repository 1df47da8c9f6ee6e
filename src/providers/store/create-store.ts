// Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, otherwise SQLite in
// DATA_DIR/shishin.db. Runs the migrations before handing the store out.
import path from 'node:path';
import type { Config } from '../../config.js';
import { isShishinError, ShishinError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../ports/clock.js';
import type { IntakeStore } from '../../ports/intake-store.js';
import { PostgresIntakeStore } from './postgres-store.js';
import { SqliteIntakeStore } from './sqlite-store.js';
import type { StoreHooks } from './store-hooks.js';

export interface CreateStoreOptions {
  clock?: Clock;
  /** PostgreSQL only: keep the tables in this schema (see PostgresStoreOptions.schema). */
  schema?: string;
  /** Skip `migrate()` (the caller runs it). */
  skipMigrations?: boolean;
  /** Failure injection for crash-safety tests. */
  hooks?: StoreHooks;
}

/** The SQLite file used when DATABASE_URL is unset. */
export function sqliteFile(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'shishin.db');
}

export async function createStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
  options: CreateStoreOptions = {},
): Promise<IntakeStore> {
  const common = {
    logger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
  };
  const store: IntakeStore =
    config.databaseUrl === undefined
      ? new SqliteIntakeStore({ file: sqliteFile(config), ...common })
      : new PostgresIntakeStore({
          connectionString: config.databaseUrl,
          ...(options.schema === undefined ? {} : { schema: options.schema }),
          ...common,
        });
  if (options.skipMigrations !== true) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      // At start-up the operator, not a user, reads this: name the database and the setting to check.
      if (isShishinError(error, 'unavailable')) {
        const reason = error.cause instanceof Error ? error.cause.message : 'no connection';
        throw new ShishinError(
          'unavailable',
          `Cannot reach the database ${store.description} (${reason}); check DATABASE_URL and that the server is running.`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  logger.info({ store: store.description }, 'store ready');
  return store;
}
