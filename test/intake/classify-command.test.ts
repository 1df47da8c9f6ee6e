// The `shishin classify` command, run as a real process on a temporary data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intake } from './fixtures.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shishin-classify-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function classify(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/shishin.js', 'classify', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const cvScreening = intake({
  title: 'CV screening',
  description: 'Reads CVs sent to our careers page and sorts them into interview, maybe and reject piles for recruiters.',
  domains: ['employment'],
  affectedPersons: ['job_applicants'],
  personalData: 'personal',
  decisionImpact: 'significant',
  regions: ['EU', 'JP'],
});

describe('shishin classify', () => {
  it('classifies a CV-screening intake as high risk with the Annex III employment rule, its citation and obligations', async () => {
    const { code, stdout, stderr } = await classify(['-'], JSON.stringify(cvScreening, null, 2));
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string);
    expect(result).toMatchObject({ tier: 'high', flagged: true, signals: [] });
    const reason = result.reasons.find((item: { ruleId: string }) => item.ruleId === 'high.annex_iii.employment');
    expect(reason.citations[0]).toMatchObject({
      source: 'eu-ai-act-high-risk-classification.md',
      section: "Annex III area 4 — Employment and workers' management",
      url: 'https://artificialintelligenceact.eu/annex/3/',
    });
    expect(reason.citations[0].quote.length).toBeGreaterThan(40);
    const obligations = result.obligations.map((item: { id: string }) => item.id);
    expect(obligations).toEqual(expect.arrayContaining(['eu.risk_management', 'eu.human_oversight', 'eu.deployer_duties', 'jp.governance_framework', 'policy.governance_review']));
    expect(result.rulesVersion).toMatch(/^[0-9a-f]{12}$/);
  }, 120_000);

  it('rejects an invalid intake with exit code 2 and the field errors on stderr', async () => {
    const { code, stdout, stderr } = await classify([], JSON.stringify({ ...cvScreening, title: '', regions: [] }));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('title: Title is required.');
    expect(stderr).toContain('regions: Choose at least one region.');
  });

  it('reads JSON Lines: one output line per input line, with an error line in place of a bad one', async () => {
    const input = [JSON.stringify(cvScreening), '{not json', JSON.stringify({ ...cvScreening, domains: ['hr'] }), JSON.stringify(intake())].join('\n');
    const { code, stdout, stderr } = await classify(['-'], `${input}\n`);
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0].tier).toBe('high');
    expect(lines[1]).toMatchObject({
      line: 2,
      error: { code: 'input_invalid', message: 'This line is not valid JSON.', fields: [{ field: '_', message: 'Not valid JSON at column 2: expected a property name in double quotes, found "n".' }] },
    });
    expect(lines[2].error.fields).toEqual([{ field: 'domains', message: '"hr" is not a listed domain. Choose domains from the list.' }]);
    expect(lines[3]).toMatchObject({ tier: 'minimal', flagged: false });
    expect(stderr).toContain('Line 3: the intake is invalid:');
    expect(stderr).toContain('Line 2: Not valid JSON at column 2');
  }, 120_000);

  it('reports a syntax error in a pretty-printed intake once, at its line and column', async () => {
    const pretty = JSON.stringify(cvScreening, null, 2).split('\n');
    // A trailing comma after the last property, as a hand edit leaves it.
    pretty[pretty.length - 2] = `${pretty[pretty.length - 2] as string},`;
    const { code, stdout, stderr } = await classify(['-'], `${pretty.join('\n')}\n`);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Not valid JSON at line ${pretty.length}, column 1: a comma before "}" is not allowed in JSON (remove the last comma).\n`);
  });

  it('reads input that is not one object per line as one document, whatever the error', async () => {
    const pretty = JSON.stringify(cvScreening, null, 2).replace('"title": "CV screening"', '"title": "CV screening" "extra"');
    const { code, stderr } = await classify(['-'], pretty);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual(['Not valid JSON at line 2, column 27: expected "," or "}" after a property value, found a string (a comma is missing).']);
  });
});
