// Runs `shishin serve` in a child process on an ephemeral loopback port, for tests and benches that
// need a real separate process (graceful shutdown, several replicas, load).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches (already or later). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Sends the signal (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the service with `environment` layered over a minimal base (PATH, HOME) — the parent's
 * environment is not inherited, so the test decides every setting.
 */
export function spawnServe(environment: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [path.join(repositoryRoot, 'bin', 'shishin.js'), 'serve', '--port', '0'], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      CORPUS_DIR: path.join(repositoryRoot, 'corpus'),
      RULES_FILE: path.join(repositoryRoot, 'rules', 'risk-rules.yaml'),
      PROMPTS_DIR: path.join(repositoryRoot, 'prompts'),
      ...environment,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Spawns `shishin serve` and resolves once it listens, with its URL and output helpers. */
export async function startServerProcess(environment: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const child = spawnServe(environment);
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of [...listeners]) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const listener of [...listeners]) listener();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });

  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match !== null) {
          cleanup();
          resolve(match[1] ?? match[0]);
        } else if (ended) {
          cleanup();
          reject(new Error(`server process ended before printing ${pattern}:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}:\n${output}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  let url: string;
  try {
    url = await waitForOutput(/listening on (http:\/\/[^\s]+)/, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url,
    output: () => output,
    waitForOutput,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}
