// Sustained mixed load: 50 concurrent clients asking (POST /api/ask) and 20 concurrent clients
// submitting intakes (POST /api/intakes, each with its own Idempotency-Key), at the same time, for
// 60 s, against (a) one `shishin serve` process on SQLite and (b) two processes sharing one
// PostgreSQL database, clients spread round-robin over both. Reports throughput, latency
// percentiles and errors per request kind, and each server's resident memory sampled every 2 s
// (first, last, max and the least-squares slope after warm-up — a leak shows as a steady climb).
// The single-process ask-only throughput is in the HTTP section; retrieval at scale in Retrieval.
// BENCH_QUICK=1: 10 s per topology. BENCH_LOAD_SECONDS, BENCH_LOAD_ASK_CLIENTS,
// BENCH_LOAD_INTAKE_CLIENTS and BENCH_LOAD_TOPOLOGIES (sqlite,postgres) override; BENCH_DATABASE_URL (else TEST_DATABASE_URL) names PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startServerProcess, type ServerProcess } from '../../test/helpers/server-process.js';
import { cvScreeningIntake, meetingNotesIntake } from '../../test/helpers/intake-examples.js';

type Row = Record<string, string | number>;

const quick = process.env.BENCH_QUICK === '1';
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? (quick ? 10 : 60));
const askClients = Number(process.env.BENCH_LOAD_ASK_CLIENTS ?? 50);
const intakeClients = Number(process.env.BENCH_LOAD_INTAKE_CLIENTS ?? 20);
const topologies = (process.env.BENCH_LOAD_TOPOLOGIES ?? 'sqlite,postgres').split(',').map((name) => name.trim());
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const questions = [
  'Which AI practices are prohibited under the EU AI Act?',
  'What does Article 50 require for chatbots and deepfakes?',
  'When do the high-risk obligations of the EU AI Act apply?',
  'Is CV screening a high-risk use under Annex III?',
  'What fines apply for using a prohibited AI practice?',
  'What must deployers of high-risk AI systems do?',
  'What does ISO/IEC 42001 require from an AI management system?',
  'Who counts as an AI business operator in Japan?',
  'What is the cafeteria menu on Friday?',
  'AI推進法に罰則はありますか？',
];

interface KindStats {
  latencies: number[];
  ok: number;
  errors: number;
  statuses: Map<string, number>;
}

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? Number.NaN;
}

async function residentMegabytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match === null ? Number.NaN : Number(match[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Least-squares slope in MB per minute over (seconds, MB) samples. */
function slopePerMinute(samples: Array<[number, number]>): number {
  if (samples.length < 3) return Number.NaN;
  const n = samples.length;
  const meanX = samples.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = samples.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of samples) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : (numerator / denominator) * 60;
}

interface MemoryReport {
  first: number;
  last: number;
  max: number;
  slope: number;
}

async function runLoad(urls: string[], pids: number[]): Promise<{ ask: KindStats; intake: KindStats; elapsed: number; memory: MemoryReport[] }> {
  const stats = (): KindStats => ({ latencies: [], ok: 0, errors: 0, statuses: new Map() });
  const ask = stats();
  const intake = stats();
  const samples: Array<Array<[number, number]>> = pids.map(() => []);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let turn = 0;
  const nextUrl = () => urls[turn++ % urls.length] as string;
  const runId = randomBytes(3).toString('hex');

  const sampler = setInterval(() => {
    const at = (performance.now() - started) / 1000;
    pids.forEach((pid, index) => void residentMegabytes(pid).then((mb) => samples[index]?.push([at, mb])));
  }, 2000);
  await Promise.all(pids.map(async (pid, index) => samples[index]?.push([0, await residentMegabytes(pid)])));

  const record = (kind: KindStats, status: string, ms: number, ok: boolean) => {
    kind.latencies.push(ms);
    kind.statuses.set(status, (kind.statuses.get(status) ?? 0) + 1);
    if (ok) kind.ok += 1;
    else kind.errors += 1;
  };

  const worker = async (kind: 'ask' | 'intake', id: number) => {
    let sequence = 0;
    while (performance.now() < deadline) {
      sequence += 1;
      const url = nextUrl();
      const begin = performance.now();
      try {
        const response =
          kind === 'ask'
            ? await fetch(`${url}/api/ask`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ question: questions[(id + sequence) % questions.length] }),
              })
            : await fetch(`${url}/api/intakes`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'idempotency-key': `load-${runId}-${id}-${sequence}` },
                body: JSON.stringify({ ...(sequence % 2 === 0 ? cvScreeningIntake : meetingNotesIntake), title: `Load ${id}-${sequence}` }),
              });
        await response.arrayBuffer();
        record(kind === 'ask' ? ask : intake, String(response.status), performance.now() - begin, response.status < 300);
      } catch (error) {
        record(kind === 'ask' ? ask : intake, error instanceof Error ? error.name : 'error', performance.now() - begin, false);
      }
    }
  };
  await Promise.all([
    ...Array.from({ length: askClients }, (_, id) => worker('ask', id)),
    ...Array.from({ length: intakeClients }, (_, id) => worker('intake', id)),
  ]);
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const memory = samples.map((series) => {
    const valid = series.filter(([, mb]) => Number.isFinite(mb)).sort(([left], [right]) => left - right);
    const values = valid.map(([, mb]) => mb);
    const warm = valid.filter(([at]) => at >= Math.min(10, seconds / 5));
    return {
      first: values[0] ?? Number.NaN,
      last: values.at(-1) ?? Number.NaN,
      max: values.length === 0 ? Number.NaN : Math.max(...values),
      slope: slopePerMinute(warm),
    };
  });
  return { ask, intake, elapsed, memory };
}

