// `shishin reviews due` and `shishin export --dashboard` against real stores: in-process on SQLite,
// and through the real binary on PostgreSQL (DATABASE_URL). The intakes are approved with a clock in
// the past, so their re-reviews are due now; one is already back in the queue, one is not yet due.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dueReviews, run as runReviews } from '../../src/commands/reviews.js';
import { run as runExport } from '../../src/commands/export.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { createReviewSchedule } from '../../src/core/review/review-schedule.js';
import { createReviewScheduler } from '../../src/core/review/review-scheduler.js';
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

/**
 * Three approved high-risk intakes: the first back in the queue (the scheduler ran), the second past
 * its date with no scheduler run since, the third approved "today" (due in six months).
 */
async function seed(store: IntakeStore): Promise<string[]> {
  const clock = new ManualClock('2024-01-10T09:00:00.000Z');
  const service = createIntakeService({
    store,
    classifier: { classify: async () => sampleClassification('high') },
    governanceMembers: ['teams:aad-reviewer-1'],
    clock,
    logger: silentLogger(),
    reviewSchedule: createReviewSchedule(new Map([['high', { months: 6, itemsDueDays: undefined }]])),
  });
  const approve = async (title: string) => {
    const { record } = await service.submit({ input: sampleInput({ title }), submittedBy: alice, idempotencyKey: title });
    return (await service.decide({ intakeId: record.id, actor: reviewer, decision: 'approve' })).id;
  };
  const first = await approve('Queued re-review');
  clock.advance(200 * 24 * 60 * 60 * 1000);
  await createReviewScheduler({ store, clock, logger: silentLogger(), channels: [] }).runOnce();
  const second = await approve('Overdue re-review');
  const today = new ManualClock(new Date().toISOString());
  const later = createIntakeService({
    store,
    classifier: { classify: async () => sampleClassification('high') },
    governanceMembers: ['teams:aad-reviewer-1'],
    clock: today,
    logger: silentLogger(),
    reviewSchedule: createReviewSchedule(new Map([['high', { months: 6, itemsDueDays: undefined }]])),
  });
  const { record } = await later.submit({ input: sampleInput({ title: 'Fresh approval' }), submittedBy: alice, idempotencyKey: 'fresh' });
  const third = (await later.decide({ intakeId: record.id, actor: reviewer, decision: 'approve' })).id;
  return [first, second, third];
}

describe('reviews due and export --dashboard on SQLite', () => {
  let dataDir: string;
  let ids: string[];
  let output: string[];
  let errors: string[];
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shishin-reviews-'));
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

  it('lists the re-reviews due, soonest first, as lines or JSON', async () => {
    expect(await runReviews(['due'])).toBe(0);
    const lines = output.join('').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${ids[0]}  high +review due +due since 2024-07-10 +2 open items \\(2 overdue\\) +Queued re-review$`));
    expect(lines[1]).toContain(`${ids[1]}  high`);
    expect(lines[1]).toContain('approved');
    expect(lines[1]).toContain('due since 2025-01-28');
    output.length = 0;
    expect(await runReviews(['due', '--json'])).toBe(0);
    const reviews = JSON.parse(output.join('')) as Array<Record<string, unknown>>;
    expect(reviews.map((review) => [review.id, review.status, review.due])).toEqual([
      [ids[0], 'review_due', true],
      [ids[1], 'approved', true],
    ]);
    expect(reviews[0]).toMatchObject({ title: 'Queued re-review', tier: 'high', owner: 'Alice Tanaka (web:alice)', nextReviewAt: expect.stringMatching(/^2024-07-10T09:00:00\.00\dZ$/), obligations: { open: 2, done: 0, notApplicable: 0, overdue: 2 } });
    output.length = 0;
    expect(await runReviews(['due', '--within', '400', '--json'])).toBe(0);
    const ahead = JSON.parse(output.join('')) as Array<{ id: string; due: boolean }>;
    expect(ahead.map((review) => [review.id, review.due])).toEqual([
      [ids[0], true],
      [ids[1], true],
      [ids[2], false],
    ]);
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect(await runReviews(['due', '--within', 'soon'])).toBe(2);
    expect(errors.join('')).toContain('--within must be a number of days');
    expect(await runReviews(['overdue'])).toBe(2);
    expect(await runReviews(['due', '--bogus'])).toBe(2);
    expect(await runReviews([])).toBe(2);
  });

  it('exports the dashboard figures, and the register with the item counts and review dates', async () => {
    expect(await runExport(['--dashboard'])).toBe(0);
    const dashboard = JSON.parse(output.join('')) as { intakes: { count: number }; obligations: { open: number; overdue: number }; reviews: { due: { count: number } } };
    expect(dashboard.intakes.count).toBe(3);
    expect(dashboard.obligations).toMatchObject({ open: 6, overdue: 4 });
    expect(dashboard.reviews.due.count).toBe(1);
    output.length = 0;
    expect(await runExport(['--format', 'json'])).toBe(0);
    const rows = JSON.parse(output.join('')) as Array<{ id: string; obligationsOpen: number; nextReviewAt: string; status: string }>;
    expect(rows.map((row) => [row.id, row.status, row.obligationsOpen, row.nextReviewAt.slice(0, 10)])).toEqual([
      [ids[0], 'review_due', 2, '2024-07-10'],
      [ids[1], 'approved', 2, '2025-01-28'],
      [ids[2], 'approved', 2, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
    ]);
    expect(await runExport(['--dashboard', '--format', 'csv'])).toBe(2);
  });
});

if (database === undefined) {
  describe.skip('reviews due on PostgreSQL (skipped: SHISHIN_SKIP_POSTGRES=1 and no server)', () => {
    it('needs PostgreSQL', () => undefined);
  });
} else {
  const db = database;
  describe('reviews due on PostgreSQL', () => {
    it('lists the due re-reviews through the shishin binary and DATABASE_URL', async () => {
      const schema = await db.createSchema('reviews');
      const store = await createStore({ databaseUrl: db.url, dataDir: '/nonexistent' }, silentLogger(), { schema });
      const ids = await seed(store);
      expect((await dueReviews(store, new Date())).map((review) => review.id)).toEqual(ids.slice(0, 2));
      await store.close();
      const url = new URL(db.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: url.toString(), DATA_DIR: '/nonexistent' };
      const { stdout } = await execFileAsync(process.execPath, [binary, 'reviews', 'due', '--json'], { env: environment });
      expect((JSON.parse(stdout) as Array<{ id: string }>).map((review) => review.id)).toEqual(ids.slice(0, 2));
      const text = await execFileAsync(process.execPath, [binary, 'reviews', 'due'], { env: environment });
      expect(text.stdout.trim().split('\n')).toHaveLength(2);
    });
  });
}
