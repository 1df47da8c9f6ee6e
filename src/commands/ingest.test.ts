import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from './ingest.js';

const fixtures = path.resolve('test/fixtures/ingest');
let root: string;
const saved = { DATA_DIR: process.env['DATA_DIR'], CORPUS_DIR: process.env['CORPUS_DIR'], EMBEDDINGS: process.env['EMBEDDINGS'] };

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) }), text: () => chunks.join('') };
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'shishin-ingest-command-'));
  mkdirSync(path.join(root, 'corpus'));
  process.env['DATA_DIR'] = path.join(root, 'data');
  process.env['CORPUS_DIR'] = path.join(root, 'corpus');
  delete process.env['EMBEDDINGS'];
});
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('shishin ingest', () => {
  it('indexes CORPUS_DIR, prints each file and exits 0; a second run reports unchanged', async () => {
    copyFileSync(path.join(fixtures, 'guide.md'), path.join(root, 'corpus', 'guide.md'));
    copyFileSync(path.join(fixtures, 'report.pdf'), path.join(root, 'corpus', 'report.pdf'));
    const output = capture();
    expect(await run([], output.stream)).toBe(0);
    expect(output.text()).toMatch(/^added\s+guide\.md$/m);
    expect(output.text()).toMatch(/^added\s+report\.pdf$/m);
    expect(output.text()).toMatch(/2 added, 0 updated, 0 unchanged, 0 removed, 0 failed; 6 passages/);
    const again = capture();
    expect(await run([], again.stream)).toBe(0);
    expect(again.text()).toMatch(/0 added, 0 updated, 2 unchanged/);
  });

  it('exits 1 and names each failed file with its reason, still indexing the good ones', async () => {
    const output = capture();
    const code = await run([path.join(fixtures, 'notes.txt'), path.join(fixtures, 'encrypted.pdf'), path.join(fixtures, 'missing.md')], output.stream);
    expect(code).toBe(1);
    expect(output.text()).toMatch(/^added\s+notes\.txt$/m);
    expect(output.text()).toMatch(/^FAILED\s+encrypted\.pdf\s+— encrypted PDF/m);
    expect(output.text()).toMatch(/FAILED\s+.*missing\.md\s+— not found/);
  });

  it('exits 2 on an unknown option and 0 with --help', async () => {
    const errors = capture();
    expect(await run(['--bogus'], capture().stream, errors.stream)).toBe(2);
    expect(errors.text()).toContain('Usage: shishin ingest');
    const output = capture();
    expect(await run(['--help'], output.stream)).toBe(0);
    expect(output.text()).toContain('--rebuild');
  });
});
