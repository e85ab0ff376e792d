// Opens Debian's Chromium through playwright-core: no browser is ever
// downloaded. The flags keep it off the (closed) network and off the GPU.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'artifacts',
);

const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter(Boolean);

export function chromiumPath() {
  const found = CHROMIUM_CANDIDATES.find(p => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')}); ` +
        'install Debian\'s "chromium" package or set CHROMIUM_PATH',
    );
  }
  return found;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:7007';

/**
 * Opens a portal path, signing in as the guest when the sign-in page shows
 * (the first visit in a fresh browser context).
 */
export async function openPortal(page, path) {
  await page.goto(`${BASE_URL}${path}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.locator('nav, [data-testid="sidebar-root"]').first();
  await Promise.race([
    enter.waitFor({ timeout: 60_000 }).catch(() => {}),
    signedIn.waitFor({ timeout: 60_000 }).catch(() => {}),
  ]);
  if (await enter.isVisible()) {
    await enter.click();
  }
}

/** A desktop's viewport and a phone's (390 px, the width pages must fit). */
export const DESKTOP = { width: 1440, height: 1000 };
export const PHONE = { width: 390, height: 844 };

/**
 * A page in a browser context of its own (axe-core runs in a context's
 * pages only; routes and storage stay with the page); closing the page
 * closes its context.
 */
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  return page;
}
