// The command line in Japanese and English: `classify --lang`, LANG as the fallback, `ask --lang`,
// `export --lang` (same columns, ids and codes; Japanese headers, labels and texts, Tokyo times), and
// usage errors for a language Shishin does not speak. Real processes on temporary data folders.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createClassifier, loadRules } from '../../src/core/intake/classifier.js';
import { createIntakeService } from '../../src/core/review/create-intake-service.js';
import { silentLogger } from '../../src/logger.js';
import { createStore } from '../../src/providers/store/create-store.js';
import { renderAnswer } from '../../src/commands/ask.js';
import { intake, permissiveCatalog } from '../intake/fixtures.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shishin-cli-lang-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function shishin(args: string[], stdin = '', environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/shishin.js', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...environment },
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

const japaneseScript = /[\u3040-\u30ff\u4e00-\u9fff]/u;
const cvScreening = intake({ domains: ['employment'], affectedPersons: ['job_applicants'], personalData: 'personal', decisionImpact: 'significant', regions: ['EU', 'JP'] });

describe('classify --lang', () => {
  it('words summaries and obligations in Japanese with the same ids, tiers and codes', async () => {
    const [english, japanese, fromLang] = await Promise.all([
      shishin(['classify', '--lang', 'en', '-'], JSON.stringify(cvScreening)),
      shishin(['classify', '--lang=ja', '-'], JSON.stringify(cvScreening)),
      shishin(['classify', '-'], JSON.stringify(cvScreening), { LANG: 'ja_JP.UTF-8' }),
    ]);
    for (const run of [english, japanese, fromLang]) expect(run.code, run.stderr).toBe(0);
    const en = JSON.parse(english.stdout);
    const ja = JSON.parse(japanese.stdout);
    expect(JSON.parse(fromLang.stdout)).toEqual(ja);
    expect(Object.keys(ja)).toEqual(Object.keys(en));
    expect(ja.tier).toBe('high');
    expect(ja.reasons.map((reason: { ruleId: string }) => reason.ruleId)).toEqual(en.reasons.map((reason: { ruleId: string }) => reason.ruleId));
    expect(ja.obligations.map((obligation: { id: string }) => obligation.id)).toEqual(en.obligations.map((obligation: { id: string }) => obligation.id));
    for (const reason of ja.reasons) expect(reason.summary).toMatch(japaneseScript);
    for (const obligation of ja.obligations) expect(obligation.text).toMatch(japaneseScript);
    expect(en.reasons[0].summary).not.toMatch(japaneseScript);
  }, 120_000);

  it('gives field errors in Japanese, and refuses a language it does not speak', async () => {
    const invalid = await shishin(['classify', '--lang', 'ja'], JSON.stringify({ ...cvScreening, title: '', regions: [] }));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('ユースケースに不備があります：');
    expect(invalid.stderr).toContain('title: タイトルを入力してください。');
    expect(invalid.stderr).toContain('regions: 利用地域を1つ以上選んでください。');
    const unknown = await shishin(['classify', '--lang', 'fr'], JSON.stringify(cvScreening));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--lang must be one of en, ja');
  }, 60_000);
});

describe('ask --lang', () => {
  it('frames an answer to an English question in Japanese, labels included', async () => {
    const { code, stdout, stderr } = await shishin(['ask', '--lang', 'ja', 'What does the EU AI Act say about deepfakes?']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('出典：');
    expect(stdout).not.toContain('Sources:');
    const unknown = await shishin(['ask', '--lang', 'de', 'x']);
    expect(unknown.code).toBe(2);
  }, 120_000);

  it('renders the labels in the answer’s own language by default', () => {
    const answer = {
      answer: '罰則はありません [1]。',
      grounded: true,
      citations: [{ n: 1, title: 'Japan AI Act', source: 'act.md', section: 'Penalties', quote: 'No penalties.', score: 0.9 }],
      related: [{ n: 2, title: 'AI Guidelines', source: 'g.md', section: 'S', quote: 'q', score: 0.5 }],
      mode: 'extractive' as const,
      note: '出典は英語の文書のため、該当箇所を英語のまま引用しています。',
      answerId: 'a',
      locale: 'ja' as const,
      timings: { retrievalMs: 1, totalMs: 1 },
    };
    const text = renderAnswer(answer);
    expect(text).toContain('（出典は英語の文書のため');
    expect(text).toContain('出典：');
    expect(text).toContain('関連する出典：');
    expect(renderAnswer({ ...answer, locale: 'en' })).toContain('Related sources:');
  });
});

describe('export --lang', () => {
  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const store = await createStore(config, silentLogger());
    const service = createIntakeService({
      store,
      classifier: createClassifier({ rules: loadRules(path.resolve('rules/risk-rules.yaml')), catalog: permissiveCatalog(), logger: silentLogger() }),
      governanceMembers: ['web:rei'],
      clock: { now: () => new Date('2026-12-03T12:15:00.000Z') },
      logger: silentLogger(),
    });
    const { record } = await service.submit({ input: cvScreening, submittedBy: { channel: 'web', id: 'hanako' }, idempotencyKey: 'lang-export-1' });
    await service.decide({ intakeId: record.id, actor: { channel: 'web', id: 'rei' }, decision: 'approve' });
    await store.close();
  });

  it('gives the same columns, ids and codes in both languages; headers, labels and texts in the reader’s', async () => {
    const [english, japanese] = await Promise.all([shishin(['export', '--format', 'csv']), shishin(['export', '--format', 'csv', '--lang', 'ja'])]);
    expect(english.code, english.stderr).toBe(0);
    expect(japanese.code, japanese.stderr).toBe(0);
    const [englishHeader = '', englishRow = ''] = english.stdout.split('\r\n');
    const [japaneseHeader = '', japaneseRow = ''] = japanese.stdout.split('\r\n');
    expect(englishHeader).toBe('id,title,business_unit,owner,tier,status,decided_by,decided_at,decision_comment,obligations,vendor_asks,version,submitted_at,obligations_open,obligations_done,obligations_not_applicable,obligations_overdue,next_review_at,superseded_by,tier_label,status_label');
    expect(japaneseHeader.split(',')).toHaveLength(englishHeader.split(',').length);
    expect(japaneseHeader).toContain('リスク区分コード');
    expect(englishRow).toContain(',high,approved,');
    expect(japaneseRow).toContain(',high,approved,');
    expect(englishRow.split(',')[0]).toBe(japaneseRow.split(',')[0]);
    expect(japaneseRow).toContain('2026-12-03T21:15:00+09:00');
    expect(englishRow).toContain('2026-12-03T12:15:00.000Z');
    expect(japaneseRow).toMatch(/,高リスク,承認$/u);
    expect(japaneseRow).toMatch(japaneseScript);
    const json = await shishin(['export', '--format', 'json', '--lang', 'ja']);
    const rows = JSON.parse(json.stdout) as Array<{ tier: string; tierLabel: string; obligations: string[] }>;
    expect(rows[0]).toMatchObject({ tier: 'high', tierLabel: '高リスク' });
    for (const obligation of rows[0]?.obligations ?? []) expect(obligation).toMatch(japaneseScript);
  }, 60_000);
});
