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

function seedService(store: IntakeStore) {
  return createIntakeService({
    store,
    classifier: { classify: async () => sampleClassification('high') },
    governanceMembers: ['teams:aad-reviewer-1'],
    clock: new ManualClock(),
    logger: silentLogger(),
  });
}

/** Two intakes: one approved with a formula-like title (and its two obligation items), one still pending. 6 audit entries. */
async function seed(store: IntakeStore): Promise<string[]> {
  const service = seedService(store);
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
    const head = (await listLatest()).hash;
    expect(output.join('')).toBe(`Audit trail intact: 6 entries verified.\nIntakes: 2 intakes and 2 obligation items match the audit trail.\nHead: sequence 6, hash ${head}\n`);
  });

  it('audit head prints the latest hash, and verify --expect-head checks it is still in the trail', async () => {
    const latest = await listLatest();
    expect(await runAudit(['head'])).toBe(0);
    expect(output.join('')).toBe(`${latest.hash}\n`);
    output.length = 0;
    expect(await runAudit(['head', '--json'])).toBe(0);
    expect(JSON.parse(output.join(''))).toEqual({ sequence: 6, hash: latest.hash, at: latest.at });
    output.length = 0;
    expect(await runAudit(['verify', '--expect-head', latest.hash])).toBe(0);
    expect(output.join('')).toContain('Expected head found at sequence 6.');
    output.length = 0;
    expect(await runAudit(['verify', '--expect-head', 'f'.repeat(64)])).toBe(1);
    expect(output.join('')).toContain(`Expected head ${'f'.repeat(64)} is NOT in the trail`);
    output.length = 0;
    expect(await runAudit(['verify', '--json'])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ ok: true, entries: 6, intakes: 2, obligationItems: 2, drift: [], head: { sequence: 6, hash: latest.hash } });
    expect(await runAudit(['verify', '--expect-head', 'not-a-hash'])).toBe(2);
    expect(errors.join('')).toContain('--expect-head: must be a 64-character SHA-256 hex hash');
    expect(await runAudit(['verify', 'extra'])).toBe(2);
  });

  it('audit verify finds a row edited in the database and exits 1 naming its sequence', async () => {
    const raw = new Database(path.join(dataDir, 'shishin.db'));
    raw.exec('DROP TRIGGER audit_entries_no_update');
    raw.prepare(`UPDATE audit_entries SET details = '{"decision":"reject"}' WHERE sequence = 3`).run();
    raw.close();
    expect(await runAudit(['verify'])).toBe(1);
    expect(output.join('')).toMatch(/^Audit trail BROKEN at sequence 3: hash does not match/);
  });

  async function listLatest() {
    const store = await createStore({ databaseUrl: undefined, dataDir }, silentLogger());
    try {
      const [latest] = await store.listAudit({ order: 'descending', limit: 1 });
      if (latest === undefined) throw new Error('no audit entries');
      return latest;
    } finally {
      await store.close();
    }
  }

  it('audit list prints entries, filters by intake, limits to the latest and speaks JSON', async () => {
    expect(await runAudit(['list'])).toBe(0);
    const lines = output.join('').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[2]).toContain('intake.decided');
    output.length = 0;
    expect(await runAudit(['list', '--intake', ids[1] as string, '--json'])).toBe(0);
    const entries = output.join('').trim().split('\n').map((line) => JSON.parse(line) as { sequence: number; intakeId: string });
    expect(entries.map((entry) => [entry.sequence, entry.intakeId])).toEqual([
      [5, ids[1]],
      [6, ids[1]],
    ]);
    output.length = 0;
    expect(await runAudit(['list', '--limit', '2', '--json'])).toBe(0);
    expect(output.map((line) => (JSON.parse(line) as { sequence: number }).sequence)).toEqual([5, 6]);
    expect(await runAudit(['list', '--limit', 'zero'])).toBe(2);
    expect(await runAudit(['list', '--bogus'])).toBe(2);
    expect(await runAudit(['frobnicate'])).toBe(2);
  });

  it('export writes the register as CSV and JSON, to stdout or a file', async () => {
    expect(await runExport(['--format', 'csv'])).toBe(0);
    const csv = output.join('');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,title,business_unit,owner,tier,status,decided_by,decided_at,decision_comment,obligations,vendor_asks,version,submitted_at,obligations_open,obligations_done,obligations_not_applicable,obligations_overdue,next_review_at,superseded_by,tier_label,status_label',
    );
    expect(lines[1]).toContain(`${ids[0]},"'=cmd|calc, ""quoted""",People & Culture,Alice Tanaka (web:alice),high,approved,Rei Viewer (teams:aad-reviewer-1),`);
    expect(lines[1]).toContain(',"Run a risk management system; Ensure human oversight, with ""stop"" authority",,1,');
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
    const intact = await shishin(['audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^Audit trail intact: 6 entries verified\.\nIntakes: 2 intakes and 2 obligation items match the audit trail\.\n/);
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

  it('reports a forged approval, a lowered tier and a truncated tail on a copy of a real database', async () => {
    // The real database: the seeded intakes, a refused attempt, and a third intake approved last.
    const store = await createStore({ databaseUrl: undefined, dataDir }, silentLogger());
    const service = seedService(store);
    await service.decide({ intakeId: ids[1] as string, actor: alice, decision: 'approve' }).catch(() => undefined);
    const third = (await service.submit({ input: sampleInput({ title: 'Interview scheduling' }), submittedBy: alice, idempotencyKey: 'seed-3' })).record.id;
    await service.decide({ intakeId: third, actor: reviewer, decision: 'approve' });
    await store.close();
    const env = { DATA_DIR: dataDir };
    const head = await shishin(['audit', 'head'], env);
    expect(head).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[0-9a-f]{64}\n$/) });
    const anchor = head.stdout.trim();

    const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-tampered-'));
    try {
      const original = new Database(path.join(dataDir, 'shishin.db'), { readonly: true });
      await original.backup(path.join(copyDir, 'shishin.db'));
      original.close();
      const copy = new Database(path.join(copyDir, 'shishin.db'));
      const [approved, pending] = ids as [string, string];
      // Someone with write access: approve the pending intake as "mallory", lower the approved one's
      // tier, and drop the audit entries at the end (the third intake's approval and its items) behind the triggers.
      copy
        .prepare(`UPDATE intakes SET status = 'approved', decision = 'approve', decided_by = ?, decided_at = ? WHERE id = ?`)
        .run(JSON.stringify({ channel: 'web', id: 'mallory', displayName: 'Mallory' }), '2026-11-27T09:00:00.000Z', pending);
      copy.prepare(`UPDATE intakes SET tier = 'minimal', classification = json_set(classification, '$.tier', 'minimal') WHERE id = ?`).run(approved);
      copy.exec('DROP TRIGGER audit_entries_no_delete');
      copy.prepare(`DELETE FROM audit_entries WHERE intake_id = ? AND action IN ('intake.decided', 'obligations.created')`).run(third);
      copy.close();

      const tampered = await shishin(['audit', 'verify', '--expect-head', anchor], { DATA_DIR: copyDir });
      expect(tampered.code).toBe(1);
      const lines = tampered.stdout.split('\n');
      expect(lines[0]).toBe('Audit trail intact: 9 entries verified.');
      expect(lines[1]).toBe('Intake state DIFFERS from the audit trail (7 differences in 3 intakes):');
      expect(lines.slice(2, 9)).toEqual([
        `  ${approved}: tier is minimal in the database, but the audit trail says high`,
        `  ${pending}: status is approved in the database, but the audit trail says pending review`,
        `  ${pending}: the database records a decision (approve by Mallory (web:mallory)), but the audit trail has none`,
        `  ${third}: status is approved in the database, but the audit trail says pending review`,
        `  ${third}: the database records a decision (approve by Rei Viewer (teams:aad-reviewer-1)), but the audit trail has none`,
        `  ${third}: obligation item ${third}-1 is in the database but the audit trail never recorded it`,
        `  ${third}: obligation item ${third}-2 is in the database but the audit trail never recorded it`,
      ]);
      expect(lines[9]).toBe(`Expected head ${anchor} is NOT in the trail: entries were removed from its end, or the trail was rewritten.`);
      // The original still verifies against the same anchor.
      const intact = await shishin(['audit', 'verify', '--expect-head', anchor], env);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toContain('Expected head found at sequence 11.');
    } finally {
      fs.rmSync(copyDir, { recursive: true, force: true });
    }
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
      expect(await shishin(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Audit trail intact: 6 entries verified\.\nIntakes: 2 intakes and 2 obligation items match/) });
      const exported = await shishin(['export', '--format', 'json'], env);
      expect((JSON.parse(exported.stdout) as { id: string }[]).map((row) => row.id)).toEqual(ids);
      await db.execute(`ALTER TABLE "${schema}".audit_entries DISABLE TRIGGER USER`);
      await db.execute(`UPDATE "${schema}".audit_entries SET details = details || '{"tier":"minimal"}' WHERE sequence = 2`);
      const broken = await shishin(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('BROKEN at sequence 2: hash does not match');
    });

    it('reports a forged approval, a lowered tier and a truncated tail, through DATABASE_URL', async () => {
      const schema = await db.createSchema('tampered');
      const store = await createStore({ databaseUrl: db.url, dataDir: '/nonexistent' }, silentLogger(), { schema });
      const [approved, pending] = (await seed(store)) as [string, string];
      const service = seedService(store);
      const third = (await service.submit({ input: sampleInput({ title: 'Interview scheduling' }), submittedBy: alice, idempotencyKey: 'seed-3' })).record.id;
      await service.decide({ intakeId: third, actor: reviewer, decision: 'approve' });
      await store.close();
      const url = new URL(db.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const env = { DATABASE_URL: url.toString(), DATA_DIR: '/nonexistent' };
      const anchor = (await shishin(['audit', 'head'], env)).stdout.trim();
      expect(anchor).toMatch(/^[0-9a-f]{64}$/);

      const forged = JSON.stringify({ channel: 'web', id: 'mallory' }).replace(/'/g, "''");
      await db.execute(`UPDATE "${schema}".intakes SET status = 'approved', decision = 'approve', decided_by = '${forged}', decided_at = now() WHERE id = '${pending}'`);
      await db.execute(`UPDATE "${schema}".intakes SET tier = 'minimal', classification = jsonb_set(classification, '{tier}', '"minimal"') WHERE id = '${approved}'`);
      await db.execute(`ALTER TABLE "${schema}".audit_entries DISABLE TRIGGER USER`);
      await db.execute(`DELETE FROM "${schema}".audit_entries WHERE intake_id = '${third}' AND action IN ('intake.decided', 'obligations.created')`);

      const tampered = await shishin(['audit', 'verify', '--expect-head', anchor], env);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain(`  ${approved}: tier is minimal in the database, but the audit trail says high\n`);
      expect(tampered.stdout).toContain(`  ${pending}: status is approved in the database, but the audit trail says pending review\n`);
      expect(tampered.stdout).toContain(`  ${pending}: the database records a decision (approve by web:mallory), but the audit trail has none\n`);
      expect(tampered.stdout).toContain(`  ${third}: status is approved in the database, but the audit trail says pending review\n`);
      expect(tampered.stdout).toContain(`Expected head ${anchor} is NOT in the trail`);
    });
  });
}
