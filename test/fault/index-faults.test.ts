// A corrupt or missing search index: the application rebuilds it and answers exactly as before, or —
// when the documents it was built from are gone too — reports not-ready with a clear reason and
// answers "not covered" instead of anything wrong.
import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShishinError } from '../../src/errors.js';
import { createTestApp, repositoryRoot, type TestApp } from '../helpers/test-app.js';
import { expectValidCitations } from './answer-checks.js';

const questions = [
  'Which AI practices are prohibited under the EU AI Act?',
  'What does Article 50 require for chatbots and deepfakes?',
  'Is CV screening a high-risk use under Annex III?',
];

interface Manifest {
  generation: string;
  artifacts: Record<string, { name: string } | undefined>;
}

let workDir: string;
let corpusDir: string;
let dataDir: string;
let baseline: string[];

async function openApp(environment: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({ DATA_DIR: dataDir, CORPUS_DIR: corpusDir, ...environment });
}

async function answersOf(app: TestApp): Promise<string[]> {
  const answers: string[] = [];
  for (const question of questions) {
    const answer = await app.answers.ask({ question });
    expectValidCitations(answer, app.catalog);
    answers.push(JSON.stringify({ answer: answer.answer, grounded: answer.grounded, citations: answer.citations }));
  }
  return answers;
}

async function manifest(): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dataDir, 'index', 'manifest.json'), 'utf8')) as Manifest;
}

async function artifactFile(kind: string): Promise<string> {
  const name = (await manifest()).artifacts[kind]?.name;
  if (name === undefined) throw new Error(`no ${kind} artifact in the manifest`);
  return path.join(dataDir, 'index', name);
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-index-fault-'));
  corpusDir = path.join(workDir, 'corpus');
  dataDir = path.join(workDir, 'data');
  await cp(path.join(repositoryRoot, 'corpus'), corpusDir, { recursive: true });
  const app = await openApp();
  try {
    baseline = await answersOf(app);
    expect(baseline.every((answer) => (JSON.parse(answer) as { grounded: boolean }).grounded)).toBe(true);
  } finally {
    await app.close();
  }
}, 120_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('index faults', () => {
  const damages: Array<[string, () => Promise<void>]> = [
    ['a passages file with flipped bytes', async () => {
      const file = await artifactFile('passages');
      const bytes = await readFile(file);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      await writeFile(file, bytes);
    }],
    ['a truncated vector index', async () => truncate(await artifactFile('hnsw'), 100)],
    ['a missing lexical index', async () => rm(await artifactFile('lexical'))],
    ['a manifest that is not JSON', async () => writeFile(path.join(dataDir, 'index', 'manifest.json'), '{"generation": "x", ')],
    ['no index folder at all', async () => rm(path.join(dataDir, 'index'), { recursive: true, force: true })],
  ];

  it.each(damages)('rebuilds after %s and answers exactly as before', async (_name, damage) => {
    const before = (await manifest()).generation;
    await damage();
    const app = await openApp();
    try {
      // A new generation was written: the damaged one was not served.
      expect((await manifest()).generation).not.toBe(before);
      expect((await app.ready()).ok).toBe(true);
      expect(await answersOf(app)).toEqual(baseline);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a clear error, never an empty or wrong index, when the index and its documents are both gone', async () => {
    const scratchCorpus = path.join(workDir, 'scratch-corpus');
    await cp(path.join(repositoryRoot, 'corpus'), scratchCorpus, { recursive: true });
    const scratchData = path.join(workDir, 'scratch-data');
    const built = await createTestApp({ DATA_DIR: scratchData, CORPUS_DIR: scratchCorpus });
    await built.close();
    // The documents the index was built from disappear, then the index is damaged.
    await rm(scratchCorpus, { recursive: true, force: true });
    await writeFile(path.join(scratchData, 'index', 'manifest.json'), 'garbage');

    const failure = await createTestApp({ DATA_DIR: scratchData, CORPUS_DIR: scratchCorpus }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ShishinError);
    expect((failure as ShishinError).message).toMatch(/not in the indexed corpus/);
    expect((failure as ShishinError).message.length).toBeLessThan(600);
  });
});
