// Smoke test of the demo portal: the catalog lists the demo services.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPortal, screenshot } from '../lib/browser.mjs';

const DEMO_SERVICES = [
  'checkout-api',
  'payments-worker',
  'storefront-web',
  'catalog-search',
];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the catalog lists the demo services', async () => {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
  });
  try {
    await openPortal(page, '/catalog');
    // The table fills once the catalog has ingested examples/entities.yaml.
    for (const name of DEMO_SERVICES) {
      await page
        .getByRole('link', { name, exact: true })
        .first()
        .waitFor({ timeout: 60_000 });
    }
    const table = await page.locator('table').first().innerText();
    for (const name of DEMO_SERVICES) {
      assert.match(table, new RegExp(`\\b${name}\\b`));
    }
  } finally {
    await screenshot(page, 'catalog');
    await page.close();
  }
});
