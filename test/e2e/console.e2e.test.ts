// The web console in a real browser (Chromium driven by playwright-core) against the real
// application: ask → cited answer → the cited section in the document viewer; "not covered" → ask the
// governance team; CV-screening intake → tier "high"; a reviewer's refused decision shown at the form,
// then approval → register. Screenshots of each step go to test-artifacts/e2e (TEST_ARTIFACTS_DIR).
// The browser is TEST_CHROMIUM_PATH, else Debian's /usr/bin/chromium. Without it the suite fails
// under CI and is skipped elsewhere, with the reason in the summary at the end of the run.
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, saveScreenshot } from '../helpers/browser.js';
import { describeWithPeer } from '../helpers/peers.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';


const screenshot = (page: Page, name: string) => saveScreenshot(page, 'e2e', name);

describeWithPeer('web console in a browser', chromiumMissing, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer({ GOVERNANCE_MEMBERS: 'web:reviewer' });
    browser = await launchChromium();
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
    await screenshot(page, '01-answer');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thank you for the feedback.').waitFor();

    // "Read in context" opens the cited section in the document viewer, highlighted.
    await page.locator('ol.citations li').first().getByRole('link', { name: /Read in context/ }).click();
    await page.waitForSelector('article.document');
    const anchor = new URL(page.url()).hash.slice(1);
    expect(anchor).toMatch(/^s-/);
    expect(await page.locator(`section[id="${anchor}"]`).count()).toBe(1);
    // (Expressions run in the page, so they are given as text.)
    expect(await page.evaluate("document.querySelector(':target')?.id")).toBe(anchor);
    await screenshot(page, '02-document-viewer');
  });

  it('offers to ask the governance team when the corpus does not cover a question', async () => {
    await page.goto(`${server.url}/console/ask`);
    // Enter submits the question (Shift+Enter would add a line).
    await page.getByLabel('Your question').fill('How do I book a meeting room in the Osaka office?');
    await page.getByLabel('Your question').press('Enter');
    await page.waitForSelector('.answer[data-mode="not_covered"]');
    await screenshot(page, '03-not-covered');
    await page.getByRole('button', { name: 'Ask the governance team' }).click();
    await page.getByText('Your question is in the governance team’s review queue.').waitFor();
    await screenshot(page, '04-escalated');
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
    await screenshot(page, '05-intake-form');
    await page.getByRole('button', { name: 'Submit intake' }).click();

    await page.waitForSelector('[data-tier]');
    expect(await page.locator('dl.summary [data-tier]').textContent()).toBe('high');
    expect(await page.locator('dl.summary [data-status]').getAttribute('data-status')).toBe('pending_review');
    expect(await page.locator('.reasons blockquote').count()).toBeGreaterThan(0);
    expect(await page.locator('.checklist li').count()).toBeGreaterThan(0);
    // A business user of a vendor product: provider duties are the vendor's, with what to ask for.
    expect(await page.locator('#vendor-heading').textContent()).toBe('With the vendor');
    await screenshot(page, '06-intake-result');
    const intakeUrl = page.url().replace(/\?.*$/, '');

    // The development identity is not a member here: switch to the reviewer.
    await page.getByLabel('Act as').fill('reviewer');
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('link', { name: 'Review queue' }).click();
    const item = page.locator('.queue-item', { hasText: 'CV screening assistant' });
    // Nothing is chosen for the reviewer.
    expect(await item.locator('input[type="radio"]:checked').count()).toBe(0);
    await item.getByLabel('Reject').check();
    await item.getByRole('button', { name: 'Record decision' }).click();
    // The refusal is shown at the form, with focus on its summary, scrolled into view.
    await page.waitForSelector('.decision-form #error-summary');
    expect(await page.evaluate('document.activeElement?.id')).toBe('error-summary');
    expect(await page.locator('#error-summary').isVisible()).toBe(true);
    const inView = await page.evaluate(
      "(() => { const box = document.getElementById('error-summary')?.getBoundingClientRect(); return box !== undefined && box.top >= 0 && box.top < window.innerHeight; })()",
    );
    expect(inView).toBe(true);
    expect(await page.locator('#error-summary').textContent()).toContain('was not recorded');
    await screenshot(page, '07-review-error');

    const again = page.locator('.queue-item', { hasText: 'CV screening assistant' });
    await again.getByLabel('Approve with conditions').check();
    await again.getByLabel('Comment').fill('Keep a recruiter on every shortlist.');
    await again.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText(/Decision recorded: AI-[A-Z0-9]+ “CV screening assistant” — Approved with conditions\./).waitFor();
    expect(await page.locator('.queue-item', { hasText: 'CV screening assistant' }).count()).toBe(0);

    await page.goto(intakeUrl);
    expect(await page.locator('dl.summary [data-status]').getAttribute('data-status')).toBe('approved_with_conditions');
    expect(await page.locator('dl.summary').textContent()).toMatch(/Approved with conditions by web:reviewer on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(await page.locator('.history').textContent()).toContain('Approved with conditions by web:reviewer');
    await screenshot(page, '08-decided');

    await page.getByRole('link', { name: 'Register' }).click();
    const row = page.locator('table.register tr', { hasText: 'CV screening assistant' });
    expect(await row.textContent()).toContain('Keep a recruiter on every shortlist.');
    await screenshot(page, '09-register');
  });
});
