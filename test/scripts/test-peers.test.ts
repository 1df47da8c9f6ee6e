// `npm run test:peers` (scripts/test-peers.sh): creates the test database on a server that lacks it,
// says what to do when a peer is missing, and is what .ci/run runs before installing and testing.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithPeer } from '../helpers/peers.js';
import { openPostgresTestDatabase, postgresSkippedReason } from '../store/postgres-test-schema.js';

const run = promisify(execFile);
const script = path.resolve('scripts/test-peers.sh');

function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function peers(environment: Record<string, string>, args: string[] = []): Promise<{ code: number; output: string }> {
  // Chromium is stood in for by any executable answering --version, so the script never installs one here.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEST_CHROMIUM_PATH: process.execPath, ...environment };
  return run('bash', [script, ...args], { env, timeout: 60_000 }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
  );
}

const postgres = await openPostgresTestDatabase();
afterAll(async () => {
  await postgres?.dropAll();
});

describeWithPeer('test:peers on a running PostgreSQL', postgres === undefined ? postgresSkippedReason : hasPsql() ? undefined : 'psql is not installed', () => {
  const database = `shishin_peers_${randomBytes(5).toString('hex')}`;

  afterAll(async () => {
    await postgres?.execute(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('creates the database TEST_DATABASE_URL names when the server does not have it, and leaves it on a second run', async () => {
    const url = new URL(postgres?.url ?? '');
    url.pathname = `/${database}`;
    const first = await peers({ TEST_DATABASE_URL: url.toString() });
    expect(first.output).toContain(`creating the database "${database}"`);
    expect(first.output).toContain('All test peers are ready.');
    expect(first.code).toBe(0);
    const rows = await postgres?.execute('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    expect(rows?.rowCount).toBe(1);
    const second = await peers({ TEST_DATABASE_URL: url.toString() });
    expect(second.code).toBe(0);
    expect(second.output).not.toContain('creating the database');
  });
});

describe('test:peers without its peers', () => {
  it('exits 1 and says, for each missing peer, what to run or set', async () => {
    const { code, output } = await peers({ TEST_DATABASE_URL: 'postgresql://postgres@db.invalid:5432/test', TEST_CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(code).toBe(1);
    expect(output).toContain('MISSING: no Chromium at /nonexistent/chromium.');
    expect(output).toContain('TEST_CHROMIUM_PATH should name a Chromium or Chrome executable');
    expect(output).toContain('MISSING: nothing answers at db.invalid:5432.');
    expect(output).toContain('SHISHIN_SKIP_POSTGRES=1 npm test');
    expect(output).toContain('Peers missing: 2');
  });

  it('rejects an unknown option with exit code 2', async () => {
    const { code } = await peers({}, ['--bogus']);
    expect(code).toBe(2);
  });
});

describe('.ci/run', () => {
  it('gets the peers ready, then runs npm ci, then npm test', () => {
    const steps = readFileSync(path.resolve('.ci/run'), 'utf8')
      .split('\n')
      .filter((line) => /^(bash scripts\/test-peers\.sh|npm ci\b|npm test\b)/u.test(line));
    expect(steps).toEqual(['bash scripts/test-peers.sh', 'npm ci --no-audit --no-fund', 'npm test']);
  });
});
