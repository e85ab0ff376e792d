// Issue #17's namespace request, on the aks-namespace template's own page
// (not the template editor), at desktop and phone sizes: the form's
// validation messages are in words, the team group object id is checked as
// a GUID, the Cluster choices follow the environment, and a real run in the
// demo (no cluster credentials) fails with one line that says what to
// configure and that the dry run works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP,
  PHONE,
  launchBrowser,
  newPage,
  openPortal,
  screenshot,
} from '../lib/browser.mjs';
import { backendGet } from '../lib/api.mjs';

const TEMPLATE_PATH = '/create/templates/default/aks-namespace';
const NAMESPACE_WORDS =
  "use lower-case letters, digits and '-', starting and ending with a letter or digit";
const GUID_WORDS = "use the group's object id, a GUID";
const CREDENTIALS_LINE =
  'No Azure identity to sign in to cluster aks-dev-koreacentral: give the backend a managed or workload identity';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The options an MUI select of the form offers, by its field id. */
async function selectOptions(page, fieldId) {
  await page.locator(`#${fieldId}`).click();
  const listbox = page.getByRole('listbox');
  await listbox.waitFor();
  const options = (await listbox.getByRole('option').allInnerTexts()).map(o =>
    o.trim(),
  );
  await page.keyboard.press('Escape');
  await listbox.waitFor({ state: 'detached' });
  return options;
}

async function choose(page, fieldId, option) {
  await page.locator(`#${fieldId}`).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** No raw regular expression or ajv wording anywhere on the form. */
async function assertNoRawValidation(page) {
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /must match pattern|\^\[a-z0-9\]|\[0-9a-fA-F\]/);
}

for (const [viewport, suffix] of [
  [DESKTOP, ''],
  [PHONE, '-phone'],
]) {
  test(`namespace request${
    suffix ? ' on a phone' : ''
  }: messages in words, a GUID check, clusters per environment, one line without credentials`, async () => {
    const page = await newPage(browser, viewport);
    try {
      await openPortal(page, TEMPLATE_PATH);
      const namespace = page.locator('#root_namespace');
      await namespace.waitFor({ timeout: 60_000 });

      // The Cluster choices follow the environment.
      await choose(page, 'root_environment', 'Production');
      assert.deepEqual(await selectOptions(page, 'root_cluster'), [
        'aks-prod-westeurope (West Europe, production)',
      ]);
      await choose(page, 'root_environment', 'Non-production');
      assert.deepEqual(await selectOptions(page, 'root_cluster'), [
        'aks-dev-koreacentral (Korea Central, non-production)',
      ]);

      // A name Kubernetes refuses: the message says what to use.
      const suffixName = suffix ? 'phone' : 'desk';
      await namespace.fill(`Orders_${suffixName}`);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(NAMESPACE_WORDS).first().waitFor();
      await assertNoRawValidation(page);
      await screenshot(page, `namespace-request-invalid-name${suffix}`);

      await namespace.fill(`orders-${suffixName}`);
      await page.getByRole('button', { name: 'Next' }).click();
      // The platform team's page (the guest is in it): no other team.
      await page.getByRole('button', { name: 'Next' }).click();

      // The team group object id must be a GUID.
      await page
        .getByLabel('Workload Identity client id')
        .fill('6f1e8a52-2c1b-4d1e-9a8f-3b7c2d4e5f60');
      const group = page.getByLabel('Team group object id');
      await group.fill('team-payments');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(GUID_WORDS).first().waitFor();
      await assertNoRawValidation(page);
      await screenshot(page, `namespace-request-invalid-guid${suffix}`);
      await group.fill('0b7f3c8e-5d2a-4e9b-8c1f-7a6d5e4c3b21');
      await page.getByRole('button', { name: 'Next' }).click();

      // No catalog repository; review and run it for real.
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/create\/tasks\/[^/]+$/, { timeout: 60_000 });
      const taskId = new URL(page.url()).pathname.split('/').pop();

      // The run fails with one line: what to configure, and the dry run.
      await page
        .getByText(CREDENTIALS_LINE)
        .first()
        .waitFor({ timeout: 90_000 });
      const task = await backendGet(`/api/scaffolder/v2/tasks/${taskId}`);
      assert.equal(task.status, 'failed');
      const events = await backendGet(
        `/api/scaffolder/v2/tasks/${taskId}/events`,
      );
      const failure = events.map(e => e.body?.error?.message).find(Boolean);
      assert.ok(failure, 'the task reports its error');
      assert.ok(failure.startsWith(CREDENTIALS_LINE), failure);
      assert.doesNotMatch(failure, /\n/);
      assert.match(failure, /only the template's dry run works/);
      assert.doesNotMatch(
        failure,
        /ChainedTokenCredential|DefaultAzureCredential|EnvironmentCredential/,
      );
      await screenshot(page, `namespace-request-no-credentials${suffix}`);
    } finally {
      await page.close();
    }
  });
}
