// The browser the end-to-end suites drive: TEST_CHROMIUM_PATH, else Debian's /usr/bin/chromium, with
// the flags a root CI machine without outside network needs, and screenshots saved as test artefacts.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.TEST_CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined when Chromium is there (for describeWithPeer). */
export const chromiumMissing = existsSync(chromiumPath)
  ? undefined
  : `no Chromium at ${chromiumPath}; run \`npm run test:peers\` (installs Debian's chromium) or set TEST_CHROMIUM_PATH to a Chromium or Chrome executable`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a full-page screenshot as `<TEST_ARTIFACTS_DIR or test-artifacts>/<folder>/<name>.png`. */
export async function saveScreenshot(page: Page, folder: string, name: string): Promise<void> {
  const directory = path.resolve(process.env.TEST_ARTIFACTS_DIR ?? 'test-artifacts', folder);
  mkdirSync(directory, { recursive: true });
  await page.screenshot({ path: path.join(directory, `${name}.png`), fullPage: true });
}
