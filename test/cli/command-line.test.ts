// Every command answers a bad option the same way: one sentence with balanced double quotes, the
// usage, and exit code 2 — before it opens the configuration, the index or a server.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeCommandLineError, isCommandLineError } from '../../src/commands/command-line.js';

const run = promisify(execFile);
const cli = path.resolve('bin/shishin.js');

function parseError(args: string[], allowPositionals: boolean): string {
  try {
    parseArgs({ args, allowPositionals, strict: true, options: { format: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (error) {
    if (!isCommandLineError(error)) throw error;
    return describeCommandLineError(error, allowPositionals);
  }
  throw new Error('no error');
}

/** Double quotes come in pairs, and no single quote is left over from the runtime's own wording. */
function balanced(message: string): boolean {
  return (message.match(/"/gu)?.length ?? 0) % 2 === 0 && !message.includes("'");
}

describe('command-line errors', () => {
  it('describe each kind of parse error in one sentence with balanced quotes', () => {
    const messages = [
      parseError(['--bogus'], true),
      parseError(['--bogus'], false),
      parseError(['--format'], false),
      parseError(['--json=yes'], false),
      parseError(['extra'], false),
    ];
    expect(messages).toEqual([
      'Unknown option "--bogus". To pass it as an argument instead, put it after "--", as in: -- --bogus',
      'Unknown option "--bogus".',
      'Option "--format" needs a value.',
      'Option "--json" does not take a value.',
      'Unexpected argument "extra": this command takes options only.',
    ]);
    for (const message of messages) expect(balanced(message), message).toBe(true);
  });

  it.each(['ask', 'classify', 'ingest', 'export', 'eval', 'serve', 'audit verify', 'audit head'])(
    'shishin %s rejects an unknown option with exit code 2 and the usage',
    async (command) => {
      const failure = await run(process.execPath, [cli, ...command.split(' '), '--bogus'], { timeout: 20_000 }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failure?.code).toBe(2);
      const [first, ...rest] = (failure?.stderr ?? '').split('\n');
      expect(first).toMatch(/^Unknown option "--bogus"\./u);
      expect(balanced(first ?? ''), first).toBe(true);
      expect(rest.join('\n')).toContain('Usage: shishin');
      expect(failure?.stdout).toBe('');
    },
    30_000,
  );
});
