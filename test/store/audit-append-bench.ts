// Micro-bench for audit-chained writes on PostgreSQL (figures printed, nothing asserted): several
// processes share one schema, each runs concurrent submitters for a few seconds, optionally while
// a timer keeps its event loop busy the way answering questions does. Shows how long writers
// queue behind the audit-chain lock.
// Usage: npx tsx test/store/audit-append-bench.ts [--processes 2] [--writers 10] [--seconds 6]
//        [--busy-ms 20] [--every-ms 25] [--store postgres|sqlite]
// Reads TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/logger.js';
import type { IntakeStore } from '../../src/ports/intake-store.js';
import { PostgresIntakeStore } from '../../src/providers/store/postgres-store.js';
import { SqliteIntakeStore } from '../../src/providers/store/sqlite-store.js';
import { alice, newIntake } from './intake-fixtures.js';
import { openPostgresTestDatabase, testDatabaseUrl } from './postgres-test-schema.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const processes = Number(option('processes', '2'));
const writers = Number(option('writers', '10'));
const seconds = Number(option('seconds', '6'));
const busyMs = Number(option('busy-ms', '0'));
const everyMs = Number(option('every-ms', '25'));
const storeKind = option('store', 'postgres');

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? Number.NaN;
}

async function worker(): Promise<void> {
  const store: IntakeStore =
    storeKind === 'postgres'
      ? new PostgresIntakeStore({ connectionString: testDatabaseUrl, schema: process.env.BENCH_SCHEMA ?? '', logger: silentLogger() })
      : new SqliteIntakeStore({ file: process.env.BENCH_SQLITE_FILE ?? '', logger: silentLogger() });
  await store.migrate();
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();
  const prefix = `${process.pid}`;
  let hog: NodeJS.Timeout | undefined;
  if (busyMs > 0) {
    hog = setInterval(() => {
      const until = performance.now() + busyMs;
      while (performance.now() < until) {
        // Keep the event loop busy, like embedding and ranking a question.
      }
    }, everyMs);
  }
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        counter += 1;
        const intake = newIntake({ id: `AI-${prefix}-${counter}`, submittedBy: alice });
        intake.audit = [
          { action: 'intake.submitted', actor: alice, intakeId: intake.record.id, details: { version: 1 } },
          { action: 'intake.classified', actor: { channel: 'system', id: 'classifier' }, intakeId: intake.record.id, details: { tier: 'high', flagged: true } },
        ];
        const started = performance.now();
        await store.createIntake(intake);
        latencies.push(performance.now() - started);
      }
    }),
  );
  if (hog !== undefined) clearInterval(hog);
  process.stdout.write(`${JSON.stringify({ latencies })}\n`);
  await store.close();
}

async function main(): Promise<void> {
  let schema = '';
  let directory = '';
  const database = storeKind === 'postgres' ? await openPostgresTestDatabase() : undefined;
  if (storeKind === 'postgres') {
    if (database === undefined) throw new Error('PostgreSQL is needed for this bench');
    schema = await database.createSchema('bench');
  } else {
    directory = await mkdtemp(path.join(os.tmpdir(), 'shishin-bench-'));
  }
  const script = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2), '--role', 'worker'], {
      env: { ...process.env, BENCH_SCHEMA: schema, BENCH_SQLITE_FILE: path.join(directory, 'bench.db') },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  try {
    // Start one at a time so the migrations do not race the first writes of the measurement.
    const outputs: Array<AsyncIterator<string>> = [];
    for (const child of children) {
      const iterator = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      outputs.push(iterator);
      const first = await iterator.next();
      if (first.value !== 'ready') throw new Error(`worker said ${String(first.value)}`);
    }
    for (const child of children) child.stdin.write('go\n');
    const latencies: number[] = [];
    for (const output of outputs) {
      const line = await output.next();
      latencies.push(...(JSON.parse(String(line.value)) as { latencies: number[] }).latencies);
    }
    latencies.sort((left, right) => left - right);
    let verification = '';
    if (database !== undefined) {
      const store = new PostgresIntakeStore({ connectionString: testDatabaseUrl, schema, logger: silentLogger() });
      const result = await store.verifyAudit();
      verification = result.ok ? `chain intact (${result.entries} entries)` : `CHAIN BROKEN at ${result.firstBrokenSequence}`;
      await store.close();
    }
    process.stdout.write(
      `${storeKind}, ${processes} processes × ${writers} writers, ${seconds} s, event loop busy ${busyMs} ms every ${everyMs} ms: ` +
        `${(latencies.length / seconds).toFixed(1)} intakes/s, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 0.99).toFixed(1)} ms, ${verification}\n`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await database?.dropAll();
    if (directory !== '') await rm(directory, { recursive: true, force: true });
  }
}

if (option('role', 'main') === 'worker') await worker();
else await main();