function rowsFor(topology: string, result: Awaited<ReturnType<typeof runLoad>>): Row[] {
  const memory = (pick: (report: MemoryReport) => number) => result.memory.map((report) => Math.round(pick(report))).join(' / ');
  const slope = result.memory.map((report) => (Number.isFinite(report.slope) ? report.slope.toFixed(1) : '–')).join(' / ');
  return (['ask', 'intake'] as const).map((kind) => {
    const stats = result[kind];
    const sorted = [...stats.latencies].sort((left, right) => left - right);
    const failures = [...stats.statuses].filter(([status]) => !/^2/.test(status)).map(([status, count]) => `${status}×${count}`);
    return {
      topology,
      requests: kind === 'ask' ? `POST /api/ask × ${askClients} clients` : `POST /api/intakes × ${intakeClients} clients`,
      completed: stats.ok + stats.errors,
      'req/s': Math.round(((stats.ok + stats.errors) / result.elapsed) * 10) / 10,
      'p50 ms': Math.round(percentile(sorted, 0.5)),
      'p95 ms': Math.round(percentile(sorted, 0.95)),
      'p99 ms': Math.round(percentile(sorted, 0.99)),
      errors: failures.length === 0 ? 0 : failures.join(', '),
      'RSS first/last/max MB': `${memory((report) => report.first)} → ${memory((report) => report.last)} (max ${memory((report) => report.max)})`,
      'RSS slope MB/min': slope,
    };
  });
}

const baseEnvironment = { NODE_ENV: 'test', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000' };

async function warmUp(urls: string[]): Promise<void> {
  for (const url of urls) {
    await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: questions[0] }) }).then((response) => response.arrayBuffer());
  }
}

async function sqliteTopology(workDir: string): Promise<{ rows: Row[]; indexDir: string }> {
  const dataDir = path.join(workDir, 'sqlite');
  const server = await startServerProcess({ ...baseEnvironment, DATA_DIR: dataDir }, { startTimeoutMs: 120_000 });
  try {
    await warmUp([server.url]);
    const result = await runLoad([server.url], [server.child.pid ?? 0]);
    return { rows: rowsFor('SQLite, 1 process', result), indexDir: path.join(dataDir, 'index') };
  } finally {
    await server.stop('SIGTERM');
  }
}

async function postgresTopology(workDir: string, indexDir: string): Promise<{ rows: Row[]; note: string }> {
  const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { rows: [], note: `PostgreSQL at ${new URL(databaseUrl).host} unreachable (${error instanceof Error ? error.message : String(error)}): two-replica run skipped.` };
  }
  const database = `shishin_bench_${randomBytes(4).toString('hex')}`;
  const replicas: ServerProcess[] = [];
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${database}`;
    for (const name of ['a', 'b'].slice(0, Number(process.env.BENCH_LOAD_REPLICAS ?? 2))) {
      // Both replicas read the index built by the SQLite run, as containers read the one in the image.
      replicas.push(
        await startServerProcess({ ...baseEnvironment, DATA_DIR: path.join(workDir, `replica-${name}`), INDEX_DIR: indexDir, DATABASE_URL: url.toString() }, { startTimeoutMs: 120_000 }),
      );
    }
    const urls = replicas.map((replica) => replica.url);
    await warmUp(urls);
    const result = await runLoad(urls, replicas.map((replica) => replica.child.pid ?? 0));
    const stored = await admin.query<{ n: number }>(`SELECT 1`).then(async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM intakes')).rows[0]?.n ?? 0;
      } finally {
        await client.end();
      }
    });
    return { rows: rowsFor('PostgreSQL, 2 replicas (round-robin)', result), note: `PostgreSQL run stored ${stored} intakes (one per successful submission).` };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

export async function run(): Promise<{ title: string; rows: Row[]; notes?: string[] }> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-bench-load-'));
  try {
    const sqlite = topologies.includes('sqlite') ? await sqliteTopology(workDir) : { rows: [], indexDir: path.join(workDir, 'shared-index', 'index') };
    const postgres = topologies.includes('postgres') ? await postgresTopology(workDir, sqlite.indexDir) : { rows: [], note: 'PostgreSQL run not selected.' };
    return {
      title: `Load: ${askClients} asking + ${intakeClients} submitting clients at once, ${seconds} s per topology (extractive answers)`,
      rows: [...sqlite.rows, ...postgres.rows],
      notes: [
        'Closed-loop clients (each sends its next request when the previous one is answered); every intake has its own Idempotency-Key; rate limit raised for the run.',
        'RSS is sampled every 2 s per server process ("a / b" for the two replicas); the slope is a least-squares fit after the first 10 s.',
        postgres.note,
        `The load generator runs on the same ${os.cpus().length}-CPU machine as the servers and the database, so these are floor figures.`,
      ],
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
