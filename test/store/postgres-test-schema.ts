// PostgreSQL for tests: reads TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test),
// probes it once, and hands out uniquely named schemas that are dropped afterwards.
// Unreachable server: with CI set the suite fails; otherwise it fails too unless
// SHISHIN_SKIP_POSTGRES=1 asks, explicitly, to skip it (reported as skipped, never as passed).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Why a PostgreSQL suite was skipped (the summary at the end of the run prints it). */
export const postgresSkippedReason = `SHISHIN_SKIP_POSTGRES=1 and no PostgreSQL at ${testDatabaseUrl}`;

export interface PostgresTestDatabase {
  url: string;
  /** A fresh, empty, uniquely named schema (created now, dropped by `dropAll`). */
  createSchema(label?: string): Promise<string>;
  /** Runs one statement as the test superuser, e.g. to tamper with a row or terminate backends. */
  execute<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  dropAll(): Promise<void>;
}

const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;

/**
 * Returns the test database, or undefined when it is unreachable and skipping was explicitly asked
 * for. Throws (failing the suite) when it is unreachable otherwise.
 */
export async function openPostgresTestDatabase(): Promise<PostgresTestDatabase | undefined> {
  const admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 2, connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    await admin.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI)) {
      throw new Error(`PostgreSQL is required in CI but ${testDatabaseUrl} is unreachable (${reason}). Run \`npm run test:peers\` or set TEST_DATABASE_URL.`);
    }
    if (process.env.SHISHIN_SKIP_POSTGRES === '1') return undefined;
    throw new Error(
      `PostgreSQL at ${testDatabaseUrl} is unreachable (${reason}). Run \`npm run test:peers\` to start it and create the database, point TEST_DATABASE_URL at one, or set SHISHIN_SKIP_POSTGRES=1 to skip the PostgreSQL suites explicitly.`,
    );
  }
  const schemas: string[] = [];
  let counter = 0;
  return {
    url: testDatabaseUrl,
    async createSchema(label = 'store') {
      counter += 1;
      const schema = `shishin_test_${label}_${runId}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      await admin.query(`CREATE SCHEMA "${schema}"`);
      schemas.push(schema);
      return schema;
    },
    execute: (text, values = []) => admin.query(text, values),
    async dropAll() {
      for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
