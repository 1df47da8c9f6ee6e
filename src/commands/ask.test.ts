// `shishin ask` end to end on a temp DATA_DIR with the starter corpus (first run ingests it).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerDetails } from '../core/answer/answer.js';
import { startFakeOpenAIServer } from '../../test/helpers/fake-openai-server.js';
import { publicAnswer, renderAnswer, run } from './ask.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

const citationKeys = ['n', 'title', 'source', 'section', 'quote', 'score'];

function answerWithRelated(fields: Partial<AnswerDetails> = {}): AnswerDetails {
  return {
    answer: 'Deepfakes must be disclosed [1].',
    grounded: true,
    citations: [{ n: 1, title: 'EU AI Act', source: 'eu-ai-act.md', section: 'Article 50', quote: 'Deployers of an AI system that generates deep fakes shall disclose it.', url: 'https://example.org/art-50', score: 0.9 }],
    related: [
      { n: 2, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'Not shown.', url: 'https://example.org/meti', score: 0.7, extra: 'dropped' } as AnswerDetails['related'][number],
      { n: 3, title: 'Internal AI policy', source: 'policy.md', section: 'Internal AI policy', quote: 'Not shown either.', score: 0.6 },
    ],
    mode: 'extractive',
    answerId: 'answer-1',
    timings: { retrievalMs: 1, totalMs: 2 },
    ...fields,
  };
}

describe('ask rendering', () => {
  it('puts related sources after the citations in the JSON, with the citation fields in order', () => {
    const json = JSON.parse(JSON.stringify(publicAnswer(answerWithRelated()))) as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(json)).toEqual(['answer', 'grounded', 'citations', 'related']);
    expect(json['related']).toEqual([
      { n: 2, title: 'AI Guidelines for Business', source: 'meti.md', section: 'Transparency', quote: 'Not shown.', url: 'https://example.org/meti', score: 0.7 },
      { n: 3, title: 'Internal AI policy', source: 'policy.md', section: 'Internal AI policy', quote: 'Not shown either.', score: 0.6 },
    ]);
    expect(Object.keys(json['related']?.[0] ?? {})).toEqual(['n', 'title', 'source', 'section', 'quote', 'url', 'score']);
    expect(publicAnswer(answerWithRelated({ related: [] })).related).toEqual([]);
  });

  it('lists related sources by label and URL after the numbered sources, without quotes', () => {
    const text = renderAnswer(answerWithRelated());
    expect(text).toContain(
      '\nSources:\n[1] EU AI Act — Article 50\n    https://example.org/art-50\n' +
        '    "Deployers of an AI system that generates deep fakes shall disclose it."\n' +
        '\nRelated sources:\n- AI Guidelines for Business — Transparency (https://example.org/meti)\n- Internal AI policy\n',
    );
    expect(text).not.toContain('Not shown');
    expect(renderAnswer(answerWithRelated({ related: [] }))).not.toContain('Related sources');
  });
});

describe('shishin ask', () => {
  let dataDir: string;
  const saved = { DATA_DIR: process.env['DATA_DIR'], OPENAI_API_KEY: process.env['OPENAI_API_KEY'], OPENAI_BASE_URL: process.env['OPENAI_BASE_URL'] };
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-ask-'));
    process.env['DATA_DIR'] = dataDir;
    delete process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_BASE_URL'];
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints usage and exits 2 on bad arguments', async () => {
    const errors = capture();
    expect(await run(['--bogus'], { errors: errors.stream })).toBe(2);
    expect(errors.text()).toContain('Usage: shishin ask');
    expect(await run([], { errors: errors.stream })).toBe(2);
  });

  it('answers one question as JSON with only the public fields', async () => {
    const output = capture();
    const errors = capture();
    const code = await run(['--json', 'What', 'are', 'the', 'fines', 'for', 'prohibited', 'AI', 'practices?'], { output: output.stream, errors: errors.stream });
    expect(code).toBe(0);
    const answer = JSON.parse(output.text()) as Record<string, unknown> & { citations: Array<Record<string, unknown>>; related: Array<Record<string, unknown>> };
    expect(Object.keys(answer)).toEqual(['answer', 'grounded', 'citations', 'related']);
    expect(answer['grounded']).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(Array.isArray(answer.related)).toBe(true);
    for (const citation of [...answer.citations, ...answer.related]) {
      expect(Object.keys(citation).filter((key) => key !== 'url' && key !== 'documentUrl')).toEqual(citationKeys);
    }
    // Related sources are numbered after the citations.
    answer.related.forEach((related, index) => expect(related['n']).toBe(answer.citations.length + index + 1));
  }, 60_000);

  it('reads questions from stdin with --json, one JSON object per line, errors inline', async () => {
    const output = capture();
    const input = Readable.from(['Do deepfakes have to be labelled?\n', '\n', `${'x'.repeat(3000)}\n`, 'What is the cafeteria lunch menu on Friday?\n']);
    const code = await run(['--json'], { input, output: output.stream, errors: capture().stream });
    const lines = output.text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]?.['grounded']).toBe(true);
    expect(lines[1]).toEqual({ error: { code: 'input_invalid', message: expect.stringContaining('too long') } });
    expect(lines[2]).toMatchObject({ grounded: false, citations: [] });
    expect(Array.isArray(lines[2]?.['related'])).toBe(true);
    expect(code).toBe(1);
  }, 60_000);

  it('prints a human answer with a numbered source list', async () => {
    const output = capture();
    expect(await run(['Do deepfakes have to be labelled?'], { output: output.stream, errors: capture().stream })).toBe(0);
    expect(output.text()).toMatch(/\[1\]/u);
    expect(output.text()).toMatch(/\nSources:\n\[1\] .+ — .+\n/u);
  }, 60_000);

  it('uses the configured OpenAI-compatible model and verifies its citations', async () => {
    const fake = await startFakeOpenAIServer();
    fake.setChatHandler({ content: 'Deepfakes must be disclosed as artificially generated [1]. Invented claim [9].' });
    process.env['OPENAI_BASE_URL'] = fake.baseURL;
    try {
      const output = capture();
      expect(await run(['--json', 'Do deepfakes have to be labelled?'], { output: output.stream, errors: capture().stream })).toBe(0);
      const answer = JSON.parse(output.text()) as { answer: string; citations: unknown[] };
      expect(answer.answer).toBe('Deepfakes must be disclosed as artificially generated [1].');
      expect(answer.citations).toHaveLength(1);
      expect(fake.chatRequests()).toHaveLength(1);
    } finally {
      delete process.env['OPENAI_BASE_URL'];
      await fake.close();
    }
  }, 60_000);
});
