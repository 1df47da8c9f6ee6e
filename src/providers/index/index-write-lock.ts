// One writer at a time per index folder: an in-process queue plus a lock file (holding the writer's
// pid) across processes. A lock left by a process that no longer runs is taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ShishinError } from '../../errors.js';

const inProcessLocks = new Map<string, Promise<unknown>>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` while holding the write lock of `directory` (created if needed); waits up to 10 minutes for it. */
export async function withIndexWriteLock<T>(directory: string, work: () => Promise<T>): Promise<T> {
  const before = inProcessLocks.get(directory) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(async () => {
    await mkdir(directory, { recursive: true });
    const lockFile = path.join(directory, '.write.lock');
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      try {
        const handle = await open(lockFile, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
        if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder) || holder === process.pid) {
          await rm(lockFile, { force: true });
          continue;
        }
        if (Date.now() > deadline) throw new ShishinError('conflict', `Index ${directory} is locked by process ${holder}`);
        // Polling: a lock file held by another process offers no event to wait on.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lockFile, { force: true });
    }
  });
  inProcessLocks.set(directory, run);
  return run;
}
