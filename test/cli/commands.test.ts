// Every command the `shishin` usage lists has its module, and the eval command reports a bad suite name.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli.js';

const run = promisify(execFile);
const cli = path.resolve('bin/shishin.js');

describe('shishin commands', () => {
  it.each(Object.keys(commands))('%s has a module exporting run()', async (name) => {
    const module = (await import(`../../src/commands/${name}.ts`)) as { run?: unknown };
    expect(typeof module.run).toBe('function');
  });

  it('eval names the known suites when asked for an unknown one, with exit code 2', async () => {
    const failure = await run(process.execPath, [cli, 'eval', 'no-such-suite']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('No suite matched no-such-suite');
    expect(failure?.stderr).toContain('qa.ts');
  }, 30_000);
});
