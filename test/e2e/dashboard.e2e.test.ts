// The governance workbench in a real browser (Debian's chromium driven by playwright-core) against
// the real application, with a clock the test moves: the submitter completes an obligation item with
// evidence on the intake page; a member opens the dashboard, whose SVG charts and figures link to the
// filtered register; six months later the re-review shows on the dashboard and in the queue; the
// dashboard prints without the navigation. The browser is TEST_CHROMIUM_PATH, else Debian's
// /usr/bin/chromium; without it the suite fails under CI and is skipped elsewhere, saying why.
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReviewScheduler } from '../../src/core/review/review-scheduler.js';
import { cvScreeningIntake, meetingNotesIntake } from '../helpers/intake-examples.js';
import { chromiumMissing, launchChromium } from '../helpers/browser.js';
import { describeWithPeer } from '../helpers/peers.js';
import { startTestServer, type TestServer } from '../helpers/test-app.js';
import { ManualClock } from '../store/intake-fixtures.js';


describeWithPeer('governance workbench in a browser', chromiumMissing, () => {
  const clock = new ManualClock('2026-11-25T09:00:00.000Z');
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let highId: string;
  let limitedId: string;

  beforeAll(async () => {
    server = await startTestServer({ GOVERNANCE_MEMBERS: 'web:reviewer' }, { clock });
    const { intakes } = server.app;
    // The development identity (web:dev) submits both; the reviewer approves the high-risk one.
    highId = (await intakes.submit({ input: cvScreeningIntake, submittedBy: { channel: 'web', id: 'dev' }, idempotencyKey: 'e2e-high' })).record.id;
    limitedId = (await intakes.submit({ input: meetingNotesIntake, submittedBy: { channel: 'web', id: 'dev' }, idempotencyKey: 'e2e-limited' })).record.id;
    await intakes.decide({ intakeId: highId, actor: { channel: 'web', id: 'reviewer' }, decision: 'approve_with_conditions', comment: 'Human review of every shortlist' });
    browser = await launchChromium();
    page = await browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function actAs(user: string) {
    await page.getByLabel('Act as').fill(user);
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.waitForSelector(`.identity strong:text-is("web:${user}")`);
  }

  it('lets the submitter complete an obligation item with evidence on the intake page', async () => {
    await page.goto(`${server.url}/console/intakes/${highId}`);
    const item = page.locator(`#item-${highId}-1`);
    expect(await item.getAttribute('class')).toContain('obligation-open');
    await item.getByText(`Update ${highId}-1`).click();
    await item.getByLabel('Done').check();
    await item.getByRole('button', { name: 'Save item' }).click();
    // No evidence yet: the form comes back open with the error next to the note.
    await page.waitForSelector(`#item-${highId}-1 .field-error`);
    expect(await page.locator(`#item-${highId}-1 .field-error`).first().textContent()).toContain('Add evidence');
    const again = page.locator(`#item-${highId}-1`);
    await again.getByLabel('Evidence note').fill('Risk register entry R-17');
    await again.getByLabel('Evidence link').fill('https://docs.example/risk/R-17');
    await again.getByRole('button', { name: 'Save item' }).click();
    await page.getByText(`${highId}-1 saved.`).waitFor();
    expect(await page.locator(`#item-${highId}-1`).getAttribute('class')).toContain('obligation-done');
    expect(await page.locator(`#item-${highId}-1 .item-evidence a`).getAttribute('href')).toBe('https://docs.example/risk/R-17');
    await page.getByRole('link', { name: 'My obligations' }).click();
    expect(await page.locator('table.my-obligations tbody tr').count()).toBeGreaterThan(1);
  });

  it('shows members the dashboard; its chart bars and figures open the register filtered to them', async () => {
    await actAs('reviewer');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForSelector('h1:text-is("Governance dashboard")');
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(4);
    expect(await page.locator('#chart-tier-title').textContent()).toBe('Use cases by risk tier');
    expect(await page.locator('#chart-tier-desc').textContent()).toContain('High risk: 1');
    expect(await page.locator('.figure', { hasText: 'AI use cases' }).locator('.figure-value').textContent()).toBe('2');

    await page.locator('svg[aria-labelledby^="chart-tier"] a[data-label="High risk"]').click();
    await page.waitForURL(/\/console\/register\?tier=high&latest=1$/);
    expect(await page.locator('.filter-summary').textContent()).toBe('Showing 1 of 2 register rows.');
    expect(await page.locator('table.register tbody tr').count()).toBe(1);
    expect(await page.locator(`table.register tbody tr[data-intake="${highId}"]`).count()).toBe(1);
    expect(await page.locator('#filter-tier').inputValue()).toBe('high');

    await page.goBack();
    // The keyboard way: the chart's data table, its links in the tab order.
    await page.locator('#chart-tier-caption ~ details summary').click();
    await page.locator('#chart-tier-caption ~ details table').getByRole('link', { name: 'Limited risk (transparency)' }).click();
    await page.waitForURL(/tier=limited/);
    expect(await page.locator(`table.register tbody tr[data-intake="${limitedId}"]`).count()).toBe(1);
    expect(await page.locator('table.register tbody tr').count()).toBe(1);

    await page.goto(`${server.url}/console/dashboard`);
    await page.locator('.figure', { hasText: 'Open obligation items' }).getByRole('link').click();
    await page.waitForURL(/obligations=open/);
    expect(await page.locator(`table.register tbody tr[data-intake="${highId}"]`).count()).toBe(1);
  });

  it('shows the re-review on the dashboard and in the queue six months later, and prints without navigation', async () => {
    clock.advance(183 * 24 * 60 * 60 * 1000);
    await createReviewScheduler({ store: server.app.store, clock, logger: server.app.logger, channels: [] }).runOnce();
    await page.goto(`${server.url}/console/dashboard`);
    const due = page.locator('.figure', { hasText: 'Re-reviews due now' });
    expect(await due.locator('.figure-value').textContent()).toBe('1');
    await due.getByRole('link').click();
    await page.waitForURL(/review=due/);
    expect(await page.locator(`table.register tbody tr[data-intake="${highId}"] [data-status]`).getAttribute('data-status')).toBe('review_due');

    await page.getByRole('link', { name: 'Review queue' }).click();
    const queued = page.locator('.queue-item', { hasText: highId });
    expect(await queued.locator('.rereview').textContent()).toContain(`${highId}-1`);
    await queued.getByLabel('Approve', { exact: true }).check();
    await queued.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText(/^Decision recorded: /).waitFor();

    await page.goto(`${server.url}/console/dashboard`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav[aria-label="Main"]').isVisible()).toBe(false);
    expect(await page.locator('svg.chart').first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true, driftCount: 0 });
  });
});
