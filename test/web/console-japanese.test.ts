// The web console and the JSON API in Japanese and English, on the real application over real HTTP:
// every console page a Japanese reader opens (asking, the intake form with its errors, the intake
// page with its decision, items and history, my intakes and obligations, the queue, the register,
// the dashboard, the documents, error pages) is free of English UI text and untranslated keys; the
// language follows ?lang=, then the cookie the header's switch sets, then Accept-Language, then
// DEFAULT_LOCALE; API errors, field errors, intake classifications and the register come in the
// request's language with the same ids, codes and columns; the English pages keep their English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/intake/classification.js';
import { registerColumns, registerHeader } from '../../src/core/review/register-format.js';
import { call } from '../api/http-client.js';
import { cvScreeningIntake } from '../helpers/intake-examples.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { shownHtmlStrings, untranslatedHtml, untranslatedStrings } from '../helpers/untranslated-text.js';

let server: TestServer;
const tokens = { alice: 'alice-token', reviewer: 'reviewer-token' } as const;
type Who = keyof typeof tokens;
const ja = { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' };
const en = { 'accept-language': 'en-GB,en;q=0.9' };

const japaneseIntake = {
  ...cvScreeningIntake,
  title: '書類選考アシスタント',
  description: '応募者の履歴書を採点して順位付けし、採用担当者が候補者を絞り込めるようにします。',
  businessUnit: '人事部',
};
const conditions = '採用担当者がすべての候補者リストを確認する';
const question = 'EU AI法で禁止されているAIの利用は何ですか？';
let intakeId = '';
let pendingId = '';
/** What is content rather than UI on the pages: what people typed, corpus titles, sections, ids. */
const content: string[] = [japaneseIntake.title, japaneseIntake.description, japaneseIntake.businessUnit, conditions, question];

const japaneseScript = /[\u3040-\u30ff\u3400-\u9fff]/u;

function citationsOf(classification: Classification): string[] {
  const citations = [
    ...classification.reasons.flatMap((reason) => reason.citations),
    ...classification.obligations.flatMap((obligation) => obligation.citations),
    ...(classification.vendorDuties ?? []).flatMap((duty) => duty.citations),
    ...classification.signals.flatMap((signal) => signal.citations),
  ];
  return [...citations.flatMap((citation) => [citation.title ?? citation.source, citation.section]), ...classification.signals.map((signal) => signal.evidence)];
}

async function page(path: string, who: Who, headers: Record<string, string> = {}): Promise<{ status: number; html: string; cookie: string; csrf: string; setCookie: string }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
  const html = await response.text();
  const setCookie = response.headers.getSetCookie().join('\n');
  return {
    status: response.status,
    html,
    setCookie,
    cookie: response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; '),
    csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
  };
}

