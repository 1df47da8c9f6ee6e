// `shishin audit` and `shishin export` against real stores: in-process for SQLite (fast), and
// through the real `shishin` binary for exit codes and PostgreSQL.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runAudit } from '../../src/commands/audit.js';
import { run as runExport } from '../../src/commands/export.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { silentLogger } from '../../src/logger.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { createStore } from '../../src/providers/store/create-store.js';
import { alice, ManualClock, reviewer, sampleClassification, sampleInput } from '../store/intake-fixtures.js';
import { openPostgresTestDatabase } from '../store/postgres-test-schema.js';

const execFileAsync = promisify(execFile);
const binary = path.resolve('bin/shishin.js');
const database = await openPostgresTestDatabase();
afterAll(async () => {
  await database?.dropAll();
});

/** Two intakes: one approved with a formula-like title, one still pending. 5 audit entries. */
async function seed(store: IntakeStore): Promise<string[]> {
  const service = createIntakeService({
    store,
    classifier: { classify: async () => sampleClassification('high') },
    governanceMembers: ['teams:aad-reviewer-1'],
    clock: new ManualClock(),
    logger: silentLogger(),
  });
  const first = await service.submit({ input: sampleInput({ title: '=cmd|calc, "quoted"' }), submittedBy: alice, idempotencyKey: 'seed-1' });
  await service.decide({ intakeId: first.record.id, actor: reviewer, decision: 'approve' });
  const second = await service.submit({ input: sampleInput({ title: 'Chat assistant' }), submittedBy: alice, idempotencyKey: 'seed-2' });
  return [first.record.id, second.record.id];
}

async function shishin(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (env.DATABASE_URL === undefined) delete environment.DATABASE_URL;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [binary, ...args], { env: environment });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('audit and export commands on SQLite', () => {
  let dataDir: string;
  let ids: string[];
  let output: string[];
  let errors: string[];
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-commands-'));
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    const store = await createStore({ databaseUrl: undefined, dataDir }, silentLogger());
    ids = await seed(store);
    await store.close();
    output = [];
    errors = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => output.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => errors.push(String(chunk)) > 0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('audit verify reports an intact trail with exit 0', async () => {
    expect(await runAudit(['verify'])).toBe(0);
    expect(output.join('')).toBe('Audit trail intact: 5 entries verified.\n');
  });

  it('audit verify finds a row edited in the database and exits 1 naming its sequence', async () => {
    const raw = new Database(path.join(dataDir, 'shishin.db'));
    raw.exec('DROP TRIGGER audit_entries_no_update');
    raw.prepare(`UPDATE audit_entries SET details = '{"decision":"reject"}' WHERE sequence = 3`).run();
    raw.close();
    expect(await runAudit(['verify'])).toBe(1);
    expect(output.join('')).toMatch(/^Audit trail BROKEN at sequence 3: hash does not match/);
  });

  it('audit list prints entries, filters by intake, limits to the latest and speaks JSON', async () => {
    expect(await runAudit(['list'])).toBe(0);
    const lines = output.join('').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toContain('intake.decided');
    output.length = 0;
    expect(await runAudit(['list', '--intake', ids[1] as string, '--json'])).toBe(0);
    const entries = output.join('').trim().split('\n').map((line) => JSON.parse(line) as { sequence: number; intakeId: string });
    expect(entries.map((entry) => [entry.sequence, entry.intakeId])).toEqual([
      [4, ids[1]],
      [5, ids[1]],
    ]);
    output.length = 0;
    expect(await runAudit(['list', '--limit', '2', '--json'])).toBe(0);
    expect(output.map((line) => (JSON.parse(line) as { sequence: number }).sequence)).toEqual([4, 5]);
    expect(await runAudit(['list', '--limit', 'zero'])).toBe(2);
    expect(await runAudit(['list', '--bogus'])).toBe(2);
    expect(await runAudit(['frobnicate'])).toBe(2);
  });

  it('export writes the register as CSV and JSON, to stdout or a file', async () => {
    expect(await runExport(['--format', 'csv'])).toBe(0);
    const csv = output.join('');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,title,business_unit,owner,tier,status,decided_by,decided_at,obligations,version,submitted_at');
    expect(lines[1]).toContain(`${ids[0]},"'=cmd|calc, ""quoted""",People & Culture,Alice Tanaka (web:alice),high,approved,Rei Viewer (teams:aad-reviewer-1),`);
    expect(lines[1]).toContain(',"Run a risk management system; Ensure human oversight, with ""stop"" authority",1,');
    expect(lines[2]).toContain(`${ids[1]},Chat assistant,`);
    const file = path.join(dataDir, 'register.json');
    expect(await runExport(['--format', 'json', '--output', file])).toBe(0);
    const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; status: string; version: number }[];
    expect(rows.map((row) => [row.id, row.status, row.version])).toEqual([
      [ids[0], 'approved', 1],
      [ids[1], 'pending_review', 1],
    ]);
    expect(errors.join('')).toContain('Wrote 2 register rows');
    expect(await runExport(['--format', 'xml'])).toBe(2);
    expect(await runExport([])).toBe(2);
  });

  it('runs through the shishin binary with the documented exit codes', async () => {
    const env = { DATA_DIR: dataDir };
    expect(await shishin(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: 'Audit trail intact: 5 entries verified.\n' });
    const raw = new Database(path.join(dataDir, 'shishin.db'));
    raw.exec('DROP TRIGGER audit_entries_no_update');
    raw.prepare(`UPDATE audit_entries SET actor = '{"channel":"web","id":"mallory"}' WHERE sequence = 2`).run();
    raw.close();
    const broken = await shishin(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at sequence 2');
    const exported = await shishin(['export', '--format', 'csv'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\r\n')).toHaveLength(4);
  });
});

if (database === undefined) {
  describe.skip('audit and export commands on PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;
  describe('audit and export commands on PostgreSQL', () => {
    it('verify, detect a tampered row, and export, through DATABASE_URL', async () => {
      const schema = await db.createSchema('commands');
      const store = await createStore({ databaseUrl: db.url, dataDir: '/nonexistent' }, silentLogger(), { schema });
      const ids = await seed(store);
      await store.close();
      const url = new URL(db.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const env = { DATABASE_URL: url.toString(), DATA_DIR: '/nonexistent' };
      expect(await shishin(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: 'Audit trail intact: 5 entries verified.\n' });
      const exported = await shishin(['export', '--format', 'json'], env);
      expect((JSON.parse(exported.stdout) as { id: string }[]).map((row) => row.id)).toEqual(ids);
      await db.execute(`ALTER TABLE "${schema}".audit_entries DISABLE TRIGGER USER`);
      await db.execute(`UPDATE "${schema}".audit_entries SET details = details || '{"tier":"minimal"}' WHERE sequence = 2`);
      const broken = await shishin(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('BROKEN at sequence 2: hash does not match');
    });
  });
}
