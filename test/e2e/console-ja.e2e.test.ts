// The web console in Japanese in a real browser (Chromium driven by playwright-core) against the real
// application: an English browser picks 日本語 in the header and the choice sticks; a question asked
// in Japanese with its sources; "not covered" sent to the governance team; an intake refused with
// field errors, then classified high risk; a reviewer's refused decision at the form, then an
// approval with conditions; the register exported as CSV with Japanese headers. Every page is checked
// for English UI text and untranslated keys. Screenshots go to test-artifacts/e2e-ja
// (TEST_ARTIFACTS_DIR); without a CJK font (fonts-noto-cjk) they show boxes, the checks do not care.
// The browser is TEST_CHROMIUM_PATH, else Debian's /usr/bin/chromium. Without it the suite fails
// under CI and is skipped elsewhere, with the reason in the summary at the end of the run.
import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerColumns, registerHeader } from '../../src/core/review/register-format.js';
import { chromiumMissing, launchChromium, saveScreenshot } from '../helpers/browser.js';
import { describeWithPeer } from '../helpers/peers.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { untranslatedHtml } from '../helpers/untranslated-text.js';


const screenshot = (page: Page, name: string) => saveScreenshot(page, 'e2e-ja', name);

const title = '書類選考アシスタント';
const description = '応募者の履歴書を採点して順位付けし、採用担当者が候補者を絞り込めるようにします。';
const businessUnit = '人事部';
const conditions = '採用担当者がすべての候補者リストを確認する';
const question = 'EU AI法で禁止されているAIの利用は何ですか？';
const uncovered = '大阪オフィスの会議室はどうやって予約しますか？';

