// The eval runner's Markdown rendering and results files, and the QA scoring helpers.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, markdownTable, mergeResults, resultsMarkdown, type EvalResults } from '../../evals/run.js';
import { factShare, invalidCitationCount, matchesExpected } from '../../evals/suites/qa.js';

describe('markdownTable', () => {
  it('renders the union of columns, right-aligns numbers and escapes pipes', () => {
    const table = markdownTable({ caption: 'Figures', rows: [{ system: 'a|b', score: 0.5 }, { system: 'c', score: 1, note: 'x' }] });
    expect(table).toBe(['**Figures**', '', '| system | score | note |', '| --- | ---: | --- |', '| a\\|b | 0.5 |  |', '| c | 1 | x |', ''].join('\n'));
  });
});

describe('QA scoring', () => {
  it('matches an expected section and the sections under it', () => {
    const expected = { source: 'a.md', section: 'Article 50' };
    expect(matchesExpected({ source: 'a.md', section: 'Article 50' }, expected)).toBe(true);
    expect(matchesExpected({ source: 'a.md', section: 'Article 50 › Deepfakes' }, expected)).toBe(true);
    expect(matchesExpected({ source: 'a.md', section: 'Article 50(1)' }, expected)).toBe(false);
    expect(matchesExpected({ source: 'b.md', section: 'Article 50' }, expected)).toBe(false);
  });

  it('finds facts in the answer or the top three quotes, case-insensitively', () => {
    const citations = [1, 2, 3, 4].map((n) => ({ n, title: 't', source: 's', section: 'x', quote: `quote ${n} fact${n}`, score: 1 }));
    expect(factShare({ answer: 'Fines reach EUR 35 Million [1].', citations }, ['35 million', 'fact3'])).toBe(1);
    expect(factShare({ answer: 'x', citations }, ['fact4'])).toBe(0);
  });

  it('counts markers without a citation and quotes found in no passage', () => {
    const citations = [{ n: 1, title: 't', source: 's', section: 'x', quote: 'Real text', score: 1 }];
    expect(invalidCitationCount({ answer: 'A [1]. B [2].', citations }, ['some real text here'])).toBe(1);
    expect(invalidCitationCount({ answer: 'A [1].', citations }, ['other'])).toBe(1);
  });
});

describe('results files', () => {
  const committed = JSON.parse(readFileSync(path.resolve('evals/results/latest.json'), 'utf8')) as EvalResults;

  it('keep the sections of the suites that were not run, with the time each was run', () => {
    const fresh = { intake: { title: 'Intake classification', tables: [], metrics: { accuracy: 1 }, seconds: 1.2, runAt: '2030-01-01T00:00:00.000Z' } };
    const merged = mergeResults({ runAt: '2029-01-01T00:00:00.000Z', suites: { qa: { title: 'QA', tables: [], metrics: { mrr: 0.7 }, seconds: 8 }, gone: { error: 'x' } } }, fresh, ['intake', 'qa'], '2030-01-01T00:00:05.000Z');
    expect(merged).toEqual({
      runAt: '2030-01-01T00:00:05.000Z',
      suites: { intake: fresh.intake, qa: { title: 'QA', tables: [], metrics: { mrr: 0.7 }, seconds: 8, runAt: '2029-01-01T00:00:00.000Z' } },
    });
    expect(Object.keys(mergeResults(undefined, fresh, ['intake', 'qa'], 'now').suites)).toEqual(['intake']);
    const markdown = resultsMarkdown(merged);
    expect(markdown).toContain('_suite `intake`, 1.2 s, run at 2030-01-01T00:00:00.000Z_');
    expect(markdown).toContain('_suite `qa`, 8.0 s, run at 2029-01-01T00:00:00.000Z_');
  });

  it('shishin eval intake replaces the intake section and keeps the question-answering one', async () => {
    const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'shishin-eval-results-'));
    try {
      await writeFile(path.join(resultsDir, 'latest.json'), JSON.stringify(committed));
      expect(await main(['intake'], { resultsDir })).toBe(0);
      const written = JSON.parse(await readFile(path.join(resultsDir, 'latest.json'), 'utf8')) as EvalResults;
      expect(Object.keys(written.suites).sort()).toEqual(Object.keys(committed.suites).sort());
      expect(written.suites['qa']).toEqual({ ...committed.suites['qa'], runAt: committed.suites['qa']?.runAt ?? committed.runAt });
      expect(written.suites['intake']?.runAt).not.toBe(committed.runAt);
      expect(written.suites['intake']).toHaveProperty('metrics');
      const markdown = await readFile(path.join(resultsDir, 'latest.md'), 'utf8');
      expect(markdown).toContain('## Intake classification');
      expect(markdown).toContain('## Question answering');
    } finally {
      await rm(resultsDir, { recursive: true, force: true });
    }
  }, 120_000);
});
