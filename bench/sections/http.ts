// HTTP load check: a `shishin serve` child process (extractive answers, SQLite) under autocannon —
// concurrent clients POSTing rotating questions to /api/ask. Reports throughput, latency
// percentiles, errors and the server's resident memory before and after.
// Tune with BENCH_HTTP_SECONDS (default 30) and BENCH_HTTP_CONNECTIONS (default 50).
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startServerProcess } from '../../test/helpers/server-process.js';

const questions = [
  'Which AI practices are prohibited under the EU AI Act?',
  'What does Article 50 require for chatbots and deepfakes?',
  'When do the high-risk obligations of the EU AI Act apply?',
  'What are the four governance concepts in the Japan AI guidelines?',
  'Is CV screening a high-risk use under Annex III?',
  'What fines apply for using a prohibited AI practice?',
  'What must deployers of high-risk AI systems do?',
  'What does ISO/IEC 42001 require from an AI management system?',
  'What is the AI Strategic Headquarters in Japan?',
  'Who counts as an AI business operator?',
];

async function residentMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? Number.NaN : Math.round(Number(match[1]) / 1024);
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

export async function run(): Promise<{ title: string; rows: Array<Record<string, string | number>>; notes?: string[] }> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 30);
  const connections = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 50);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-bench-http-'));
  const server = await startServerProcess({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '1000000' }, { startTimeoutMs: 120_000 });
  try {
    const pid = server.child.pid ?? 0;
    // One warm-up request so lazy initialisation is not counted.
    await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: questions[0] }) });
    const rssBefore = await residentMegabytes(pid);
    const latencies: number[] = [];
    let finish!: (result: autocannon.Result) => void;
    let fail!: (error: Error) => void;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const instance = autocannon(
      {
      url: server.url,
      connections,
      duration: seconds,
      requests: questions.map((question) => ({
        method: 'POST' as const,
        path: '/api/ask',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      })),
      },
      (error, result) => (error === null || error === undefined ? finish(result) : fail(error as Error)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
    const result = await finished;
    const rssAfter = await residentMegabytes(pid);
    latencies.sort((left, right) => left - right);
    return {
      title: `HTTP: POST /api/ask, ${connections} concurrent clients, ${seconds} s (extractive answers)`,
      rows: [
        {
          requests: result.requests.total,
          'req/s': Math.round(result.requests.average * 10) / 10,
          'p50 ms': Math.round(percentile(latencies, 0.5)),
          'p95 ms': Math.round(percentile(latencies, 0.95)),
          'p99 ms': Math.round(percentile(latencies, 0.99)),
          errors: result.errors + result.timeouts,
          'non-2xx': result.non2xx,
          'RSS before MB': rssBefore,
          'RSS after MB': rssAfter,
        },
      ],
      notes: [
        `${questions.length} rotating questions; one server process; rate limit raised for the run.`,
        `Machine: ${os.cpus().length} CPU(s); figures depend on whatever else runs on it.`,
      ],
    };
  } finally {
    await server.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}
