// The CLI commands and the service read the index from one place: INDEX_DIR when it is set (as in the
// container image, where the index is prebuilt and read-only), else DATA_DIR/index.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve('bin/shishin.js');

describe('index location for the CLI', () => {
  let root: string;
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'shishin-index-location-'));
    const corpus = path.join(root, 'corpus');
    await mkdir(corpus);
    await copyFile(path.resolve('corpus/eu-ai-act-penalties.md'), path.join(corpus, 'eu-ai-act-penalties.md'));
    environment = {
      ...process.env,
      CORPUS_DIR: corpus,
      DATA_DIR: path.join(root, 'data'),
      INDEX_DIR: path.join(root, 'prebuilt', 'index'),
      LOG_LEVEL: 'debug',
    };
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('ingest writes to INDEX_DIR and ask reads it from there without re-indexing', async () => {
    const ingest = await run(process.execPath, [cli, 'ingest'], { env: environment });
    expect(ingest.stdout).toContain('1 added');
    expect((await readdir(path.join(root, 'prebuilt', 'index'))).length).toBeGreaterThan(0);
    expect(existsSync(path.join(root, 'data', 'index'))).toBe(false);

    const ask = await run(process.execPath, [cli, 'ask', '--json', 'What is the highest fine for a prohibited AI practice?'], { env: environment });
    const answer = JSON.parse(ask.stdout) as { grounded: boolean; citations: Array<{ source: string }> };
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]?.source).toBe('eu-ai-act-penalties.md');
    expect(ask.stderr).not.toContain('ingesting');
    expect(existsSync(path.join(root, 'data', 'index'))).toBe(false);
  }, 60_000);
});
