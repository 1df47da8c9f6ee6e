// A one-off command pays for every module it loads before it answers. `ask` must load only what
// answering needs: not the OpenAI SDK (without a configured model), the chat doors, the HTTP server,
// the databases, or the document loaders that only ingestion uses; `--help` not even the index.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve('bin/shishin.js');
const recorder = path.resolve('test/cli/fixtures/record-modules.mjs');

/** Packages (and source folders) that `ask` has no use for with the default, offline configuration. */
const notForAsk = [
  'node_modules/openai/',
  'node_modules/@slack/',
  'node_modules/botbuilder',
  'node_modules/botframework-',
  'node_modules/express/',
  'node_modules/pg/',
  'node_modules/better-sqlite3/',
  'node_modules/@langchain/community/',
  'node_modules/@langchain/openai/',
  'node_modules/gray-matter/',
  'node_modules/pdf-parse/',
  'node_modules/mammoth/',
  'node_modules/cheerio/',
  'src/channels/',
  'src/core/ingest/ingest-corpus.ts',
];

describe('modules loaded by shishin ask', () => {
  let root: string;
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'shishin-start-up-'));
    environment = { PATH: process.env.PATH ?? '', HOME: root, DATA_DIR: path.join(root, 'data'), LOG_LEVEL: 'warn' };
    // Build the index first: the first `ask` would otherwise ingest, which rightly loads the loaders.
    await run(process.execPath, [cli, 'ingest'], { env: environment });
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function loadedModules(args: string[]): Promise<string[]> {
    const file = path.join(root, `modules-${args.join('-').replace(/\W+/g, '_')}.txt`);
    await run(process.execPath, ['--import', recorder, cli, ...args], { env: { ...environment, RECORD_MODULES_FILE: file } });
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  }

  it('answers a question without the SDKs, servers, databases and loaders it does not use', async () => {
    const modules = await loadedModules(['ask', '--json', 'Which AI practices are prohibited?']);
    expect(modules.some((url) => url.endsWith('/src/core/answer/answer-service.ts'))).toBe(true);
    expect(modules.filter((url) => notForAsk.some((part) => url.includes(part)))).toEqual([]);
  }, 60_000);

  it('prints its help without opening the configuration or the index', async () => {
    const modules = await loadedModules(['ask', '--help']);
    expect(modules.some((url) => url.endsWith('/src/commands/ask.ts'))).toBe(true);
    const heavy = ['/src/config.ts', '/src/providers/', '/src/core/answer/answer-service.ts', 'node_modules/zod/', 'node_modules/pino/'];
    expect(modules.filter((url) => heavy.some((part) => url.includes(part)))).toEqual([]);
  }, 60_000);
});
