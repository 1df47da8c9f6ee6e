// The web console in a real browser (Chromium driven by playwright-core) against the real
// application: ask → cited answer; CV-screening intake → tier "high"; a reviewer approves → status
// changes. The browser is TEST_CHROMIUM_PATH, else Debian's /usr/bin/chromium. Without it the suite
// fails under CI and is skipped elsewhere, with the reason in the summary at the end of the run.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeer } from '../helpers/peers.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';

const executablePath = process.env.TEST_CHROMIUM_PATH || '/usr/bin/chromium';
const missing = existsSync(executablePath)
  ? undefined
  : `no Chromium at ${executablePath}; run \`npm run test:peers\` (installs Debian's chromium) or set TEST_CHROMIUM_PATH to a Chromium or Chrome executable`;

describeWithPeer('web console in a browser', missing, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer({ GOVERNANCE_MEMBERS: 'web:reviewer' });
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers a question with clickable citations', async () => {
    await page.goto(`${server.url}/console`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('.identity')).toContain('Development identity: web:dev');
    await page.getByLabel('Your question').fill('Which AI practices are prohibited under the EU AI Act?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.waitForSelector('ol.citations li');
    const citations = await page.locator('ol.citations li').count();
    expect(citations).toBeGreaterThan(0);
    expect(await page.locator('ol.citations li blockquote').first().textContent()).not.toBe('');
    const marker = page.locator('a.marker').first();
    await marker.click();
    expect(new URL(page.url()).hash).toBe('#source-1');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thank you for the feedback.').waitFor();
  });

  it('classifies a CV screening intake as high risk, and a reviewer approves it', async () => {
    await page.goto(`${server.url}/console/intakes/new`);
    // Submitting an empty form shows inline errors next to the fields.
    await page.getByRole('button', { name: 'Submit intake' }).click();
    await page.waitForSelector('#error-summary');
    expect(await page.locator('#title-error').textContent()).toContain('Title');

    await page.getByLabel('Title', { exact: true }).fill('CV screening assistant');
    await page.getByLabel('Description').fill('Ranks job applicants by scoring their CVs so recruiters can shortlist candidates faster.');
    await page.getByLabel('Business unit').fill('Human Resources');
    await page.getByLabel('Lifecycle stage').selectOption('pilot');
    await page.getByLabel('Our role').selectOption('business_user');
    await page.getByLabel('Model source').selectOption('vendor_product');
    await page.getByRole('group', { name: 'Domains' }).getByLabel('Employment and HR').check();
    await page.getByRole('group', { name: 'Affected persons' }).getByLabel('Job applicants').check();
    await page.getByRole('group', { name: 'Regions' }).getByLabel('European Union').check();
    await page.getByLabel('Personal data', { exact: true }).selectOption('personal');
    await page.getByLabel('Decision impact').selectOption('significant');
    await page.getByRole('group', { name: 'Profiles people' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Interacts with people' }).getByLabel('No').check();
    await page.getByRole('group', { name: 'Generates content' }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Submit intake' }).click();

    await page.waitForSelector('[data-tier]');
    expect(await page.locator('dl.summary [data-tier]').textContent()).toBe('high');
    expect(await page.locator('dl.summary [data-status]').getAttribute('data-status')).toBe('pending_review');
    expect(await page.locator('.reasons blockquote').count()).toBeGreaterThan(0);
    expect(await page.locator('.checklist li').count()).toBeGreaterThan(0);
    const intakeUrl = page.url().replace(/\?.*$/, '');

    // The development identity is not a member here: switch to the reviewer.
    await page.getByLabel('Act as').fill('reviewer');
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('link', { name: 'Review queue' }).click();
    const item = page.locator('.queue-item', { hasText: 'CV screening assistant' });
    await item.getByLabel('Reject').check();
    await item.getByRole('button', { name: 'Record decision' }).click();
    await page.waitForSelector('.decision-form .field-error');
    expect(await page.locator('.decision-form .field-error').first().textContent()).toContain('comment');

    const again = page.locator('.queue-item', { hasText: 'CV screening assistant' });
    await again.getByLabel('Approve', { exact: true }).check();
    await again.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Decision recorded.').waitFor();
    expect(await page.locator('.queue-item', { hasText: 'CV screening assistant' }).count()).toBe(0);

    await page.goto(intakeUrl);
    expect(await page.locator('dl.summary [data-status]').getAttribute('data-status')).toBe('approved');
    expect(await page.locator('.history').textContent()).toContain('Decision: Approve by web:reviewer');
  });
});
