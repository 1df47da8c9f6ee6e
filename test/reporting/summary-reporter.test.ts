// `npm test` must not look green when a test file could not load: vitest's "Tests" line counts only
// the tests that ran. Runs vitest, with the project's configuration, on fixture files: one throws at
// import, one passes, one holds skipped suites with their reasons.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const vitest = path.resolve('node_modules/vitest/vitest.mjs');

describe('the test summary', () => {
  it('counts a test file that cannot load as a failure, exits non-zero, and says why suites were skipped', async () => {
    const environment = { ...process.env, CI: '', NO_COLOR: '1', FORCE_COLOR: '0' };
    const failure = await run(process.execPath, [vitest, 'run', '--config', 'test/reporting/fixtures/vitest.config.ts'], { env: environment }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = (failure?.stdout ?? '').trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Result: FAILED — 1 failure: 1 test file could not load, 0 tests failed; 1 passed, 2 skipped, in 3 test files.');
    const output = failure?.stdout ?? '';
    expect(output).toContain('Test files that could not load (1):\n  test/reporting/fixtures/cannot-load.fixture.ts: PostgreSQL at postgresql://postgres@127.0.0.1:5432/test is unreachable (fixture)');
    expect(output).toContain('test/reporting/fixtures/skipped.fixture.ts: 1 test skipped — no Chromium at /nonexistent/chromium (fixture)');
    expect(output).toContain('test/reporting/fixtures/skipped.fixture.ts: 1 test skipped — SHISHIN_SKIP_POSTGRES=1 and no server');
  }, 60_000);
});

describe('a missing peer', () => {
  it('fails its suite in CI instead of skipping it', async () => {
    const environment = { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
    const failure = await run(process.execPath, [vitest, 'run', '--config', 'test/reporting/fixtures/vitest.config.ts', 'skipped.fixture'], { env: environment }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const output = failure?.stdout ?? '';
    expect(output).toContain('skipped.fixture.ts: a suite that needs a browser: no Chromium at /nonexistent/chromium (fixture). CI must run this suite.');
    expect(output.trimEnd().split('\n').at(-1)).toBe('Result: FAILED — 1 failure: 1 test file could not load, 0 tests failed; 0 passed, 0 skipped, in 1 test file.');
  }, 60_000);
});