async function post(path: string, who: Who, fields: Record<string, string | string[]>, from: { cookie: string; csrf: string }, headers: Record<string, string> = ja) {
  const body = new URLSearchParams({ _csrf: from.csrf });
  for (const [name, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { authorization: `Bearer ${tokens[who]}`, cookie: from.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

/** A Japanese page: lang="ja", nothing English, no catalogue key. */
function expectJapanese(html: string, where: string) {
  expect(html, where).toMatch(/<html lang="ja">/);
  expect(untranslatedHtml(html, { locale: 'ja', content }), where).toEqual([]);
}

/** An English page: lang="en", no catalogue key and no Japanese outside what people typed and what is marked as Japanese. */
function expectEnglish(html: string, where: string) {
  expect(html, where).toMatch(/<html lang="en">/);
  expect(untranslatedHtml(html, { locale: 'en', content }), where).toEqual([]);
  const japaneseUi = shownHtmlStrings(html, 'en')
    .map((text) => content.reduce((rest, piece) => rest.split(piece).join(' '), text))
    .filter((text) => japaneseScript.test(text));
  expect(japaneseUi, where).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer({ API_TOKENS: `${tokens.alice}=web:alice,${tokens.reviewer}=web:reviewer`, GOVERNANCE_MEMBERS: 'web:reviewer' });
  const created = await call<{ id: string; classification: Classification }>(`${server.url}/api/intakes`, { token: tokens.alice, body: japaneseIntake, headers: ja });
  intakeId = created.body.id;
  content.push(...citationsOf(created.body.classification));
  const pending = await call<{ id: string }>(`${server.url}/api/intakes`, { token: tokens.alice, body: { ...japaneseIntake, title: '面接評価の補助' }, headers: ja });
  pendingId = pending.body.id;
  content.push('面接評価の補助');
  for (const document of server.app.documents.list()) content.push(document.title);
  const asked = await call<{ citations: Array<{ title: string; section: string }>; related: Array<{ title: string; section: string }> }>(`${server.url}/api/ask`, {
    token: tokens.alice,
    body: { question },
  });
  for (const citation of [...asked.body.citations, ...asked.body.related]) content.push(citation.title, citation.section);
}, 60_000);
afterAll(async () => server?.close());

describe('the JSON API in the request’s language', () => {
  it('gives classification texts in Japanese with the same ids and codes as in English', async () => {
    const inJapanese = await call<{ id: string; classification: Classification; status: string }>(`${server.url}/api/intakes/${intakeId}?lang=ja`, { token: tokens.alice });
    const inEnglish = await call<{ id: string; classification: Classification; status: string }>(`${server.url}/api/intakes/${intakeId}`, { token: tokens.alice, headers: en });
    expect(inJapanese.status).toBe(200);
    expect(inJapanese.body.classification.tier).toBe('high');
    expect(inJapanese.body.classification.tier).toBe(inEnglish.body.classification.tier);
    expect(inJapanese.body.status).toBe(inEnglish.body.status);
    expect(inJapanese.body.classification.reasons.map((reason) => reason.ruleId)).toEqual(inEnglish.body.classification.reasons.map((reason) => reason.ruleId));
    expect(inJapanese.body.classification.obligations.map((obligation) => obligation.id)).toEqual(inEnglish.body.classification.obligations.map((obligation) => obligation.id));
    expect(inJapanese.body.classification.flagReasons[0]).toMatch(japaneseScript);
    expect(inEnglish.body.classification.flagReasons[0]).not.toMatch(japaneseScript);
    const texts = [
      ...inJapanese.body.classification.flagReasons,
      ...inJapanese.body.classification.reasons.map((reason) => reason.summary),
      ...inJapanese.body.classification.obligations.map((obligation) => obligation.text),
    ];
    expect(untranslatedStrings(texts, { locale: 'ja' })).toEqual([]);
    // Accept-Language alone is enough.
    const byHeader = await call<{ classification: Classification }>(`${server.url}/api/intakes/${intakeId}`, { token: tokens.alice, headers: ja });
    expect(byHeader.body.classification.flagReasons).toEqual(inJapanese.body.classification.flagReasons);
  });

  it('words errors and field errors in Japanese (?lang= or Accept-Language) and keeps the English wording otherwise', async () => {
    const invalid = await call<{ error: { code: string; message: string; fields: Array<{ field: string; message: string }> } }>(`${server.url}/api/intakes?lang=ja`, {
      token: tokens.alice,
      body: { title: 'x' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('input_invalid');
    expect(invalid.body.error.message).toMatch(/^ユースケースに不備のある項目が \d+ 件あります。$/);
    expect(invalid.body.error.fields.find((field) => field.field === 'title')?.message).toBe('タイトルは3文字以上で入力してください。');
    expect(untranslatedStrings([invalid.body.error.message, ...invalid.body.error.fields.map((field) => field.message)], { locale: 'ja' })).toEqual([]);
    const english = await call<{ error: { message: string; fields: Array<{ field: string; message: string }> } }>(`${server.url}/api/intakes`, { token: tokens.alice, body: { title: 'x' } });
    expect(english.body.error.fields.find((field) => field.field === 'title')?.message).toBe('Title must be at least 3 characters.');

    const problems: string[] = [];
    const expectJapaneseError = async (label: string, reply: Promise<{ status: number; body: unknown }>, status: number) => {
      const { status: actual, body } = await reply;
      expect(actual, label).toBe(status);
      const error = (body as { error: { message: string; fields?: Array<{ message: string }> } }).error;
      expect(error.message, label).toMatch(japaneseScript);
      problems.push(...untranslatedStrings([error.message, ...(error.fields ?? []).map((field) => field.message)], { locale: 'ja' }));
    };
    await expectJapaneseError('malformed JSON', call(`${server.url}/api/intakes`, { token: tokens.alice, rawBody: '{"title":', headers: ja }), 400);
    await expectJapaneseError('unknown route', call(`${server.url}/api/nothing-here`, { token: tokens.alice, headers: ja }), 404);
    await expectJapaneseError('bad register format', call(`${server.url}/api/register?format=xml&lang=ja`, { token: tokens.reviewer }), 400);
    await expectJapaneseError('bad register filter', call(`${server.url}/api/register?tier=extreme`, { token: tokens.reviewer, headers: ja }), 400);
    await expectJapaneseError('bad token', call(`${server.url}/api/intakes`, { token: 'wrong', headers: ja }), 401);
    await expectJapaneseError('question missing', call(`${server.url}/api/ask`, { token: tokens.alice, body: {}, headers: ja }), 400);
    await expectJapaneseError('not a member', call(`${server.url}/api/queue`, { token: tokens.alice, headers: ja }), 403);
    await expectJapaneseError('wrong method', call(`${server.url}/api/register`, { method: 'PUT', body: {}, token: tokens.reviewer, headers: ja }), 405);
    await expectJapaneseError('not JSON', call(`${server.url}/api/intakes`, { token: tokens.alice, rawBody: 'title=x', headers: { ...ja, 'content-type': 'text/plain' } }), 415);
    await expectJapaneseError('no comment', call(`${server.url}/api/intakes/${pendingId}/decision`, { token: tokens.reviewer, body: { decision: 'reject' }, headers: ja }), 400);
    await expectJapaneseError('unknown intake', call(`${server.url}/api/intakes/AI-ZZZZZZ`, { token: tokens.alice, headers: ja }), 404);
    expect(problems).toEqual([]);
    // English stays as it was.
    const wrongMethod = await call<{ error: { message: string } }>(`${server.url}/api/register`, { method: 'DELETE', body: {}, token: tokens.reviewer, headers: en });
    expect(wrongMethod.body.error.message).toBe('DELETE is not supported on /api/register; use GET.');
    const noRoute = await call<{ error: { message: string } }>(`${server.url}/api/nothing-here`, { token: tokens.alice });
    expect(noRoute.body.error.message).toBe('No such route.');
  });

  it('gives the register in Japanese (headers, labels, texts) with the same columns, ids and codes', async () => {
    const decided = await call(`${server.url}/api/intakes/${intakeId}/decision`, {
      token: tokens.reviewer,
      body: { decision: 'approve_with_conditions', comment: conditions },
      headers: ja,
    });
    expect(decided.status).toBe(200);
    const csvJa = await call(`${server.url}/api/register?format=csv&lang=ja`, { token: tokens.reviewer });
    const csvEn = await call(`${server.url}/api/register?format=csv`, { token: tokens.reviewer, headers: en });
    const [headerJa = '', ...rowsJa] = csvJa.text.trim().split('\r\n');
    const [headerEn = '', ...rowsEn] = csvEn.text.trim().split('\r\n');
    expect(headerJa).toBe(registerColumns.map((column) => registerHeader('ja', column.key)).join(','));
    expect(headerEn).toBe(registerColumns.map((column) => column.header).join(','));
    expect(headerJa.split(',')).toHaveLength(headerEn.split(',').length);
    expect(rowsJa).toHaveLength(rowsEn.length);
    // Accept-Language gives the same Japanese register.
    expect((await call(`${server.url}/api/register?format=csv`, { token: tokens.reviewer, headers: ja })).text).toBe(csvJa.text);

    const jsonJa = await call<Array<Record<string, unknown>>>(`${server.url}/api/register?format=json&lang=ja`, { token: tokens.reviewer });
    const jsonEn = await call<Array<Record<string, unknown>>>(`${server.url}/api/register?format=json`, { token: tokens.reviewer, headers: en });
    expect(jsonJa.body.map((row) => Object.keys(row))).toEqual(jsonEn.body.map((row) => Object.keys(row)));
    for (const key of ['id', 'tier', 'status', 'version', 'supersededBy', 'obligationsOpen']) {
      expect(jsonJa.body.map((row) => row[key]), key).toEqual(jsonEn.body.map((row) => row[key]));
    }
    const row = jsonJa.body.find((entry) => entry.id === intakeId);
    expect(row?.tierLabel).toBe('高リスク');
    expect(row?.statusLabel).toBe('条件付き承認');
    expect(String((row?.obligations as string[])[0])).toMatch(japaneseScript);
    // The same instant (to the second), shown in the Japanese reader's zone.
    const english = jsonEn.body.find((entry) => entry.id === intakeId);
    expect(Math.floor(Date.parse(String(row?.decidedAt)) / 1000)).toBe(Math.floor(Date.parse(String(english?.decidedAt)) / 1000));
    expect(String(row?.decidedAt)).toMatch(/\+09:00$/);
  });
});

describe('the console in Japanese', () => {
  it('renders every page without English UI text or untranslated keys', async () => {
    const pages: Array<[string, Who]> = [
      ['/console/ask', 'alice'],
      [`/console/ask?q=${encodeURIComponent(question)}`, 'alice'],
      ['/console/ask?q=%E5%A4%A7%E9%98%AA%E3%82%AA%E3%83%95%E3%82%A3%E3%82%B9%E3%81%AE%E4%BC%9A%E8%AD%B0%E5%AE%A4%E3%81%AE%E4%BA%88%E7%B4%84%E6%96%B9%E6%B3%95%E3%81%AF%EF%BC%9F', 'alice'],
      ['/console/ask?escalated=queued', 'alice'],
      ['/console/ask?feedback=thanks', 'alice'],
      ['/console/intakes/new', 'alice'],
      [`/console/intakes/new?from=${intakeId}`, 'alice'],
      ['/console/intakes', 'alice'],
      [`/console/intakes/${intakeId}`, 'alice'],
      [`/console/intakes/${intakeId}?submitted=1`, 'alice'],
      [`/console/intakes/${intakeId}`, 'reviewer'],
      [`/console/intakes/${pendingId}?decided=${pendingId}`, 'reviewer'],
      ['/console/obligations', 'alice'],
      ['/console/queue', 'reviewer'],
      ['/console/register', 'reviewer'],
      ['/console/register?tier=high&latest=1', 'reviewer'],
      ['/console/register', 'alice'],
      ['/console/dashboard', 'reviewer'],
      ['/console/documents', 'alice'],
      ['/console/documents/internal-ai-policy-sample.md', 'alice'],
      ['/console/documents/japan-ai-guidelines-2025-summary-ja.md', 'alice'],
      ['/console/nothing-here', 'alice'],
      ['/console/dashboard', 'alice'],
    ];
    for (const [path, who] of pages) {
      const shown = await page(path, who, ja);
      expectJapanese(shown.html, `${path} as ${who}`);
    }
    const detail = (await page(`/console/intakes/${intakeId}`, 'alice', ja)).html;
    // A decision as its outcome, who and when (in Japan's time zone); items and history in Japanese.
    expect(detail).toMatch(/承認（条件付き）：<time datetime="[^"]+">\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \(JST\)<\/time>、web:reviewerが判断/);
    expect(detail).toContain('<span class="tier tier-high" data-tier="high">高リスク</span>');
    expect(detail).toContain(`${intakeId}-1`);
    expect(detail).toContain('対応事項を作成');
    expect((await page('/console/dashboard', 'reviewer', ja)).html).toMatch(/<desc id="chart-tier-desc">禁止：0、高リスク：\d+、/);
    expect((await page('/console/nothing-here', 'alice', ja)).status).toBe(404);
  });

  it('words a refused intake form, a refused decision and a refused item update in Japanese', async () => {
    const form = await page('/console/intakes/new', 'alice', ja);
    const refused = await post('/console/intakes', 'alice', { idempotencyKey: 'key-ja-form-1', title: '補助', description: '短い' }, form);
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expectJapanese(refusedHtml, 'refused intake form');
    expect(refusedHtml).toContain('強調表示された項目を修正してください。');
    expect(refusedHtml).toContain('タイトルは3文字以上で入力してください。');
    expect(refusedHtml).toMatch(/<a href="\/console\/intakes\/new" aria-current="page">新規申請<\/a>/);

    const queue = await page('/console/queue', 'reviewer', ja);
    const decision = await post(`/console/intakes/${pendingId}/decision`, 'reviewer', { decision: 'reject', comment: '', returnTo: '/console/queue' }, queue);
    expect(decision.status).toBe(400);
    const decisionHtml = await decision.text();
    expectJapanese(decisionHtml, 'refused decision');
    expect(decisionHtml).toContain(`${pendingId} の判断は記録されませんでした`);
    expect(decisionHtml).toContain('コメントは必須です。理由を記入してください。');

    const detail = await page(`/console/intakes/${intakeId}`, 'alice', ja);
    const item = await post(`/console/intakes/${intakeId}/obligations/${intakeId}-1`, 'alice', { status: 'done', note: '', link: '', revision: '1' }, detail);
    expect(item.status).toBe(400);
    const itemHtml = await item.text();
    expectJapanese(itemHtml, 'refused item update');
    expect(itemHtml).toContain('完了にするには証跡（メモ、リンク、またはその両方）を追加してください。');
  });
});

describe('choosing the console’s language', () => {
  it('follows Accept-Language, then sticks to the header switch’s choice (cookie) over it', async () => {
    expect((await page('/console/ask', 'alice', ja)).html).toMatch(/<html lang="ja">/);
    expect((await page('/console/ask', 'alice', { 'accept-language': 'fr-FR, en;q=0.5' })).html).toMatch(/<html lang="en">/);
    expect((await page('/console/ask', 'alice', { 'accept-language': 'fr-FR' })).html).toMatch(/<html lang="en">/);

    const english = await page('/console/register?tier=high&latest=1', 'reviewer', en);
    // The switch: both languages named in themselves, the current one marked, the page's query kept.
    expect(english.html).toContain('<a href="/console/register?tier=high&amp;latest=1&amp;lang=ja" lang="ja" hreflang="ja" data-locale="ja">日本語</a>');
    expect(english.html).toContain('<a href="/console/register?tier=high&amp;latest=1&amp;lang=en" lang="en" hreflang="en" data-locale="en" aria-current="true">English</a>');

    const switched = await page('/console/register?tier=high&latest=1&lang=ja', 'reviewer', en);
    expect(switched.html).toMatch(/<html lang="ja">/);
    expect(switched.setCookie).toMatch(/^shishin_lang=ja; Path=\/; SameSite=Strict; Max-Age=\d+; HttpOnly/m);
    // Later pages keep Japanese although the browser asks for English.
    const later = await page('/console/intakes', 'reviewer', { ...en, cookie: switched.cookie });
    expect(later.html).toMatch(/<html lang="ja">/);
    expect(later.setCookie).not.toContain('shishin_lang');
    // The API reads the same cookie: the register download in the page's language.
    const download = await call(`${server.url}/api/register?format=csv`, { token: tokens.reviewer, headers: { ...en, cookie: switched.cookie } });
    expect(download.text.split('\r\n')[0]).toBe(registerColumns.map((column) => registerHeader('ja', column.key)).join(','));
    // And back.
    const back = await page('/console/intakes?lang=en', 'reviewer', { ...ja, cookie: switched.cookie });
    expect(back.html).toMatch(/<html lang="en">/);
    expect(back.setCookie).toMatch(/^shishin_lang=en;/m);
    expect((await page('/console/ask', 'reviewer', { ...ja, cookie: back.cookie })).html).toMatch(/<html lang="en">/);
    // An unknown ?lang= changes nothing and sets no cookie.
    const unknown = await page('/console/ask?lang=fr', 'alice', ja);
    expect(unknown.html).toMatch(/<html lang="ja">/);
    expect(unknown.setCookie).not.toContain('shishin_lang');
  });

  it('keeps the English pages in English', async () => {
    const paths: Array<[string, Who]> = [
      ['/console/ask', 'alice'],
      [`/console/ask?q=${encodeURIComponent('Which AI practices are prohibited under the EU AI Act?')}`, 'alice'],
      ['/console/intakes/new', 'alice'],
      [`/console/intakes/${intakeId}`, 'reviewer'],
      ['/console/obligations', 'alice'],
      ['/console/queue', 'reviewer'],
      ['/console/register', 'reviewer'],
      ['/console/dashboard', 'reviewer'],
      ['/console/documents', 'alice'],
      ['/console/documents/japan-ai-guidelines-2025-summary-ja.md', 'alice'],
    ];
    for (const [path, who] of paths) expectEnglish((await page(path, who, en)).html, `${path} as ${who}`);
    // The scan bites: the English intake page, read as if it were Japanese, is full of English.
    const asIfJapanese = (await page(`/console/intakes/${intakeId}`, 'reviewer', en)).html.replace('<html lang="en">', '<html lang="ja">');
    expect(untranslatedHtml(asIfJapanese, { locale: 'ja', content }).length).toBeGreaterThan(40);
    const detail = (await page(`/console/intakes/${intakeId}`, 'reviewer', en)).html;
    expect(detail).toMatch(/Approved with conditions by web:reviewer on <time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/time>/);
    expect(detail).toContain('<span class="tier tier-high" data-tier="high">high</span>');
  });
});

describe('DEFAULT_LOCALE', () => {
  it('is the console’s language when the request names none', async () => {
    const japaneseByDefault = await startTestServer({ DEFAULT_LOCALE: 'ja' });
    try {
      const response = await fetch(`${japaneseByDefault.url}/console/ask`);
      expect(await response.text()).toMatch(/<html lang="ja">/);
      const english = await fetch(`${japaneseByDefault.url}/console/ask`, { headers: en });
      expect(await english.text()).toMatch(/<html lang="en">/);
      const apiError = await call<{ error: { message: string } }>(`${japaneseByDefault.url}/api/intakes`, { body: {} });
      expect(apiError.body.error.message).toMatch(japaneseScript);
    } finally {
      await japaneseByDefault.close();
    }
  });
});