describeWithPeer('web console in Japanese in a browser', chromiumMissing, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Content, not UI: what people typed, corpus titles and sections. */
  const content = [title, description, businessUnit, conditions, question, uncovered];

  /** The page as the reader sees it now: Japanese, with no English UI text and no catalogue key. */
  async function expectJapanese(where: string) {
    // Citation titles and sections are the corpus's own words (quotes are left out by the scan).
    const cited = (await page.evaluate(
      "[...document.querySelectorAll('.citation-title, .citation-title strong, .related-sources a')].flatMap((node) => [node.textContent ?? '', ...(node.textContent ?? '').split(' — ')])",
    )) as string[];
    const html = await page.content();
    expect(html, where).toMatch(/<html lang="ja">/);
    expect(untranslatedHtml(html, { locale: 'ja', content: [...content, ...cited.map((text) => text.trim())] }), where).toEqual([]);
  }

  beforeAll(async () => {
    server = await startTestServer({ GOVERNANCE_MEMBERS: 'web:reviewer' });
    for (const document of server.app.documents.list()) content.push(document.title);
    browser = await launchChromium();
    // An English browser: the Japanese comes from the header's switch, not from Accept-Language.
    context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    // A step that cannot happen fails with its locator well inside the test's own time limit.
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('switches to Japanese from the header, and the choice sticks', async () => {
    await page.goto(`${server.url}/console`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '日本語' }).click();
    await page.waitForSelector('html[lang="ja"]');
    expect(await page.locator('a[aria-current="true"][data-locale="ja"]').count()).toBe(1);
    const cookie = (await context.cookies()).find((entry) => entry.name === 'shishin_lang');
    expect(cookie?.value).toBe('ja');
    // A page opened without ?lang= stays Japanese although the browser asks for English.
    await page.goto(`${server.url}/console/ask`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('.identity')).toContain('開発用の利用者：web:dev');
    await expectJapanese('ask page');
  });

  it('answers a Japanese question with its sources and sends an uncovered one to the governance team', async () => {
    await page.getByLabel('質問', { exact: true }).fill(question);
    await page.getByRole('button', { name: '質問する', exact: true }).click();
    await page.waitForSelector('.answer');
    expect(await page.locator('#answer-heading').textContent()).toBe('回答');
    expect(await page.locator('ol.citations li').count()).toBeGreaterThan(0);
    expect(await page.locator('#sources-heading').textContent()).toBe('出典');
    await expectJapanese('answer');
    await screenshot(page, '01-answer');
    await page.getByRole('button', { name: 'はい' }).click();
    await page.getByText('ご意見ありがとうございました。').waitFor();

    await page.locator('ol.citations li').first().getByRole('link', { name: /該当箇所を読む/ }).click();
    await page.waitForSelector('article.document');
    expect(await page.locator('.breadcrumb').textContent()).toBe('文書');
    await expectJapanese('document viewer');
    await screenshot(page, '02-document-viewer');

    await page.goto(`${server.url}/console/ask`);
    await page.getByLabel('質問', { exact: true }).fill(uncovered);
    await page.getByLabel('質問', { exact: true }).press('Enter');
    await page.waitForSelector('.answer[data-mode="not_covered"]');
    await expectJapanese('not covered');
    await page.getByRole('button', { name: 'ガバナンスチームに質問する' }).click();
    await page.getByText('ご質問をガバナンスチームの審査待ちに登録しました。').waitFor();
    await expectJapanese('escalated');
    await screenshot(page, '03-escalated');
  });

  it('refuses an incomplete intake in Japanese, then classifies the CV screening intake as high risk', async () => {
    await page.getByRole('link', { name: '新規申請' }).click();
    await page.waitForSelector('form.intake-form');
    await page.getByLabel('タイトル', { exact: true }).fill('補助');
    await page.getByRole('button', { name: '申請する' }).click();
    await page.waitForSelector('#error-summary');
    expect(await page.locator('#error-summary h2').textContent()).toBe('強調表示された項目を修正してください。');
    expect(await page.locator('#title-error').textContent()).toContain('タイトルは3文字以上で入力してください。');
    expect(await page.locator('#domains-error').textContent()).toContain('利用分野を1つ以上選んでください。');
    await expectJapanese('refused intake');
    await screenshot(page, '04-intake-errors');

    await page.getByLabel('タイトル', { exact: true }).fill(title);
    await page.getByLabel('概要').fill(description);
    await page.getByLabel('担当部署').fill(businessUnit);
    await page.getByLabel('現在の段階').selectOption('pilot');
    await page.getByLabel('当社の立場（AI事業者の区分）').selectOption('business_user');
    await page.getByLabel('モデルの調達元').selectOption('vendor_product');
    await page.getByRole('group', { name: '利用分野' }).getByLabel('雇用・人事').check();
    await page.getByRole('group', { name: '影響を受ける人' }).getByLabel('求職者').check();
    await page.getByRole('group', { name: '利用地域' }).getByLabel('欧州連合（EU）').check();
    await page.getByLabel('個人情報', { exact: true }).selectOption('personal');
    await page.getByLabel('意思決定への影響').selectOption('significant');
    await page.getByRole('group', { name: '個人のプロファイリング' }).getByLabel('はい').check();
    await page.getByRole('group', { name: '人との直接のやり取り' }).getByLabel('いいえ').check();
    await page.getByRole('group', { name: 'コンテンツの生成' }).getByLabel('いいえ').check();
    await page.getByRole('button', { name: '申請する' }).click();

    await page.waitForSelector('dl.summary [data-tier]');
    expect(await page.locator('dl.summary [data-tier]').getAttribute('data-tier')).toBe('high');
    expect(await page.locator('dl.summary [data-tier]').textContent()).toBe('高リスク');
    expect(await page.locator('#vendor-heading').textContent()).toBe('ベンダーに確認すること');
    expect(await page.locator('.notice').textContent()).toMatch(/^AI-[A-Z0-9]+ を申請しました。$/);
    await expectJapanese('intake result');
    await screenshot(page, '05-intake-result');
  });

  it('shows a refused decision at the form, records an approval with conditions, and exports the register in Japanese', async () => {
    await page.getByLabel('利用者を切り替え').fill('reviewer');
    await page.getByRole('button', { name: '切り替える' }).click();
    await page.waitForSelector('.identity strong:text-is("web:reviewer")');
    await page.getByRole('link', { name: '審査待ち' }).click();
    expect(await page.locator('#questions-heading').textContent()).toBe('ガバナンスチームへの質問');
    const item = page.locator('.queue-item', { hasText: title });
    await item.getByLabel('却下する').check();
    await item.getByRole('button', { name: '判断を記録する' }).click();
    await page.waitForSelector('.decision-form #error-summary');
    expect(await page.locator('#error-summary').textContent()).toContain('の判断は記録されませんでした');
    expect(await page.locator('#error-summary').textContent()).toContain('コメントは必須です。理由を記入してください。');
    expect(await page.evaluate('document.activeElement?.id')).toBe('error-summary');
    await expectJapanese('refused decision');
    await screenshot(page, '06-review-error');

    const again = page.locator('.queue-item', { hasText: title });
    await again.getByLabel('条件付きで承認する').check();
    await again.getByLabel('コメント').fill(conditions);
    await again.getByRole('button', { name: '判断を記録する' }).click();
    await page.getByText(new RegExp(`判断を記録しました：AI-[A-Z0-9]+「${title}」— 承認（条件付き）`)).waitFor();
    await expectJapanese('queue after the decision');

    await page.getByRole('link', { name: '台帳' }).click();
    const row = page.locator('table.register tr', { hasText: title });
    expect(await row.textContent()).toContain(conditions);
    expect(await row.textContent()).toContain('条件付き承認');
    await expectJapanese('register');
    await screenshot(page, '07-register');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    const [header = '', ...rows] = csv.trim().split('\r\n');
    expect(header).toBe(registerColumns.map((column) => registerHeader('ja', column.key)).join(','));
    const exported = rows.find((line) => line.includes(title)) ?? '';
    expect(exported).toContain('高リスク');
    expect(exported).toContain(conditions);
    expect(exported).toMatch(/,high,approved_with_conditions,/);
  });
});
